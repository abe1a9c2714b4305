import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PlainDate } from './calendar-date.ts';
import { BRIDGING_PLAN_MISSING, endNeedsBridgingPlan, validateBridgingPlanInput } from './bridging-plan.ts';
import {
  CATHETER_KINDS,
  COMPLICATION_KINDS,
  INFECTION_KINDS,
  validateComplicationInput,
  validateComplicationUpdate,
  validateRegisterFilter,
} from './complication.ts';

const d = (s: string) => s as PlainDate;
const TODAY = d('2026-11-24');
const MINE = { id: 'pump-a', implantedOn: d('2026-06-01') };
const CTX = { today: TODAY, pumps: [MINE] };

function fieldOf(result: { ok: boolean; errors?: readonly { field: string; message: string }[] }) {
  return result.ok ? null : (result.errors?.[0]?.field ?? null);
}

describe('complications register entries', () => {
  const good = { kind: 'csf-leak', onsetOn: '2026-06-10', outcome: 'ongoing' };

  it('accepts every kind, linked as the kind needs', () => {
    for (const kind of COMPLICATION_KINDS) {
      const device = CATHETER_KINDS.includes(kind) ? 'catheter' : 'pump-and-catheter';
      const r = validateComplicationInput(
        { ...good, kind, pumpId: 'pump-a', device, details: 'Described' },
        CTX,
      );
      assert.ok(r.ok, `${kind}: ${JSON.stringify(r)}`);
    }
  });

  // Each row: what is sent, the field named (null: accepted), why.
  const table: readonly [Record<string, unknown>, string | null, string][] = [
    [good, null, 'a CSF leak need not name a pump (after a test-dose lumbar puncture, say)'],
    [
      { ...good, kind: 'catheter-kink' },
      'pumpId',
      'a catheter fault names the pump whose catheter it is (H-142)',
    ],
    [{ ...good, kind: 'pump-stall' }, 'pumpId', 'a pump stall names the pump'],
    [
      { ...good, kind: 'pocket-fill', pumpId: 'pump-a', device: 'catheter' },
      'device',
      'a pocket fill is the pump',
    ],
    [
      { ...good, kind: 'catheter-occlusion', pumpId: 'pump-a', device: 'pump' },
      'device',
      'a catheter fault is the catheter',
    ],
    [
      { ...good, kind: 'catheter-migration', pumpId: 'pump-a', device: 'pump-and-catheter' },
      null,
      'both will do',
    ],
    [{ ...good, pumpId: 'pump-b', device: 'pump' }, 'pumpId', 'another patient’s pump (H-141)'],
    [{ ...good, pumpId: 'pump-a' }, 'device', 'a pump named needs what was involved'],
    [{ ...good, device: 'pump' }, 'pumpId', 'what was involved needs a pump'],
    [
      { ...good, pumpId: 'pump-a', device: 'pump', onsetOn: '2026-05-31' },
      'onsetOn',
      'before the pump’s implant',
    ],
    [{ ...good, onsetOn: '2026-11-25' }, 'onsetOn', 'onset in the future'],
    [{ ...good, onsetOn: '2026-02-30' }, 'onsetOn', 'not a real date'],
    [{ ...good, outcome: 'resolved' }, 'resolvedOn', 'resolved needs its date'],
    [
      { ...good, outcome: 'resolved-with-lasting-effects' },
      'resolvedOn',
      'so does resolved with lasting effects',
    ],
    [{ ...good, outcome: 'resolved', resolvedOn: '2026-06-10' }, null, 'resolved the day it began'],
    [{ ...good, outcome: 'resolved', resolvedOn: '2026-06-09' }, 'resolvedOn', 'resolved before the onset'],
    [{ ...good, outcome: 'resolved', resolvedOn: '2026-11-25' }, 'resolvedOn', 'resolved in the future'],
    [{ ...good, resolvedOn: '2026-07-01' }, 'resolvedOn', 'an ongoing complication has no date resolved'],
    [{ ...good, outcome: 'device-removed' }, null, 'removed: the date resolved may be left out'],
    [{ ...good, outcome: 'died', resolvedOn: '2026-07-01' }, null, 'died, dated'],
    [{ ...good, organism: 'E. coli' }, 'organism', 'an organism only for an infection'],
    [{ ...good, kind: 'meningitis', organism: 'E. coli' }, null, 'meningitis with its organism'],
    [{ ...good, kind: 'infection-wound', organism: '  ' }, null, 'organism left blank is not known'],
    [{ ...good, kind: 'other' }, 'details', 'another complication is described'],
    [{ ...good, kind: 'infection' }, 'kind', 'an unknown kind'],
    [{ ...good, outcome: undefined }, 'outcome', 'the outcome is always given'],
    [{ ...good, actions: 'x'.repeat(4001) }, 'actions', 'actions within 4000 characters'],
  ];
  for (const [input, field, why] of table) {
    it(`${why}: ${field ?? 'accepted'}`, () => {
      assert.equal(fieldOf(validateComplicationInput(input, CTX)), field);
    });
  }

  it('the infections are wound, pocket and meningitis', () => {
    assert.deepEqual([...INFECTION_KINDS], ['infection-wound', 'infection-pocket', 'meningitis']);
  });

  it('an update is the whole entry again with a whole-number version', () => {
    assert.equal(fieldOf(validateComplicationUpdate(good, CTX)), 'version');
    assert.equal(fieldOf(validateComplicationUpdate({ ...good, version: 1.5 }, CTX)), 'version');
    assert.equal(
      fieldOf(validateComplicationUpdate({ ...good, version: 2, onsetOn: '2027-01-01' }, CTX)),
      'onsetOn',
    );
    const r = validateComplicationUpdate({ ...good, version: 2 }, CTX);
    assert.ok(r.ok && r.value.version === 2);
  });
});

describe('the service-wide register filter', () => {
  const table: readonly [Record<string, unknown>, string | null][] = [
    [{}, null],
    [{ kind: 'withdrawal', from: '2026-01-01', to: '2026-12-31' }, null],
    [{ from: '2026-03-01', to: '2026-03-01' }, null],
    [{ kind: 'nope' }, 'kind'],
    [{ from: '01/03/2026' }, 'from'],
    [{ from: '2026-03-02', to: '2026-03-01' }, 'to'],
  ];
  for (const [input, field] of table) {
    it(`${JSON.stringify(input)}: ${field ?? 'accepted'}`, () => {
      assert.equal(fieldOf(validateRegisterFilter(input)), field);
    });
  }
});

describe('bridging plans', () => {
  const ctx = { implantedOn: d('2026-06-01'), complicationIds: ['c-1'] };
  const good = {
    purpose: 'explant',
    kind: 'oral-cover',
    drug: 'Oral baclofen',
    dose: '20 mg',
    frequency: 'Three times a day',
    startOn: '2026-11-24',
    reviewOn: '2026-12-01',
    responsible: 'Dr C Consultant',
  };
  const table: readonly [Record<string, unknown>, string | null, string][] = [
    [good, null, 'a complete plan'],
    [{ ...good, startOn: '2026-12-10', reviewOn: '2026-12-17' }, null, 'planned ahead of the operation'],
    [{ ...good, reviewOn: '2026-11-24' }, null, 'reviewed the day it starts'],
    [{ ...good, reviewOn: '2026-11-23' }, 'reviewOn', 'review before the start (H-144)'],
    [{ ...good, startOn: '2026-05-31', reviewOn: '2026-06-02' }, 'startOn', 'before the pump was implanted'],
    [{ ...good, responsible: '' }, 'responsible', 'nobody responsible (H-144)'],
    [{ ...good, dose: ' ' }, 'dose', 'no dose'],
    [{ ...good, drug: undefined }, 'drug', 'no drug'],
    [{ ...good, frequency: '' }, 'frequency', 'no frequency'],
    [{ ...good, purpose: 'death' }, 'purpose', 'only explant, replacement or revision'],
    [{ ...good, kind: 'none' }, 'kind', 'oral cover, a taper or both'],
    [{ ...good, complicationId: 'c-1' }, null, 'linked to a complication of this pump'],
    [{ ...good, complicationId: 'c-2' }, 'complicationId', 'a complication of another pump'],
  ];
  for (const [input, field, why] of table) {
    it(`${why}: ${field ?? 'accepted'}`, () => {
      assert.equal(fieldOf(validateBridgingPlanInput(input, ctx)), field);
    });
  }

  it('only an explant needs a plan before its confirmation (H-140, H-145)', () => {
    assert.deepEqual(
      ['explant', 'replacement', 'death', 'transfer', 'correction'].map(endNeedsBridgingPlan),
      [true, false, false, false, false],
    );
    assert.match(BRIDGING_PLAN_MISSING, /bridging plan/);
    assert.match(BRIDGING_PLAN_MISSING, /withdrawal/);
  });
});
