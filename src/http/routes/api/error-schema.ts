import { z } from 'zod';

/** The JSON error body every API route answers with (plugins/errors.ts writes it). */
export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    /** For INVALID_STATE: which refusal it is (docs/ERRORS.md, "Refusal reasons"). */
    reason: z.string().optional(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
  requestId: z.string(),
});
