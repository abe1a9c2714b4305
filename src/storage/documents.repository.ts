import type { DbOrTrx, DocumentsTable } from './database.ts';

/** What a kept document is: a letter the service made, an attachment, or an original email. */
export const DOCUMENT_KINDS = [
  'letter-acknowledgement',
  'letter-advice',
  'letter-appointment',
  'letter-clinic',
  'attachment',
  'original-email',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface DocumentMeta {
  readonly id: string;
  readonly referralId: string | null;
  readonly intakeItemId: string | null;
  readonly kind: DocumentKind;
  readonly filename: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly createdAt: string;
  readonly createdBy: string | null;
}

export interface NewDocument {
  readonly id: string;
  readonly referralId: string | null;
  readonly intakeItemId: string | null;
  readonly kind: DocumentKind;
  readonly filename: string;
  readonly contentType: string;
  readonly sha256: string;
  readonly content: Buffer;
  readonly createdAt: string;
  readonly createdBy: string | null;
}

function toRow(d: NewDocument): DocumentsTable {
  return {
    id: d.id,
    referral_id: d.referralId,
    intake_item_id: d.intakeItemId,
    kind: d.kind,
    filename: d.filename,
    content_type: d.contentType,
    size_bytes: d.content.length,
    sha256: d.sha256,
    content: d.content,
    created_at: d.createdAt,
    created_by: d.createdBy,
  };
}

export async function insertDocument(db: DbOrTrx, d: NewDocument): Promise<void> {
  await db.insertInto('documents').values(toRow(d)).execute();
}

const META = [
  'id',
  'referral_id',
  'intake_item_id',
  'kind',
  'filename',
  'content_type',
  'size_bytes',
  'sha256',
  'created_at',
  'created_by',
] as const;

function fromRow(r: Omit<DocumentsTable, 'content'>): DocumentMeta {
  return {
    id: r.id,
    referralId: r.referral_id,
    intakeItemId: r.intake_item_id,
    kind: r.kind as DocumentKind,
    filename: r.filename,
    contentType: r.content_type,
    sizeBytes: r.size_bytes,
    sha256: r.sha256,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

export async function listDocuments(
  db: DbOrTrx,
  owner: { referralId: string } | { intakeItemId: string },
): Promise<DocumentMeta[]> {
  let q = db.selectFrom('documents').select(META);
  q =
    'referralId' in owner
      ? q.where('referral_id', '=', owner.referralId)
      : q.where('intake_item_id', '=', owner.intakeItemId);
  const rows = await q.orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
  return rows.map(fromRow);
}

export async function findDocument(
  db: DbOrTrx,
  id: string,
): Promise<(DocumentMeta & { readonly content: Buffer }) | undefined> {
  const row = await db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { ...fromRow(row), content: Buffer.from(row.content) } : undefined;
}

/** Attaches the documents of an intake item to the referral it became. */
export async function linkIntakeDocumentsToReferral(
  db: DbOrTrx,
  intakeItemId: string,
  referralId: string,
): Promise<void> {
  await db
    .updateTable('documents')
    .set({ referral_id: referralId })
    .where('intake_item_id', '=', intakeItemId)
    .execute();
}
