import Fastify, { type FastifyInstance } from 'fastify';

/** The page every address shows while the service waits for its database at start-up. */
const STARTING_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sorry, the service is temporarily unavailable – ITB service</title></head>
<body>
<main>
<h1>Sorry, the service is temporarily unavailable</h1>
<p>The service is starting and cannot reach its database yet, so nothing can be read or saved. Try again in a few minutes. If it keeps happening, tell the service administrator.</p>
</main>
</body>
</html>
`;

/**
 * What listens on the service's port while start-up waits for the database (a restart of
 * PostgreSQL, a database server not up yet): every request answers 503 DATABASE_UNAVAILABLE,
 * `/health` as JSON for load balancers, the API as its JSON error, pages as a plain page. It
 * needs no database and keeps no state; the service closes it and listens with the real
 * application once the database answers.
 */
export function buildStartingApp(dialect: string): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1024 });
  app.addHook('onRequest', async (request, reply) => {
    void reply
      .header('retry-after', '30')
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff');
    const path = request.url.split('?')[0] ?? '/';
    if (path === '/health') {
      return reply.status(503).send({ status: 'unavailable', database: dialect, reason: 'starting' });
    }
    if (path === '/api/v1' || path.startsWith('/api/')) {
      return reply.status(503).send({
        error: {
          code: 'DATABASE_UNAVAILABLE',
          message: 'The service is starting and cannot reach its database yet. Try again in a few minutes.',
          details: { reason: 'unreachable' },
        },
      });
    }
    return reply
      .status(503)
      .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
      .type('text/html; charset=utf-8')
      .send(STARTING_PAGE);
  });
  return app;
}
