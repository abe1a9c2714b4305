import { z } from 'zod';

/**
 * The FHIR endpoints' shapes for the OpenAPI document. Resources are open (FHIR has hundreds of
 * elements): these name what every answer has and keep the rest (loose objects), so the
 * document says what comes back without the API re-validating FHIR (the tests do that with an
 * independent validator).
 */
/**
 * Typed as unknown for the handlers: a FHIR resource from @medplum/fhirtypes has no index
 * signature, so it would not match a loose object's type, though it matches the schema.
 */
type Documented = z.ZodType;

export const fhirResourceSchema: Documented = z
  .looseObject({ resourceType: z.string(), id: z.string().optional() })
  .describe('A FHIR R4 resource (UK Core profile), as application/fhir+json');

export const bundleSchema: Documented = z
  .looseObject({
    resourceType: z.literal('Bundle'),
    type: z.string(),
    total: z.number().optional(),
    link: z.array(z.looseObject({ relation: z.string(), url: z.string() })).optional(),
    entry: z
      .array(
        z.looseObject({
          fullUrl: z.string().optional(),
          resource: z.looseObject({ resourceType: z.string() }).optional(),
        }),
      )
      .optional(),
  })
  .describe('A FHIR R4 Bundle');

export const operationOutcomeSchema: Documented = z
  .looseObject({
    resourceType: z.literal('OperationOutcome'),
    issue: z.array(
      z.looseObject({
        severity: z.string(),
        code: z.string(),
        diagnostics: z.string().optional(),
        expression: z.array(z.string()).optional(),
      }),
    ),
  })
  .describe('A FHIR OperationOutcome: what went wrong, each issue naming the element (expression)');

export const fhirErrors = {
  400: operationOutcomeSchema,
  401: operationOutcomeSchema,
  403: operationOutcomeSchema,
  404: operationOutcomeSchema,
};

export const searchQuerySchema = z.object({
  identifier: z.string().optional().describe('Patient: https://fhir.nhs.uk/Id/nhs-number|{NHS number}'),
  'patient.identifier': z
    .string()
    .optional()
    .describe('Other types: the patient by NHS number, https://fhir.nhs.uk/Id/nhs-number|{NHS number}'),
  'patient:identifier': z.string().optional().describe('Accepted as patient.identifier'),
  patient: z.string().optional().describe('Other types: the patient as Patient/{id}'),
});

export const importBodySchema = z
  .looseObject({
    resourceType: z.string(),
    type: z.string().optional(),
    entry: z.array(z.unknown()).optional(),
  })
  .describe(
    'A transaction (all or nothing) or batch Bundle of Patient resources, each with request.method POST and the NHS number identifier',
  );
