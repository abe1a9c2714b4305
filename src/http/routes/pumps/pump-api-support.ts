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
import { actorFor, requireAuth } from '../../access.ts';
import { errorSchema } from '../api/error-schema.ts';
import type { prescriptionReadSchema, prescriptionSchema } from './prescription-schemas.ts';
import type { appointmentSchema, pumpSchema } from './pump-schemas.ts';

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

type RouteSchemaDef<S> = Parameters<FastifySchemaCompiler<S>>[0];

/**
 * The bodies of the pump, prescription and lifecycle routes are the domain's own input schemas
 * (pump-schemas.ts, prescription-schemas.ts, pump-lifecycle-schemas.ts), and the services parse
 * every body with those same schemas before the rules that need the record (dates after the
 * implant, the titration limit): the schema the OpenAPI document shows is the one that checks
 * the request, and a 400 names the same fields with the same messages as the pages
 * (`programme.doseMcgPerDay`). Checking in the service keeps the order of answers: an unknown
 * pump is a 404 and an ended one a 409 whatever the body. The refill bodies are still documented
 * apart from the domain's rules (refills-api.ts). So the route only insists on a JSON object
 * (an absent body is read as {}); params still go through zod.
 */
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

/** A prescription with the names of who proposed and confirmed it, and the day it counts from. */
export function prescriptionReadToApi(
  p: Prescription,
  names: ReadonlyMap<string, string>,
): z.infer<typeof prescriptionReadSchema> {
  return {
    ...prescriptionToApi(p),
    proposedByName: names.get(p.proposedBy) ?? 'Unknown',
    decidedByName: p.decidedBy ? (names.get(p.decidedBy) ?? 'Unknown') : null,
    activeSince: p.state === 'active' || p.state === 'superseded' ? p.programmedOn : null,
  };
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
