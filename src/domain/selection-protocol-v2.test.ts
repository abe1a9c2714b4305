import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from './audit-event.ts';
import { ADULT_LEEDS_V1 } from './protocols/adult-leeds-v1.ts';
import { ADULT_LEEDS_V2 } from './protocols/adult-leeds-v2.ts';
import type { Answer } from './selection-answers.ts';
import {
  questionsOf,
  validateProtocolDefinition,
  type ProtocolDefinition,
  type Question,
} from './selection-protocol.ts';
import { evaluateCriterion, suggest, type SuggestionOutcome } from './selection-suggestion.ts';

function protocol(raw: unknown): ProtocolDefinition {
  const v = validateProtocolDefinition(raw);
  assert.ok(v.ok, JSON.stringify(v.ok ? null : v.errors));
  return v.value;
}
const readJson = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../docs/protocols/${name}`, import.meta.url), 'utf8'));

const V1 = protocol(ADULT_LEEDS_V1);
const V2 = protocol(ADULT_LEEDS_V2);
const PAED_V1 = protocol(readJson('paediatric-itb-v1.json'));
const PAED_V2 = protocol(readJson('paediatric-itb-v2.json'));

/** The SHA-256 the service stores for a protocol version (protocol-service.ts). */
const hashOf = (p: ProtocolDefinition) => createHash('sha256').update(canonicalJson(p)).digest('hex');

const a = (value: string | string[], note: string | null = null): Answer => ({ value, note });
const DRUGS = ['oral-baclofen', 'tizanidine', 'gabapentin', 'dantrolene', 'botulinum-toxin'];
const OTHERS = ['physiotherapy', 'orthotics'];

/** Every question answered favourably except the treatments, none of which was tried. */
function nothingTried(p: ProtocolDefinition): Record<string, Answer> {
  const out: Record<string, Answer> = {};
  for (const q of questionsOf(p)) {
    if (q.enableWhen.length > 0) {
      continue;
    }
    out[q.id] = a(q.id === 'harm' ? 'yes' : q.id.startsWith('tried-') ? 'not-tried' : 'no');
  }
  return { ...out, 'harm-areas': a(['function']) };
}

describe('built-in protocol versions are never edited', () => {
  it('adult version 1 is unchanged: its canonical JSON hashes as when it was released', () => {
    assert.equal(hashOf(V1), '794588cdd030dcddb52498c87a1bcd0bf0a72e6b8d8c5ebbeaa4470661cd3f78');
  });

  it('adult version 2 hashes as released', () => {
    assert.equal(hashOf(V2), '267f9ca241525e2beea328bc5a7beaa685604d552d73cc12a5d5aaf6df6b4a6a');
  });

  it('the paediatric version 1 file is unchanged', () => {
    assert.equal(hashOf(PAED_V1), '3388a826dcf3f5a30617b421e863b930491587f86de8e397f62fdcceb72eee0f');
  });

  it('adult version 2 is the same protocol, numbered 2, asking the same questions', () => {
    assert.equal(V2.code, V1.code);
    assert.equal(V2.version, 2);
    assert.deepEqual(
      V2.criteria.map((c) => [c.id, c.role]),
      V1.criteria.map((c) => [c.id, c.role]),
    );
    assert.deepEqual(
      questionsOf(V2).map((q) => q.id),
      questionsOf(V1).map((q) => q.id),
    );
  });
});

describe('adult protocol version 2: the treatments tried', () => {
  const criterion = V2.criteria.find((c) => c.id === 'less-invasive-tried');

  it('names the list as this service’s own (LOCAL), not the Leeds page', () => {
    assert.ok(criterion);
    assert.equal(criterion.source, "This service's list of less invasive treatments (LOCAL)");
    assert.doesNotMatch(criterion.source, /Leeds|LTH-SEED/);
    // The other Leeds criteria still cite the page.
    assert.match(V2.criteria.find((c) => c.id === 'harm')?.source ?? '', /\[LTH-SEED\]/);
  });

  it('counts only the drug and injection treatments; physiotherapy and orthotics are asked but do not count', () => {
    assert.ok(criterion);
    assert.deepEqual(
      criterion.questions.filter((q) => q.id.startsWith('tried-') && q.decides).map((q) => q.id),
      DRUGS.map((d) => `tried-${d}`),
    );
    for (const t of OTHERS) {
      const q: Question | undefined = criterion.questions.find((x) => x.id === `tried-${t}`);
      assert.equal(q?.decides, false);
      assert.match(q.hint ?? '', /does not count on its own/);
    }
  });

  const cases: [string, Record<string, Answer>, SuggestionOutcome, string[]][] = [
    ['nothing tried', {}, 'not-yet-suitable', ['indication-not-met:less-invasive-tried']],
    [
      'an orthotic alone tried',
      { 'tried-orthotics': a('tried') },
      'not-yet-suitable',
      ['indication-not-met:less-invasive-tried'],
    ],
    [
      'an orthotic alone not tolerated',
      { 'tried-orthotics': a('not-tolerated') },
      'not-yet-suitable',
      ['indication-not-met:less-invasive-tried'],
    ],
    [
      'physiotherapy and orthotics alone',
      { 'tried-physiotherapy': a('tried'), 'tried-orthotics': a('tried') },
      'not-yet-suitable',
      ['indication-not-met:less-invasive-tried'],
    ],
    ['oral baclofen not tolerated', { 'tried-oral-baclofen': a('not-tolerated') }, 'suitable', []],
    [
      'oral baclofen tried to the maximum dose',
      { 'tried-oral-baclofen': a('tried'), 'max-dose-oral-baclofen': a('yes') },
      'suitable',
      [],
    ],
    [
      'botulinum toxin tried, with orthotics',
      {
        'tried-botulinum-toxin': a('tried'),
        'max-dose-botulinum-toxin': a('no'),
        'tried-orthotics': a('tried'),
      },
      'suitable',
      [],
    ],
    [
      'tizanidine not tolerated, physiotherapy not answered',
      { 'tried-tizanidine': a('not-tolerated'), 'tried-physiotherapy': a('') },
      'incomplete',
      ['missing:less-invasive-tried:tried-physiotherapy'],
    ],
  ];
  for (const [name, answers, outcome, reasons] of cases) {
    it(`${name} → ${outcome}`, () => {
      const given = Object.fromEntries(
        Object.entries({ ...nothingTried(V2), ...answers }).filter(([, x]) => x.value !== ''),
      );
      const s = suggest(V2, given);
      assert.deepEqual(
        [s.outcome, s.reasons.map((r) => [r.kind, r.criterionId, r.questionId].filter(Boolean).join(':'))],
        [outcome, reasons],
      );
    });
  }

  it('version 1 is read as it always was: an orthotic alone still meets its criterion', () => {
    const s = suggest(V1, { ...nothingTried(V1), 'tried-orthotics': a('tried') });
    assert.equal(s.outcome, 'suitable');
  });

  it('property: without a drug or injection tried or not tolerated, the criterion is never met', () => {
    const other = fc.constantFrom('tried', 'not-tolerated', 'not-tried');
    fc.assert(
      fc.property(other, other, (physiotherapy, orthotics) => {
        assert.ok(criterion);
        const answers = {
          ...nothingTried(V2),
          'tried-physiotherapy': a(physiotherapy),
          'tried-orthotics': a(orthotics),
        };
        assert.equal(evaluateCriterion(criterion, answers).state, 'not-met');
      }),
    );
  });

  it('property: any one drug or injection tried or not tolerated meets it, whatever else', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DRUGS),
        fc.constantFrom('tried', 'not-tolerated'),
        fc.constantFrom('tried', 'not-tolerated', 'not-tried'),
        (drug, answer, orthotics) => {
          assert.ok(criterion);
          const answers = {
            ...nothingTried(V2),
            [`tried-${drug}`]: a(answer),
            [`max-dose-${drug}`]: a('unknown'),
            'tried-orthotics': a(orthotics),
          };
          assert.equal(evaluateCriterion(criterion, answers).state, 'met');
        },
      ),
    );
  });
});

describe('adult protocol version 2: the spinal item', () => {
  it('keeps "that may make surgery difficult" in the label and the question', () => {
    const spinal = V2.criteria.find((c) => c.id === 'spinal');
    assert.equal(
      spinal?.label,
      'Spinal abnormality or previous spinal surgery that may make surgery difficult',
    );
    assert.equal(
      spinal.questions[0]?.text,
      'Is there a spinal abnormality or previous spinal surgery that may make surgery difficult?',
    );
    assert.equal(spinal.role, 'relative');
  });
});

describe('paediatric protocol version 2: hypersensitivity to baclofen', () => {
  const answersWith = (hypersensitivity: string) => ({
    ...Object.fromEntries(questionsOf(PAED_V2).map((q) => [q.id, a('no')])),
    'posture-function': a('yes'),
    'baclofen-hypersensitivity': a(hypersensitivity),
  });

  it('adds the absolute contraindication, citing its sources, and changes nothing else', () => {
    const c = PAED_V2.criteria.find((x) => x.id === 'baclofen-hypersensitivity');
    assert.equal(c?.role, 'absolute');
    assert.equal(c.label, 'Hypersensitivity to baclofen');
    assert.match(c.source, /\[LIO-HCP\]/);
    assert.match(c.source, /\[SAULINO-SEL\]/);
    assert.match(
      c.questions[0]?.hint ?? '',
      /adverse effect of oral baclofen is often recorded as an allergy/,
    );
    assert.equal(PAED_V2.code, PAED_V1.code);
    assert.equal(PAED_V2.version, 2);
    assert.deepEqual(
      PAED_V2.criteria.filter((x) => x.id !== 'baclofen-hypersensitivity'),
      PAED_V1.criteria,
    );
  });

  const cases: [string, SuggestionOutcome, string[]][] = [
    ['yes', 'contraindicated', ['absolute-present:baclofen-hypersensitivity']],
    ['unknown', 'incomplete', ['unknown:baclofen-hypersensitivity:baclofen-hypersensitivity']],
    ['no', 'suitable', []],
  ];
  for (const [answer, outcome, reasons] of cases) {
    it(`hypersensitivity "${answer}" → ${outcome}`, () => {
      const s = suggest(PAED_V2, answersWith(answer));
      assert.deepEqual(
        [s.outcome, s.reasons.map((r) => [r.kind, r.criterionId, r.questionId].filter(Boolean).join(':'))],
        [outcome, reasons],
      );
    });
  }

  it('property: hypersensitivity present always gives contraindicated, whatever else', () => {
    const questions = questionsOf(PAED_V2).filter((q) => q.id !== 'baclofen-hypersensitivity');
    fc.assert(
      fc.property(
        fc.array(
          fc
            .constantFrom(...questions)
            .chain((q) => fc.constantFrom(...q.options.map((o) => [q.id, a(o.code)] as const))),
        ),
        (pairs) => {
          const s = suggest(PAED_V2, { ...Object.fromEntries(pairs), 'baclofen-hypersensitivity': a('yes') });
          assert.equal(s.outcome, 'contraindicated');
          assert.ok(s.reasons.some((r) => r.criterionId === 'baclofen-hypersensitivity'));
        },
      ),
    );
  });
});
