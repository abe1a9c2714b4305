import { lastBolusDoseMcg, recordBolus, recordObservation } from '../test-dose-bolus-service.ts';
import { viewStartOptions } from '../test-dose-gate-service.ts';
import { confirmResult } from '../test-dose-result-service.ts';
import {
  patientOverrides,
  recordOverride,
  viewOverride,
  withdrawOverride,
} from '../test-dose-override-service.ts';
import {
  abandonEpisode,
  createEpisode,
  openEpisodeIdFor,
  patientTestDoses,
  updatePreChecks,
  viewEpisode,
} from '../test-dose-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/**
 * Test doses: episodes and their pre-checks, the bedside steps (boluses, observations, results),
 * the selection gate the start page reads, and the consultant's overrides of it.
 */
export function testDoseServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    start: createEpisode,
    updatePreChecks,
    abandon: abandonEpisode,
    view: viewEpisode,
    forPatient: patientTestDoses,
    openEpisodeId: openEpisodeIdFor,
    recordBolus,
    lastBolusDoseMcg,
    recordObservation,
    confirmResult,
    startOptions: viewStartOptions,
    recordOverride,
    withdrawOverride,
    viewOverride,
    overrides: patientOverrides,
  });
}
