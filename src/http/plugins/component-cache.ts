import nunjucks from 'nunjucks';

/**
 * NHS.UK components whose HTML is the same for the same parameters and that pages render with
 * no patient data in them: the header (service name, the role's navigation with the current
 * item, the account menu), the footer, the skip link and back links. Rendering the header macro
 * is a large share of a page's CPU time (docs/performance.md), yet a user sees the same few
 * variants all day. Components showing patient
 * data are never kept here: the cache would hold it, and would rarely be hit.
 */
const MEMOISED_COMPONENTS: ReadonlySet<string> = new Set(['header', 'footer', 'skip-link', 'back-link']);

/** Renders a remembered component; `keyed` is for callers that can name the variant cheaply. */
export interface ComponentRenderer {
  (name: string, params: Record<string, unknown>): nunjucks.runtime.SafeString;
  /**
   * The same, remembered under a key the caller vouches for: equal keys must mean equal
   * parameters, and the parameters are built only when the variant is not yet kept. The
   * header uses it: serialising its parameters to find the variant on every page is wasted work.
   */
  keyed(name: string, key: string, params: () => Record<string, unknown>): nunjucks.runtime.SafeString;
}

/**
 * A template global, `component(name, params)`, that renders an NHS.UK component once per distinct
 * `params` and then reuses the HTML. The component's template reads only `params` (templates.test.ts
 * compares it with the macro for every variant the layout renders), so equal parameters give equal
 * HTML; the output is escaped by the component's own template, as it would be through the macro.
 * At most `capacity` variants are kept, the least recently used being forgotten first.
 */
export function componentRenderer(env: nunjucks.Environment, capacity: number): ComponentRenderer {
  const cache = new Map<string, string>();
  const remembered = (name: string, key: string, params: () => Record<string, unknown>) => {
    if (!MEMOISED_COMPONENTS.has(name)) {
      throw new Error(`component(): "${name}" is not a memoised component`);
    }
    let html = cache.get(key);
    if (html === undefined) {
      html = env.render(`nhsuk/components/${name}/template.njk`, { params: params() }).trim();
      if (cache.size >= capacity) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) {
          cache.delete(oldest);
        }
      }
    } else {
      // Map keeps insertion order: re-inserting marks this variant as the most recently used.
      cache.delete(key);
    }
    cache.set(key, html);
    return new nunjucks.runtime.SafeString(html);
  };
  // JSON keys keep insertion order, and the layout builds `params` the same way every time.
  const render = (name: string, params: Record<string, unknown>) =>
    remembered(name, `${name}\n${JSON.stringify(params)}`, () => params);
  return Object.assign(render, {
    // A different prefix, so a caller's key can never equal a serialised one.
    keyed: (name: string, key: string, params: () => Record<string, unknown>) =>
      remembered(name, `${name}\u0000${key}`, params),
  });
}
