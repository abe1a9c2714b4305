import type { Trx } from '../storage/database.ts';
import { insertSession, type SessionStage } from '../storage/sessions.repository.ts';
import type { Clock } from './clock.ts';
import { sha256Hex } from './secrets.ts';

/** Stores a new session under the hash of its token (the token itself is only in the cookie). */
export async function startSession(
  trx: Trx,
  clock: Clock,
  token: string,
  userId: string,
  stage: SessionStage,
  ip: string,
): Promise<void> {
  const at = clock.now().toISOString();
  await insertSession(trx, { idHash: sha256Hex(token), userId, stage, createdAt: at, lastSeenAt: at, ip });
}
