import type { FastifyInstance } from 'fastify';
import fastifyMultipart from '@fastify/multipart';

export interface UploadedFile {
  readonly filename: string;
  readonly content: Buffer;
  /** The file was larger than UPLOAD_MAX_MB and was cut short. */
  readonly truncated: boolean;
}

export async function registerUploads(app: FastifyInstance, uploadMaxBytes: number): Promise<void> {
  // File uploads (referral letters, .eml files): each file is read into memory up to the
  // configured limit and handed to the route as { filename, content, truncated }, so the
  // route can say the file is too big, by name, instead of failing the whole request.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: uploadMaxBytes, files: 1, fields: 40, fieldSize: 64 * 1024 },
    onFile: async (part) => {
      const content = await part.toBuffer();
      (part as unknown as { value: UploadedFile }).value = {
        filename: part.filename,
        content,
        truncated: part.file.truncated,
      };
    },
  });
}
