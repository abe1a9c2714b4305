import { readFile } from 'node:fs/promises';
import type { RouteDeps } from '../compose.ts';
import { ADULT_LEEDS_V2 } from '../domain/protocols/adult-leeds-v2.ts';
import { questionsOf, validateProtocolDefinition } from '../domain/selection-protocol.ts';
import type { Actor } from '../services/audit-service.ts';

type DemoAnswers = Record<string, { value: string | string[]; note?: string }>;

/** The adult protocol's latest version, which new assessments use. */
function adultProtocol() {
  const v = validateProtocolDefinition(ADULT_LEEDS_V2);
  if (!v.ok) {
    throw new Error('the built-in protocol is invalid');
  }
  return v.value;
}

/** Every question of the adult protocol answered favourably, then the case's own answers. */
function answers(overrides: DemoAnswers, leaveOut: readonly string[] = []): DemoAnswers {
  const out: DemoAnswers = {};
  for (const q of questionsOf(adultProtocol())) {
    if (q.enableWhen.length > 0 || leaveOut.includes(q.id)) {
      continue;
    }
    out[q.id] = { value: q.id === 'harm' ? 'yes' : q.id.startsWith('tried-') ? 'not-tried' : 'no' };
  }
  return {
    ...out,
    'harm-areas': { value: ['function', 'care'] },
    'tried-oral-baclofen': { value: 'tried' },
    'max-dose-oral-baclofen': { value: 'yes' },
    ...overrides,
  };
}

/**
 * Demo selection assessments in each state: in progress (incomplete), waiting for MDT (two
 * relative contraindications) and decided, on the adult protocol's latest version; plus the
 * paediatric protocol from docs/protocols, version 1 then version 2, as a service would have
 * imported them.
 */
export async function seedDemoAssessments(
  deps: RouteDeps,
  consultant: Actor,
  patientIds: readonly string[],
): Promise<void> {
  const svc = deps.services;
  for (const file of ['paediatric-itb-v1.json', 'paediatric-itb-v2.json']) {
    const paediatric: unknown = JSON.parse(
      await readFile(new URL(`../../docs/protocols/${file}`, import.meta.url), 'utf8'),
    );
    await svc.assessments.importProtocol(consultant, paediatric);
  }
  const cases: { answers: DemoAnswers; decision: Record<string, string> | null }[] = [
    { answers: answers({}, ['coagulation', 'malnutrition', 'tried-dantrolene']), decision: null },
    {
      answers: answers({
        epilepsy: { value: 'yes', note: 'Two seizures in the last month' },
        'pressure-ulcers': { value: 'yes', note: 'Sacral, grade 2, healing' },
      }),
      decision: { decision: 'discuss-at-mdt' },
    },
    {
      answers: answers({ 'tried-botulinum-toxin': { value: 'not-tolerated' } }),
      decision: { decision: 'proceed-to-test-dose' },
    },
    {
      answers: answers({ 'baclofen-allergy': { value: 'yes', note: 'Anaphylaxis to oral baclofen, 2019' } }),
      decision: { decision: 'not-suitable', note: 'Letter to the GP with other options' },
    },
  ];
  for (const [i, c] of cases.entries()) {
    const patientId = patientIds[i];
    if (patientId === undefined) {
      return;
    }
    const a = await svc.assessments.start(consultant, {
      patientId,
      protocolCode: 'adult-itb',
      referralId: null,
    });
    const saved = await svc.assessments.saveAnswers(consultant, a.id, {
      version: a.version,
      protocolVersion: adultProtocol().version,
      answers: c.answers,
    });
    if (c.decision) {
      await svc.assessments.decide(consultant, a.id, saved.assessment.version, c.decision);
    }
  }
}
