/**
 * The default adult selection protocol, version 2, from the Leeds Teaching Hospitals ITB page
 * [LTH-SEED] (clinical-reference.md 2). Version 1 stays stored, and assessments started on it
 * keep it; new assessments use this version. What changed, and why:
 *
 * - The list of less invasive treatments is this service's own list (LOCAL): the Leeds page says
 *   only that less invasive treatments have been tried or were not tolerated, and names none. The
 *   criterion's source now says so instead of pointing at the Leeds page.
 * - Physiotherapy and orthotics are still asked and kept, but no longer count towards "tried or
 *   not tolerated" (`decides: false`): they go with every spasticity treatment rather than
 *   instead of ITB, so an orthotic alone does not show that a less invasive treatment was tried.
 *   At least one drug or injection (an oral antispasticity drug or botulinum toxin) must have been
 *   tried or not tolerated, as the access criteria ask of oral antispasmodics and botulinum toxin
 *   [CBA] and the label of oral baclofen [LIO-HCP].
 * - The spinal item keeps the page's qualifier: a spinal abnormality or previous spinal surgery
 *   "that may make surgery difficult" [LTH-SEED].
 *
 * It is data, validated like any imported protocol and stored once, unchanged: to change it, add
 * version 3 (a new file). Start-up refuses a built-in version whose text differs from the stored
 * copy (H-015).
 */
const YES_NO_UNKNOWN = [
  { code: 'yes', label: 'Yes', meaning: 'yes' },
  { code: 'no', label: 'No', meaning: 'no' },
  { code: 'unknown', label: 'Not known', meaning: 'unknown' },
] as const;

const LEEDS = 'Leeds Teaching Hospitals ITB service [LTH-SEED]';
const LOCAL_LIST = "This service's list of less invasive treatments (LOCAL)";

/**
 * This service's list of less invasive treatments. `drug` marks the drug and injection
 * treatments: at least one of them must have been tried or not tolerated.
 */
const TREATMENTS = [
  { id: 'oral-baclofen', label: 'Oral baclofen', drug: true },
  { id: 'tizanidine', label: 'Tizanidine', drug: true },
  { id: 'gabapentin', label: 'Gabapentin', drug: true },
  { id: 'dantrolene', label: 'Dantrolene', drug: true },
  { id: 'botulinum-toxin', label: 'Botulinum toxin', drug: true },
  { id: 'physiotherapy', label: 'Physiotherapy', drug: false },
  { id: 'orthotics', label: 'Orthotics', drug: false },
] as const;

const treatmentQuestions = TREATMENTS.flatMap((t) => [
  {
    id: `tried-${t.id}`,
    text: t.label,
    ...(t.drug
      ? {}
      : {
          hint: 'Recorded, but does not count on its own: a drug or injection must also have been tried or not tolerated',
          decides: false,
        }),
    kind: 'single',
    options: [
      { code: 'tried', label: 'Tried', meaning: 'yes' },
      { code: 'not-tolerated', label: 'Not tolerated', meaning: 'yes' },
      { code: 'not-tried', label: 'Not tried', meaning: 'no' },
    ],
  },
  ...(t.drug
    ? [
        {
          id: `max-dose-${t.id}`,
          text: `${t.label}: was the maximum dose reached?`,
          hint: `Only if ${t.label.toLowerCase()} was tried`,
          kind: 'single',
          decides: false,
          options: [
            { code: 'yes', label: 'Yes' },
            { code: 'no', label: 'No' },
            { code: 'unknown', label: 'Not known' },
          ],
          enableWhen: [{ question: `tried-${t.id}`, answerIn: ['tried'] }],
        },
      ]
    : []),
]);

const relative = (id: string, label: string, text: string) => ({
  id,
  role: 'relative',
  label,
  source: LEEDS,
  questions: [{ id, text, kind: 'single', options: YES_NO_UNKNOWN }],
});

export const ADULT_LEEDS_V2: unknown = {
  code: 'adult-itb',
  version: 2,
  title: 'Adult ITB patient selection',
  population: 'Adults',
  source: LEEDS,
  criteria: [
    {
      id: 'harm',
      role: 'indication',
      label: 'Generalised spasticity or dystonia that harms function, quality of life or care',
      source: LEEDS,
      questions: [
        {
          id: 'harm',
          text: 'Does generalised spasticity or dystonia harm function, quality of life or the provision of care?',
          kind: 'single',
          options: YES_NO_UNKNOWN,
        },
        {
          id: 'harm-areas',
          text: 'Which of these does it harm?',
          hint: 'Only if it does. Select all that apply',
          kind: 'multi',
          decides: false,
          note: 'none',
          options: [
            { code: 'function', label: 'Function' },
            { code: 'quality-of-life', label: 'Quality of life' },
            { code: 'care', label: 'The provision of care' },
          ],
          enableWhen: [{ question: 'harm', answerIn: ['yes'] }],
        },
      ],
    },
    {
      id: 'less-invasive-tried',
      role: 'indication',
      label:
        'Less invasive treatments tried or not tolerated, including a drug or injection (an oral antispasticity drug or botulinum toxin)',
      source: LOCAL_LIST,
      atLeast: 1,
      questions: treatmentQuestions,
    },
    {
      id: 'baclofen-allergy',
      role: 'absolute',
      label: 'Definite history of allergic reaction to oral baclofen or an ITB test dose',
      source: LEEDS,
      questions: [
        {
          id: 'baclofen-allergy',
          text: 'Is there a definite history of allergic reaction to oral baclofen or to an ITB test dose?',
          hint: 'An adverse effect of oral baclofen is often recorded as an allergy; record a definite allergic reaction only [SAULINO-SEL]',
          kind: 'single',
          options: YES_NO_UNKNOWN,
        },
      ],
    },
    relative(
      'anaesthetic-or-unstable',
      'Doubts about tolerating a general anaesthetic, or medical instability',
      'Are there doubts about tolerating a general anaesthetic, or is the patient medically unstable?',
    ),
    relative('hydrocephalus', 'Untreated hydrocephalus', 'Does the patient have untreated hydrocephalus?'),
    relative('epilepsy', 'Poorly controlled epilepsy', 'Does the patient have poorly controlled epilepsy?'),
    relative('coagulation', 'Coagulation disorder', 'Does the patient have a coagulation disorder?'),
    relative('malnutrition', 'Malnutrition', 'Is the patient malnourished?'),
    relative('worsen-function', 'ITB likely to worsen function', 'Is ITB likely to worsen function?'),
    relative(
      'spinal',
      'Spinal abnormality or previous spinal surgery that may make surgery difficult',
      'Is there a spinal abnormality or previous spinal surgery that may make surgery difficult?',
    ),
    relative('cns-infection', 'Recent CNS infection', 'Has the patient had a recent CNS infection?'),
    relative(
      'attendance',
      'Doubts about attending appointments or responding urgently to withdrawal or overdose',
      'Are there doubts about attending regular appointments, or responding urgently to withdrawal or overdose?',
    ),
    relative('soft-tissue', 'Thick soft-tissue or fat layer', 'Is there a thick soft-tissue or fat layer?'),
    relative('pressure-ulcers', 'Skin pressure ulcers', 'Does the patient have skin pressure ulcers?'),
  ],
};
