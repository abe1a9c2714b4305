import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { missingServiceContacts } from './service-contacts.ts';

describe('missingServiceContacts', () => {
  const cases = [
    { phone: '0113 000 0000', email: 'itb@example.nhs.uk', expected: [] },
    { phone: '', email: 'itb@example.nhs.uk', expected: ['SERVICE_PHONE'] },
    { phone: '0113 000 0000', email: '  ', expected: ['SERVICE_EMAIL'] },
    { phone: ' ', email: '', expected: ['SERVICE_PHONE', 'SERVICE_EMAIL'] },
  ];
  for (const c of cases) {
    it(`phone "${c.phone}", email "${c.email}" misses ${c.expected.join(', ') || 'nothing'}`, () => {
      const missing = missingServiceContacts({ phone: c.phone, email: c.email, addressLines: [] });
      assert.deepEqual(
        missing.map((m) => m.variable),
        c.expected,
      );
    });
  }
});
