import type { PlainDate } from '../../src/domain/calendar-date.ts';
import type { LetterCommon } from '../../src/domain/referral-letters.ts';

/** An e-RS referral's fields as the service takes them (received 16 November 2026). */
export const ERS_REFERRAL = {
  source: 'e-rs',
  ubrn: '0000 1234 5678',
  receivedOn: '2026-11-16',
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
} as const;

/** What every letter needs: the service, patient, referrer and referral. */
export const LETTER_COMMON: LetterCommon = {
  service: {
    name: 'Leeds Intrathecal Baclofen Service',
    addressLines: ['Chapel Allerton Hospital', 'Chapeltown Road', 'Leeds LS7 4SA'],
    phone: '0113 392 4000',
    email: 'leedsth.itb@nhs.net',
  },
  date: '2026-03-03' as PlainDate,
  patient: {
    name: 'Jane Smith',
    nhsNumber: '4857773457',
    dateOfBirth: '1961-03-03' as PlainDate,
    addressLines: ['12 Park Lane', 'Leeds LS1 1AA'],
  },
  referrer: {
    name: 'Dr Asha Patel',
    role: 'GP',
    organisation: 'Riverside Surgery',
    contact: 'asha.patel@nhs.net',
  },
  referral: { receivedOn: '2026-02-20' as PlainDate, ubrn: '123456789012' },
  signedBy: 'Dr Tom Hughes, Consultant in Rehabilitation Medicine',
};
