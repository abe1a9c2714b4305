import { createHash, randomUUID } from 'node:crypto';
import {
  findDocument,
  insertDocument,
  listDocuments,
  type DocumentMeta,
} from '../storage/documents.repository.ts';
import { findReferralById } from '../storage/referrals.repository.ts';
import { AppError, requireUpload, validationError } from './app-error.ts';
import { actorEvent, appendAudit, type Actor } from './audit-service.ts';
import type { ReferralServiceDeps } from './referral-service.ts';

/**
 * The documents kept with a referral: referral letters attached by staff, and downloads of any
 * document (letters made, email originals and attachments), each read audited.
 */

/** Only PDF letters are attached: they are what referrers send and what the record keeps. */
export function looksLikePdf(content: Buffer): boolean {
  return content.subarray(0, 5).toString('latin1') === '%PDF-';
}

/** Keeps a referral letter (PDF) with the referral. */
export async function attachLetter(
  deps: ReferralServiceDeps,
  actor: Actor,
  referralId: string,
  file: { readonly filename: string; readonly content: Buffer } | null,
): Promise<DocumentMeta> {
  const upload = requireUpload(file, deps.config.uploadMaxBytes, 'Select a PDF file to attach');
  if (!looksLikePdf(upload.content)) {
    throw validationError([{ field: 'file', message: 'The selected file must be a PDF' }]);
  }
  const filename = safeFilename(upload.filename, 'letter.pdf');
  return deps.db.transaction().execute(async (trx) => {
    const referral = await findReferralById(trx, referralId);
    if (!referral) {
      throw new AppError('NOT_FOUND', 'Referral not found');
    }
    const id = randomUUID();
    const at = deps.clock.now().toISOString();
    await insertDocument(trx, {
      id,
      referralId,
      intakeItemId: null,
      kind: 'attachment',
      filename,
      contentType: 'application/pdf',
      sha256: createHash('sha256').update(upload.content).digest('hex'),
      content: upload.content,
      createdAt: at,
      createdBy: actor.userId,
    });
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'referral.attach',
        outcome: 'success',
        entityType: 'document',
        entityId: id,
        patientId: referral.patientId,
        details: { referralId, sizeBytes: upload.content.length },
      }),
    );
    const docs = await listDocuments(trx, { referralId });
    const doc = docs.find((d) => d.id === id);
    if (!doc) {
      throw new Error('document vanished after insert');
    }
    return doc;
  });
}

/** A file name safe to send back in Content-Disposition: no paths, quotes or control characters. */
export function safeFilename(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // Control characters and the characters Windows forbids in file names become "_".
  const cleaned = base
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\p{Cc}/gu, '_')
    .trim()
    .slice(0, 120);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? fallback : cleaned;
}

/** A document's bytes, for download; the read is audited against the patient it concerns. */
export async function readDocument(
  deps: ReferralServiceDeps,
  actor: Actor,
  id: string,
): Promise<DocumentMeta & { readonly content: Buffer }> {
  return deps.db.transaction().execute(async (trx) => {
    const doc = await findDocument(trx, id);
    if (!doc) {
      throw new AppError('NOT_FOUND', 'Document not found');
    }
    let patientId: string | null = null;
    if (doc.referralId) {
      patientId = (await findReferralById(trx, doc.referralId))?.patientId ?? null;
    }
    await appendAudit(
      trx,
      deps.clock,
      actorEvent(actor, {
        action: 'document.view',
        outcome: 'success',
        entityType: 'document',
        entityId: id,
        patientId,
        details: { kind: doc.kind, referralId: doc.referralId, intakeItemId: doc.intakeItemId },
      }),
    );
    return doc;
  });
}
