import { CLINICAL_SOURCES, sourceAnchor } from './clinical-sources.ts';

/**
 * What a doctor who has never met an ITB patient needs to act on an overdose or a withdrawal,
 * in short statements, each with the sources it is taken from (clinical-reference.md 8,
 * "Emergencies"; "The emergency summary" there lists the same statements). Nothing here is a
 * dose the software works out: where no source gives one (oral baclofen cover in an
 * emergency) the statement says so (GAP).
 */

export interface GuidanceStatement {
  readonly text: string;
  /** Source keys, as the clinical reference cites them. */
  readonly sources: readonly string[];
}

export interface GuidanceSection {
  readonly heading: string;
  readonly items: readonly GuidanceStatement[];
}

export interface EmergencyGuidance {
  readonly overdose: readonly GuidanceSection[];
  readonly withdrawal: readonly GuidanceSection[];
}

export const EMERGENCY_GUIDANCE: EmergencyGuidance = {
  overdose: [
    {
      heading: 'Signs',
      items: [
        {
          text: 'Drowsiness, dizziness, nausea, floppiness spreading upwards, slow or shallow breathing, low temperature, excess saliva.',
          sources: ['NSN-OD', 'LIO-SAFE', 'MDT-UNDOVER', 'BACLOSAN'],
        },
        {
          text: 'Severe: seizures, loss of consciousness, breathing depressed or stopped, coma.',
          sources: ['NSN-OD', 'BACLOSAN'],
        },
      ],
    },
    {
      heading: 'First actions',
      items: [
        {
          text: 'Airway, breathing, circulation; intubate if breathing is depressed.',
          sources: ['NSN-OD', 'WATVE'],
        },
        {
          text: 'An ITB-trained clinician stops or cuts delivery by reprogramming and empties the reservoir without delay; consider draining CSF through the catheter access port or by lumbar puncture.',
          sources: ['NSN-OD', 'WATVE', 'BACLOSAN', 'RCH-ED'],
        },
        {
          text: 'No specific antidote. Physostigmine is disputed: the SmPC describes 1–2 mg IV over 5–10 min; an expert panel advises against it in most cases.',
          sources: ['BACLOSAN', 'NSN-OD', 'PHYSO-FAIL'],
        },
        {
          text: 'Ask whether oral baclofen was taken as well: it adds to the dose, so none is given as cover (DERIVED).',
          sources: ['NSN-OD', 'BACLOSAN'],
        },
      ],
    },
    {
      heading: 'Call intensive care',
      items: [
        {
          text: 'For depressed breathing, seizures or reduced consciousness: supportive care is given in intensive care.',
          sources: ['NSN-OD', 'WATVE', 'BACLOSAN'],
        },
      ],
    },
  ],
  withdrawal: [
    {
      heading: 'Signs',
      items: [
        {
          text: 'Return of spasticity, itching with no rash, pins and needles, fever, fast heart rate, low blood pressure, altered mental state.',
          sources: ['MDT-EMCARD2', 'LIO-SAFE', 'MDT-UNDOVER', 'NSW-WD'],
        },
        {
          text: 'Severe, over 24–72 h: high fever, rebound rigidity, seizures, swinging blood pressure, rhabdomyolysis (raised CK), organ failure, DIC, death. Can mimic autonomic dysreflexia, sepsis, malignant hyperthermia or NMS.',
          sources: ['MDT-EMCARD2', 'NSW-WD', 'WIKEM'],
        },
      ],
    },
    {
      heading: 'First actions',
      items: [
        {
          text: 'An emergency even when mild: call the ITB team now (contacts above).',
          sources: ['MDT-EMCARD', 'WATVE', 'WIKEM'],
        },
        {
          text: 'Interrogate the pump and X-ray pump and catheter; refill, find the fault, revise if needed. Restarting intrathecal delivery is the treatment. Only ITB-trained clinicians access or program the pump; an MRI scan can stall it.',
          sources: ['MDT-EMCARD', 'WATVE', 'WIKEM', 'RCH-ED', 'TGA-MRI'],
        },
      ],
    },
    {
      heading: 'Oral baclofen cover',
      items: [
        {
          text: 'Until delivery restarts give oral baclofen with high-dose benzodiazepines; oral baclofen cannot fully replace ITB. No source gives an emergency oral dose (GAP): agree it with the ITB team; the usual oral ceiling is 80 mg/day.',
          sources: ['NSW-WD', 'WIKEM', 'DRUGS'],
        },
      ],
    },
    {
      heading: 'Call intensive care',
      items: [
        {
          text: 'Admit to a setting that can provide intensive care: withdrawal needs hospital admission. Higher risk: spinal cord injury at T6 or above, difficulty communicating, earlier withdrawal.',
          sources: ['GAB-UK', 'WATVE', 'GAB', 'LABEL-FDA'],
        },
      ],
    },
  ],
};

/** A source key as the page cites it: the label and where it is on the Sources page. */
export interface CitedSource {
  readonly key: string;
  readonly href: string;
}

/** Each key with its place on the Sources page (/sources#source-nsn-od). */
export function citations(keys: readonly string[]): CitedSource[] {
  return keys.map((key) => ({ key, href: `/sources#${sourceAnchor(key)}` }));
}

/** Keys the guidance cites that the Sources page does not list (a test keeps this empty). */
export function unknownGuidanceSources(guidance: EmergencyGuidance = EMERGENCY_GUIDANCE): string[] {
  const known = new Set(CLINICAL_SOURCES.map((s) => s.key));
  return [...guidance.overdose, ...guidance.withdrawal]
    .flatMap((s) => s.items)
    .flatMap((i) => i.sources)
    .filter((k) => !known.has(k));
}
