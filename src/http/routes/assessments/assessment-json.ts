import type { z } from 'zod';
import type { AssessmentDetail } from '../../../services/assessment-view-service.ts';
import type { ProtocolVersion } from '../../../services/protocol-list-service.ts';
import type { assessmentSchema, protocolSummarySchema } from './assessment-schemas.ts';

/** A protocol version and an assessment as the API returns them (assessment-schemas.ts). */

export function protocolToApi(p: ProtocolVersion): z.infer<typeof protocolSummarySchema> {
  return {
    id: p.id,
    code: p.code,
    version: p.version,
    title: p.title,
    population: p.population,
    createdAt: p.createdAt,
    builtIn: p.createdBy === null,
    latest: p.latest,
  };
}

export function assessmentToApi(d: AssessmentDetail): z.infer<typeof assessmentSchema> {
  const a = d.assessment;
  return {
    id: a.id,
    patientId: a.patientId,
    referralId: a.referralId,
    protocol: {
      id: d.protocol.id,
      code: d.protocol.code,
      version: d.protocol.version,
      title: d.protocol.title,
    },
    newerProtocolVersion: d.newerVersion?.version ?? null,
    state: a.state,
    answers: Object.fromEntries(
      Object.entries(a.answers).map(([k, v]) => [
        k,
        { value: typeof v.value === 'string' ? v.value : [...v.value], note: v.note },
      ]),
    ),
    suggestion: { ...d.suggestion, reasons: [...d.suggestion.reasons] },
    decisions: d.decisions.map((x) => ({
      id: x.id,
      kind: x.kind,
      decision: x.decision,
      suggestion: { ...x.suggestion, reasons: [...x.suggestion.reasons] },
      agrees: x.agrees,
      reason: x.reason,
      note: x.note,
      meetingOn: x.meetingOn,
      attendees: x.attendees,
      decidedAt: x.decidedAt,
      decidedBy: x.decidedBy,
      decidedByName: x.decidedByName,
    })),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    version: a.version,
  };
}
