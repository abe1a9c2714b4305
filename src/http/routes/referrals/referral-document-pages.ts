import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { actorFor, requireAuth } from '../../access.ts';

/**
 * The Content-Disposition of a download. A header may carry only Latin-1, and a file name from
 * a referrer's email often has more ("Referral – Ann.pdf"), so such a name goes as UTF-8 in
 * `filename*` (RFC 6266, RFC 8187) with an ASCII stand-in in `filename` for older clients.
 */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  if (ascii === filename) {
    return `attachment; filename="${filename}"`;
  }
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Downloads of the documents kept with referrals and emails: letters, attachments, originals. */
export function referralDocumentRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{ Params: { id: string } }>(
    '/documents/:id',
    { config: { access: { permission: 'referral:read' } } },
    async (request, reply) => {
      const doc = await deps.services.referrals.readDocument(
        actorFor(requireAuth(request), request.id),
        request.params.id,
      );
      // Always a download, never rendered by the browser in the service's origin: an attached
      // file could be anything the referrer sent.
      return reply
        .header(
          'content-type',
          doc.contentType === 'application/pdf' ? 'application/pdf' : 'application/octet-stream',
        )
        .header('content-disposition', attachmentDisposition(doc.filename))
        .header('cache-control', 'no-store')
        .send(doc.content);
    },
  );
}
