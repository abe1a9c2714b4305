import type { DbOrTrx, IntakeItemsTable } from './database.ts';

export type IntakeState = 'new' | 'converted' | 'closed';

export interface IntakeItem {
  readonly id: string;
  readonly dedupeKey: string;
  readonly messageId: string | null;
  readonly origin: 'imap' | 'upload';
  readonly fromAddress: string | null;
  readonly fromName: string | null;
  readonly subject: string | null;
  readonly sentAt: string | null;
  readonly receivedAt: string;
  readonly bodyText: string | null;
  readonly nhsNumbers: readonly string[];
  readonly parseState: 'parsed' | 'unparseable';
  readonly parseProblem: string | null;
  readonly state: IntakeState;
  readonly referralId: string | null;
  readonly closedReason: string | null;
  readonly closedBy: string | null;
  readonly closedAt: string | null;
  readonly version: number;
}

function rowToItem(r: IntakeItemsTable): IntakeItem {
  return {
    id: r.id,
    dedupeKey: r.dedupe_key,
    messageId: r.message_id,
    origin: r.origin as IntakeItem['origin'],
    fromAddress: r.from_address,
    fromName: r.from_name,
    subject: r.subject,
    sentAt: r.sent_at,
    receivedAt: r.received_at,
    bodyText: r.body_text,
    nhsNumbers: JSON.parse(r.nhs_numbers) as string[],
    parseState: r.parse_state as IntakeItem['parseState'],
    parseProblem: r.parse_problem,
    state: r.state as IntakeState,
    referralId: r.referral_id,
    closedReason: r.closed_reason,
    closedBy: r.closed_by,
    closedAt: r.closed_at,
    version: r.version,
  };
}

export async function insertIntakeItem(db: DbOrTrx, row: IntakeItemsTable): Promise<void> {
  await db.insertInto('intake_items').values(row).execute();
}

export async function findIntakeItemById(db: DbOrTrx, id: string): Promise<IntakeItem | undefined> {
  const row = await db.selectFrom('intake_items').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToItem(row) : undefined;
}

export async function findIntakeItemByKey(db: DbOrTrx, key: string): Promise<IntakeItem | undefined> {
  const row = await db
    .selectFrom('intake_items')
    .selectAll()
    .where('dedupe_key', '=', key)
    .executeTakeFirst();
  return row ? rowToItem(row) : undefined;
}

export async function listIntakeItems(db: DbOrTrx, state: IntakeState, limit = 200): Promise<IntakeItem[]> {
  const rows = await db
    .selectFrom('intake_items')
    .selectAll()
    .where('state', '=', state)
    .orderBy('received_at', state === 'new' ? 'asc' : 'desc')
    .limit(limit)
    .execute();
  return rows.map(rowToItem);
}

export async function countIntakeItems(db: DbOrTrx, state: IntakeState): Promise<number> {
  const row = await db
    .selectFrom('intake_items')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('state', '=', state)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Closes a new item (converted to a referral, or not a referral) if nobody else did first. */
export async function closeIntakeItemIfNew(
  db: DbOrTrx,
  id: string,
  expectedVersion: number,
  set: Pick<IntakeItemsTable, 'state' | 'referral_id' | 'closed_reason' | 'closed_by' | 'closed_at'>,
): Promise<boolean> {
  const result = await db
    .updateTable('intake_items')
    .set({ ...set, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('state', '=', 'new')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function readMailboxCursor(
  db: DbOrTrx,
  key: string,
): Promise<{ uidValidity: string; lastUid: number } | null> {
  const row = await db
    .selectFrom('mailbox_cursors')
    .selectAll()
    .where('mailbox_key', '=', key)
    .executeTakeFirst();
  return row ? { uidValidity: row.uid_validity, lastUid: row.last_uid } : null;
}

export async function saveMailboxCursor(
  db: DbOrTrx,
  key: string,
  cursor: { uidValidity: string; lastUid: number },
  at: string,
): Promise<void> {
  await db
    .insertInto('mailbox_cursors')
    .values({ mailbox_key: key, uid_validity: cursor.uidValidity, last_uid: cursor.lastUid, updated_at: at })
    .onConflict((oc) =>
      oc
        .column('mailbox_key')
        .doUpdateSet({ uid_validity: cursor.uidValidity, last_uid: cursor.lastUid, updated_at: at }),
    )
    .execute();
}
