import type { PumpModel } from './pump-device.ts';

/**
 * The MRI plan for a pump, by its model's labelling (clinical-reference.md 4, "MRI workflow";
 * hazards H-130 to H-139). The two models behave in opposite ways in the magnet:
 *
 * - SynchroMed II: the field stops the rotor, so no drug is delivered during the scan; the pump
 *   may take 2–24 h to recover [MDT-MRI] and, if it went into telemetry mode while alarming, does
 *   not restart until it is interrogated [TGA-MRI]. So the plan arranges cover and the pump is
 *   interrogated after every scan.
 * - Prometra / Prometra II: the field can open the valves and release the whole reservoir, an
 *   overdose. So the pump is emptied before the scan and refilled after it, and scanned only at
 *   1.5 T within the gradient limits [PROM-MRI], [SEEK-MRI].
 *
 * A model with no MRI rule here (none is configured today, but a service may add one to
 * pump-device.ts) gets no invented rule: the plan says to contact the manufacturer and follow
 * their written instructions (GAP), and the pump is still checked after the scan.
 */

export const MRI_PLAN_KINDS = ['interrogate-after', 'empty-before', 'contact-manufacturer'] as const;
export type MriPlanKind = (typeof MRI_PLAN_KINDS)[number];

export const MRI_PLAN_KIND_LABELS: Readonly<Record<MriPlanKind, string>> = {
  'interrogate-after': 'Stops in the magnet: arrange cover, interrogate the pump after the scan',
  'empty-before': 'Valves may open in the magnet: empty the pump before the scan, refill after it',
  'contact-manufacturer': 'No MRI rules held for this model: contact the manufacturer',
};

export interface MriStep {
  /** Stable key: the checklist confirms steps by it. */
  readonly id: string;
  readonly text: string;
  /** The source keys in clinical-reference.md. */
  readonly sources: readonly string[];
}

export interface MriPlanRules {
  readonly kind: MriPlanKind;
  /** What the clinician confirms before the scan. */
  readonly before: readonly MriStep[];
  /** What the post-scan check records, in words (the form asks for each). */
  readonly after: readonly MriStep[];
  /**
   * The highest static field the labelling in the sources allows, in tesla; null when the sources
   * give none (GAP). Prometra: 1.5 T only [PROM-MRI]. SynchroMed II: CONFLICT, 1.5 T in the 2008
   * guidance [MDT-MRI] and 3 T in current UK material [MDT-SM2]: the higher, current figure is the
   * hard limit and a scan above 1.5 T is shown with the conflict, to check against the labelling.
   */
  readonly maxTesla: number | null;
  /** Only these field strengths are allowed (Prometra: 1.5 T); null when any up to maxTesla is. */
  readonly onlyTesla: number | null;
  /** The post-scan check includes a refill recorded on or after the scan (Prometra). */
  readonly refillAfter: boolean;
  /** The post-scan check asks for the rotor (stall) check and the pump's logs (SynchroMed). */
  readonly rotorCheck: boolean;
}

const COVER: MriStep = {
  id: 'cover',
  text: 'Decided whether the patient can go without intrathecal baclofen until the pump delivers again, and arranged oral baclofen or other cover if not: withdrawal can start within 1–3 days',
  sources: ['MDT-MRI', 'CONS', 'FPN'],
};

const RULES: Readonly<Record<MriPlanKind, MriPlanRules>> = {
  'interrogate-after': {
    kind: 'interrogate-after',
    before: [
      COVER,
      {
        id: 'conditions',
        text: 'Checked the scan against the manufacturer’s current MRI guidelines for this pump (the sources disagree: 1.5 T in the 2008 guidance, 3 T in current UK material)',
        sources: ['MDT-MRI', 'MDT-SM2'],
      },
      {
        id: 'check-booked',
        text: 'Booked the pump’s interrogation for after the scan on the same day: the pump may not restart until it is interrogated, and recovery can take 2–24 hours',
        sources: ['MDT-MRI', 'TGA-MRI'],
      },
      {
        id: 'patient-told',
        text: 'Told the patient the pump stops in the scanner and its two-tone alarm may sound, and to call the service if it does not stop after the check',
        sources: ['MDT-MRI', 'MDT-ALARM'],
      },
    ],
    after: [
      {
        id: 'interrogate',
        text: 'Interrogate the pump with the programmer: it is running and delivering',
        sources: ['TGA-MRI'],
      },
      {
        id: 'rotor',
        text: 'Rotor (stall) check and the pump’s logs read: no stall left, no alarm',
        sources: ['MDT-MRI'],
      },
      { id: 'reservoir', text: 'Reservoir volume read and recorded', sources: ['MDT-MRI'] },
    ],
    maxTesla: 3,
    onlyTesla: null,
    refillAfter: false,
    rotorCheck: true,
  },
  'empty-before': {
    kind: 'empty-before',
    before: [
      {
        id: 'empty',
        text: 'The reservoir will be emptied before the scan and the pump recorded as paused, emptied, for the MRI',
        sources: ['PROM-MRI', 'SEEK-MRI'],
      },
      {
        id: 'conditions',
        text: 'The scan is at 1.5 T and within the gradient limits of the pump’s MRI instructions',
        sources: ['PROM-MRI'],
      },
      COVER,
      {
        id: 'refill-booked',
        text: 'Booked the refill for after the scan',
        sources: ['PROM-MRI'],
      },
    ],
    after: [
      { id: 'refill', text: 'Refill the pump and record the refill', sources: ['PROM-MRI'] },
      { id: 'running', text: 'Check the pump is running', sources: ['PROM-MRI'] },
      { id: 'reservoir', text: 'Reservoir volume after the refill recorded', sources: ['PROM-MRI'] },
    ],
    maxTesla: 1.5,
    onlyTesla: 1.5,
    refillAfter: true,
    rotorCheck: false,
  },
  'contact-manufacturer': {
    kind: 'contact-manufacturer',
    before: [
      {
        id: 'manufacturer',
        text: 'Contacted the pump’s manufacturer for its MRI conditions and will follow their written instructions: the service holds no MRI rules for this model',
        sources: [],
      },
      COVER,
      {
        id: 'check-booked',
        text: 'Booked a check of the pump for after the scan on the same day',
        sources: [],
      },
    ],
    after: [
      { id: 'running', text: 'Check the pump is running as programmed', sources: [] },
      { id: 'reservoir', text: 'Reservoir volume read and recorded', sources: [] },
    ],
    maxTesla: null,
    onlyTesla: null,
    refillAfter: false,
    rotorCheck: false,
  },
};

/** The plan for a model, or the contact-the-manufacturer plan when the model is not configured. */
export function mriPlanFor(model: Pick<PumpModel, 'mriRule'> | undefined): MriPlanRules {
  return RULES[model?.mriRule ?? 'contact-manufacturer'];
}

export function mriRulesOf(kind: MriPlanKind): MriPlanRules {
  return RULES[kind];
}
