/** A validation failure that names the field, for the error summary and the API's 400 body. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type Validated<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly FieldError[] };

/** One error per field (the first), named by its dotted path; `root` names the whole input. */
export function zodIssuesToFieldErrors(
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
  root = 'body',
): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || root;
    if (!seen.has(field)) {
      seen.add(field);
      errors.push({ field, message: issue.message });
    }
  }
  return errors;
}
