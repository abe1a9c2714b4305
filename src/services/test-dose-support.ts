import type { PumpRules } from '../domain/pump-rules.ts';
import type { Trx, Db } from '../storage/database.ts';
import { listBolusesForEpisode, type TestDoseBolus } from '../storage/test-dose-boluses.repository.ts';
import {
  findEpisodeById,
  updateOpenEpisodeIfVersion,
  type EpisodeChanges,
  type TestDoseEpisode,
} from '../storage/test-doses.repository.ts';
import { AppError, refused } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';

/**
 * What the test-dose services share (test-dose-service.ts, test-dose-bolus-service.ts,
 * test-dose-result-service.ts, test-dose-override-service.ts): their dependencies, loading an
 * episode and its boluses, saving an episode at its version, and its audit rows. The episode as
 * the pages and the API read it is made in test-dose-detail.ts.
 */
export interface TestDoseServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: { readonly timeZone: string; readonly pumpRules: PumpRules };
}

export const PRESCRIBERS_ONLY =
  'Only clinicians who prescribe doses (consultants, nurse specialists) can do this';

export async function loadEpisode(trx: Trx, episodeId: string): Promise<TestDoseEpisode> {
  const episode = await findEpisodeById(trx, episodeId);
  if (!episode) {
    throw new AppError('NOT_FOUND', 'Test dose not found');
  }
  return episode;
}

export async function loadOpenEpisode(trx: Trx, episodeId: string): Promise<TestDoseEpisode> {
  const episode = await loadEpisode(trx, episodeId);
  if (episode.state !== 'open') {
    throw refused('EPISODE_CLOSED', 'This test dose is closed and can no longer be changed', {
      details: { state: episode.state },
    });
  }
  return episode;
}

/** Moves the episode's version on with the change; refuses when someone changed it first. */
export async function saveEpisode(
  trx: Trx,
  deps: TestDoseServiceDeps,
  actor: Actor,
  episode: TestDoseEpisode,
  changes: Omit<EpisodeChanges, 'updatedAt' | 'updatedBy'>,
): Promise<void> {
  const ok = await updateOpenEpisodeIfVersion(trx, episode.id, episode.version, {
    ...changes,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: actor.userId,
  });
  if (!ok) {
    throw staleEpisode();
  }
}

export function staleEpisode(): AppError {
  return new AppError(
    'STALE_EDIT',
    'Someone else changed this test dose while you were working on it; nothing was saved. Reload it and try again.',
  );
}

/** A bolus of this episode; NOT_FOUND when it is not one of its boluses. */
export async function loadBolus(trx: Trx, episode: TestDoseEpisode, bolusId: string): Promise<TestDoseBolus> {
  const bolus = (await listBolusesForEpisode(trx, episode.id)).find((b) => b.id === bolusId);
  if (!bolus) {
    throw new AppError('NOT_FOUND', 'Bolus not found in this test dose');
  }
  return bolus;
}

export async function audit(
  trx: Trx,
  deps: TestDoseServiceDeps,
  actor: Actor,
  action: 'testdose.create' | 'testdose.update' | 'testdose.view',
  episode: { readonly id: string; readonly patientId: string },
  details: Readonly<Record<string, unknown>>,
): Promise<void> {
  await appendAudit(
    trx,
    deps.clock,
    actorEvent(actor, {
      action,
      outcome: 'success',
      entityType: 'test-dose-episode',
      entityId: episode.id,
      patientId: episode.patientId,
      details,
    }),
  );
}
