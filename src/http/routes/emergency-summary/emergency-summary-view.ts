import {
  daysBetween,
  formatPlainDate,
  wholeYearsBetween,
  type PlainDate,
} from '../../../domain/calendar-date.ts';
import { citations, type GuidanceSection } from '../../../domain/emergency-guidance.ts';
import { formatNhsNumber } from '../../../domain/nhs-number.ts';
import { SEX_LABELS } from '../../../domain/patient.ts';
import { round2 } from '../../../domain/refill-arithmetic.ts';
import { formatDateTime } from '../../../domain/uk-date-time.ts';
import type { EmergencyPump, EmergencySummary } from '../../../services/emergency-summary-service.ts';

/**
 * The emergency summary as the page shows it: every row has words (a fact, or a plain "not
 * recorded" sentence), never a blank a reader in an emergency department could misread.
 */

const NOT_RECORDED = 'Not recorded';

interface Row {
  readonly key: { readonly text: string };
  readonly value: { readonly text: string };
}

const row = (key: string, value: string | null): Row => ({
  key: { text: key },
  value: { text: value === null || value.trim() === '' ? NOT_RECORDED : value },
});

/** The volume in the reservoir today, in words, with what it rests on. */
export function reservoirText(pump: EmergencyPump): string {
  const r = pump.reservoir;
  if (r.kind === 'unknown') {
    return 'Cannot be worked out: no signed refill is recorded for this pump. Interrogate the pump.';
  }
  if (r.kind === 'emptied') {
    return `Emptied on ${formatPlainDate(r.emptiedOn)} (pump paused); not refilled since.`;
  }
  const base = `About ${String(r.continuousMl)} mL left today (estimate from the ${String(round2(r.fillMl))} mL filled on ${formatPlainDate(r.filledOn)}`;
  const boluses =
    r.withBolusesMl !== r.continuousMl
      ? `; ${String(r.withBolusesMl)} mL if every permitted bolus was taken`
      : '';
  const dry = r.ranDryOn
    ? ` The reservoir is expected to have run EMPTY on ${formatPlainDate(r.ranDryOn)}: risk of withdrawal.`
    : '';
  return `${base}${boluses}). Confirm by interrogating the pump.${dry}`;
}

function doseText(pump: EmergencyPump): string {
  if (pump.doseMcgPerDay === null) {
    return 'No confirmed prescription recorded: interrogate the pump for the dose it runs.';
  }
  const since = pump.programmedOn ? ` (programmed ${formatPlainDate(pump.programmedOn)})` : '';
  const pending =
    pump.pendingDoseMcgPerDay !== null
      ? ` A change to ${String(round2(pump.pendingDoseMcgPerDay))} mcg/day is waiting for a second check; the pump runs the dose above until it is confirmed.`
      : '';
  return `${String(round2(pump.doseMcgPerDay))} mcg/day${since}. ${pump.programme ?? ''}.${pending}`;
}

function pumpRows(pump: EmergencyPump, today: PlainDate): Row[] {
  const drug =
    pump.drug === null || pump.concentrationMcgPerMl === null
      ? null
      : `${pump.drug}, ${String(round2(pump.concentrationMcgPerMl))} mcg/mL`;
  const lastRefill = pump.lastRefill
    ? `${formatPlainDate(pump.lastRefill.performedOn)}: ${String(round2(pump.lastRefill.instilledMl))} mL at ${String(round2(pump.lastRefill.concentrationMcgPerMl))} mcg/mL${pump.unsignedRefillOn ? `. A refill on ${formatPlainDate(pump.unsignedRefillOn)} is recorded but not yet checked` : ''}`
    : pump.unsignedRefillOn
      ? `${formatPlainDate(pump.unsignedRefillOn)} (recorded, not yet checked)`
      : 'No refill recorded';
  const alarm = pump.alarmOn
    ? `${formatPlainDate(pump.alarmOn)}${pump.alarmOn <= today ? ' (passed: the low-reservoir alarm may be sounding)' : ` (in ${String(daysBetween(today, pump.alarmOn))} days)`}`
    : 'Not known (no signed fill)';
  return [
    row('Pump', `${pump.model}, serial ${pump.serialNumber}`),
    row('Implanted', formatPlainDate(pump.implantedOn)),
    row(
      'Reservoir',
      `${String(round2(pump.reservoirMl))} mL; low-reservoir alarm at ${String(round2(pump.alarmMl))} mL`,
    ),
    row(
      'Catheter',
      `${pump.catheterModel ?? 'Model not recorded'}; tip at ${pump.catheterTipLevel ?? 'level not recorded'}`,
    ),
    row(
      'Catheter access port',
      'ITB-trained clinicians only: anything given there goes straight into the spinal fluid (overdose). Can drain CSF in an overdose.',
    ),
    row('Drug', drug),
    row('Programme and daily dose', doseText(pump)),
    row('Last refill', lastRefill),
    row('Volume left today', reservoirText(pump)),
    row('Alarm date', alarm),
    ...(pump.paused
      ? [
          row(
            'PAUSED',
            `Since ${formatPlainDate(pump.paused.since)} (${pump.paused.reason}); ${pump.paused.emptied ? 'reservoir emptied' : 'stopped with drug inside'}; resume by ${formatPlainDate(pump.paused.resumeBy)}. The patient may be without intrathecal baclofen.`,
          ),
        ]
      : []),
  ];
}

function guidanceView(sections: readonly GuidanceSection[]) {
  return sections.map((s) => ({
    heading: s.heading,
    items: s.items.map((i) => ({ text: i.text, sources: citations(i.sources) })),
  }));
}

export function emergencySummaryView(s: EmergencySummary, timeZone: string) {
  const p = s.patient;
  const age = wholeYearsBetween(p.dateOfBirth as PlainDate, s.today);
  return {
    title: `Emergency summary: ${p.familyName.toUpperCase()}, ${p.givenName}`,
    patient: p,
    patientRows: [
      row('NHS number', formatNhsNumber(p.nhsNumber)),
      row(
        'Born',
        `${formatPlainDate(p.dateOfBirth)} (${String(age)} ${age === 1 ? 'year' : 'years'}); ${SEX_LABELS[p.sex]}`,
      ),
      row('Allergies', p.allergies ?? 'None recorded (ask the patient)'),
      row('Relevant conditions', p.relevantConditions ?? 'None recorded'),
      ...(p.communicationNeeds ? [row('Communication', p.communicationNeeds)] : []),
      ...(p.alerts ? [row('Alerts', p.alerts)] : []),
      ...(p.nextOfKinName
        ? [
            row(
              'Carer or next of kin',
              [p.nextOfKinName, p.nextOfKinRelationship, p.nextOfKinPhone].filter((x) => x).join(', '),
            ),
          ]
        : []),
    ],
    pumpRows: s.pump ? pumpRows(s.pump, s.today) : null,
    noPumpText: s.pump
      ? null
      : s.lastPumpEndedOn
        ? `This patient has NO pump implanted now: the last pump ended on ${formatPlainDate(s.lastPumpEndedOn)}. Intrathecal baclofen is not being given by a pump.`
        : 'This patient has NO intrathecal baclofen pump recorded by this service.',
    testDose: s.latestTestDose
      ? `${formatDateTime(s.latestTestDose.givenAt, timeZone)}: ${String(round2(s.latestTestDose.doseMcg))} mcg; ${s.latestTestDose.result}`
      : 'No test dose recorded',
    contacts: s.contacts,
    overdose: guidanceView(s.guidance.overdose),
    withdrawal: guidanceView(s.guidance.withdrawal),
    openAlerts: s.openAlerts,
    access: s.access,
    accessUntil: s.access.kind === 'break-glass' ? formatDateTime(s.access.expiresAt, timeZone) : null,
    generatedAt: formatDateTime(s.generatedAt, timeZone),
  };
}
