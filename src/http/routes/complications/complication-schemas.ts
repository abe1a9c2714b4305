import { z } from 'zod';
import { BRIDGING_KINDS, BRIDGING_PURPOSES, bridgingPlanInputSchema } from '../../../domain/bridging-plan.ts';
import {
  COMPLICATION_KINDS,
  COMPLICATION_OUTCOMES,
  complicationInputSchema,
  complicationUpdateSchema,
  DEVICE_LINKS,
} from '../../../domain/complication.ts';
import { describeFields } from '../api/describe-fields.ts';

/**
 * Schemas of the complications register and bridging plans. The request bodies are the domain's
 * input schemas with their fields described; the services parse each body with them, so the
 * OpenAPI document shows what checks the request, with the same messages as the pages.
 */

const ENTRY_FIELDS = {
  kind: 'infection-wound, infection-pocket, meningitis, csf-leak, catheter-kink, catheter-disconnection, catheter-migration, catheter-occlusion, pump-stall, pocket-fill (seroma or fluid), revision-surgery, overdose, withdrawal, other (needs details)',
  onsetOn: 'Date of onset (YYYY-MM-DD), today or earlier; on or after the named pump’s implant date',
  resolvedOn:
    'Date resolved (YYYY-MM-DD), from the onset to today: required for outcome resolved or resolved-with-lasting-effects, empty while ongoing',
  pumpId:
    'One of this patient’s pumps (a pump of another patient is a 400 naming pumpId). Required for catheter faults, pump stall, pocket fill and pocket infection',
  device: 'With pumpId: pump, catheter or pump-and-catheter (catheter faults need the catheter)',
  organism: 'For an infection only: the organism, where known (free text)',
  details: 'What happened (required for kind other)',
  actions: 'Actions taken',
  outcome: 'ongoing, resolved, resolved-with-lasting-effects, device-removed or died',
} as const;

export const complicationBodySchema = describeFields(complicationInputSchema, ENTRY_FIELDS).meta({
  description: 'An entry in the patient’s complications register',
});

export const complicationUpdateBodySchema = describeFields(complicationUpdateSchema, {
  ...ENTRY_FIELDS,
  version: 'The entry’s version as read: a save by someone else since is refused (409 STALE_EDIT)',
}).meta({ description: 'The whole entry again, with the version it was read at' });

export const bridgingPlanBodySchema = describeFields(bridgingPlanInputSchema, {
  purpose:
    'explant (without a replacement: needed before the explant’s confirmation), replacement or revision',
  kind: 'oral-cover, taper, or taper-and-oral-cover',
  drug: 'The drug (for example oral baclofen), as written',
  dose: 'The dose with its units, as written: the software checks none (no source gives a dose for cover)',
  frequency: 'How often',
  startOn: 'Start (YYYY-MM-DD), on or after the pump’s implant date; may be planned ahead',
  reviewOn: 'Review or stop date (YYYY-MM-DD), on or after the start',
  responsible: 'The clinician responsible for the plan',
  details: 'Further details (taper steps, who supplies the drug)',
  complicationId: 'Optional: a complication recorded against this pump that the plan belongs to',
}).meta({ description: 'A bridging plan for the pump' });

export const complicationSchema = z.object({
  id: z.string(),
  patientId: z.string(),
  kind: z.enum(COMPLICATION_KINDS),
  onsetOn: z.string(),
  resolvedOn: z.string().nullable(),
  pumpId: z.string().nullable(),
  device: z.enum(DEVICE_LINKS).nullable(),
  catheterModel: z
    .string()
    .nullable()
    .meta({ description: 'The catheter as registered on the pump when the entry named it' }),
  catheterTipLevel: z.string().nullable(),
  organism: z.string().nullable(),
  details: z.string().nullable(),
  actions: z.string().nullable(),
  outcome: z.enum(COMPLICATION_OUTCOMES),
  emergencyEventId: z
    .string()
    .nullable()
    .meta({ description: 'The emergency event this entry follows up, once linked; null otherwise' }),
  recordedAt: z.string(),
  recordedBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  version: z.number().int(),
});

export const bridgingPlanSchema = z.object({
  id: z.string(),
  pumpId: z.string(),
  patientId: z.string(),
  complicationId: z.string().nullable(),
  purpose: z.enum(BRIDGING_PURPOSES),
  kind: z.enum(BRIDGING_KINDS),
  drug: z.string(),
  dose: z.string(),
  frequency: z.string(),
  startOn: z.string(),
  reviewOn: z.string(),
  responsible: z.string(),
  details: z.string().nullable(),
  recordedAt: z.string(),
  recordedBy: z.string(),
});

export const patientRegisterSchema = z.object({
  complications: z.array(complicationSchema).meta({ description: 'Newest onset first' }),
  bridgingPlans: z.array(bridgingPlanSchema).meta({ description: 'Newest first' }),
});

export const registerQuerySchema = z.object({
  kind: z.string().optional().meta({ description: 'One kind (as in the entry’s kind)' }),
  from: z.string().optional().meta({ description: 'Onset on or after (YYYY-MM-DD)' }),
  to: z.string().optional().meta({ description: 'Onset on or before (YYYY-MM-DD)' }),
});

export const serviceRegisterSchema = z.object({
  entries: z.array(
    complicationSchema.extend({
      patientName: z.string().nullable(),
      nhsNumber: z.string().nullable(),
    }),
  ),
  truncated: z.boolean().meta({ description: 'More entries matched than the 200 shown: narrow the filter' }),
});
