import { z } from 'zod';
import {
  MRI_STATES,
  mriCancelSchema,
  mriCheckSchema,
  mriPlanSchema,
  mriScanSchema,
  ROTOR_RESULTS,
} from '../../../domain/mri-input.ts';
import { MRI_PLAN_KINDS } from '../../../domain/mri-plan.ts';
import { describeFields } from '../api/describe-fields.ts';

/**
 * Schemas of the MRI workflow. The request bodies are the domain's input schemas (mri-input.ts)
 * with their fields described; the service parses each body with them, so the OpenAPI document
 * shows what checks the request, with the pages' fields and messages.
 */

export const mriPlanBodySchema = describeFields(mriPlanSchema, {
  plannedOn: 'The planned scan date (YYYY-MM-DD), from the implant date to a year ahead',
  scanner: 'The scanner or site, if known',
  fieldStrengthTesla:
    "The scanner's static field in tesla, if known. Prometra: 1.5 only; SynchroMed II: 3 or less (the labelling's limits)",
  confirmedSteps:
    "The ids of the checklist's steps, every one confirmed (GET /pumps/{pumpId}/mri gives the checklist for the pump's model)",
  note: 'Optional note',
}).meta({ description: "An MRI plan: the checklist by the pump's model, confirmed before the scan" });

export const mriScanBodySchema = describeFields(mriScanSchema, {
  scannedAt:
    'When the scan was done: ISO 8601 with Z or an offset; not in the future, not before the planned date (service time zone)',
  note: 'Optional note',
}).meta({ description: 'Records the scan and starts the post-scan check, due by MRI_CHECK_DUE_HOURS' });

export const mriCheckBodySchema = describeFields(mriCheckSchema, {
  checkedAt: 'When the pump was checked: ISO 8601 with Z or an offset; after the scan, not in the future',
  pumpRunning: 'Whether the pump is running and delivering',
  rotorCheck: 'SynchroMed only, required: passed (rotor turning) or stalled',
  logsReviewed: "SynchroMed only, required true: the pump's logs were read for a stall or alarm",
  reservoirMl: 'The reservoir volume read at the check, mL (for a Prometra, after the refill)',
  findings: 'What was found and done: required when the pump is not running or stalled',
}).meta({
  description:
    'The post-scan check. A Prometra (emptied for the scan) needs a refill recorded on or after the scan day first (409 MRI_REFILL_NOT_RECORDED)',
});

export const mriCancelBodySchema = describeFields(mriCancelSchema, { reason: 'Why the plan is cancelled' });

const stepSchema = z.object({ id: z.string(), text: z.string(), sources: z.array(z.string()) });

export const mriRulesSchema = z.object({
  kind: z.enum(MRI_PLAN_KINDS).meta({
    description:
      'interrogate-after (SynchroMed: stops in the magnet), empty-before (Prometra: empty before, refill after), contact-manufacturer (no rules held for the model)',
  }),
  before: z.array(stepSchema),
  after: z.array(stepSchema),
  maxTesla: z.number().nullable(),
  onlyTesla: z.number().nullable(),
  refillAfter: z.boolean(),
  rotorCheck: z.boolean(),
});

export const mriScanSchemaOut = z.object({
  id: z.string(),
  pumpId: z.string(),
  patientId: z.string(),
  planKind: z.enum(MRI_PLAN_KINDS),
  state: z.enum(MRI_STATES),
  plannedOn: z.string(),
  scanner: z.string().nullable(),
  fieldStrengthTesla: z.number().nullable(),
  confirmedSteps: z.array(z.string()),
  planNote: z.string().nullable(),
  plannedAt: z.string(),
  plannedBy: z.string(),
  scannedAt: z.string().nullable(),
  scanNote: z.string().nullable(),
  scanRecordedAt: z.string().nullable(),
  scanRecordedBy: z.string().nullable(),
  checkDueAt: z.string().nullable().meta({ description: 'When the post-scan check is due (an instant)' }),
  checkedAt: z.string().nullable(),
  checkRecordedAt: z.string().nullable(),
  checkRecordedBy: z.string().nullable(),
  pumpRunning: z.boolean().nullable(),
  rotorCheck: z.enum(ROTOR_RESULTS).nullable(),
  logsReviewed: z.boolean().nullable(),
  reservoirMl: z.number().nullable(),
  refillId: z.string().nullable().meta({ description: 'Prometra: the refill after the scan' }),
  findings: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelledBy: z.string().nullable(),
  cancelReason: z.string().nullable(),
});

export const pumpMriSchema = z.object({
  rules: mriRulesSchema.meta({ description: "The checklist a new plan uses, by the pump's model" }),
  open: mriScanSchemaOut
    .extend({ overdue: z.boolean() })
    .nullable()
    .meta({ description: 'The MRI planned or waiting for its post-scan check, if any' }),
  history: z.array(mriScanSchemaOut),
});

export const pendingCheckSchema = z.object({
  mriId: z.string(),
  pumpId: z.string(),
  patientId: z.string(),
  patientName: z.string(),
  nhsNumber: z.string(),
  modelName: z.string(),
  serialNumber: z.string(),
  planKind: z.enum(MRI_PLAN_KINDS),
  scannedAt: z.string(),
  checkDueAt: z.string(),
  overdue: z.boolean().meta({ description: 'Due time passed with the check not recorded: escalated' }),
});
