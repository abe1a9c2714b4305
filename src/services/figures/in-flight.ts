/**
 * Figures asked for together (the page computes every figure at once, each with its own context)
 * often need the same query: the four refill figures read one set of monthly counts. A query
 * already running for the same database and the same arguments is shared rather than run again;
 * once it settles it is forgotten, so nothing is ever served stale.
 */
const running = new WeakMap<object, Map<string, Promise<unknown>>>();

export function sharedWhileRunning<T>(owner: object, key: string, run: () => Promise<T>): Promise<T> {
  let mine = running.get(owner);
  if (mine === undefined) {
    mine = new Map();
    running.set(owner, mine);
  }
  const existing = mine.get(key) as Promise<T> | undefined;
  if (existing !== undefined) {
    return existing;
  }
  const table = mine;
  const pending = run().finally(() => table.delete(key));
  table.set(key, pending);
  return pending;
}
