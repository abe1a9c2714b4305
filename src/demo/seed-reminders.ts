import type { RouteDeps } from '../compose.ts';
import type { Actor } from '../services/audit-service.ts';

/**
 * Reminder contact preferences for the first pump patients: one consenting to texts and email,
 * one to email only, one who withdrew consent. Numbers are from Ofcom's range for drama
 * (07700 900000 to 900999) and addresses at example.com, so nothing could reach a real person.
 * The demo has no Notify key, so its pages show that no reminders are sent.
 */
export async function seedDemoReminders(
  deps: RouteDeps,
  nurse: Actor,
  patientIds: readonly string[],
): Promise<void> {
  const today = deps.services.referrals.today();
  const plans = [
    {
      email: 'patient.one@example.com',
      mobile: '07700 900101',
      channels: ['sms', 'email'],
      consentGiven: true,
    },
    { email: 'patient.two@example.com', mobile: null, channels: ['email'], consentGiven: true },
    { email: null, mobile: '07700 900303', channels: ['sms'], consentGiven: false },
  ];
  for (const [i, plan] of plans.entries()) {
    const patientId = patientIds[i];
    if (patientId === undefined) {
      return;
    }
    await deps.services.reminders.saveContact(nurse, patientId, { ...plan, consentDate: today }, null);
  }
}
