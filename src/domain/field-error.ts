/** A validation failure that names the field, for the error summary and the API's 400 body. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type Validated<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly FieldError[] };
