/** Reads a url-encoded form body as strings (a repeated field keeps its last value unless asked). */
export function formFields(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (typeof v === 'string') {
        out[k] = v;
      } else if (Array.isArray(v) && typeof v.at(-1) === 'string') {
        out[k] = v.at(-1) as string;
      }
    }
  }
  return out;
}

/**
 * The record version a form was opened at (its hidden `version` field), for optimistic
 * locking; null when missing or not a whole number from 1.
 */
export function formVersion(f: Record<string, string>): number | null {
  const v = Number(f.version);
  return Number.isInteger(v) && v >= 1 ? v : null;
}

/** Every value of a repeated field (checkboxes). */
export function formList(body: unknown, name: string): string[] {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof v === 'string') {
    return [v];
  }
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
