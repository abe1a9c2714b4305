import { ADULT_LEEDS_V1 } from '../../src/domain/protocols/adult-leeds-v1.ts';

/** The built-in adult protocol's relative contraindications, in the order the form asks them. */
export const ADULT_RELATIVES: readonly string[] = (
  ADULT_LEEDS_V1 as { criteria: readonly { id: string; role: string }[] }
).criteria
  .filter((c) => c.role === 'relative')
  .map((c) => c.id);
