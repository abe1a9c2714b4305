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

function fromRow(r: IntakeItemsTable): IntakeItem {
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

function toRow(i: IntakeItem): IntakeItemsTable {
  return {
    id: i.id,
    dedupe_key: i.dedupeKey,
    message_id: i.messageId,
    origin: i.origin,
    from_address: i.fromAddress,
    from_name: i.fromName,
    subject: i.subject,
    sent_at: i.sentAt,
    received_at: i.receivedAt,
    body_text: i.bodyText,
    nhs_numbers: JSON.stringify(i.nhsNumbers),
    parse_state: i.parseState,
    parse_problem: i.parseProblem,
    state: i.state,
    referral_id: i.referralId,
    closed_reason: i.closedReason,
    closed_by: i.closedBy,
    closed_at: i.closedAt,
    version: i.version,
  };
}

export async function insertIntakeItem(db: DbOrTrx, item: IntakeItem): Promise<void> {
  await db.insertInto('intake_items').values(toRow(item)).execute();
}

export async function findIntakeItemById(db: DbOrTrx, id: string): Promise<IntakeItem | undefined> {
  const row = await db.selectFrom('intake_items').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function findIntakeItemByKey(db: DbOrTrx, key: string): Promise<IntakeItem | undefined> {
  const row = await db
    .selectFrom('intake_items')
    .selectAll()
    .where('dedupe_key', '=', key)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function listIntakeItems(db: DbOrTrx, state: IntakeState, limit = 200): Promise<IntakeItem[]> {
  const rows = await db
    .selectFrom('intake_items')
    .selectAll()
    .where('state', '=', state)
    .orderBy('received_at', state === 'new' ? 'asc' : 'desc')
    .limit(limit)
    .execute();
  return rows.map(fromRow);
}

export async function countIntakeItems(db: DbOrTrx, state: IntakeState): Promise<number> {
  const row = await db
    .selectFrom('intake_items')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('state', '=', state)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How a new item is dealt with: made into a referral, or closed as not one with the reason. */
export type IntakeClosing = Pick<IntakeItem, 'referralId' | 'closedReason' | 'closedBy' | 'closedAt'> & {
  readonly state: Exclude<IntakeState, 'new'>;
};

/** Closes a new item (converted to a referral, or not a referral) if nobody else did first. */
export async function closeIntakeItemIfNew(
  db: DbOrTrx,
  id: string,
  expectedVersion: number,
  closing: IntakeClosing,
): Promise<boolean> {
  const result = await db
    .updateTable('intake_items')
    .set({
      state: closing.state,
      referral_id: closing.referralId,
      closed_reason: closing.closedReason,
      closed_by: closing.closedBy,
      closed_at: closing.closedAt,
      version: expectedVersion + 1,
    })
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
