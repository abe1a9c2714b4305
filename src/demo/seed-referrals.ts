import type { RouteDeps } from '../compose.ts';
import { addDays } from '../domain/calendar-date.ts';
import type { Actor } from '../services/audit-service.ts';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

interface DemoCase {
  readonly receivedDaysAgo: number;
  readonly source: 'e-rs' | 'email';
  /** An email from a registrar, marked for a consultant to check (referral-check.ts). */
  readonly fromRegistrar?: true;
  readonly triage?: {
    outcome: 'accepted' | 'not-accepted' | 'redirected';
    priority?: 'routine' | 'urgent';
    advice?: string;
    redirectTo?: string;
    redirectSent?: boolean;
    redirectMethod?: 'e-rs' | 'email' | 'post';
  };
  /** Days after receipt of the booked appointment, and what became of it. */
  readonly appointments?: readonly {
    readonly afterDays: number;
    readonly then?: 'attended' | 'did-not-attend';
  }[];
}

/**
 * One referral in every state the waiting list and triage queue know, dated from today so
 * the demo always shows each status: waiting for triage (one overdue), not booked, due soon,
 * booked within target, will breach, breached, seen, a non-attendance, not accepted, redirected.
 */
const CASES: readonly DemoCase[] = [
  { receivedDaysAgo: 1, source: 'e-rs' },
  { receivedDaysAgo: 12, source: 'email', fromRegistrar: true },
  { receivedDaysAgo: 5, source: 'e-rs', triage: { outcome: 'accepted', priority: 'routine' } },
  { receivedDaysAgo: 38, source: 'e-rs', triage: { outcome: 'accepted', priority: 'routine' } },
  {
    receivedDaysAgo: 10,
    source: 'email',
    triage: { outcome: 'accepted', priority: 'urgent' },
    // Within the urgent target (WAIT_URGENT_TARGET_DAYS, 14 days): booked within target.
    appointments: [{ afterDays: 12 }],
  },
  {
    receivedDaysAgo: 20,
    source: 'e-rs',
    triage: { outcome: 'accepted', priority: 'routine' },
    appointments: [{ afterDays: 50 }],
  },
  { receivedDaysAgo: 50, source: 'e-rs', triage: { outcome: 'accepted', priority: 'routine' } },
  {
    receivedDaysAgo: 30,
    source: 'e-rs',
    triage: { outcome: 'accepted', priority: 'routine' },
    appointments: [{ afterDays: 25, then: 'attended' }],
  },
  {
    receivedDaysAgo: 25,
    source: 'e-rs',
    triage: { outcome: 'accepted', priority: 'routine' },
    appointments: [{ afterDays: 20, then: 'did-not-attend' }],
  },
  {
    receivedDaysAgo: 15,
    source: 'e-rs',
    triage: {
      outcome: 'not-accepted',
      advice:
        'Spasticity is focal: please refer to the botulinum toxin clinic first.\n\nWe are happy to see the patient again if that does not help.',
    },
  },
  {
    receivedDaysAgo: 8,
    source: 'email',
    triage: {
      outcome: 'redirected',
      redirectTo: 'Leeds Pain and Interventional Neuromodulation Service',
      redirectSent: true,
      redirectMethod: 'e-rs',
      advice: 'The main problem is neuropathic pain, not spasticity.',
    },
  },
];

const REFERRERS = [
  {
    referrerName: 'Dr Asha Patel',
    referrerRole: 'GP',
    referrerGrade: 'gp',
    referrerOrganisation: 'Demo Medical Practice',
    referrerOdsCode: 'B86016',
    referrerEmail: 'asha.patel.demo@example.nhs.uk',
  },
  {
    referrerName: 'Dr Rhiannon Hughes',
    referrerRole: 'Consultant neurologist',
    referrerGrade: 'consultant',
    referrerOrganisation: 'Demo Teaching Hospitals',
    referrerOdsCode: 'RR8',
    referrerEmail: 'rhiannon.hughes.demo@example.nhs.uk',
  },
  {
    referrerName: 'Dr Sam Okafor',
    referrerRole: 'Neurology registrar (ST5)',
    referrerGrade: 'registrar',
    referrerOrganisation: 'Demo Teaching Hospitals',
    referrerOdsCode: 'RR8',
    referrerEmail: 'sam.okafor.demo@example.nhs.uk',
  },
] as const;

export async function seedDemoReferrals(
  deps: RouteDeps,
  actors: { readonly booking: Actor; readonly consultant: Actor },
  patients: readonly { readonly id: string; readonly nhsNumber: string }[],
): Promise<void> {
  const svc = deps.services;
  const t = svc.referrals.today();
  let i = 0;
  for (const c of CASES) {
    const patient = patients[i % patients.length];
    if (!patient) {
      return;
    }
    const referrer = REFERRERS[c.source === 'e-rs' ? 0 : c.fromRegistrar ? 2 : 1];
    const receivedOn = addDays(t, -c.receivedDaysAgo);
    const referral = await svc.referrals.create(
      actors.booking,
      { patientId: patient.id },
      {
        source: c.source,
        ubrn: c.source === 'e-rs' ? `0000${String(10_000_000 + i * 7919).slice(-8)}` : null,
        receivedOn,
        ...referrer,
        reason:
          'Generalised spasticity limiting transfers and causing painful spasms at night despite oral treatment.',
        conditions: i % 3 === 0 ? ['spasticity', 'dystonia'] : ['spasticity'],
        origin: i % 2 === 0 ? 'spinal' : 'cerebral',
        aetiology: (
          [
            'multiple-sclerosis',
            'spinal-cord-injury',
            'cerebral-palsy',
            'acquired-brain-injury',
            'stroke',
          ] as const
        )[i % 5],
        treatmentsTried: ['oral-baclofen', 'tizanidine', 'physiotherapy'],
      },
    );
    i += 1;
    if (!c.triage) {
      continue;
    }
    await svc.referrals.triage(actors.consultant, referral.id, null, c.triage);
    for (const a of c.appointments ?? []) {
      const booked = await svc.referrals.book(actors.booking, referral.id, {
        date: addDays(receivedOn, a.afterDays),
        time: '10:30',
        clinic: 'Spasticity clinic, Demo Hospital',
        clinician: 'Dr Casey Consultant',
        // The demo's one booking after the target (to show "will breach") is deliberate.
        confirmBeyondTarget: true,
      });
      if (a.then === 'attended') {
        // The consultant who saw the patient records the next step, with its clinic letter.
        await svc.firstAppointmentOutcomes.record(actors.consultant, booked.id, booked.version, {
          nextStep: 'selection-assessment',
          summary:
            'We saw you with your carer. Your legs are stiff and your spasms wake you at night.\n\nWe agreed goals: easier transfers and a full night’s sleep.',
        });
      } else if (a.then === 'did-not-attend') {
        await svc.referrals.cancelAppointment(actors.booking, booked.id, booked.version, {
          cancelReason: 'did-not-attend',
        });
      }
    }
  }
  // Two emails waiting in the intake: a referral naming a registered patient, and a file
  // that cannot be read as an email, as a mailbox sometimes holds.
  const nhs = patients[patients.length - 1]?.nhsNumber ?? '';
  const email = await new MailComposer({
    from: 'Dr Rhiannon Hughes <rhiannon.hughes.demo@example.nhs.uk>',
    to: 'itb.referrals.demo@example.nhs.uk',
    subject: 'Referral for ITB assessment',
    date: new Date(`${addDays(t, -2)}T09:15:00Z`),
    messageId: '<demo-referral-1@example.nhs.uk>',
    text: `Dear colleagues,\n\nPlease assess this patient (NHS number ${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}) for intrathecal baclofen. Severe lower-limb spasticity from MS despite baclofen 80 mg a day.\n\nDr Rhiannon Hughes\nConsultant Neurologist`,
  })
    .compile()
    .build();
  await svc.referrals.ingestEmail(null, email, 'imap');
  await svc.referrals.ingestEmail(
    null,
    Buffer.from('%PDF-1.4 a scanned letter saved with the wrong name'),
    'imap',
  );
}
