import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../../compose.ts';
import type { MriStep } from '../../../domain/mri-plan.ts';
import type { MriScan } from '../../../storage/mri.repository.ts';
import {
  apiActor,
  apiErrors,
  changeErrors,
  idParams,
  pumpParams,
  serviceChecksBody,
} from '../pumps/pump-api-support.ts';
import {
  mriCancelBodySchema,
  mriCheckBodySchema,
  mriPlanBodySchema,
  mriScanBodySchema,
  mriScanSchemaOut,
  pendingCheckSchema,
  pumpMriSchema,
} from './mri-schemas.ts';

const manage = { permission: 'pump:manage' } as const;
const read = { permission: 'patient:read' } as const;

const stepOut = (s: MriStep) => ({ ...s, sources: [...s.sources] });
const out = (m: MriScan): z.infer<typeof mriScanSchemaOut> => ({
  ...m,
  confirmedSteps: [...m.confirmedSteps],
});

/** The MRI workflow as JSON: a pump's plan and records, the scan, the post-scan check, the checks waiting. */
export function mriApiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const mri = deps.services.mri;
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/pumps/:pumpId/mri',
      {
        config: { access: read },
        schema: {
          tags: ['mri'],
          summary: "The pump's MRI checklist by its model, the open plan or check, and every MRI record",
          params: pumpParams,
          response: { 200: pumpMriSchema, ...apiErrors },
        },
      },
      async (request) => {
        const actor = apiActor(request);
        // The pump must exist and be readable: its overview is the audited read.
        await deps.services.pumps.overview(actor, request.params.pumpId);
        const v = await mri.forPump(actor, request.params.pumpId);
        return {
          rules: { ...v.rules, before: v.rules.before.map(stepOut), after: v.rules.after.map(stepOut) },
          open: v.open ? { ...out(v.open), overdue: v.open.overdue } : null,
          history: v.history.map(out),
        };
      },
    );
    app.post(
      '/pumps/:pumpId/mri-plans',
      {
        config: { access: manage },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['mri'],
          summary:
            "Plan an MRI scan: every step of the model's checklist confirmed (400 naming confirmedSteps otherwise); 409 MRI_PLAN_OPEN while another is planned or its check waits",
          params: pumpParams,
          body: mriPlanBodySchema,
          response: { 201: mriScanSchemaOut, ...changeErrors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(out(await mri.plan(apiActor(request), request.params.pumpId, request.body))),
    );
    app.post(
      '/mri-scans/:id/scan',
      {
        config: { access: manage },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['mri'],
          summary:
            'Record the scan: it joins the pump events and starts the post-scan check, due by the end of the day (MRI_CHECK_DUE_HOURS); 409 MRI_NOT_PLANNED when already recorded or cancelled',
          params: idParams,
          body: mriScanBodySchema,
          response: { 200: mriScanSchemaOut, ...changeErrors },
        },
      },
      async (request) => out(await mri.recordScan(apiActor(request), request.params.id, request.body)),
    );
    app.post(
      '/mri-scans/:id/check',
      {
        config: { access: manage },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['mri'],
          summary:
            'Record the post-scan check (400 when before the scan); 409 MRI_CHECK_DONE when already recorded, MRI_SCAN_NOT_RECORDED before the scan, MRI_REFILL_NOT_RECORDED for a Prometra not yet refilled',
          params: idParams,
          body: mriCheckBodySchema,
          response: { 200: mriScanSchemaOut, ...changeErrors },
        },
      },
      async (request) => out(await mri.completeCheck(apiActor(request), request.params.id, request.body)),
    );
    app.post(
      '/mri-scans/:id/cancel',
      {
        config: { access: manage },
        validatorCompiler: serviceChecksBody,
        schema: {
          tags: ['mri'],
          summary: 'Cancel a plan whose scan is not recorded (409 MRI_NOT_PLANNED otherwise)',
          params: idParams,
          body: mriCancelBodySchema,
          response: { 200: mriScanSchemaOut, ...changeErrors },
        },
      },
      async (request) => out(await mri.cancel(apiActor(request), request.params.id, request.body)),
    );
    app.get(
      '/mri-checks',
      {
        config: { access: read },
        schema: {
          tags: ['mri'],
          summary:
            'Every post-scan MRI check waiting, most overdue first (overdue: true once its due time has passed)',
          response: { 200: z.object({ checks: z.array(pendingCheckSchema) }), ...apiErrors },
        },
      },
      async (request) => ({ checks: await mri.pendingChecks(apiActor(request)) }),
    );
  };
}
