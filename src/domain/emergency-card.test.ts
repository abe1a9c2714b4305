import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { documentContacts } from './document-contacts.ts';
import { cardChanges, emergencyCardPanels, formatMcg, type EmergencyCardFacts } from './emergency-card.ts';

const contacts = documentContacts({
  phone: '0113 496 0000',
  email: 'itb@example.org',
  adviceLine: { phone: '0113 496 0001', hours: 'Monday to Friday, 8am to 4pm' },
});
const issued: EmergencyCardFacts = {
  patientName: 'Ann Smith',
  nhsNumber: '4857773457',
  dateOfBirth: '1978-03-07' as PlainDate,
  pumpModel: 'SynchroMed II (8637)',
  pumpManufacturer: 'Medtronic',
  pumpSerial: 'NGP1',
  implantedOn: '2025-01-15' as PlainDate,
  drug: 'baclofen',
  concentrationMcgPerMl: 2000,
  doseMcgPerDay: 150,
  contacts,
};

describe('cardChanges: what an issued card printed that is no longer true', () => {
  const cases: [string, Partial<EmergencyCardFacts>, string[]][] = [
    ['nothing changed', {}, []],
    ['a dose change', { doseMcgPerDay: 175 }, ['dose']],
    ['a dose the same to 2 decimal places', { doseMcgPerDay: 150.001 }, []],
    ['a new concentration', { concentrationMcgPerMl: 500 }, ['concentration']],
    ['dose and concentration', { doseMcgPerDay: 200, concentrationMcgPerMl: 500 }, ['dose', 'concentration']],
    ['a replacement pump', { pumpSerial: 'NGP2' }, ['pump']],
    ['another drug name', { drug: 'baclofen (Lioresal)' }, ['drug']],
    [
      'a new advice line number',
      {
        contacts: documentContacts({
          phone: '0113 496 0000',
          email: 'itb@example.org',
          adviceLine: { phone: '0113 496 9999', hours: 'Monday to Friday, 8am to 4pm' },
        }),
      },
      ['contacts'],
    ],
    [
      'an out-of-hours number added',
      {
        contacts: documentContacts(
          {
            phone: '0113 496 0000',
            email: 'itb@example.org',
            adviceLine: { phone: '0113 496 0001', hours: 'Monday to Friday, 8am to 4pm' },
          },
          { label: 'on-call team', phone: '0113 243 3144' },
        ),
      },
      ['contacts'],
    ],
    ['a corrected name', { patientName: 'Anne Smith' }, ['patient']],
  ];
  for (const [name, change, expected] of cases) {
    it(name, () => {
      assert.deepEqual(cardChanges(issued, { ...issued, ...change }), expected);
    });
  }
});

describe('emergencyCardPanels', () => {
  const panels = emergencyCardPanels(issued, '2026-12-07' as PlainDate);
  const text = (id: string) =>
    panels
      .find((p) => p.id === id)
      ?.lines.map((l) => (l.label ? `${l.label}: ${l.text}` : l.text))
      .join('\n') ?? '';

  it('has six panels, the front first', () => {
    assert.deepEqual(
      panels.map((p) => p.id),
      ['front', 'pump', 'overdose', 'withdrawal', 'contacts', 'clinician'],
    );
  });

  it('prints the pump, drug, concentration and dose with their units, and the date they were true', () => {
    assert.match(text('pump'), /Pump: Medtronic SynchroMed II \(8637\)/);
    assert.match(text('pump'), /Concentration: 2,000 mcg\/ml/);
    assert.match(text('pump'), /Daily dose: 150 mcg\/day/);
    assert.match(text('pump'), /Correct on 7 December 2026/);
  });

  it('tells the patient and the first clinician what to do', () => {
    assert.match(text('front'), /I have an intrathecal baclofen \(ITB\) pump/);
    assert.match(text('front'), /Do not stop my baclofen suddenly/);
    assert.match(text('withdrawal'), /Itching without a rash/);
    assert.match(text('withdrawal'), /emergency even if mild/);
    assert.match(text('overdose'), /Call 999 or go to A&E/);
    assert.match(text('clinician'), /no antidote/);
    assert.match(text('contacts'), /Out of hours: A&E or 999/);
  });

  it('formats micrograms with thousands separators and at most 2 decimals', () => {
    assert.equal(formatMcg(1500, 'mcg/ml'), '1,500 mcg/ml');
    assert.equal(formatMcg(87.456, 'mcg/day'), '87.46 mcg/day');
  });
});
