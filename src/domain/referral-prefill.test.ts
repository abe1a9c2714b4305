import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADULT_LEEDS_V2 } from './protocols/adult-leeds-v2.ts';
import { answersFromReferral } from './referral-prefill.ts';
import type { Condition, Treatment } from './referral.ts';
import { validateProtocolDefinition, type ProtocolDefinition } from './selection-protocol.ts';

/** A selection assessment started from a referral begins with what the referral says. */

function protocol(raw: unknown): ProtocolDefinition {
  const v = validateProtocolDefinition(raw);
  assert.ok(v.ok, JSON.stringify(v.ok ? null : v.errors));
  return v.value;
}

const ADULT = protocol(ADULT_LEEDS_V2);

/** A protocol that asks which condition, as a service's own might. */
const WITH_CONDITION = protocol({
  code: 'local',
  version: 1,
  title: 'Local protocol',
  population: 'Adults',
  source: 'Local (LOCAL)',
  criteria: [
    {
      id: 'condition',
      role: 'indication',
      label: 'The tone disorder',
      source: 'Local (LOCAL)',
      questions: [
        {
          id: 'harms',
          text: 'Does it harm function or care?',
          kind: 'single',
          options: [
            { code: 'yes', label: 'Yes', meaning: 'yes' },
            { code: 'no', label: 'No', meaning: 'no' },
          ],
        },
        {
          id: 'condition',
          text: 'Which tone disorder?',
          kind: 'multi',
          decides: false,
          options: [
            { code: 'spasticity', label: 'Spasticity' },
            { code: 'dystonia', label: 'Dystonia' },
          ],
        },
      ],
    },
  ],
});

describe('answersFromReferral', () => {
  // [protocol, conditions, treatments tried, answers expected, filled in words]
  const table: readonly [
    string,
    ProtocolDefinition,
    readonly Condition[],
    readonly Treatment[],
    Record<string, string | readonly string[]>,
    readonly string[],
  ][] = [
    ['adult, nothing given', ADULT, [], [], {}, []],
    [
      'adult, oral baclofen and botulinum toxin tried',
      ADULT,
      ['spasticity'],
      ['oral-baclofen', 'botulinum-toxin'],
      { 'tried-oral-baclofen': 'tried', 'tried-botulinum-toxin': 'tried' },
      ['Oral baclofen: tried', 'Botulinum toxin: tried'],
    ],
    [
      'adult, physiotherapy only (kept, though it does not decide)',
      ADULT,
      [],
      ['physiotherapy'],
      { 'tried-physiotherapy': 'tried' },
      ['Physiotherapy: tried'],
    ],
    [
      'a protocol asking the condition',
      WITH_CONDITION,
      ['spasticity', 'dystonia'],
      ['oral-baclofen'],
      { condition: ['spasticity', 'dystonia'] },
      ['Which tone disorder?: Spasticity, Dystonia'],
    ],
  ];
  for (const [name, p, conditions, treatmentsTried, expected, filled] of table) {
    it(name, () => {
      const r = answersFromReferral(p, { conditions, treatmentsTried });
      assert.deepEqual(Object.fromEntries(Object.entries(r.answers).map(([k, a]) => [k, a.value])), expected);
      assert.deepEqual(r.filled, filled);
      // A treatment not listed is left unanswered, never "not tried"; follow-ups stay empty.
      assert.equal(r.answers['tried-tizanidine'], undefined);
      assert.equal(r.answers['max-dose-oral-baclofen'], undefined);
    });
  }
});
