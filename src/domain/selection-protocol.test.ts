import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ADULT_LEEDS_V1 } from './protocols/adult-leeds-v1.ts';
import { questionsOf, validateProtocolDefinition } from './selection-protocol.ts';
import { suggest } from './selection-suggestion.ts';

const PAEDIATRIC: unknown = JSON.parse(
  readFileSync(new URL('../../docs/protocols/paediatric-itb-v1.json', import.meta.url), 'utf8'),
);

function errorFields(raw: unknown): string[] {
  const v = validateProtocolDefinition(raw);
  return v.ok ? [] : v.errors.map((e) => e.field);
}

const base = () => ({
  code: 'test',
  version: 1,
  title: 'Test',
  population: 'Adults',
  source: 'Test',
  criteria: [
    {
      id: 'c1',
      role: 'relative',
      label: 'C1',
      source: 'Test',
      questions: [
        {
          id: 'q1',
          text: 'Q1?',
          kind: 'single',
          options: [
            { code: 'yes', label: 'Yes', meaning: 'yes' },
            { code: 'no', label: 'No', meaning: 'no' },
          ],
        },
      ],
    },
  ],
});

describe('selection protocol definitions', () => {
  it('the built-in adult protocol (Leeds) is valid and asks every criterion the Leeds page names', () => {
    const v = validateProtocolDefinition(ADULT_LEEDS_V1);
    assert.ok(v.ok);
    assert.deepEqual(
      v.value.criteria.map((c) => c.role),
      ['indication', 'indication', 'absolute', ...Array<string>(11).fill('relative')],
    );
    assert.equal(questionsOf(v.value).filter((q) => q.id.startsWith('tried-')).length, 7);
  });

  it('the paediatric protocol (NICE CG145) is valid data, needing no code', () => {
    const v = validateProtocolDefinition(PAEDIATRIC);
    assert.ok(v.ok, JSON.stringify(v.ok ? null : v.errors));
    const yes = Object.fromEntries(questionsOf(v.value).map((q) => [q.id, { value: 'no', note: null }]));
    const answers = {
      ...yes,
      'posture-function': { value: 'yes', note: null },
      'too-small': { value: 'yes', note: null },
    };
    assert.equal(suggest(v.value, answers).outcome, 'contraindicated');
    assert.deepEqual(
      suggest(v.value, { ...answers, 'too-small': { value: 'no', note: null } }).outcome,
      'suitable',
    );
  });

  const broken: [string, (p: ReturnType<typeof base>) => unknown, string][] = [
    ['a code with capitals', (p) => ({ ...p, code: 'Adult' }), 'code'],
    ['version 0', (p) => ({ ...p, version: 0 }), 'version'],
    ['version 1.5', (p) => ({ ...p, version: 1.5 }), 'version'],
    ['no criteria', (p) => ({ ...p, criteria: [] }), 'criteria'],
    [
      'an unknown role',
      (p) => ({ ...p, criteria: [{ ...p.criteria[0], role: 'maybe' }] }),
      'criteria.0.role',
    ],
    [
      'a criterion id used twice',
      (p) => ({
        ...p,
        criteria: [
          p.criteria[0],
          { ...p.criteria[0], questions: [{ ...p.criteria[0]!.questions[0], id: 'q2' }] },
        ],
      }),
      'criteria.1.id',
    ],
    [
      'a question id used twice',
      (p) => ({ ...p, criteria: [p.criteria[0], { ...p.criteria[0], id: 'c2' }] }),
      'criteria.1.questions.0.id',
    ],
    [
      'a deciding option without a meaning',
      (p) => {
        const q = p.criteria[0]!.questions[0]!;
        return {
          ...p,
          criteria: [
            { ...p.criteria[0], questions: [{ ...q, options: [q.options[0], { code: 'x', label: 'X' }] }] },
          ],
        };
      },
      'criteria.0.questions.0.options',
    ],
    [
      'a deciding multi-answer question',
      (p) => ({
        ...p,
        criteria: [{ ...p.criteria[0], questions: [{ ...p.criteria[0]!.questions[0], kind: 'multi' }] }],
      }),
      'criteria.0.questions.0.decides',
    ],
    [
      'a follow-up of a later question',
      (p) => ({
        ...p,
        criteria: [
          {
            ...p.criteria[0],
            questions: [
              { ...p.criteria[0]!.questions[0], enableWhen: [{ question: 'q1', answerIn: ['yes'] }] },
            ],
          },
        ],
      }),
      'criteria.0.questions.0.enableWhen.0',
    ],
    [
      'a follow-up on an answer that does not exist',
      (p) => ({
        ...p,
        criteria: [
          {
            ...p.criteria[0],
            questions: [
              p.criteria[0]!.questions[0],
              {
                ...p.criteria[0]!.questions[0],
                id: 'q2',
                enableWhen: [{ question: 'q1', answerIn: ['perhaps'] }],
              },
            ],
          },
        ],
      }),
      'criteria.0.questions.1.enableWhen.0',
    ],
    [
      'an indication needing more yes answers than it has questions',
      (p) => ({ ...p, criteria: [{ ...p.criteria[0], role: 'indication', atLeast: 2 }] }),
      'criteria.0.atLeast',
    ],
    [
      'a criterion with only follow-ups',
      (p) => ({
        ...p,
        criteria: [{ ...p.criteria[0], questions: [{ ...p.criteria[0]!.questions[0], decides: false }] }],
      }),
      'criteria.0.questions',
    ],
  ];
  for (const [name, change, field] of broken) {
    it(`refuses ${name}, naming ${field}`, () => {
      assert.ok(errorFields(change(base())).includes(field), JSON.stringify(errorFields(change(base()))));
    });
  }

  it('a valid small protocol passes', () => {
    assert.deepEqual(errorFields(base()), []);
  });
});
