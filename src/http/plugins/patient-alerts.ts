import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../../compose.ts';
import { isRole, roleHasPermission } from '../../domain/roles.ts';
import { emergencyHeadline } from '../../domain/emergency-events.ts';
import type { PatientRecordKind } from '../../storage/emergency.repository.ts';

/** One open emergency event as the layout's banner names it. */
export interface EmergencyAlert {
  readonly id: string;
  readonly headline: string;
  readonly onsetAt: string;
  readonly recordedByName: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The open emergency events of the patient whose record this page belongs to (layout banner). */
    emergencyAlerts?: readonly EmergencyAlert[];
  }
}

/**
 * The first path segment of a page route naming one record, to the kind of record it names.
 * Every page under these belongs to one patient, so the layout shows that patient's open
 * emergency events on it (hazard H-110): one hook here, not one call per page.
 */
export const PATIENT_RECORD_FAMILIES: Readonly<Record<string, PatientRecordKind>> = {
  patients: 'patient',
  pumps: 'pump',
  refills: 'refill',
  prescriptions: 'prescription',
  referrals: 'referral',
  appointments: 'appointment',
  assessments: 'assessment',
  'test-doses': 'test-dose',
  'test-dose-overrides': 'test-dose-override',
  'pump-end-requests': 'pump-end-request',
  'emergency-events': 'emergency-event',
  'advice-calls': 'advice-call',
  'life-events': 'life-event',
  'mri-scans': 'mri-scan',
  complications: 'complication',
};

/**
 * Route families with an id that belongs to no patient's record (accounts, protocols, email
 * intake, set-up links) or that are downloads rather than pages (documents). A page route under
 * a family in neither list fails patient-alerts.test.ts, so a new kind of patient page cannot
 * be added without its banner.
 */
export const NON_PATIENT_FAMILIES: ReadonlySet<string> = new Set([
  'setup',
  'account',
  'admin',
  'intake',
  'protocols',
  'documents',
  'emergency-cards',
  'tasks',
  // A figure's CSV (/figures/:key.csv): counts for the whole service, never one patient.
  'figures',
  // Caseload imports: a file of many patients, not one patient's record.
  'import',
]);

/** The record a page route names: its kind and id, from the route's pattern and parameters. */
export function patientRecordOf(
  url: string,
  params: Readonly<Record<string, unknown>>,
): { readonly kind: PatientRecordKind; readonly id: string } | null {
  const [, family = '', param = ''] = url.split('/');
  const kind = PATIENT_RECORD_FAMILIES[family];
  if (kind === undefined || !param.startsWith(':')) {
    return null;
  }
  const id = params[param.slice(1)];
  return typeof id === 'string' && id !== '' ? { kind, id } : null;
}

/**
 * Before every page handler: when the page belongs to a patient's record and the reader may read
 * patient records, load the patient's open emergency events for the layout's banner.
 */
export function registerPatientAlerts(pages: FastifyInstance, deps: RouteDeps): void {
  pages.addHook('preHandler', async (request) => {
    const url = request.routeOptions.url;
    const auth = request.auth;
    if (
      url === undefined ||
      !auth ||
      !isRole(auth.user.role) ||
      !roleHasPermission(auth.user.role, 'patient:read')
    ) {
      return;
    }
    const record = patientRecordOf(url, (request.params ?? {}) as Record<string, unknown>);
    if (record !== null) {
      const events = await deps.services.emergencies.alertsForRecord(record.kind, record.id);
      request.emergencyAlerts = events.map((e) => ({
        id: e.id,
        headline: emergencyHeadline(e.kind),
        onsetAt: e.onsetAt,
        recordedByName: e.recordedByName,
      }));
    }
  });
}
