/**
 * What a pump's alarms sound like and what the patient does about each, in plain words, by pump
 * model (clinical-reference.md 4 and 8).
 *
 * SynchroMed II [MDT-ALARM], [MDT-ALARM2]: two tones is the critical alarm (the drug has stopped
 * flowing: empty reservoir, end of service, or a fault such as a motor stall, MRI included
 * [MDT-MRI]), to act on at once; a single tone about once an hour is the low-reservoir (or
 * replacement-due) alarm, to ring the service about. The alarms are quiet and easy to miss or
 * mistake for a toy or a gadget [RCH-ED], so the refill date, not the alarm, plans the refill
 * [UWISC].
 *
 * Prometra II: GAP. No source describing its alarm sounds was found, so nothing is invented: the
 * patient is told to learn them from the team and to treat any alarm as a reason to ring.
 */

export interface AlarmGuidance {
  /** The critical alarm: how it sounds and what to do; both in plain words. */
  readonly critical: { readonly sound: string; readonly action: string } | null;
  /** The low-reservoir alarm. */
  readonly lowReservoir: { readonly sound: string; readonly action: string } | null;
  /** Said whatever the model: the alarm is not the plan. */
  readonly note: string;
  /** Said when the model's alarm sounds are not known (GAP); null when they are. */
  readonly unknown: string | null;
}

const NOTE =
  'The alarms can be quiet and are easy to miss. Do not wait for an alarm: keep to your refill date.';

const GUIDANCE: Readonly<Record<string, AlarmGuidance>> = {
  'synchromed-ii': {
    critical: {
      sound: 'Two tones (the critical alarm)',
      action:
        'The medicine has stopped flowing: the pump is empty, at the end of its life or has a fault. ' +
        'This is urgent. Ring the ITB team at once; if they are closed, go to A&E or call 999.',
    },
    lowReservoir: {
      sound: 'One tone, about once an hour (the low-reservoir alarm)',
      action:
        'The pump is running low, or will need replacing within 90 days. Ring the ITB team the same day, ' +
        'or the next day they are open, to arrange a refill or the replacement.',
    },
    note: NOTE,
    unknown: null,
  },
};

const UNKNOWN: AlarmGuidance = {
  critical: null,
  lowReservoir: null,
  note: NOTE,
  unknown:
    'Your ITB nurse will show you what your pump’s alarms sound like. If you hear any alarm from your ' +
    'pump, ring the ITB team the same day. If you also feel unwell, go to A&E or call 999.',
};

/** The alarm guidance for a pump model; the model's sounds unknown (GAP) gives `unknown` text. */
export function alarmGuidance(modelId: string): AlarmGuidance {
  return GUIDANCE[modelId] ?? UNKNOWN;
}
