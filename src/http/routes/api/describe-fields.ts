import type { z } from 'zod';

/**
 * A domain input schema with each named field described for the OpenAPI document: the fields'
 * rules and messages stay the domain's own.
 */
export function describeFields<T extends z.ZodObject>(
  schema: T,
  descriptions: Partial<Record<keyof T['shape'], string>>,
): T {
  const shape: Readonly<Record<string, z.ZodType | undefined>> = schema.shape;
  const described: Record<string, z.ZodType> = {};
  for (const [field, description] of Object.entries(descriptions)) {
    const fieldSchema = shape[field];
    if (fieldSchema !== undefined && typeof description === 'string') {
      described[field] = fieldSchema.meta({ description });
    }
  }
  return schema.extend(described) as unknown as T;
}
