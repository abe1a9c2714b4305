/**
 * Finds text that a database cannot keep faithfully: a NUL character (PostgreSQL refuses it in
 * text, SQLite keeps it, so the two would disagree) or a lone UTF-16 surrogate (not a character
 * at all; it cannot be written as UTF-8). Refusing both at the edge keeps every input stored
 * alike on either database, and tells the user which field to fix.
 */
export function isStorableText(text: string): boolean {
  return text.isWellFormed() && !text.includes('\u0000');
}

/**
 * The path (dotted, e.g. `body.items.2.name`) of the first string or object key under `value`
 * that is not storable, or null. Walks with its own stack, not recursion, so a deeply nested
 * body cannot exhaust the call stack; bytes (an uploaded file's content) are skipped.
 */
export function findUnstorableText(value: unknown, root: string): string | null {
  const stack: { readonly value: unknown; readonly path: string }[] = [{ value, path: root }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value: current, path } = next;
    if (typeof current === 'string') {
      if (!isStorableText(current)) {
        return path;
      }
    } else if (current !== null && typeof current === 'object' && !(current instanceof Uint8Array)) {
      for (const [key, child] of Object.entries(current)) {
        const childPath = `${path}.${key}`;
        if (!isStorableText(key)) {
          return path;
        }
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return null;
}
