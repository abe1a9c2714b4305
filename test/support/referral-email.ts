import MailComposer from 'nodemailer/lib/mail-composer/index.js';

/** A minimal valid PDF, enough for the "is it a PDF" check and a download. */
export const TINY_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

/** A consultant's referral email, as it would arrive in the service mailbox. */
export async function buildReferralEmail(options: {
  readonly messageId?: string;
  readonly nhsNumber?: string;
  readonly subject?: string;
  readonly from?: string;
  readonly date?: Date;
  readonly withPdf?: boolean;
}): Promise<Buffer> {
  const mail = new MailComposer({
    from: options.from ?? 'Dr Rhiannon Hughes <rhiannon.hughes@nhs.net>',
    to: 'itb.referrals@nhs.net',
    subject: options.subject ?? 'Referral for ITB assessment',
    date: options.date ?? new Date('2026-11-20T09:15:00Z'),
    ...(options.messageId ? { messageId: options.messageId } : {}),
    text: [
      'Dear colleagues,',
      '',
      `Please see this patient (NHS number ${options.nhsNumber ?? '485 777 3457'}) with severe lower-limb spasticity`,
      'from multiple sclerosis despite oral baclofen 80 mg a day and tizanidine.',
      '',
      'Dr Rhiannon Hughes, Consultant Neurologist',
    ].join('\n'),
    attachments: options.withPdf
      ? [{ filename: 'referral-letter.pdf', content: TINY_PDF, contentType: 'application/pdf' }]
      : [],
  });
  return mail.compile().build();
}
