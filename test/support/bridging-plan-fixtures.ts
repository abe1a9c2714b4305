import type { Actor } from '../../src/services/audit-service.ts';
import { recordBridgingPlan } from '../../src/services/bridging-plan-service.ts';
import type { ComplicationServiceDeps } from '../../src/services/complication-service.ts';

/** A complete explant bridging plan (oral cover), as the form or the API sends it. */
export const EXPLANT_PLAN = {
  purpose: 'explant',
  kind: 'oral-cover',
  drug: 'Oral baclofen',
  dose: '20 mg',
  frequency: 'Three times a day',
  startOn: '2026-11-20',
  reviewOn: '2026-11-27',
  responsible: 'Dr C Consultant',
  details: null,
} as const;

/**
 * Records the explant bridging plan that confirming an explant needs (H-140), for tests whose
 * subject is the end itself.
 */
export async function withExplantPlan(
  deps: ComplicationServiceDeps,
  actor: Actor,
  pumpId: string,
): Promise<void> {
  await recordBridgingPlan(deps, actor, pumpId, EXPLANT_PLAN);
}
