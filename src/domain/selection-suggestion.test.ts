import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ADULT_LEEDS_V1 } from './protocols/adult-leeds-v1.ts';
import { isEnabled, visibleAnswers, type Answer, type Answers } from './selection-answers.ts';
import { questionsOf, validateProtocolDefinition, type ProtocolDefinition } from './selection-protocol.ts';
import { suggest, type SuggestionOutcome } from './selection-suggestion.ts';
import { ADULT_RELATIVES } from '../../test/support/selection-fixtures.ts';

function protocol(raw: unknown): ProtocolDefinition {
  const v = validateProtocolDefinition(raw);
  assert.ok(v.ok, JSON.stringify(v.ok ? null : v.errors));
  return v.value;
}
const ADULT = protocol(ADULT_LEEDS_V1);

const TREATMENTS = [
  'oral-baclofen',
  'tizanidine',
  'gabapentin',
  'dantrolene',
  'botulinum-toxin',
  'physiotherapy',
  'orthotics',
];

const a = (value: string | string[], note: string | null = null): Answer => ({ value, note });

/** Every question answered so that the adult protocol suggests "suitable". */
function suitable(): Record<string, Answer> {
  const out: Record<string, Answer> = {
    harm: a('yes', 'Cannot be hoisted safely'),
    'harm-areas': a(['function', 'care']),
    'baclofen-allergy': a('no'),
    'tried-oral-baclofen': a('tried'),
    'max-dose-oral-baclofen': a('yes'),
  };
  for (const t of TREATMENTS.slice(1)) {
    out[`tried-${t}`] = a('not-tried');
  }
  for (const r of ADULT_RELATIVES) {
    out[r] = a('no');
  }
  return out;
}

function without(answers: Record<string, Answer>, ...ids: string[]): Record<string, Answer> {
  return Object.fromEntries(Object.entries(answers).filter(([id]) => !ids.includes(id)));
}

/** The outcome and the reasons as "kind:criterion[:question]" strings, in order. */
function summary(answers: Answers, p: ProtocolDefinition = ADULT): [SuggestionOutcome, string[]] {
  const s = suggest(p, answers);
  return [
    s.outcome,
    s.reasons.map((r) => [r.kind, r.criterionId, r.questionId].filter((x) => x !== null).join(':')),
  ];
}

describe('selection suggestion: each criterion alone (adult protocol, Leeds)', () => {
  const cases: [string, Record<string, Answer>, SuggestionOutcome, string[]][] = [
    ['everything favourable', suitable(), 'suitable', []],
    [
      'allergy to baclofen',
      { ...suitable(), 'baclofen-allergy': a('yes', 'Anaphylaxis 2019') },
      'contraindicated',
      ['absolute-present:baclofen-allergy'],
    ],
    [
      'allergy not known',
      { ...suitable(), 'baclofen-allergy': a('unknown') },
      'incomplete',
      ['unknown:baclofen-allergy:baclofen-allergy'],
    ],
    [
      'allergy not answered',
      without(suitable(), 'baclofen-allergy'),
      'incomplete',
      ['missing:baclofen-allergy:baclofen-allergy'],
    ],
    [
      'spasticity does not harm function, quality of life or care',
      without({ ...suitable(), harm: a('no') }, 'harm-areas'),
      'not-yet-suitable',
      ['indication-not-met:harm'],
    ],
    [
      'harm not known',
      without({ ...suitable(), harm: a('unknown') }, 'harm-areas'),
      'incomplete',
      ['unknown:harm:harm'],
    ],
    ['which harm not answered', without(suitable(), 'harm-areas'), 'incomplete', ['missing:harm:harm-areas']],
    [
      'no less invasive treatment tried',
      without({ ...suitable(), 'tried-oral-baclofen': a('not-tried') }, 'max-dose-oral-baclofen'),
      'not-yet-suitable',
      ['indication-not-met:less-invasive-tried'],
    ],
    [
      'oral baclofen not tolerated (no maximum-dose follow-up)',
      without({ ...suitable(), 'tried-oral-baclofen': a('not-tolerated') }, 'max-dose-oral-baclofen'),
      'suitable',
      [],
    ],
    [
      'only orthotics tried is enough (at least one)',
      without(
        { ...suitable(), 'tried-oral-baclofen': a('not-tried'), 'tried-orthotics': a('tried') },
        'max-dose-oral-baclofen',
      ),
      'suitable',
      [],
    ],
    [
      'maximum dose not answered',
      without(suitable(), 'max-dose-oral-baclofen'),
      'incomplete',
      ['missing:less-invasive-tried:max-dose-oral-baclofen'],
    ],
    [
      'a treatment not answered',
      without(suitable(), 'tried-dantrolene'),
      'incomplete',
      ['missing:less-invasive-tried:tried-dantrolene'],
    ],
  ];
  for (const r of ADULT_RELATIVES) {
    cases.push([
      `${r} present`,
      { ...suitable(), [r]: a('yes') },
      'suitable-discuss-mdt',
      [`relative-present:${r}`],
    ]);
    cases.push([`${r} not known`, { ...suitable(), [r]: a('unknown') }, 'incomplete', [`unknown:${r}:${r}`]]);
    cases.push([`${r} not answered`, without(suitable(), r), 'incomplete', [`missing:${r}:${r}`]]);
  }
  for (const [name, answers, outcome, reasons] of cases) {
    it(`${name} → ${outcome}`, () => {
      assert.deepEqual(summary(answers), [outcome, reasons]);
    });
  }
});

describe('selection suggestion: in combination', () => {
  it('two relative contraindications: discuss at MDT, both named with their notes', () => {
    const s = suggest(ADULT, {
      ...suitable(),
      epilepsy: a('yes', 'Two seizures this month'),
      'pressure-ulcers': a('yes', 'Sacral grade 2'),
    });
    assert.equal(s.outcome, 'suitable-discuss-mdt');
    assert.deepEqual(
      s.reasons.map((r) => [r.text, r.note]),
      [
        ['Poorly controlled epilepsy', 'Two seizures this month'],
        ['Skin pressure ulcers', 'Sacral grade 2'],
      ],
    );
  });

  it('absolute beats everything, and every other reason is still listed in order', () => {
    const answers = without(
      {
        ...suitable(),
        'baclofen-allergy': a('yes'),
        harm: a('no'),
        hydrocephalus: a('yes'),
        spinal: a('unknown'),
      },
      'harm-areas',
      'tried-gabapentin',
    );
    assert.deepEqual(summary(answers), [
      'contraindicated',
      [
        'absolute-present:baclofen-allergy',
        'indication-not-met:harm',
        'relative-present:hydrocephalus',
        'unknown:spinal:spinal',
        'missing:less-invasive-tried:tried-gabapentin',
      ],
    ]);
  });

  it('an indication not met beats unknown answers and relative contraindications', () => {
    const answers = without(
      { ...suitable(), harm: a('no'), malnutrition: a('yes'), coagulation: a('unknown') },
      'harm-areas',
    );
    assert.deepEqual(summary(answers), [
      'not-yet-suitable',
      ['indication-not-met:harm', 'relative-present:malnutrition', 'unknown:coagulation:coagulation'],
    ]);
  });

  it('unknown answers beat a relative contraindication (both listed)', () => {
    const answers = { ...suitable(), malnutrition: a('yes'), coagulation: a('unknown') };
    assert.deepEqual(summary(answers), [
      'incomplete',
      ['relative-present:malnutrition', 'unknown:coagulation:coagulation'],
    ]);
  });

  it('nothing answered: incomplete, listing every question asked and no follow-up', () => {
    const [outcome, reasons] = summary({});
    assert.equal(outcome, 'incomplete');
    const asked = questionsOf(ADULT).filter((q) => q.enableWhen.length === 0);
    assert.deepEqual(
      reasons,
      asked.map((q) => `missing:${ADULT.criteria.find((c) => c.questions.includes(q))?.id ?? ''}:${q.id}`),
    );
  });

  it('names the protocol version it was made with', () => {
    assert.deepEqual(suggest(ADULT, suitable()).protocol, { code: 'adult-itb', version: 1 });
  });
});

/** A protocol whose hidden follow-up would decide a relative contraindication if counted. */
const GATED = protocol({
  code: 'gated',
  version: 1,
  title: 'Gated',
  population: 'Test',
  source: 'Test',
  criteria: [
    {
      id: 'need',
      role: 'indication',
      label: 'Need',
      source: 'Test',
      questions: [{ id: 'need', text: 'Need?', kind: 'single', options: yesNo() }],
    },
    {
      id: 'risk',
      role: 'relative',
      label: 'Risk',
      source: 'Test',
      questions: [
        { id: 'gate', text: 'Any operation?', kind: 'single', options: yesNo() },
        {
          id: 'risky',
          text: 'Was it on the spine?',
          kind: 'single',
          options: yesNo(),
          enableWhen: [{ question: 'gate', answerIn: ['yes'] }],
        },
        {
          id: 'when',
          text: 'In the last year?',
          kind: 'single',
          decides: false,
          options: [
            { code: 'yes', label: 'Yes' },
            { code: 'no', label: 'No' },
          ],
          enableWhen: [{ question: 'risky', answerIn: ['yes'] }],
        },
      ],
    },
  ],
});
function yesNo() {
  return [
    { code: 'yes', label: 'Yes', meaning: 'yes' },
    { code: 'no', label: 'No', meaning: 'no' },
  ];
}

describe('selection suggestion: answers to questions not asked are never counted', () => {
  it('a hidden deciding answer of yes does not make the risk present', () => {
    assert.deepEqual(summary({ need: a('yes'), gate: a('no'), risky: a('yes'), when: a('yes') }, GATED), [
      'suitable',
      [],
    ]);
  });

  it('the same answer counts once its question is asked', () => {
    assert.deepEqual(summary({ need: a('yes'), gate: a('yes'), risky: a('yes'), when: a('no') }, GATED), [
      'suitable-discuss-mdt',
      ['relative-present:risk'],
    ]);
  });

  it('a hidden follow-up is not reported missing', () => {
    assert.deepEqual(summary({ need: a('yes'), gate: a('no') }, GATED), ['suitable', []]);
  });

  it('in the adult protocol, "which of these" is ignored when spasticity does no harm', () => {
    const withHidden = { ...suitable(), harm: a('no') };
    assert.deepEqual(summary(withHidden), summary(without(withHidden, 'harm-areas')));
  });

  it('property: adding answers to hidden questions never changes the suggestion', () => {
    const questions = questionsOf(ADULT);
    const answerFor = fc.constantFrom(...questions).chain((q) =>
      q.kind === 'single'
        ? fc.constantFrom(...q.options.map((o) => o.code)).map((c) => [q.id, a(c)] as const)
        : fc
            .subarray(
              q.options.map((o) => o.code),
              { minLength: 1 },
            )
            .map((cs) => [q.id, a(cs)] as const),
    );
    fc.assert(
      fc.property(
        fc.array(answerFor, { maxLength: 40 }),
        fc.array(answerFor, { maxLength: 10 }),
        (base, extra) => {
          const answers: Record<string, Answer> = Object.fromEntries(base);
          const before = suggest(ADULT, answers);
          const kept = visibleAnswers(ADULT, answers).answers;
          const hiddenOnly = Object.fromEntries(
            extra.filter(([id]) => {
              const q = questions.find((x) => x.id === id);
              return q !== undefined && answers[id] === undefined && !isEnabled(q, kept);
            }),
          );
          assert.deepEqual(suggest(ADULT, { ...answers, ...hiddenOnly }), before);
        },
      ),
    );
  });

  it('property: a definite baclofen allergy always gives contraindicated, whatever else', () => {
    const questions = questionsOf(ADULT).filter((q) => q.kind === 'single' && q.id !== 'baclofen-allergy');
    fc.assert(
      fc.property(
        fc.array(
          fc
            .constantFrom(...questions)
            .chain((q) => fc.constantFrom(...q.options.map((o) => [q.id, a(o.code)] as const))),
        ),
        (pairs) => {
          const s = suggest(ADULT, { ...Object.fromEntries(pairs), 'baclofen-allergy': a('yes') });
          assert.equal(s.outcome, 'contraindicated');
          assert.equal(s.reasons[0]?.criterionId, 'baclofen-allergy');
        },
      ),
    );
  });
});
