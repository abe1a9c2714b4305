import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADULT_LEEDS_V1 } from './protocols/adult-leeds-v1.ts';
import type { Decision } from './selection-decision.ts';
import { validateProtocolDefinition } from './selection-protocol.ts';
import {
  absoluteContraindications,
  standingDecision,
  testDoseGate,
  validateOverrideInput,
  type GateAssessment,
  type GateOverride,
} from './test-dose-gate.ts';

const ALLERGY = 'Definite history of allergic reaction to oral baclofen or an ITB test dose';

const decided = (
  decision: Decision,
  by = 'cora',
  at = '2026-11-20T10:00:00.000Z',
): GateAssessment['decisions'][number] => ({ decision, decidedBy: by, decidedAt: at });

const assessment = (
  decisions: GateAssessment['decisions'],
  absolute: readonly string[] = [],
): GateAssessment => ({ id: 'a1', decisions, absoluteContraindications: absolute });

const override = (createdBy: string, state: GateOverride['state'] = 'available'): GateOverride => ({
  id: 'o1',
  createdBy,
  state,
});

const fieldOf = (r: ReturnType<typeof testDoseGate>) => (r.ok ? null : (r.errors[0]?.field ?? null));

describe('the bedside gate for a test dose', () => {
  // name, assessment, override, who starts it (nina, a nurse, unless said), allowed on
  const table: [
    string,
    GateAssessment | null,
    GateOverride | null,
    string,
    'assessment' | 'override' | null,
  ][] = [
    ['no assessment, no override', null, null, 'nina', null],
    ['an assessment with no decision yet', assessment([]), null, 'nina', null],
    ['decided not suitable', assessment([decided('not-suitable')]), null, 'nina', null],
    ['decided defer', assessment([decided('defer')]), null, 'nina', null],
    ['sent to MDT, no outcome yet', assessment([decided('discuss-at-mdt')]), null, 'nina', null],
    ['decided proceed', assessment([decided('proceed-to-test-dose')]), null, 'nina', 'assessment'],
    [
      'MDT outcome proceed after "discuss at MDT"',
      assessment([
        decided('discuss-at-mdt', 'cora', '2026-11-10T10:00:00.000Z'),
        decided('proceed-to-test-dose', 'cora', '2026-11-17T10:00:00.000Z'),
      ]),
      null,
      'nina',
      'assessment',
    ],
    [
      'MDT outcome not suitable after "discuss at MDT" (the later decision stands)',
      assessment([
        decided('discuss-at-mdt', 'cora', '2026-11-10T10:00:00.000Z'),
        decided('not-suitable', 'cora', '2026-11-17T10:00:00.000Z'),
      ]),
      null,
      'nina',
      null,
    ],
    [
      'proceed, but allergy answered yes',
      assessment([decided('proceed-to-test-dose')], [ALLERGY]),
      null,
      'nina',
      null,
    ],
    [
      'proceed, allergy, override by a different consultant',
      assessment([decided('proceed-to-test-dose')], [ALLERGY]),
      override('carl'),
      'nina',
      'override',
    ],
    [
      'proceed, allergy, the override author starts the episode',
      assessment([decided('proceed-to-test-dose')], [ALLERGY]),
      override('carl'),
      'carl',
      null,
    ],
    [
      'proceed, allergy, override by the consultant who decided to proceed',
      assessment([decided('proceed-to-test-dose', 'carl')], [ALLERGY]),
      override('carl'),
      'nina',
      null,
    ],
    ['no assessment, override by a consultant', null, override('carl'), 'nina', 'override'],
    [
      'not suitable, override by a second consultant',
      assessment([decided('not-suitable')]),
      override('carl'),
      'nina',
      'override',
    ],
    ['an override already used', null, override('carl', 'used'), 'nina', null],
    ['an override withdrawn', null, override('carl', 'withdrawn'), 'nina', null],
  ];
  for (const [name, a, o, starter, basis] of table) {
    it(`${name}: ${basis === null ? 'refused' : `allowed on the ${basis}`}`, () => {
      const r = testDoseGate({ assessment: a, override: o, starterUserId: starter });
      if (basis === null) {
        assert.equal(r.ok, false);
        assert.equal(fieldOf(r), o === null ? 'assessmentId' : 'overrideId');
      } else {
        assert.ok(r.ok, JSON.stringify(r));
        assert.equal(r.value.basis, basis);
      }
    });
  }

  it('says what blocks it, naming the decision and the contraindication', () => {
    const notSuitable = testDoseGate({
      assessment: assessment([decided('not-suitable')]),
      override: null,
      starterUserId: 'nina',
    });
    assert.match(
      notSuitable.ok ? '' : (notSuitable.errors[0]?.message ?? ''),
      /The selection decision is "Not suitable", not "Proceed to test dose"/,
    );
    const allergy = testDoseGate({
      assessment: assessment([decided('proceed-to-test-dose')], [ALLERGY]),
      override: null,
      starterUserId: 'nina',
    });
    assert.match(
      allergy.ok ? '' : (allergy.errors[0]?.message ?? ''),
      /absolute contraindication: Definite history of allergic reaction to oral baclofen.*override recorded by a second consultant/,
    );
  });

  it('reads the standing decision as the latest recorded', () => {
    assert.equal(standingDecision([]), null);
    assert.equal(
      standingDecision([
        decided('proceed-to-test-dose', 'cora', '2026-11-17T10:00:00.000Z'),
        decided('discuss-at-mdt', 'cora', '2026-11-10T10:00:00.000Z'),
      ])?.decision,
      'proceed-to-test-dose',
    );
  });

  it("finds the adult protocol's allergy criterion from the answers, and nothing when answered no or not known", () => {
    const v = validateProtocolDefinition(ADULT_LEEDS_V1);
    assert.ok(v.ok);
    const answer = (value: string) => ({ 'baclofen-allergy': { value, note: null } });
    assert.deepEqual(absoluteContraindications(v.value, answer('yes')), [ALLERGY]);
    assert.deepEqual(absoluteContraindications(v.value, answer('no')), []);
    assert.deepEqual(absoluteContraindications(v.value, answer('unknown')), []);
  });

  it('needs a written reason for an override', () => {
    assert.equal(validateOverrideInput({ reason: ' ' }).ok, false);
    assert.equal(validateOverrideInput({}).ok, false);
    assert.ok(
      validateOverrideInput({ reason: 'Reaction was nausea, not allergy (allergy clinic letter)' }).ok,
    );
  });
});
