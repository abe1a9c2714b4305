import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_SERVICE_CONTACTS } from '../../test/support/test-app.ts';
import { loadConfig } from '../config.ts';
import { contactsForDocuments } from './document-contacts.ts';

/**
 * The contacts the emergency card and the refill letter print come from the service's settings,
 * the out-of-hours cover included when it is set (otherwise the documents say A&E or 999).
 */
describe('contacts for patient-held documents', () => {
  it('prints the out-of-hours cover with its words when SERVICE_OUT_OF_HOURS_PHONE is set', () => {
    const config = loadConfig({
      ...TEST_SERVICE_CONTACTS,
      SERVICE_OUT_OF_HOURS_PHONE: '0113 243 3144',
      SERVICE_OUT_OF_HOURS_TEXT: 'Switchboard: on-call neurosurgical registrar',
    });
    assert.deepEqual(contactsForDocuments(config).outOfHours, {
      label: 'Switchboard: on-call neurosurgical registrar',
      phone: '0113 243 3144',
    });
  });

  it('labels a number set without words "Out of hours"', () => {
    const config = loadConfig({ ...TEST_SERVICE_CONTACTS, SERVICE_OUT_OF_HOURS_PHONE: '0113 243 3144' });
    assert.deepEqual(contactsForDocuments(config).outOfHours, {
      label: 'Out of hours',
      phone: '0113 243 3144',
    });
  });

  it('has no out-of-hours line while the number is unset, whatever the words', () => {
    const config = loadConfig({ ...TEST_SERVICE_CONTACTS, SERVICE_OUT_OF_HOURS_TEXT: 'Ask switchboard' });
    assert.equal(contactsForDocuments(config).outOfHours, null);
  });
});
