import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, type PlainDate } from './calendar-date.ts';
import { contactsFromSettings, OUT_OF_HOURS_LABEL } from './document-contacts.ts';
import { EMERGENCY_GUIDANCE, unknownGuidanceSources } from './emergency-guidance.ts';
import { emergencyContacts, OUT_OF_HOURS_NOT_SET, reservoirToday } from './emergency-summary.ts';
import { sameEveryDay } from './residual-history.ts';

const SERVICE = {
  name: 'Leeds ITB service',
  phone: '0113 392 4000',
  email: 'itb@nhs.net',
  adviceLine: { phone: '', hours: 'Monday to Friday, 8am to 4pm' },
  outOfHours: { phone: '', text: '' },
};

describe('emergency contacts', () => {
  it('falls back from the advice line to the service phone in hours', () => {
    const c = emergencyContacts(SERVICE);
    assert.deepEqual(
      c.inHours.map((r) => [r.label, r.value, r.notSet]),
      [
        ['Phone', '0113 392 4000', false],
        ['Hours', 'Monday to Friday, 8am to 4pm', false],
        ['Email', 'itb@nhs.net', false],
      ],
    );
  });
  it('says plainly that no out-of-hours contact is set, never a blank', () => {
    const c = emergencyContacts(SERVICE);
    assert.equal(c.outOfHoursNotSet, true);
    assert.deepEqual(c.outOfHours, [{ label: 'Out of hours', value: OUT_OF_HOURS_NOT_SET, notSet: true }]);
  });
  it('shows the out-of-hours number and how, and names a missing number', () => {
    assert.deepEqual(
      emergencyContacts({
        ...SERVICE,
        outOfHours: { phone: ' 0113 243 3144 ', text: 'Ask for the on-call registrar' },
      }).outOfHours,
      [
        { label: 'Phone', value: '0113 243 3144', notSet: false },
        { label: 'How', value: 'Ask for the on-call registrar', notSet: false },
      ],
    );
    const textOnly = emergencyContacts({
      ...SERVICE,
      outOfHours: { phone: '', text: 'Switchboard: on-call neurosurgery' },
    });
    assert.equal(textOnly.outOfHoursNotSet, false);
    assert.equal(textOnly.outOfHours[0]?.notSet, true);
  });
  it('names the setting for every empty in-hours contact', () => {
    const c = emergencyContacts({ ...SERVICE, phone: '', email: ' ', adviceLine: { phone: '', hours: '' } });
    assert.ok(c.inHours.every((r) => r.notSet && r.value.startsWith('Not set')));
  });
});

describe('the summary’s contacts and the patient-held documents’', () => {
  const text = fc.constantFrom('', ' ', '0113 243 3144', ' 0113 392 4000 ', 'Ask for the on-call registrar');
  it('come from the one function: the same numbers, email and out-of-hours cover', () => {
    fc.assert(
      fc.property(text, text, text, text, text, text, (phone, email, aPhone, hours, oPhone, oText) => {
        const settings = {
          name: 'ITB service',
          phone,
          email,
          adviceLine: { phone: aPhone, hours },
          outOfHours: { phone: oPhone, text: oText },
        };
        const documents = contactsFromSettings(settings);
        const summary = emergencyContacts(settings);
        const shown = (rows: readonly { label: string; value: string; notSet: boolean }[], label: string) =>
          rows.find((r) => r.label === label && !r.notSet)?.value ?? null;
        const inHoursPhone = documents.adviceLine?.phone || documents.phone || null;
        assert.equal(shown(summary.inHours, 'Phone'), inHoursPhone);
        assert.equal(shown(summary.inHours, 'Email'), documents.email === '' ? null : documents.email);
        assert.equal(shown(summary.outOfHours, 'Phone'), documents.outOfHours?.phone ?? null);
        if (documents.outOfHours !== null && documents.outOfHours.label !== OUT_OF_HOURS_LABEL) {
          assert.equal(shown(summary.outOfHours, 'How'), documents.outOfHours.label);
        }
        if (summary.outOfHoursNotSet) {
          assert.equal(documents.outOfHours, null, 'no cover on the summary, none on the card');
        }
      }),
    );
  });
});

describe('volume left today (residualFromHistory)', () => {
  const filledOn = '2026-09-01' as PlainDate;
  // 250 mcg/day at 500 mcg/mL is 0.5 mL a day; boluses of 50 mcg up to 2 a day add 0.2 mL.
  const fill = (fillMl: number) => ({
    fillMl,
    filledOn,
    alarmMl: 2,
    segments: [{ ...sameEveryDay(filledOn, 0.5, 0), bolusMlPerDay: 0.2 }],
  });
  const cases: readonly [string, number, PlainDate, object][] = [
    ['the fill day itself', 20, filledOn, { continuousMl: 20, withBolusesMl: 20, ranDryOn: null }],
    ['ten days on', 20, '2026-09-11' as PlainDate, { continuousMl: 15, withBolusesMl: 13, ranDryOn: null }],
    [
      'forty days on: empty that day',
      20,
      '2026-10-11' as PlainDate,
      { continuousMl: 0, withBolusesMl: 0, ranDryOn: '2026-10-11' },
    ],
    [
      'fifty days on: empty, never below 0',
      20,
      '2026-10-21' as PlainDate,
      { continuousMl: 0, withBolusesMl: 0, ranDryOn: '2026-10-11' },
    ],
  ];
  for (const [label, fillMl, today, expected] of cases) {
    it(label, () => {
      const r = reservoirToday(fill(fillMl), null, today);
      assert.ok(r.kind === 'estimated');
      assert.deepEqual(
        { continuousMl: r.continuousMl, withBolusesMl: r.withBolusesMl, ranDryOn: r.ranDryOn },
        expected,
      );
    });
  }
  it('cannot say without a signed fill, and says a pause emptied it', () => {
    assert.deepEqual(reservoirToday(null, null, filledOn), { kind: 'unknown' });
    assert.deepEqual(reservoirToday(fill(20), '2026-09-05' as PlainDate, filledOn), {
      kind: 'emptied',
      emptiedOn: '2026-09-05',
    });
  });
  it('never shows more than was filled, never below 0, and boluses never leave more', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 400 }),
        (fillMl, rateCentiMl, bolusCentiMl, days) => {
          const f = {
            fillMl,
            filledOn,
            alarmMl: 2,
            segments: [
              { ...sameEveryDay(filledOn, rateCentiMl / 100, 0), bolusMlPerDay: bolusCentiMl / 100 },
            ],
          };
          const r = reservoirToday(f, null, addDays(filledOn, days));
          assert.ok(r.kind === 'estimated');
          assert.ok(r.continuousMl >= 0 && r.continuousMl <= fillMl);
          assert.ok(r.withBolusesMl <= r.continuousMl);
          const simple = fillMl - (days * rateCentiMl) / 100;
          if (simple > 0.01) {
            assert.ok(
              Math.abs(r.continuousMl - simple) <= 0.01,
              `${String(r.continuousMl)} vs ${String(simple)}`,
            );
          }
        },
      ),
    );
  });
});

describe('emergency guidance', () => {
  it('cites only sources the Sources page lists', () => {
    assert.deepEqual(unknownGuidanceSources(), []);
  });
  it('cites a source for every statement, and covers signs, first actions, oral cover and intensive care', () => {
    for (const s of [...EMERGENCY_GUIDANCE.overdose, ...EMERGENCY_GUIDANCE.withdrawal]) {
      for (const i of s.items) {
        assert.ok(i.sources.length > 0, i.text);
      }
    }
    const headings = (x: readonly { heading: string }[]) => x.map((s) => s.heading);
    assert.deepEqual(headings(EMERGENCY_GUIDANCE.overdose), [
      'Signs',
      'First actions',
      'Call intensive care',
    ]);
    assert.deepEqual(headings(EMERGENCY_GUIDANCE.withdrawal), [
      'Signs',
      'First actions',
      'Oral baclofen cover',
      'Call intensive care',
    ]);
  });
  it('finds every guidance statement in the clinical reference with the same sources', async () => {
    const { readFileSync } = await import('node:fs');
    const reference = readFileSync(new URL('../../docs/clinical-reference.md', import.meta.url), 'utf8');
    const section = reference.slice(reference.indexOf('### The emergency summary'));
    for (const s of [...EMERGENCY_GUIDANCE.overdose, ...EMERGENCY_GUIDANCE.withdrawal]) {
      for (const i of s.items) {
        assert.ok(section.includes(i.text), `clinical-reference.md lists: ${i.text}`);
        assert.ok(
          section.includes(i.sources.map((k) => `[${k}]`).join(', ')),
          `with ${i.sources.join(', ')}`,
        );
      }
    }
  });
});
