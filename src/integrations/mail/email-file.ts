import { parseEmail, type ParseEmailOptions, type ParsedEmail } from './parse-email.ts';
import { isCompoundFile, parseOutlookMsg } from './parse-msg.ts';

export type EmailFileFormat = 'eml' | 'msg';

export interface EmailFile {
  readonly format: EmailFileFormat;
  readonly parsed: ParsedEmail;
}

/**
 * Reads an email file a person uploaded: an Outlook .msg (told by its compound-file signature,
 * not its name) or an RFC 5322 .eml. Never throws; a file that is neither is `ok: false`.
 */
export async function readEmailFile(raw: Buffer, options: ParseEmailOptions = {}): Promise<EmailFile> {
  if (isCompoundFile(raw)) {
    const maxBytes = options.maxBytes;
    if (maxBytes !== undefined && raw.length > maxBytes) {
      // The size message is worded once, in parseEmail.
      return { format: 'msg', parsed: await parseEmail(raw, options) };
    }
    return { format: 'msg', parsed: parseOutlookMsg(raw) };
  }
  return { format: 'eml', parsed: await parseEmail(raw, options) };
}

/** How the original file is kept and offered for download. */
export const ORIGINAL_FILE: Readonly<Record<EmailFileFormat, { filename: string; contentType: string }>> = {
  eml: { filename: 'original-message.eml', contentType: 'message/rfc822' },
  msg: { filename: 'original-message.msg', contentType: 'application/vnd.ms-outlook' },
};
