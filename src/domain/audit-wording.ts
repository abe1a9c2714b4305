import type { AuditAction, AuditOutcome } from './audit-event.ts';

/**
 * What each audited action means, in words for the people who read the trail (a Caldicott
 * guardian answering "who opened this record?" should not need the codes). Typed against every
 * action, so a new action does not compile until it is worded; a test also checks every action
 * the code writes.
 */
export const AUDIT_ACTION_WORDS: Readonly<Record<AuditAction, string>> = {
  'patient.create': 'Registered a patient',
  'patient.update': "Changed a patient's details",
  'patient.view': "Opened a patient's record",
  'patient.search': 'Searched for patients',
  'fhir.import': 'Imported a FHIR bundle of patients, registering or matching each by NHS number',
  'patient.emergency-summary': "Opened a patient's emergency summary as a member of the ITB team",
  'patient.break-glass':
    "Broke the glass: stated a reason to open a patient's emergency summary from outside the ITB team",
  'patient.break-glass-view': "Opened a patient's emergency summary under a break-glass access",
  'break-glass.list': 'Looked at the list of break-glass accesses',
  'fhir.read': "Read a resource of a patient's record through the FHIR interface",
  'fhir.search': "Searched a patient's resources by NHS number through the FHIR interface",
  'fhir.everything': "Read a patient's whole record as one bundle through the FHIR interface",
  'fhir.export': 'Exported every patient record as FHIR in a bulk export',
  'caseload.check': 'Uploaded a caseload spreadsheet and checked it, a dry run that saves nothing',
  'caseload.import':
    'Imported a caseload spreadsheet: patients, pumps, prescriptions, last fills and booked refills',
  'caseload.import-row':
    'Registered a patient’s pump, prescription and last fill from a caseload spreadsheet row',
  'figures.refresh-facts':
    'Worked out afresh the facts the service figures read, after a change made directly in the database',
  'user.create': 'Added a staff account',
  'user.update': 'Changed a staff account',
  'user.disable': 'Disabled a staff account',
  'user.enable': 'Enabled a staff account again',
  'user.password-reset': "Reset a staff member's password",
  'user.mfa-policy': 'Changed the second-factor rule for staff',
  'user.mfa-reset': "Removed a staff member's second factor so they can set it up again",
  'auth.sign-in': 'Signed in',
  'auth.sign-out': 'Signed out',
  'auth.mfa': 'Entered a second-factor code',
  'auth.password-change': 'Changed their own password',
  'auth.mfa-enrol': 'Set up a second factor',
  'auth.recovery-codes': 'Made a new set of second-factor recovery codes',
  'auth.form-kept': 'Had a form kept after their session ended',
  'auth.form-restored': 'Had a kept form put back after signing in again',
  'token.create': 'Made an API token',
  'token.revoke': 'Revoked an API token',
  'audit.view': 'Looked at the audit trail',
  'audit.export': 'Downloaded the audit trail',
  'access.denied': 'Was refused a page or action their role does not allow',
  'auth.token-refused': 'Used an API token that was refused',
  'csrf.refused': 'Sent a form that was refused as not from this service',
  'setup.first-admin': 'Set up the first administrator account',
  'referral.create': 'Recorded a referral',
  'referral.view': 'Opened a referral',
  'referral.list': 'Looked at a list of referrals',
  'referral.triage': 'Triaged a referral',
  'referral.attach': 'Attached a letter to a referral',
  'referral.check-clear': 'Cleared the check mark on a referral',
  'document.view': 'Downloaded a document',
  'letter.create': 'Made a letter',
  'appointment.book': 'Booked a first appointment',
  'appointment.rebook': 'Moved a first appointment',
  'appointment.cancel': 'Cancelled a first appointment',
  'appointment.outcome': 'Recorded the outcome of a first appointment',
  'appointment.next-step': 'Recorded the next step after a first appointment, with its clinic letter',
  'intake.receive': 'Took in an email referral',
  'intake.view': 'Opened an email in the intake',
  'intake.close': 'Closed an email as not a referral',
  'mailbox.poll': 'Read the service mailbox',
  'email.send': 'Sent an email',
  'job.run': 'Ran a scheduled job',
  'protocol.create': 'Added a selection protocol',
  'assessment.create': 'Started a selection assessment',
  'assessment.update': 'Recorded answers in a selection assessment',
  'assessment.view': 'Opened a selection assessment',
  'assessment.decide': 'Recorded a selection decision',
  'assessment.mdt-outcome': 'Recorded an MDT outcome',
  'mdt.list': 'Looked at the MDT list',
  'measures.record': 'Recorded outcome measures',
  'measures.view': 'Looked at outcome measures',
  'pump.create': 'Registered a pump',
  'pump.update': "Changed a pump's details",
  'pump.event': 'Recorded a pump event',
  'pump.view': 'Opened a pump record',
  'pump.end-request': 'Asked for a pump to be ended',
  'pump.end-decide': 'Decided on ending a pump',
  'life-event.record': 'Recorded a pregnancy, surgery elsewhere, death or transfer of care',
  'life-event.action-done': 'Marked an action of a life event done',
  'life-event.end': 'Ended the checklist of a life event',
  'life-event.view': "Looked at a patient's life events",
  'life-event.letter': 'Downloaded a transfer or surgery letter with the pump summary',
  'pump.pause': 'Paused a pump',
  'pump.resume': 'Resumed a pump',
  'mri.plan': 'Planned an MRI scan for a pump, confirming its checklist',
  'mri.scan': 'Recorded an MRI scan of a pump, starting its post-scan check',
  'mri.check': 'Recorded the check of a pump after its MRI scan',
  'mri.cancel': 'Cancelled a planned MRI scan',
  'mri.list': 'Looked at the post-scan MRI checks waiting',
  'prescription.propose': 'Proposed a prescription',
  'prescription.confirm': 'Confirmed a prescription as the second clinician',
  'prescription.reject': 'Rejected a proposed prescription',
  'refill.record': 'Recorded a refill',
  'refill.review': 'Reviewed a refill discrepancy',
  'refill.sign': 'Checked and signed a refill as the second clinician',
  'refill.amend': 'Proposed an amendment to a refill',
  'refill.view': 'Opened a refill',
  'refill.reject': 'Rejected a refill',
  'refill.amend-confirm': 'Confirmed an amendment to a refill',
  'refill.amend-reject': 'Rejected an amendment to a refill',
  'pump-appointment.book': 'Booked a pump appointment',
  'pump-appointment.update': 'Changed a pump appointment',
  'patient-contact.view': "Opened a patient's reminder contact preferences",
  'patient-contact.update': "Recorded a patient's reminder contact preferences or consent",
  'reminder.queue': 'Queued an appointment reminder to a patient',
  'reminder.send': 'Sent an appointment reminder to a patient by email or text message',
  'reminder.cancel': 'Cancelled an appointment reminder before it was sent',
  'worklist.view': 'Looked at the refill worklist',
  'testdose.create': 'Opened a test-dose episode',
  'testdose.update': 'Recorded part of a test dose',
  'testdose.view': 'Opened a test-dose episode',
  'emergency.record':
    'Recorded an emergency event: a suspected overdose or withdrawal, a critical alarm or a pump stall',
  'emergency.close': 'Closed an emergency event with its outcome',
  'emergency.view': "Looked at a patient's emergency events",
  'advice-call.log': 'Logged a call to the advice line',
  'advice-call.view': 'Looked at advice-line calls',
  'emergency-card.issue': 'Issued an emergency card',
  'emergency-card.download': 'Downloaded an emergency card',
  'emergency-card.list': "Looked at a pump's emergency cards",
  'refill-letter.download': 'Downloaded the patient letter after a refill',
  'complication.record': 'Recorded a complication in the register',
  'complication.update': 'Changed a complication in the register',
  'complication.view': 'Opened a complication in the register',
  'complication.list': "Opened a patient's complications register",
  'complication.register': "Opened the service's complications register",
  'bridging-plan.record': 'Recorded a bridging plan: oral cover or a taper',
};

const OUTCOME_WORDS: Readonly<Record<AuditOutcome, string>> = {
  success: 'Done',
  failure: 'Failed',
  denied: 'Refused',
};

function isAction(code: string): code is AuditAction {
  return Object.hasOwn(AUDIT_ACTION_WORDS, code);
}

/** The action in words; a code this version does not know (from a later one) is shown as is. */
export function auditActionWords(code: string): string {
  return isAction(code) ? AUDIT_ACTION_WORDS[code] : `Other action (${code})`;
}

export function auditOutcomeWords(outcome: string): string {
  return Object.hasOwn(OUTCOME_WORDS, outcome) ? OUTCOME_WORDS[outcome as AuditOutcome] : outcome;
}
