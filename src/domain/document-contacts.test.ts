import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contactLines, documentContacts } from './document-contacts.ts';

describe('documentContacts: whom a patient-held document says to call', () => {
  const service = {
    phone: ' 0113 496 0000 ',
    email: 'itb@example.org',
    adviceLine: { phone: '0113 496 0001', hours: 'Mon to Fri, 8am to 4pm' },
  };

  it('lists the team, the advice line, email, then out of hours as A&E or 999 when none is set', () => {
    assert.deepEqual(contactLines(documentContacts(service)), [
      { label: 'ITB team', value: '0113 496 0000' },
      { label: 'Advice line', value: '0113 496 0001, Mon to Fri, 8am to 4pm' },
      { label: 'Email', value: 'itb@example.org' },
      { label: 'Out of hours', value: 'A&E or 999' },
    ]);
  });

  it("uses the service's out-of-hours number when it has one", () => {
    const lines = contactLines(documentContacts(service, { label: 'on-call team', phone: '0113 243 3144' }));
    assert.deepEqual(lines.at(-1), { label: 'Out of hours (on-call team)', value: '0113 243 3144' });
  });

  it('leaves out what is not set rather than printing it empty', () => {
    const c = documentContacts(
      { ...service, adviceLine: { phone: '', hours: '' } },
      { label: 'x', phone: ' ' },
    );
    assert.equal(c.adviceLine, null);
    assert.equal(c.outOfHours, null);
    assert.deepEqual(
      contactLines(c).map((l) => l.label),
      ['ITB team', 'Email', 'Out of hours'],
    );
  });
});
