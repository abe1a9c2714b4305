import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifySchemaCompiler,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { warningsForOutput } from '../../../domain/clinical-warning.ts';
import { describeProgramme } from '../../../domain/dose-programme.ts';
import { validationError } from '../../../services/app-error.ts';
import type { Services } from '../../../services/registry/registry.ts';
import type { Prescription } from '../../../storage/prescriptions.repository.ts';
import type { PumpAppointment } from '../../../storage/pump-appointments.repository.ts';
import type { Pump } from '../../../storage/pumps.repository.ts';
import type { Refill } from '../../../storage/refills.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from '../api/patient-schemas.ts';
import type { appointmentSchema, prescriptionSchema, pumpSchema, refillSchema } from './pump-schemas.ts';

/** What the pump, prescription and refill API files share: the app's type, errors, params, mappers. */
export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export const apiErrors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
export const changeErrors = { ...apiErrors, 409: errorSchema };
export const patientParams = z.object({ patientId: z.string() });
export const pumpParams = z.object({ pumpId: z.string() });
export const idParams = z.object({ id: z.string() });
export const readAccess = { permission: 'patient:read' } as const;

/** The signed-in caller as the services' actor. */
export function apiActor(request: Parameters<typeof requireAuth>[0] & { id: string }) {
  return actorFor(requireAuth(request), request.id);
}

/**
 * The body schemas document the API (pump-schemas.ts); the services check the bodies with the
 * domain's rules, so every 400 names the service's fields (`programme.doseMcgPerDay`,
 * `newPrescription.programme.schedules.0.steps`) with the same messages as the pages, including
 * the "looks like milligrams" ones a bare type check would pre-empt. The route only insists on a
 * JSON object; params still go through zod.
 */
type RouteSchemaDef<S> = Parameters<FastifySchemaCompiler<S>>[0];
export function serviceChecksBody<S>(route: RouteSchemaDef<S>): ReturnType<FastifySchemaCompiler<S>> {
  if (route.httpPart !== 'body') {
    // Every part but the body is a zod schema (see the routes), checked as everywhere else.
    return validatorCompiler(route as unknown as RouteSchemaDef<z.ZodType>);
  }
  return (data: unknown) =>
    data === undefined || data === null
      ? { value: {} }
      : typeof data === 'object' && !Array.isArray(data)
        ? { value: data }
        : { error: validationError([{ field: 'body', message: 'The body must be a JSON object' }]) };
}

/** The pump services the API files call. */
export type PumpServices = Services['pumps'];

export function pumpToApi(p: Pump): z.infer<typeof pumpSchema> {
  return { ...p };
}

export function prescriptionToApi(p: Prescription): z.infer<typeof prescriptionSchema> {
  return {
    ...p,
    programme: {
      mode: p.programme.mode,
      doseMcgPerDay: p.programme.doseMcgPerDay,
      schedules: p.programme.schedules.map((s) => ({
        weekdays: [...s.weekdays],
        steps: s.steps.map((x) => ({ ...x })),
      })),
      bolus: p.programme.bolus ? { ...p.programme.bolus } : null,
    },
    description: describeProgramme(p.programme),
    warnings: warningsForOutput(p.warnings),
  };
}

export function refillToApi(r: Refill): z.infer<typeof refillSchema> {
  const flags = warningsForOutput(r.flags);
  return { ...r, complications: [...r.complications], flags, warnings: flags };
}

export function appointmentToApi(a: PumpAppointment): z.infer<typeof appointmentSchema> {
  return {
    id: a.id,
    pumpId: a.pumpId,
    patientId: a.patientId,
    kind: a.kind,
    onDate: a.onDate,
    state: a.state,
    note: a.note,
    createdBy: a.createdBy,
    version: a.version,
  };
}
