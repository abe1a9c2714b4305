/**
 * Keeping a form that was posted after its session ended (the idle or absolute time-out), so
 * what was typed is not lost: which fields may be kept, which posts, and which page shows the
 * form again. WCAG 2.2 SC 2.2.5 (Re-authenticating): "When an authenticated session expires,
 * the user can continue the activity without loss of data after re-authenticating."
 */

/** A form's fields as posted: a repeated name (a checkbox group) keeps all its values. */
export type KeptFields = Readonly<Record<string, string | readonly string[]>>;

/**
 * Never kept: the CSRF token (each page gets a fresh one) and anything secret — passwords,
 * security and recovery codes, set-up keys. A kept form is a convenience; a secret is retyped.
 */
export function isSecretField(name: string): boolean {
  return (
    name === '_csrf' ||
    /pass(word|code|phrase)|secret|token/i.test(name) ||
    /^(code|currentCode|recoveryCode)$/i.test(name)
  );
}

/**
 * Posts whose forms are not kept: signing in and out, the first-run set-up and your own
 * account's forms hold little but secrets, and their pages are reached again anyway.
 */
export function isKeepablePath(path: string): boolean {
  return !/^\/(sign-in|sign-out|setup|account)(\/|$)/.test(path);
}

/** The posted fields worth keeping, or null when nothing is left to keep. */
export function keepableFields(body: unknown): KeptFields | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return null;
  }
  const kept: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (isSecretField(name)) {
      continue;
    }
    if (typeof value === 'string') {
      kept[name] = value;
    } else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      kept[name] = value;
    }
  }
  return Object.keys(kept).length > 0 ? kept : null;
}

/**
 * Where a post's form is shown, in the order tried against the pages that exist: the post's
 * own "new" or "edit" page (POST /patients ← GET /patients/new; POST /patients/:id ← GET
 * /patients/:id/edit), the same path (a form that posts to itself), then each parent path (an
 * action button on a record's page: POST /refills/:id/sign ← GET /refills/:id).
 */
export function formPageCandidates(actionPath: string): string[] {
  const path = actionPath.replace(/\/+$/, '') || '/';
  const candidates = [`${path}/new`, `${path}/edit`, path];
  let parent = path;
  while (parent.lastIndexOf('/') > 0) {
    parent = parent.slice(0, parent.lastIndexOf('/'));
    candidates.push(parent);
  }
  return candidates;
}

/** Whether a path fits a route pattern written the router's way (`/pumps/:pumpId`). */
export function pathFitsPattern(pattern: string, path: string): boolean {
  const a = pattern.split('/');
  const b = path.split('/');
  return a.length === b.length && a.every((part, i) => (part.startsWith(':') ? b[i] !== '' : part === b[i]));
}

/** The first candidate page that exists among the GET patterns, or null. */
export function formPageFor(actionPath: string, getPatterns: readonly string[]): string | null {
  for (const candidate of formPageCandidates(actionPath)) {
    if (getPatterns.some((p) => pathFitsPattern(p, candidate))) {
      return candidate;
    }
  }
  return null;
}
