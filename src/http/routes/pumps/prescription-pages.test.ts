import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { actorOf } from '../../../services/audit-service.ts';
import type { User } from '../../../storage/users.repository.ts';
import {
  addTestUser,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

/**
 * The prescription form's two bands: a hard limit is an error on its box; warnings are listed
 * with their figures, each linked to its box, the reason box says it is required for them, and
 * a dose a unit slip explains gets "Did you mean 1,500 mcg/day?" beside it. The test clock's
 * today is 24 November 2026.
 */

const FORM = {
  drug: 'baclofen',
  concentrationMcgPerMl: '500',
  mode: 'simple',
  doseMcgPerDay: '400',
  phase: 'titration',
  reason: '',
};

describe('prescription form limits', () => {
  let t: TestApp;
  let nina: User;
  let carl: User;
  let pumpId = '';
  const as = async (username: string) => {
    const b = new Browser(t);
    assert.equal((await b.signIn(username)).statusCode, 303);
    return b;
  };

  // Each test starts from its own database: Ann with a new pump and no prescription.
  beforeEach(async () => {
    t = await startTestApp('sqlite');
    nina = await addTestUser(t, 'nurse-specialist', 'nina');
    carl = await addTestUser(t, 'consultant', 'carl');
    const patientId = (await registerAnn(t, nina)).id;
    pumpId = (
      await t.deps.services.pumps.register(actorOf(nina, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP700001H',
        implantedOn: '2026-11-02',
        surgeon: 'Mr P Jones',
        alarmMl: 2,
        origin: 'spinal',
      })
    ).id;
  });
  afterEach(async () => {
    await t.close();
  });

  it('asks "Did you mean 1,500 mcg/day?" beside the dose box for 1.5', async () => {
    const b = await as('nina');
    const form = `/pumps/${pumpId}/prescriptions/new`;
    const res = await b.post(`/pumps/${pumpId}/prescriptions`, { ...FORM, doseMcgPerDay: '1.5' }, form);
    assert.equal(res.statusCode, 400);
    // The box's own error (1.5 ÷ 500 = 0.003 mL a day, under what the pump delivers) …
    assert.match(res.body, /href="#doseMcgPerDay"[^>]*>[^<]*0\.003 mL a day/);
    // … and the suggestion beside the box, tied to it for screen readers.
    const box = /<input[^>]*id="doseMcgPerDay"[^>]*>[\s\S]{0,600}?<\/strong>/.exec(res.body)?.[0] ?? '';
    assert.match(box, /aria-describedby="[^"]*doseMcgPerDay-suggestion/);
    assert.match(box, /id="doseMcgPerDay-suggestion"><strong>Did you mean 1,500 mcg\/day\?<\/strong>$/);
    assert.match(res.body, /value="1.5"/);
  });

  it('lists each warning with its figures, linked to its box, and says why the reason is required', async () => {
    const b = await as('nina');
    const form = `/pumps/${pumpId}/prescriptions/new`;
    // 50 ÷ 400 = 12.5 % of the day; 8 a day; a 30-minute lock-out.
    const fields = {
      ...FORM,
      bolusDoseMcg: '50',
      bolusMaxPerDay: '8',
      bolusLockoutMinutes: '30',
    };
    const res = await b.post(`/pumps/${pumpId}/prescriptions`, fields, form);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /href="#reason"[^>]*>\s*Give the reason: /);
    const list = /<ul id="prescription-warnings">[\s\S]*?<\/ul>/.exec(res.body)?.[0] ?? '';
    assert.match(
      list,
      /<a href="#bolusDoseMcg">A bolus of 50 mcg is 12\.5% of the continuous daily dose of 400 mcg, more than the usual 10%<\/a>/,
    );
    assert.match(list, /<a href="#bolusMaxPerDay">Up to 8 boluses a day is more than the usual 6<\/a>/);
    assert.match(
      list,
      /<a href="#bolusLockoutMinutes">A lock-out of 30 minutes between boluses is shorter than the usual 60 minutes<\/a>/,
    );
    assert.match(list, /No positive test dose is recorded/);
    assert.match(res.body, /Required because of the warnings listed above/);
    assert.equal(await countRows(t.deps.database.db, 'prescriptions'), 0);
    const explained = await b.post(
      `/pumps/${pumpId}/prescriptions`,
      { ...fields, reason: 'Stretching programme; test dose given elsewhere' },
      form,
    );
    assert.equal(explained.statusCode, 303, explained.body.slice(0, 600));
  });

  it('shows the checker, beside old and new, the limits the change was held to and the warnings accepted', async () => {
    const pumps = t.deps.services.pumps;
    // The first prescription: 400 mcg/day with eight 50 mcg boluses 30 minutes apart, explained.
    const first = await pumps.proposePrescription(actorOf(nina, null), pumpId, {
      concentrationMcgPerMl: 500,
      phase: 'titration',
      programme: {
        mode: 'simple',
        doseMcgPerDay: 400,
        bolus: { doseMcg: 50, maxPerDay: 8, lockoutMinutes: 30 },
      },
      reason: 'Stretching programme; test dose given elsewhere',
    });
    await pumps.confirmPrescription(actorOf(carl, null), first.id, {});
    t.clock.set('2026-11-26T10:00:00.000Z');
    try {
      // 400 → 500 is +25 %: inside spinal titration's 30 %, though "maintenance" is sent. With
      // 6 boluses of 50 (10 % of 500) the most in a day stays 800: 400 + 8 × 50 before, 500 + 6 × 50 now.
      await pumps.proposePrescription(actorOf(nina, null), pumpId, {
        concentrationMcgPerMl: 500,
        phase: 'maintenance',
        programme: {
          mode: 'simple',
          doseMcgPerDay: 500,
          bolus: { doseMcg: 50, maxPerDay: 6, lockoutMinutes: 60 },
        },
      });
      const page = await (await as('carl')).get(`/pumps/${pumpId}`);
      const table =
        /<table class="nhsuk-table[^"]*"[^>]*id="pending-comparison">[\s\S]*?<\/table>/.exec(
          page.body,
        )?.[0] ?? '';
      assert.match(
        table,
        /Change checked against[\s\S]*?The starting dose from the test dose[\s\S]*?Titration limits: no maintenance dose has been confirmed yet/,
      );
      assert.match(table, /Warnings \(a reason was given\)[\s\S]*?A bolus of 50 mcg is 12\.5%[\s\S]*?None/);
    } finally {
      t.clock.set('2026-11-24T10:00:00.000Z');
    }
  });
});
