import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { formFields, isPageError, noticeFrom } from '../form.ts';
import { attachmentDisposition } from '../referrals/referral-document-pages.ts';
import { pumpCardsView } from './document-view.ts';

type PumpParams = { Params: { pumpId: string } };

const NOTICES: Readonly<Record<string, string>> = {
  issued: 'Emergency card issued. Download it, print it on A4 and give it to the patient.',
};

/**
 * Patient-held documents: the pump's emergency cards (issue one, list them with their issue
 * dates and whether each is out of date, download one as issued) and the patient's letter after
 * a signed refill. Downloads are PDFs sent as attachments, never shown in the service's origin.
 */
export function documentPageRoutes(deps: RouteDeps): FastifyPluginAsync {
  const documents = deps.services.documents;
  const read = { permission: 'patient:read' } as const;
  const manage = { permission: 'pump:manage' } as const;

  const renderCards = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pumpId: string,
    conflict: string | null = null,
    status = 200,
  ) => {
    const auth = requireAuth(request);
    const cards = await documents.pumpCards(actorFor(auth, request.id), pumpId);
    const view = pumpCardsView(cards, roleHasPermission(auth.user.role, 'pump:manage'));
    return reply.status(status).page('pages/documents/emergency-cards.njk', {
      title: 'Emergency cards',
      ...view,
      conflict,
      notice: noticeFrom(NOTICES, formFields(request.query).done),
    });
  };

  const sendPdf = (reply: FastifyReply, doc: { filename: string; pdf: Buffer }) =>
    reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', attachmentDisposition(doc.filename))
      .header('cache-control', 'no-store')
      .send(doc.pdf);

  return async (app) => {
    app.get<PumpParams>(
      '/pumps/:pumpId/emergency-cards',
      { config: { access: read } },
      async (request, reply) => renderCards(request, reply, request.params.pumpId),
    );

    app.post<PumpParams>(
      '/pumps/:pumpId/emergency-cards',
      { config: { access: manage } },
      async (request, reply) => {
        const { pumpId } = request.params;
        try {
          await documents.issueCard(actorFor(requireAuth(request), request.id), pumpId);
        } catch (err) {
          if (!isPageError(err)) {
            throw err;
          }
          return renderCards(request, reply, pumpId, err.message, err.status);
        }
        return reply.redirect(`/pumps/${pumpId}/emergency-cards?done=issued`, 303);
      },
    );

    app.get<{ Params: { cardId: string } }>(
      '/emergency-cards/:cardId/pdf',
      { config: { access: read } },
      async (request, reply) =>
        sendPdf(
          reply,
          await documents.downloadCard(actorFor(requireAuth(request), request.id), request.params.cardId),
        ),
    );

    app.get<{ Params: { refillId: string } }>(
      '/refills/:refillId/letter',
      { config: { access: read } },
      async (request, reply) =>
        sendPdf(
          reply,
          await documents.refillLetter(actorFor(requireAuth(request), request.id), request.params.refillId),
        ),
    );
  };
}
