import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.ts';

describe('service identity: the advice line and the e-RS service name', () => {
  it('defaults to the Leeds leaflet’s hours, the service phone and the "Complex Neuro Rehab" e-RS service', () => {
    const c = loadConfig({});
    assert.deepEqual(c.service.adviceLine, { phone: '', hours: 'Monday to Friday, 8am to 4pm' });
    assert.equal(c.service.ersServiceName, 'Complex Neuro Rehab');
    assert.equal(loadConfig({ SERVICE_PHONE: '0113 392 4000' }).service.adviceLine.phone, '0113 392 4000');
  });

  it('reads the advice line’s own number and hours, and the e-RS service name', () => {
    const c = loadConfig({
      SERVICE_PHONE: '0113 392 4000',
      SERVICE_ADVICE_LINE_PHONE: ' 0113 392 0000 ',
      SERVICE_ADVICE_LINE_HOURS: 'Monday to Thursday, 9am to 3pm',
      ERS_SERVICE_NAME: 'Spasticity Management – Neurorehabilitation',
    });
    assert.deepEqual(c.service.adviceLine, {
      phone: '0113 392 0000',
      hours: 'Monday to Thursday, 9am to 3pm',
    });
    assert.equal(c.service.phone, '0113 392 4000');
    assert.equal(c.service.ersServiceName, 'Spasticity Management – Neurorehabilitation');
  });

  it('an empty advice line setting means not set', () => {
    const c = loadConfig({
      SERVICE_PHONE: '0113 392 4000',
      SERVICE_ADVICE_LINE_PHONE: '',
      SERVICE_ADVICE_LINE_HOURS: '',
    });
    assert.deepEqual(c.service.adviceLine, { phone: '', hours: '' });
  });

  for (const value of ['   ', 'x'.repeat(121)]) {
    it(`refuses ERS_SERVICE_NAME of ${String(value.length)} characters, naming the setting`, () => {
      assert.throws(
        () => loadConfig({ ERS_SERVICE_NAME: value }),
        /ERS_SERVICE_NAME must be 1 to 120 characters/,
      );
    });
  }
});
