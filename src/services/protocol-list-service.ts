import type { Db } from '../storage/database.ts';
import {
  findLatestProtocol,
  findProtocolById,
  listProtocols,
  type StoredProtocol,
} from '../storage/selection.repository.ts';
import { AppError } from './app-error.ts';

/** Reading the stored selection protocols: every version, one version, the latest of each. */

/** A stored version, and whether it is the latest of its protocol (the one new assessments use). */
export interface ProtocolVersion extends StoredProtocol {
  readonly latest: boolean;
}

/** The latest version of every protocol, by title, for choosing one to start an assessment with. */
export function latestVersions(all: readonly StoredProtocol[]): StoredProtocol[] {
  const latest = new Map<string, StoredProtocol>();
  for (const p of all) {
    const seen = latest.get(p.code);
    if (!seen || seen.version < p.version) {
      latest.set(p.code, p);
    }
  }
  return [...latest.values()].sort((a, b) => a.title.localeCompare(b.title));
}

/** Every stored version, newest first within each protocol, each saying whether it is the latest. */
export async function listProtocolVersions(deps: { readonly db: Db }): Promise<ProtocolVersion[]> {
  const all = await listProtocols(deps.db);
  const latest = new Set(latestVersions(all).map((p) => p.id));
  return all.map((p) => ({ ...p, latest: latest.has(p.id) }));
}

/** One stored version with its definition; NOT_FOUND when there is none with this id. */
export async function viewProtocol(deps: { readonly db: Db }, id: string): Promise<ProtocolVersion> {
  const p = await findProtocolById(deps.db, id);
  if (!p) {
    throw new AppError('NOT_FOUND', 'Protocol not found');
  }
  return { ...p, latest: (await findLatestProtocol(deps.db, p.code))?.id === p.id };
}
