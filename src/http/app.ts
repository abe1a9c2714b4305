import { caseloadImportRoutes } from './routes/caseload-import/caseload-import-pages.ts';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyFormbody from '@fastify/formbody';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppDeps, RouteDeps } from '../compose.ts';
import { actorFor } from './access.ts';
import { registerSecurity } from './plugins/security.ts';
import { registerUploads } from './plugins/uploads.ts';
import { registerViews } from './plugins/views.ts';
import { registerApiAuth, registerPageAuth, registerRouteTable } from './plugins/auth.ts';
import { registerApiErrors, registerPageErrors } from './plugins/errors.ts';
import { parseQueryFirstValue, registerInputGuard } from './plugins/input-guard.ts';
import { registerPatientAlerts } from './plugins/patient-alerts.ts';
import { createSecurityRefusalLimiter } from '../services/security-refusal-audit.ts';
import { healthRoutes } from './routes/system/health.ts';
import { signInRoutes } from './routes/account/sign-in-pages.ts';
import { setupRoutes } from './routes/account/setup-pages.ts';
import { accountRoutes } from './routes/account/account-pages.ts';
import { twoFactorRoutes } from './routes/account/two-factor-pages.ts';
import { homeRoutes } from './routes/system/home-pages.ts';
import { figureRoutes } from './routes/figures/figure-pages.ts';
import { figureApiRoutes } from './routes/figures/figure-api.ts';
import { patientRoutes } from './routes/patients/patient-pages.ts';
import { adminUserRoutes } from './routes/admin/user-pages.ts';
import { auditRoutes } from './routes/admin/audit-pages.ts';
import { patientApiRoutes } from './routes/patients/patients-api.ts';
import { referralApiRoutes } from './routes/referrals/referrals-api.ts';
import { referralRoutes } from './routes/referrals/referral-pages.ts';
import { appointmentRoutes } from './routes/referrals/appointment-pages.ts';
import { nextStepApiRoutes } from './routes/referrals/next-step-api.ts';
import { nextStepRoutes } from './routes/referrals/next-step-pages.ts';
import { intakeRoutes } from './routes/referrals/intake-pages.ts';
import { waitingRoutes } from './routes/referrals/waiting-pages.ts';
import { openApiRoutes } from './routes/api/openapi.ts';
import { assessmentRoutes } from './routes/assessments/assessment-pages.ts';
import { measureRoutes } from './routes/measures/measure-pages.ts';
import { assessmentApiRoutes } from './routes/assessments/assessments-api.ts';
import { measureApiRoutes } from './routes/measures/measures-api.ts';
import { prescriptionPageRoutes } from './routes/pumps/prescription-pages.ts';
import { pumpRoutes } from './routes/pumps/pump-pages.ts';
import { pumpLifecycleRoutes } from './routes/pumps/pump-lifecycle-pages.ts';
import { refillRoutes } from './routes/refills/refill-pages.ts';
import { worklistRoutes } from './routes/worklist/worklist-page.ts';
import { testDoseRoutes } from './routes/test-doses/test-dose-pages.ts';
import { pumpApiRoutes } from './routes/pumps/pumps-api.ts';
import { testDoseApiRoutes } from './routes/test-doses/test-doses-api.ts';
import { worklistApiRoutes } from './routes/worklist/worklist-api.ts';
import { lifeEventApiRoutes } from './routes/life-events/life-events-api.ts';
import { lifeEventRoutes } from './routes/life-events/life-event-pages.ts';
import { emergencyEventApiRoutes } from './routes/emergencies/emergency-api.ts';
import { emergencyEventRoutes } from './routes/emergencies/emergency-pages.ts';
import { adviceCallRoutes } from './routes/emergencies/advice-call-pages.ts';
import { mriApiRoutes } from './routes/mri/mri-api.ts';
import { mriPageRoutes } from './routes/mri/mri-pages.ts';
import { documentPageRoutes } from './routes/documents/document-pages.ts';
import { documentApiRoutes } from './routes/documents/documents-api.ts';
import { complicationApiRoutes } from './routes/complications/complications-api.ts';
import { complicationRoutes } from './routes/complications/complication-pages.ts';
import { emergencySummaryRoutes } from './routes/emergency-summary/summary-pages.ts';
import { emergencySummaryApiRoutes } from './routes/emergency-summary/summary-api.ts';
import { contactRoutes } from './routes/patients/contact-pages.ts';
import { contactApiRoutes } from './routes/patients/contact-api.ts';
import { reminderStatusRoutes } from './routes/admin/reminder-status-page.ts';
import { registerFhirContext } from './routes/fhir/fhir-context.ts';
import { fhirReadRoutes } from './routes/fhir/fhir-read-routes.ts';
import { fhirImportRoutes } from './routes/fhir/fhir-import-routes.ts';

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

  // What every route, hook and plugin below sees: never the database handle, only the services.
  const routeDeps: RouteDeps = { config: deps.config, clock: deps.clock, services: deps.services };
  await registerSecurity(app, deps.config, await deps.services.system.cookieSecret());
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
    await health.register(healthRoutes(routeDeps));
  });

  // The pages: signed in by the session cookie, and every form post checked for its CSRF token.
  // Whether a request is a page or the API is decided by the context its route was registered
  // in, which the router chose from the decoded path, never by reading the raw URL.
  await app.register(async (pages) => {
    registerPageAuth(pages, routeDeps, { refusals });
    pages.addHook('preHandler', (request, reply, done) => {
      if (request.method === 'GET' || request.method === 'HEAD') {
        done();
        return;
      }
      pages.csrfProtection(request, reply, done);
    });
    registerPatientAlerts(pages, routeDeps);
    pages.addHook('onError', async (request, _reply, error) => {
      if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
        await routeDeps.services.audit.recordRefusal(refusals, request, {
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
      twoFactorRoutes,
      homeRoutes,
      patientRoutes,
      adminUserRoutes,
      auditRoutes,
      referralRoutes,
      appointmentRoutes,
      nextStepRoutes,
      intakeRoutes,
      waitingRoutes,
      assessmentRoutes,
      measureRoutes,
      pumpRoutes,
      pumpLifecycleRoutes,
      prescriptionPageRoutes,
      refillRoutes,
      worklistRoutes,
      mriPageRoutes,
      testDoseRoutes,
      lifeEventRoutes,
      emergencyEventRoutes,
      adviceCallRoutes,
      documentPageRoutes,
      complicationRoutes,
      emergencySummaryRoutes,
      contactRoutes,
      reminderStatusRoutes,
      figureRoutes,
      caseloadImportRoutes,
    ]) {
      await pages.register(routes(routeDeps));
    }
  });

  // The API: bearer tokens only, JSON errors, its own not-found answer.
  await app.register(
    async (api) => {
      registerApiAuth(api, routeDeps, { refusals });
      registerApiErrors(api, { notFound: true });
      for (const routes of [
        patientApiRoutes,
        referralApiRoutes,
        nextStepApiRoutes,
        assessmentApiRoutes,
        measureApiRoutes,
        pumpApiRoutes,
        testDoseApiRoutes,
        worklistApiRoutes,
        lifeEventApiRoutes,
        emergencyEventApiRoutes,
        mriApiRoutes,
        documentApiRoutes,
        complicationApiRoutes,
        emergencySummaryApiRoutes,
        contactApiRoutes,
        figureApiRoutes,
      ]) {
        await api.register(routes(routeDeps));
      }
      await api.register(openApiRoutes());
    },
    { prefix: '/api/v1' },
  );

  // FHIR R4: the same bearer tokens as the API, FHIR's media type and OperationOutcome errors.
  await app.register(
    async (fhir) => {
      registerFhirContext(fhir, routeDeps, { refusals });
      await fhir.register(fhirReadRoutes(routeDeps));
      await fhir.register(fhirImportRoutes(routeDeps));
    },
    { prefix: '/fhir/R4' },
  );
  return app;
}
