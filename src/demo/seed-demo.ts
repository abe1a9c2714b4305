import { nhsNumberCheckDigit } from '../domain/nhs-number.ts';
import type { Sex } from '../domain/patient.ts';
import type { RouteDeps } from '../compose.ts';
import { actorOf } from '../services/audit-service.ts';
import { DEMO_ACCOUNTS } from './demo-accounts.ts';
import { seedDemoBreakGlass } from './seed-emergency.ts';
import { seedDemoReferrals } from './seed-referrals.ts';
import { seedDemoAssessments } from './seed-assessments.ts';
import { seedDemoMri } from './seed-mri.ts';
import { DEMO_PUMP_COUNT, seedDemoPumps } from './seed-pumps.ts';
import { seedDemoCards } from './seed-cards.ts';
import { seedDemoComplications } from './seed-complications.ts';
import { seedDemoReminders } from './seed-reminders.ts';
import { seedDemoTestDoses } from './seed-test-doses.ts';
import { seedDemoLifeEvents } from './seed-life-events.ts';
import { seedDemoEmergencies } from './seed-emergencies.ts';
import { SYNTHETIC_FAMILY_NAMES, SYNTHETIC_GIVEN_NAMES } from './synthetic-names.ts';

const GIVEN = SYNTHETIC_GIVEN_NAMES;
const FAMILY = SYNTHETIC_FAMILY_NAMES;
const TOWNS = [
  ['Leeds', 'LS1 3EX'],
  ['Bradford', 'BD1 1HY'],
  ['Wakefield', 'WF1 2DD'],
  ['Harrogate', 'HG1 1DZ'],
  ['York', 'YO1 7HH'],
] as const;

/** A small deterministic generator, so every demo start shows the same caseload. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Synthetic NHS numbers from the 999 range, which is never issued to real patients. */
export function syntheticNhsNumbers(count: number): string[] {
  const out: string[] = [];
  for (let n = 0; out.length < count; n++) {
    const nine = `999${String(1000000 + n * 7919).slice(-6)}`;
    const check = nhsNumberCheckDigit(nine);
    if (check !== undefined) {
      out.push(`${nine}${check}`);
    }
  }
  return out;
}

export async function seedDemo(deps: RouteDeps, patientCount = 40): Promise<void> {
  // Each account as the CLI adds one (no administrator acting): no forced password change, and
  // its creation audited like any other.
  const users = [];
  for (const a of DEMO_ACCOUNTS) {
    users.push(
      await deps.services.accounts.add(null, {
        username: a.username,
        displayName: a.displayName,
        role: a.role,
        password: a.password,
      }),
    );
  }
  const booking = users.find((u) => u.role === 'booking-coordinator') ?? users[0];
  if (!booking) {
    return;
  }
  const actor = actorOf(booking, 'demo-seed');
  const rand = prng(20261124);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const sexes: Sex[] = ['female', 'male'];
  const svc = deps.services;
  const patients: { id: string; nhsNumber: string; dateOfBirth: string }[] = [];
  for (const nhsNumber of syntheticNhsNumbers(patientCount)) {
    const [town, postcode] = pick(TOWNS);
    const year = 1950 + Math.floor(rand() * 60);
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 28);
    const patient = await svc.patients.create(actor, {
      nhsNumber,
      hospitalNumber: `RR8${String(Math.floor(rand() * 1e6)).padStart(6, '0')}`,
      givenName: pick(GIVEN),
      familyName: pick(FAMILY),
      dateOfBirth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      sex: pick(sexes),
      addressLine1: `${1 + Math.floor(rand() * 200)} Demo Street`,
      town,
      postcode,
      phone: `0113 496 ${String(Math.floor(rand() * 1e4)).padStart(4, '0')}`,
      gpPracticeName: 'Demo Medical Practice',
      gpPracticeOds: 'B86016',
      nextOfKinName: rand() < 0.6 ? `${pick(GIVEN)} ${pick(FAMILY)}` : undefined,
      nextOfKinRelationship: 'Carer',
      communicationNeeds: rand() < 0.2 ? 'Uses a communication aid; allow extra time' : undefined,
    });
    patients.push({ id: patient.id, nhsNumber: patient.nhsNumber, dateOfBirth: patient.dateOfBirth });
  }
  const consultant = users.find((u) => u.role === 'consultant');
  if (consultant) {
    await seedDemoReferrals(deps, { booking: actor, consultant: actorOf(consultant, 'demo-seed') }, patients);
    await seedDemoAssessments(
      deps,
      actorOf(consultant, 'demo-seed'),
      patients.slice(-4).map((p) => p.id),
    );
    const nurse = users.find((u) => u.role === 'nurse-specialist');
    if (nurse) {
      // Pumps go to patients before the last four (who are in selection), as far as there are any.
      const start = Math.max(0, patients.length - 4 - DEMO_PUMP_COUNT);
      const pumpPatients = patients.slice(start, start + DEMO_PUMP_COUNT).map((p) => p.id);
      const clinicians = { nurse: actorOf(nurse, 'demo-seed'), consultant: actorOf(consultant, 'demo-seed') };
      const pumpIds = await seedDemoPumps(deps, clinicians, pumpPatients);
      await seedDemoCards(deps, clinicians, pumpPatients);
      await seedDemoLifeEvents(deps, { nurse: clinicians.nurse }, pumpPatients);
      // An open withdrawal on the first pump patient, a closed alarm, advice-line calls.
      await seedDemoEmergencies(deps, clinicians, pumpPatients);
      // A post-scan MRI check overdue (the pump paused for its scan) and one waiting.
      await seedDemoMri(deps, clinicians.nurse, {
        overdue: pumpIds.get('NGP100009H'),
        waiting: pumpIds.get('NGP100006H'),
      });
      await seedDemoComplications(deps, clinicians, pumpPatients);
      const emergency = users.find((u) => u.role === 'emergency-clinician');
      const withPump = patients[start];
      if (emergency && withPump) {
        await seedDemoBreakGlass(deps, actorOf(emergency, 'demo-seed'), clinicians.nurse, withPump);
      }
      await seedDemoReminders(deps, clinicians.nurse, pumpPatients);
      // Test doses go to the patients just before the pump patients; a small demo has none
      // spare and reuses the first pump patients.
      const physio = users.find((u) => u.role === 'physiotherapist') ?? nurse;
      await seedDemoTestDoses(
        deps,
        {
          nurse: actorOf(nurse, 'demo-seed'),
          consultant: actorOf(consultant, 'demo-seed'),
          physio: actorOf(physio, 'demo-seed'),
        },
        [...patients.slice(0, start).reverse(), ...patients.slice(start)].map((p) => p.id),
      );
    }
  }
}
