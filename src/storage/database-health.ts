import { accessSync, constants, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import type { DatabaseHandle } from './create-database.ts';
import { classifyDatabaseError } from './database-errors.ts';

export type DatabaseHealth =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'unreachable' | 'storage-full' | 'read-only';
      /** One line naming the real cause, for the log. */
      readonly cause: string;
    };

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

interface PageCounts {
  readonly page_size: number;
  readonly page_count: number;
  readonly max_page_count: number;
  readonly freelist_count: number;
}

/**
 * Room left for the SQLite file to grow: free pages inside it, plus what the file system and
 * SQLite's page limit (pragma max_page_count) still allow it to add. Reads keep working on a full
 * disk, but every record view is audited, so a full disk stops the service all the same.
 */
async function sqliteRoomBytes(handle: DatabaseHandle, path: string): Promise<number> {
  const pages = await sql<PageCounts>`select
      (select page_size from pragma_page_size()) as page_size,
      (select page_count from pragma_page_count()) as page_count,
      (select max_page_count from pragma_max_page_count()) as max_page_count,
      (select freelist_count from pragma_freelist_count()) as freelist_count`.execute(handle.db);
  const p = pages.rows[0];
  if (!p) {
    return Number.POSITIVE_INFINITY;
  }
  const insideFile = p.freelist_count * p.page_size;
  const underLimit = Math.max(0, p.max_page_count - p.page_count) * p.page_size;
  const fs = statfsSync(dirname(path));
  const onDisk = fs.bavail * fs.bsize;
  return insideFile + Math.min(underLimit, onDisk);
}

/**
 * Whether the database can serve requests: it answers a query, and an SQLite file can still be
 * written (it is writable and has at least DATABASE_MIN_FREE_MB to grow into).
 */
export async function checkDatabaseHealth(
  handle: DatabaseHandle,
  minFreeBytes: number,
): Promise<DatabaseHealth> {
  try {
    await sql`select 1`.execute(handle.db);
    const path = handle.sqlitePath;
    if (path === null || path === ':memory:') {
      return { ok: true };
    }
    try {
      accessSync(path, constants.W_OK);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      return { ok: false, reason: 'read-only', cause: `${path} is not writable (${String(code)})` };
    }
    const room = await sqliteRoomBytes(handle, path);
    if (room < minFreeBytes) {
      return {
        ok: false,
        reason: 'storage-full',
        cause: `${path} has ${mb(room)} left to grow into, under the ${mb(minFreeBytes)} DATABASE_MIN_FREE_MB asks for`,
      };
    }
    return { ok: true };
  } catch (err) {
    const failure = classifyDatabaseError(err);
    const cause = failure?.cause ?? (err instanceof Error ? err.message : String(err));
    const reason =
      failure?.kind === 'storage-full' || failure?.kind === 'read-only' ? failure.kind : 'unreachable';
    return { ok: false, reason, cause };
  }
}
