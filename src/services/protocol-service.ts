import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../domain/audit-event.ts';
import { ADULT_LEEDS_V1 } from '../domain/protocols/adult-leeds-v1.ts';
import { ADULT_LEEDS_V2 } from '../domain/protocols/adult-leeds-v2.ts';
import { roleHasPermission, type Role } from '../domain/roles.ts';
import { validateProtocolDefinition, type ProtocolDefinition } from '../domain/selection-protocol.ts';
import type { Db } from '../storage/database.ts';
import {
  findLatestProtocol,
  findProtocolVersion,
  insertProtocol,
  type StoredProtocol,
} from '../storage/selection.repository.ts';
import { AppError, refused, validationError } from './app-error.ts';
import { isUniqueViolation } from '../storage/database-errors.ts';
import { findUserByUsername } from '../storage/users.repository.ts';
import { actorEvent, actorOf, appendAudit, type Actor } from './audit-service.ts';
import type { Clock } from './clock.ts';
import { sha256Hex } from './secrets.ts';

/**
 * The protocols the service ships with; each is stored once, as it is here, oldest version
 * first. Version 1 stays so that assessments started on it keep it; new ones use the latest.
 */
export const BUILT_IN_PROTOCOLS: readonly unknown[] = [ADULT_LEEDS_V1, ADULT_LEEDS_V2];

function checked(raw: unknown): ProtocolDefinition {
  const v = validateProtocolDefinition(raw);
  if (!v.ok) {
    throw validationError(v.errors);
  }
  return v.value;
}

/** The stored text and its hash: canonical JSON, so the same protocol always hashes the same. */
function canonical(definition: ProtocolDefinition): { json: string; hash: string } {
  const json = canonicalJson(definition);
  return { json, hash: sha256Hex(json) };
}

/** A protocol version as it is stored: built in when it has no creator. */
function storedVersion(
  id: string,
  definition: ProtocolDefinition,
  hash: string,
  clock: Clock,
  createdBy: string | null,
): StoredProtocol {
  return {
    id,
    code: definition.code,
    version: definition.version,
    title: definition.title,
    population: definition.population,
    definition,
    definitionHash: hash,
    createdAt: clock.now().toISOString(),
    createdBy,
  };
}

function changedVersion(existing: StoredProtocol): AppError {
  return refused(
    'PROTOCOL_VERSION_CHANGED',
    `${existing.title} version ${String(existing.version)} is already stored with different content. A stored version never changes: give the changed protocol version ${String(existing.version + 1)}`,
    { fieldErrors: [{ field: 'version', message: 'This version is already stored with different content' }] },
  );
}

/**
 * Stores each built-in protocol the database lacks, at start-up. Reference data shipped with
 * the code rather than a person's action, so it is not audited; its row says it is built in
 * (no creator). If a built-in version in the code no longer matches the stored copy, start-up
 * fails: somebody edited a released protocol instead of adding a version (hazard H-015).
 */
export async function ensureBuiltInProtocols(db: Db, clock: Clock): Promise<void> {
  for (const raw of BUILT_IN_PROTOCOLS) {
    const definition = checked(raw);
    const { json, hash } = canonical(definition);
    const existing = await findProtocolVersion(db, definition.code, definition.version);
    if (existing) {
      if (existing.definitionHash !== hash) {
        throw changedVersion(existing);
      }
      continue;
    }
    try {
      await insertProtocol(db, storedVersion(randomUUID(), definition, hash, clock, null), json);
    } catch (err) {
      // Another instance starting at the same moment stored it first.
      if (!isUniqueViolation(err)) {
        throw err;
      }
    }
  }
}

/**
 * Adds a protocol, or a new version of one. Importing the same version again with the same
 * content changes nothing; with different content it is refused, and a version must be newer
 * than every stored one, so "latest" always means the one added last.
 */
export async function importProtocol(
  deps: { readonly db: Db; readonly clock: Clock },
  actor: Actor,
  raw: unknown,
): Promise<{ readonly protocol: StoredProtocol; readonly created: boolean }> {
  // Checked here as well as on the route, so the CLI cannot bypass it.
  if (!roleHasPermission(actor.role as Role, 'protocol:manage')) {
    throw new AppError('FORBIDDEN', 'Only consultants can add selection protocols');
  }
  const definition = checked(raw);
  const { json, hash } = canonical(definition);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const same = await findProtocolVersion(trx, definition.code, definition.version);
      if (same) {
        if (same.definitionHash !== hash) {
          throw changedVersion(same);
        }
        return { protocol: same, created: false };
      }
      const latest = await findLatestProtocol(trx, definition.code);
      if (latest && latest.version > definition.version) {
        throw refused(
          'PROTOCOL_VERSION_NOT_NEWER',
          `${latest.title} is already at version ${String(latest.version)}: a new version must be numbered higher`,
          {
            fieldErrors: [
              { field: 'version', message: `Version must be higher than ${String(latest.version)}` },
            ],
          },
        );
      }
      const id = randomUUID();
      await insertProtocol(trx, storedVersion(id, definition, hash, deps.clock, actor.userId), json);
      await appendAudit(
        trx,
        deps.clock,
        actorEvent(actor, {
          action: 'protocol.create',
          outcome: 'success',
          entityType: 'selection-protocol',
          entityId: id,
          details: { code: definition.code, version: definition.version, hash },
        }),
      );
      const stored = await findProtocolVersion(trx, definition.code, definition.version);
      if (!stored) {
        throw new Error('protocol vanished after insert');
      }
      return { protocol: stored, created: true };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw refused(
        'PROTOCOL_VERSION_STORED_CONCURRENTLY',
        'Someone stored this protocol version at the same moment; try again',
      );
    }
    throw err;
  }
}

/**
 * `itb protocols import --as USERNAME`: the import as that account, so the audit trail names the
 * consultant who ran it; null when no account has that name.
 */
export async function importProtocolAs(
  deps: { readonly db: Db; readonly clock: Clock },
  username: string,
  raw: unknown,
): Promise<{ readonly protocol: StoredProtocol; readonly created: boolean } | null> {
  const user = await findUserByUsername(deps.db, username);
  return user ? importProtocol(deps, actorOf(user, 'cli'), raw) : null;
}
