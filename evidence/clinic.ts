import { nhsNumberCheckDigit } from '../src/domain/nhs-number.ts';
import type { Instance } from './harness.ts';
import { request, type Answer } from './http.ts';

/**
 * The clinical writes the sections make through the JSON API (/api/v1), with bodies the service
 * accepts: patients with valid NHS numbers from the 999 range kept for testing, e-RS referrals,
 * pumps with a confirmed first prescription, and refills. Dates are relative to today in the
 * service's time zone, so the suite runs on any day.
 */

/**
 * An NHS number of the 999 range kept for testing, a different one for each n below 500,000.
 * Of two neighbours 2n and 2n + 1 at most one has the impossible check digit 10 (their weighted
 * sums differ by 2, not by a multiple of 11), so one of them is valid.
 */
export function nhsNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 500_000) {
    throw new Error(`nhsNumber: n must be a whole number from 0 to 499,999, not ${String(n)}`);
  }
  for (const k of [2 * n, 2 * n + 1]) {
    const first = `999${String(k).padStart(6, '0')}`;
    const check = nhsNumberCheckDigit(first);
    if (check !== undefined) {
      return `${first}${String(check)}`;
    }
  }
  throw new Error(`nhsNumber: no valid number for ${String(n)}`);
}

/** Today minus `days`, as YYYY-MM-DD in Europe/London (the service's default time zone). */
export function daysAgo(days: number): string {
  const at = new Date(Date.now() - days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at);
}

export function patientBody(n: number): Record<string, unknown> {
  return {
    nhsNumber: nhsNumber(n),
    givenName: 'Evi',
    familyName: `Dence${String(n)}`,
    dateOfBirth: '1970-05-17',
    sex: 'female',
    // Every evidence patient shares a birthday and a name pattern: the likely-duplicate search
    // still runs on each registration, and this says they are different people.
    confirmNotDuplicate: true,
  };
}

export function referralBody(patientId: string, n: number): Record<string, unknown> {
  return {
    patientId,
    source: 'e-rs',
    ubrn: String(100_000_000_000 + n),
    receivedOn: daysAgo(3),
    referrerName: 'Dr A Patel',
    referrerRole: 'GP',
    referrerOrganisation: 'Chapeltown Surgery',
    referrerOdsCode: 'B86016',
    referrerEmail: 'a.patel@nhs.net',
    reason: 'Severe spasticity despite oral baclofen',
    conditions: ['spasticity'],
    origin: 'spinal',
    aetiology: 'multiple-sclerosis',
    treatmentsTried: ['oral-baclofen'],
  };
}

export function pumpBody(n: number): Record<string, unknown> {
  return {
    modelId: 'synchromed-ii',
    reservoirMl: 20,
    serialNumber: `EVD${String(n).padStart(7, '0')}`,
    implantedOn: daysAgo(28),
    surgeon: 'Mr P Jones',
    alarmMl: 2,
    catheterModel: '8709SC',
    catheterTipLevel: 'T10',
    origin: 'spinal',
  };
}

/** The first prescription: no test dose is on record, so it carries its reason. */
export const FIRST_PRESCRIPTION = {
  concentrationMcgPerMl: 500,
  programme: { mode: 'simple', doseMcgPerDay: 100 },
  phase: 'titration',
  reason: 'Test dose given at another centre',
};

/** A refill today whose residual matches what the programmer expected (no discrepancy to review). */
export function refillBody(): Record<string, unknown> {
  return {
    performedOn: daysAgo(0),
    expectedResidualMl: 5,
    withdrawnMl: 5,
    concentrationMcgPerMl: 500,
    batch: 'LIO-2231',
    expiresOn: '2099-06-30',
    instilledMl: 20,
    alarmMl: 2,
  };
}

export class SetupError extends Error {}

/** A set-up call that must succeed with `status`; the failure names the call and the answer. */
export async function must(
  what: string,
  answer: Promise<Answer>,
  status: number,
): Promise<Record<string, unknown>> {
  const a = await answer;
  if (a.status !== status) {
    throw new SetupError(
      `${what}: expected ${String(status)}, got ${String(a.status)} ${a.failure ?? JSON.stringify(a.body).slice(0, 400)}`,
    );
  }
  return a.body;
}

export interface PreparedPump {
  readonly patientId: string;
  readonly pumpId: string;
  readonly prescriptionId: string;
}

/** A patient with a pump and a prescription proposed by the nurse; confirmed by the consultant unless `confirm` is false. */
export async function preparePump(
  baseUrl: string,
  instance: Instance,
  n: number,
  confirm = true,
): Promise<PreparedPump> {
  const { nurse, consultant } = instance.staff;
  const patient = await must(
    'register patient',
    request(baseUrl, 'POST', '/api/v1/patients', { token: nurse.token, body: patientBody(n) }),
    201,
  );
  const patientId = String(patient.id);
  const pump = await must(
    'register pump',
    request(baseUrl, 'POST', `/api/v1/patients/${patientId}/pumps`, {
      token: nurse.token,
      body: pumpBody(n),
    }),
    201,
  );
  const pumpId = String(pump.id);
  const proposed = await must(
    'propose prescription',
    request(baseUrl, 'POST', `/api/v1/pumps/${pumpId}/prescriptions`, {
      token: nurse.token,
      body: FIRST_PRESCRIPTION,
    }),
    201,
  );
  const prescriptionId = String(proposed.id);
  if (confirm) {
    await must(
      'confirm prescription',
      request(baseUrl, 'POST', `/api/v1/prescriptions/${prescriptionId}/confirm`, {
        token: consultant.token,
        body: {},
      }),
      200,
    );
  }
  return { patientId, pumpId, prescriptionId };
}
