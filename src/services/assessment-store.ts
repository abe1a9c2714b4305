import type { AppConfig } from '../config.ts';
import type { Db, Trx } from '../storage/database.ts';
import {
  findProtocolById,
  findProtocolsByIds,
  type Assessment,
  type SelectionDecisionRecord,
  type StoredProtocol,
} from '../storage/selection.repository.ts';
import { displayNames } from '../storage/users.repository.ts';
import { AppError } from './app-error.ts';
import type { Clock } from './clock.ts';

/**
 * What the assessment services share: their dependencies, the errors they raise, and loading an
 * assessment's protocol and the names of those who decided.
 */

export interface AssessmentDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: Pick<AppConfig, 'timeZone'>;
}

export function notFound(): AppError {
  return new AppError('NOT_FOUND', 'Assessment not found');
}

export async function protocolOf(db: Db | Trx, a: Assessment): Promise<StoredProtocol> {
  const p = await findProtocolById(db, a.protocolId);
  if (!p) {
    throw new Error(`assessment ${a.id}: its protocol ${a.protocolId} is missing`);
  }
  return p;
}

/** The protocol of each assessment, loaded in one query; a missing one is a broken database. */
export async function protocolsOf(
  db: Db,
  assessments: readonly Assessment[],
): Promise<(a: Assessment) => StoredProtocol> {
  const protocols = await findProtocolsByIds(
    db,
    assessments.map((a) => a.protocolId),
  );
  return (a) => {
    const p = protocols.get(a.protocolId);
    if (!p) {
      throw new Error(`assessment ${a.id}: its protocol ${a.protocolId} is missing`);
    }
    return p;
  };
}

export function staleEdit(): AppError {
  return new AppError(
    'STALE_EDIT',
    'Someone else saved this assessment after you opened it. Nothing was saved: reload it and try again.',
  );
}

export interface DecisionView extends SelectionDecisionRecord {
  readonly decidedByName: string;
}

export async function withNames(
  db: Db,
  decisions: readonly SelectionDecisionRecord[],
): Promise<DecisionView[]> {
  const names = await displayNames(
    db,
    decisions.map((d) => d.decidedBy),
  );
  return decisions.map((d) => ({ ...d, decidedByName: names.get(d.decidedBy) ?? 'Unknown' }));
}
