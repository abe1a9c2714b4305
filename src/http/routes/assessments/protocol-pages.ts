import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { CLINICAL_SOURCES, sourceAnchor } from '../../../domain/clinical-sources.ts';
import { questionForm } from './assessment-view.ts';

/** The stored selection protocols, and one version with its questions as the form asks them. */
export function protocolPages(deps: RouteDeps): FastifyPluginAsync {
  const assessments = deps.services.assessments;
  const read = { permission: 'patient:read' } as const;
  return async (app) => {
    app.get('/protocols', { config: { access: read } }, async (_request, reply) =>
      reply.page('pages/assessments/protocols.njk', {
        title: 'Selection protocols',
        protocols: await assessments.protocols(),
      }),
    );

    // The sources the protocols and clinical rules cite, in words, with their addresses.
    app.get('/sources', { config: { access: { permission: 'signed-in' } } }, async (_request, reply) =>
      reply.page('pages/assessments/sources.njk', {
        title: 'Sources',
        sources: CLINICAL_SOURCES.map((s) => ({ ...s, anchor: sourceAnchor(s.key) })),
      }),
    );

    app.get<{ Params: { id: string } }>(
      '/protocols/:id',
      { config: { access: read } },
      async (request, reply) => {
        const p = await assessments.protocol(request.params.id);
        return reply.page('pages/assessments/protocol.njk', {
          title: `${p.title}, version ${String(p.version)}`,
          protocol: p,
          form: questionForm(p.definition, {}),
        });
      },
    );
  };
}
