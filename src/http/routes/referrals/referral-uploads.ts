import { fileTooLarge } from '../../../services/app-error.ts';
import type { UploadedFile } from '../../plugins/uploads.ts';

function fileField(body: unknown, name: string): UploadedFile | null {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return v && typeof v === 'object' && 'content' in v ? (v as UploadedFile) : null;
}

/** The uploaded file, or the message that names the field when it was too big. */
export function uploadedFile(body: unknown, name: string, maxBytes: number): UploadedFile | null {
  const file = fileField(body, name);
  if (file?.truncated) {
    throw fileTooLarge(name, maxBytes);
  }
  return file;
}
