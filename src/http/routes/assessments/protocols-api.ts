import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from '../api/error-schema.ts';
import { protocolToApi } from './assessment-json.ts';
import { protocolSchema, protocolSummarySchema } from './assessment-schemas.ts';

/** Selection protocols under /api/v1: every version, one version, and adding one. */
export function protocolApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const assessments = deps.services.assessments;
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema };
    const read = { permission: 'patient:read' } as const;

    app.get(
      '/protocols',
      {
        config: { access: read },
        schema: {
          tags: ['assessments'],
          summary: 'Every stored selection protocol version',
          response: { 200: z.array(protocolSummarySchema), ...errors },
        },
      },
      async () => (await assessments.protocols()).map(protocolToApi),
    );

    app.get(
      '/protocols/:id',
      {
        config: { access: read },
        schema: {
          tags: ['assessments'],
          summary: 'One protocol version with its definition',
          params: z.object({ id: z.string() }),
          response: { 200: protocolSchema, ...errors, 404: errorSchema },
        },
      },
      async (request) => {
        const p = await assessments.protocol(request.params.id);
        return { ...protocolToApi(p), definition: p.definition as unknown as Record<string, unknown> };
      },
    );

    app.post(
      '/protocols',
      {
        config: { access: { permission: 'protocol:manage' } },
        schema: {
          tags: ['assessments'],
          summary: 'Add a selection protocol or a new version of one (see docs/protocols/README.md)',
          body: z.record(z.string(), z.unknown()),
          response: { 200: protocolSummarySchema, 201: protocolSummarySchema, ...errors, 409: errorSchema },
        },
      },
      async (request, reply) => {
        const { protocol, created } = await assessments.importProtocol(
          actorFor(requireAuth(request), request.id),
          request.body,
        );
        // What was just added, or found stored with this content, is the latest version.
        return reply.status(created ? 201 : 200).send(protocolToApi({ ...protocol, latest: true }));
      },
    );
  };
}
