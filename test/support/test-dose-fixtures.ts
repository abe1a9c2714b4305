import type { PlainDate } from '../../src/domain/calendar-date.ts';
import type { Decision, MdtDecision } from '../../src/domain/selection-decision.ts';
import type { Criterion, Question } from '../../src/domain/selection-protocol.ts';
import { saveAnswers, startAssessment } from '../../src/services/assessment-service.ts';
import { decideAssessment, recordMdtOutcome } from '../../src/services/assessment-decision-service.ts';
import type { Actor } from '../../src/services/audit-service.ts';
import type { Clock } from '../../src/services/clock.ts';
import { ensureBuiltInProtocols } from '../../src/services/protocol-service.ts';
import type { Db } from '../../src/storage/database.ts';
import { findLatestProtocol } from '../../src/storage/selection.repository.ts';

/**
 * Selection assessments for test-dose tests, made through the assessment services on the
 * built-in adult protocol as stored (whatever its latest version), so the test-dose gate reads
 * real decisions, answers and protocols. Every deciding question is answered favourably
 * (indications met, no contraindication), unless `allergy` makes the allergy criterion present.
 */
export interface AssessmentFixture {
  readonly decision: Decision;
  /** The MDT outcome recorded after "discuss at MDT". */
  readonly mdt?: MdtDecision;
  /** Answer the absolute allergy criterion (oral baclofen or an ITB test dose) yes. */
  readonly allergy?: boolean;
}

const PROTOCOL = 'adult-itb';

function favourable(criterion: Criterion, q: Question, allergy: boolean): string | undefined {
  const yes = criterion.role === 'indication' || (allergy && /allerg/.test(criterion.id));
  return q.options.find((o) => o.meaning === (yes ? 'yes' : 'no'))?.code;
}

export async function decidedAssessment(
  deps: { readonly db: Db; readonly clock: Clock; readonly timeZone?: string },
  consultant: Actor,
  patientId: string,
  fixture: AssessmentFixture,
): Promise<string> {
  const svc = { db: deps.db, clock: deps.clock, config: { timeZone: deps.timeZone ?? 'Europe/London' } };
  await ensureBuiltInProtocols(deps.db, deps.clock);
  const protocol = await findLatestProtocol(deps.db, PROTOCOL);
  if (!protocol) {
    throw new Error('the built-in adult protocol is not stored');
  }
  const answers: Record<string, { value: string }> = {};
  for (const c of protocol.definition.criteria) {
    for (const q of c.questions) {
      const code =
        q.decides && q.enableWhen.length === 0 ? favourable(c, q, fixture.allergy === true) : undefined;
      if (code !== undefined) {
        answers[q.id] = { value: code };
      }
    }
  }
  const started = await startAssessment(svc, consultant, {
    patientId,
    protocolCode: PROTOCOL,
    referralId: null,
  });
  const saved = await saveAnswers(svc, consultant, started.id, {
    version: started.version,
    protocolVersion: protocol.version,
    answers,
  });
  const reason = 'Decided as this test needs';
  const decided = await decideAssessment(svc, consultant, started.id, saved.assessment.version, {
    decision: fixture.decision,
    reason,
  });
  if (fixture.mdt !== undefined) {
    const today = deps.clock.now().toISOString().slice(0, 10) as PlainDate;
    await recordMdtOutcome(svc, consultant, started.id, decided.version, {
      decision: fixture.mdt,
      meetingOn: today,
      note: 'Discussed at the MDT',
      reason,
    });
  }
  return started.id;
}
