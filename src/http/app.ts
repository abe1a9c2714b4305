import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyFormbody from '@fastify/formbody';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppDeps } from '../compose.ts';
import { actorFor } from './access.ts';
import { getOrCreateSetting } from '../storage/settings.repository.ts';
import { randomToken } from '../services/secrets.ts';
import { registerSecurity } from './plugins/security.ts';
import { registerUploads } from './plugins/uploads.ts';
import { registerViews } from './plugins/views.ts';
import { registerApiAuth, registerPageAuth, registerRouteTable } from './plugins/auth.ts';
import { registerApiErrors, registerPageErrors } from './plugins/errors.ts';
import { parseQueryFirstValue, registerInputGuard } from './plugins/input-guard.ts';
import { auditSecurityRefusal, createSecurityRefusalLimiter } from '../services/security-refusal-audit.ts';
import { healthRoutes } from './routes/health.ts';
import { signInRoutes } from './routes/sign-in.ts';
import { setupRoutes } from './routes/setup.ts';
import { accountRoutes } from './routes/account.ts';
import { homeRoutes } from './routes/home.ts';
import { patientRoutes } from './routes/patients.ts';
import { adminUserRoutes } from './routes/admin-users.ts';
import { auditRoutes } from './routes/audit.ts';
import { patientApiRoutes } from './routes/api/patients-api.ts';
import { referralApiRoutes } from './routes/api/referrals-api.ts';
import { referralRoutes } from './routes/referrals.ts';
import { appointmentRoutes } from './routes/appointments.ts';
import { intakeRoutes } from './routes/intake.ts';
import { waitingRoutes } from './routes/waiting.ts';
import { openApiRoutes } from './routes/api/openapi.ts';
import { assessmentRoutes } from './routes/assessments.ts';
import { measureRoutes } from './routes/measures.ts';
import { assessmentApiRoutes } from './routes/api/assessments-api.ts';
import { measureApiRoutes } from './routes/api/measures-api.ts';
import { prescriptionPageRoutes } from './routes/pumps/prescription-pages.ts';
import { pumpRoutes } from './routes/pumps/pump-pages.ts';
import { pumpLifecycleRoutes } from './routes/pumps/pump-lifecycle-pages.ts';
import { refillRoutes } from './routes/refills.ts';
import { worklistRoutes } from './routes/worklist/worklist-page.ts';
import { testDoseRoutes } from './routes/test-doses.ts';
import { pumpApiRoutes } from './routes/pumps/pumps-api.ts';
import { testDoseApiRoutes } from './routes/api/test-doses-api.ts';
import { worklistApiRoutes } from './routes/worklist/worklist-api.ts';

/** Builds the whole web application without listening, so tests drive it with inject(). */
export async function buildApp(deps: AppDeps, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: deps.config.logLevel,
            // Never log query strings (searches hold NHS numbers and names), cookies or tokens.
            serializers: {
              req: (req: { method: string; url: string; id: string }) => ({
                method: req.method,
                path: req.url.split('?')[0],
                id: req.id,
              }),
            },
          },
    genReqId: () => randomUUID(),
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { querystringParser: parseQueryFirstValue },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  const cookieSecret = await getOrCreateSetting(deps.database.db, 'cookie_secret', () => randomToken(32));
  await registerSecurity(app, deps.config, cookieSecret);
  registerRouteTable(app);
  await app.register(fastifyFormbody);
  await registerUploads(app, deps.config.uploadMaxBytes);
  await registerViews(app, deps.config);
  registerInputGuard(app);
  registerPageErrors(app);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'ITB service API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  const refusals = createSecurityRefusalLimiter();
  await app.register(async (health) => {
    registerApiErrors(health, { notFound: false });
    await health.register(healthRoutes(deps));
  });

  // The pages: signed in by the session cookie, and every form post checked for its CSRF token.
  // Whether a request is a page or the API is decided by the context its route was registered
  // in, which the router chose from the decoded path, never by reading the raw URL.
  await app.register(async (pages) => {
    registerPageAuth(pages, deps, { refusals });
    pages.addHook('preHandler', (request, reply, done) => {
      if (request.method === 'GET' || request.method === 'HEAD') {
        done();
        return;
      }
      pages.csrfProtection(request, reply, done);
    });
    pages.addHook('onError', async (request, _reply, error) => {
      if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
        await auditSecurityRefusal(deps, refusals, request, {
          action: 'csrf.refused',
          user: request.auth ? actorFor(request.auth, request.id) : null,
          details: {},
        });
      }
    });
    for (const routes of [
      signInRoutes,
      setupRoutes,
      accountRoutes,
      homeRoutes,
      patientRoutes,
      adminUserRoutes,
      auditRoutes,
      referralRoutes,
      appointmentRoutes,
      intakeRoutes,
      waitingRoutes,
      assessmentRoutes,
      measureRoutes,
      pumpRoutes,
      pumpLifecycleRoutes,
      prescriptionPageRoutes,
      refillRoutes,
      worklistRoutes,
      testDoseRoutes,
    ]) {
      await pages.register(routes(deps));
    }
  });

  // The API: bearer tokens only, JSON errors, its own not-found answer.
  await app.register(
    async (api) => {
      registerApiAuth(api, deps, { refusals });
      registerApiErrors(api, { notFound: true });
      for (const routes of [
        patientApiRoutes,
        referralApiRoutes,
        assessmentApiRoutes,
        measureApiRoutes,
        pumpApiRoutes,
        testDoseApiRoutes,
        worklistApiRoutes,
      ]) {
        await api.register(routes(deps));
      }
      await api.register(openApiRoutes());
    },
    { prefix: '/api/v1' },
  );
  return app;
}
