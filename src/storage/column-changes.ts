/**
 * A partial entity (camelCase) as the partial row an update sets: each given field under its
 * column's name, from the repository's map of the fields it lets change.
 */
export function changedColumns<K extends string, C extends string>(
  changes: Partial<Record<K, unknown>>,
  columns: Readonly<Record<K, C>>,
): Partial<Record<C, unknown>> {
  const row: Partial<Record<C, unknown>> = {};
  for (const [field, value] of Object.entries(changes)) {
    row[columns[field as K]] = value;
  }
  return row;
}
