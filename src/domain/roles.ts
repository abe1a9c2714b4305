/**
 * Roles and the permission table. docs/permissions.md is generated from the same table and a
 * test keeps the two equal, so the document never says something the code does not enforce.
 */
export const ROLES = [
  'administrator',
  'consultant',
  'nurse-specialist',
  'physiotherapist',
  'booking-coordinator',
  'service-manager',
  'emergency-clinician',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  administrator: 'Administrator',
  consultant: 'Consultant',
  'nurse-specialist': 'Nurse specialist',
  physiotherapist: 'Physiotherapist',
  'booking-coordinator': 'Booking coordinator',
  'service-manager': 'Service manager',
  'emergency-clinician': 'Emergency clinician',
};

export const PERMISSIONS = {
  'patient:read': 'Find patients and view their records',
  'patient:write':
    'Register patients and edit their details; record a pregnancy or surgery at another hospital',
  'referral:read': 'View referrals, the email intake, the triage queue, the waiting list and letters',
  'referral:write': 'Enter e-RS referrals, confirm email referrals, attach letters, import email',
  'referral:triage':
    'Triage referrals: accept, not accept or redirect, with advice to the referrer; clear the mark on a referral that needs checking',
  'appointment:manage': 'Book, rebook and cancel first appointments and record their outcome',
  'appointment:outcome':
    'Record the outcome of a first appointment as the next step (selection assessment, discharge, rebook, refer elsewhere), which makes the clinic letter',
  'assessment:write': 'Start patient selection assessments and record their answers',
  'assessment:decide':
    'Record the selection decision (test dose, not suitable, defer, MDT) and the MDT meeting outcome',
  'measures:write': 'Record outcome measures (Ashworth, Penn, GAS, GMFCS, pain)',
  'protocol:manage': 'Add selection protocols and new versions of them',
  'testdose:record':
    'Open test-dose episodes, record their pre-checks and observations (tone scores, side effects) and abandon them; not the boluses or their result (`dose:prescribe`)',
  'pump:manage':
    "Register pumps and catheters; record revisions, ERI, MRI and replacement; pause and resume a pump; ask for, or confirm as a second clinician, the end of a pump (explant, death, transfer); record a death or transfer of care (which asks for each pump's end) and mark life-event actions done; record complications and bridging plans",
  'dose:prescribe':
    "Propose prescriptions and dose or concentration changes; give test-dose boluses and record each bolus's result",
  'dose:check': 'Confirm or reject a dose change, and check and sign a refill, as the second clinician',
  'refill:record': 'Record refills, their discrepancy review and amendments',
  'refill:book': 'Book, move and cancel refill, review and replacement appointments',
  'emergency:record':
    'Record a suspected overdose or withdrawal, a critical pump alarm or a pump stall (an open emergency event, shown on every page of the patient’s record)',
  'emergency:close': 'Close an emergency event with its outcome',
  'advice:log': 'Log calls to the advice line with the advice given and the follow-up',
  'figures:read': "View the service's figures (counts, no patient-identifiable data)",
  'caseload:import':
    'Import a caseload from a spreadsheet: patients, pumps, prescriptions, last fills and booked refills, checked in a dry run first and shown as not yet checked by a second clinician',
  'users:manage': 'Add, edit and disable staff accounts, reset passwords, set second-factor rules',
  'audit:read': 'View, filter and export the audit trail',
  'account:self': 'Change own password, set up own second factor, manage own API tokens',
  'emergency:break-glass':
    "Find a patient by NHS number and date of birth and, after stating a reason, open only that patient's emergency summary for a limited time (break-glass, audited and reported to the ITB team)",
} as const;
export type Permission = keyof typeof PERMISSIONS;

const CLINICAL: readonly Permission[] = [
  'patient:read',
  'patient:write',
  'referral:read',
  'referral:write',
  'figures:read',
  'account:self',
];

// Those who examine the patient record the assessment and the measures.
const ASSESSING: readonly Permission[] = ['assessment:write', 'measures:write'];

// Test doses, prescriptions and refills are given and checked by consultants and nurse
// specialists (clinical-reference.md 6, step 9: a second experienced provider confirms).
const PUMP_CLINICIAN: readonly Permission[] = [
  'testdose:record',
  'pump:manage',
  'dose:prescribe',
  'dose:check',
  'refill:record',
  'refill:book',
  // The advice line is the nurses' line [LTH-PIL]; pump clinicians give the advice it needs.
  'advice:log',
];

// Anyone who examines the patient may be the first to see an overdose or withdrawal, and must
// be able to raise it at once (clinical-reference.md 8: withdrawal is an emergency even when mild).
const RAISES_EMERGENCY: readonly Permission[] = ['emergency:record'];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  // Administrators run accounts and the audit trail; they have no clinical access by default,
  // so that IT administration does not imply access to patient records (least privilege).
  // Moving a service onto the system is set-up work an administrator may do with the clinical
  // lead; what is imported is marked as not yet checked until a clinician checks it.
  administrator: ['users:manage', 'audit:read', 'figures:read', 'caseload:import', 'account:self'],
  // Only Complex Neuro Rehab consultants triage referrals [LTH-SEED].
  // The selection decision and the service's protocols are the consultant's (clinical-reference.md 2).
  consultant: [
    ...CLINICAL,
    ...ASSESSING,
    ...PUMP_CLINICIAN,
    ...RAISES_EMERGENCY,
    // Closing an emergency is the consultant's decision: it takes the alert off every page.
    'emergency:close',
    'referral:triage',
    'appointment:outcome',
    'assessment:decide',
    'protocol:manage',
    'caseload:import',
  ],
  // The clinicians who see the patient at the first appointment record what it decided.
  'nurse-specialist': [
    ...CLINICAL,
    ...ASSESSING,
    ...PUMP_CLINICIAN,
    ...RAISES_EMERGENCY,
    'appointment:manage',
    'appointment:outcome',
  ],
  // Physiotherapists score tone during a test dose (MAS) [BRIS-TD].
  physiotherapist: [...CLINICAL, ...ASSESSING, 'testdose:record', ...RAISES_EMERGENCY],
  'booking-coordinator': [...CLINICAL, 'appointment:manage', 'refill:book'],
  'service-manager': ['figures:read', 'account:self'],
  // A clinician outside the ITB team (an emergency department or on-call doctor): no ordinary
  // access to any record; break-glass opens one patient's emergency summary for a limited time
  // (clinical-reference.md 8: the emergency department needs the pump, drug, dose and refill
  // facts and the ITB team's contacts [RCH-ED]).
  'emergency-clinician': ['emergency:break-glass', 'account:self'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** The permission table as Markdown, as it stands in docs/permissions.md. */
export function permissionTableMarkdown(): string {
  const header = `| Permission | What it allows | ${ROLES.map((r) => ROLE_LABELS[r]).join(' | ')} |`;
  const rule = `|---|---|${ROLES.map(() => '---').join('|')}|`;
  const rows = (Object.keys(PERMISSIONS) as Permission[]).map(
    (p) =>
      `| \`${p}\` | ${PERMISSIONS[p]} | ${ROLES.map((r) => (roleHasPermission(r, p) ? 'yes' : '–')).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}
