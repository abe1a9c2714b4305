import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { ROLES, type Role } from '../src/domain/roles.ts';
import type { Access, RouteAccessEntry } from '../src/http/access.ts';
import { isApiPath } from '../src/http/plugins/auth.ts';
import { allowedFor } from '../test/support/route-matrix.ts';
import { fillPattern, NO_SUCH_ID, type SeededWorld } from '../test/support/seeded-world.ts';
import type { TestApp } from '../test/support/test-app.ts';
import type { JsonSchema } from './fuzz-values.ts';

/**
 * What the fuzzer aims at: every route in the route table, with what it takes. API routes take
 * the JSON body and query the OpenAPI document describes; page forms take the fields their
 * pages render, found by opening every page of the seeded world and reading its forms, and,
 * for a form no page showed, the field names written in the templates.
 */
export interface FormField {
  readonly name: string;
  /** Values the page offered (options, checkbox and radio values, prefilled values). */
  readonly values: readonly string[];
}

export interface FuzzTarget {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
  readonly api: boolean;
  /** The roles allowed on the route (all roles for public and signed-in routes). */
  readonly roles: readonly Role[];
  readonly body: JsonSchema | undefined;
  readonly query: JsonSchema | undefined;
  /** Form fields (pages) or query keys (GET pages), as found. */
  readonly fields: readonly FormField[];
  readonly multipart: boolean;
}

export interface TargetReport {
  readonly targets: readonly FuzzTarget[];
  /** API routes the OpenAPI document does not describe (fuzzed with generic bodies). */
  readonly apiWithoutSpec: readonly string[];
  /** Page routes taking a body whose fields came from the templates, not a rendered form. */
  readonly formsFromTemplates: readonly string[];
}

interface DomElement {
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
  readonly tagName: string;
  readonly textContent: string | null;
}

interface OpenApiOperation {
  readonly parameters?: readonly {
    readonly in: string;
    readonly name: string;
    readonly schema?: JsonSchema;
    readonly required?: boolean;
  }[];
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: JsonSchema }> };
}

type Spec = { readonly paths?: Record<string, Record<string, OpenApiOperation>> };

/**
 * Query parameters the page routes read (`q.done`, `(request.query as …).next`), from their
 * source: a parameter only a redirect adds is in no form, and would otherwise never be sent.
 */
function queryWordsOf(routesDir: string): string[] {
  const words = new Set<string>();
  for (const name of readdirSync(routesDir)) {
    if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
      const text = readFileSync(join(routesDir, name), 'utf8');
      for (const m of text.matchAll(
        /\bq\.([A-Za-z]\w*)|\bq\[['"]([^'"]+)['"]\]|query as [^)]*\)\.([A-Za-z]\w*)/g,
      )) {
        words.add(m[1] ?? m[2] ?? m[3] ?? '');
      }
    }
  }
  words.delete('');
  return [...words];
}

interface HarvestedForm {
  readonly method: string;
  readonly action: string;
  readonly multipart: boolean;
  readonly fields: Map<string, Set<string>>;
}

function formsOf(html: string): HarvestedForm[] {
  const window = parseHTML(html) as unknown as { document: DomElement };
  const out: HarvestedForm[] = [];
  for (const form of window.document.querySelectorAll('form')) {
    const fields = new Map<string, Set<string>>();
    const add = (name: string | null, value: string | null) => {
      if (name) {
        const values = fields.get(name) ?? new Set<string>();
        if (value !== null && value !== '') {
          values.add(value);
        }
        fields.set(name, values);
      }
    };
    for (const el of form.querySelectorAll('input, textarea, select')) {
      const name = el.getAttribute('name');
      add(name, el.tagName.toLowerCase() === 'textarea' ? el.textContent : el.getAttribute('value'));
      if (el.tagName.toLowerCase() === 'select') {
        for (const option of el.querySelectorAll('option')) {
          add(name, option.getAttribute('value'));
        }
      }
    }
    out.push({
      method: (form.getAttribute('method') ?? 'get').toUpperCase(),
      action: (form.getAttribute('action') ?? '').split('?')[0] ?? '',
      multipart: (form.getAttribute('enctype') ?? '').includes('multipart'),
      fields,
    });
  }
  // Links with a query string are GET forms too, for the fuzzer: their parameters are inputs.
  for (const link of window.document.querySelectorAll('a[href*="?"]')) {
    const url = new URL(link.getAttribute('href') ?? '', 'http://x');
    const fields = new Map<string, Set<string>>();
    for (const [k, v] of url.searchParams) {
      fields.set(k, new Set([...(fields.get(k) ?? []), v]));
    }
    out.push({ method: 'GET', action: url.pathname, multipart: false, fields });
  }
  return out;
}

/** Field names written in the templates (`name="x"` and the macros' `name: "x"`), by template. */
function templateFields(viewsDir: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.name.endsWith('.njk')) {
        const text = readFileSync(path, 'utf8');
        const names = new Set([...text.matchAll(/name(?:=|:\s*)"([^"{}]+)"/g)].map((m) => m[1] ?? ''));
        out.set(text, names);
      }
    }
  };
  walk(viewsDir);
  return out;
}

const patternOf = (url: string) => new RegExp(`^${url.replace(/:[A-Za-z]+/g, '[^/]+')}$`);

export async function collectTargets(
  t: TestApp,
  world: SeededWorld,
  page: (role: Role | null, url: string) => Promise<string>,
  sourceRoot: string,
): Promise<TargetReport> {
  const viewsDir = join(sourceRoot, 'views');
  const queryWords = queryWordsOf(join(sourceRoot, 'src', 'http', 'routes'));
  const routes = t.app.routeTable.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
  const spec = (await t.app.inject({ url: '/api/v1/openapi.json' })).json<Spec>();
  const rolesFor = (r: RouteAccessEntry) => ROLES.filter((role) => allowedFor(r, role));

  // Open every page a role may see, on the seeded records, and keep the forms it shows.
  const harvested: HarvestedForm[] = [];
  for (const r of routes.filter((x) => x.method === 'GET' && !isApiPath(x.url))) {
    const url = fillPattern(r.url, (kind) => (kind ? world.ids.get(kind) : undefined) ?? NO_SUCH_ID);
    // Public pages (sign-in, setup) are opened by nobody: a signed-in account is sent elsewhere.
    const role = r.access === 'public' ? null : rolesFor(r)[0];
    if (role !== undefined) {
      harvested.push(...formsOf(await page(role, url)));
    }
  }
  const templates = templateFields(viewsDir);
  const apiWithoutSpec: string[] = [];
  const formsFromTemplates: string[] = [];
  const targets = routes.map((r): FuzzTarget => {
    const base = { method: r.method, url: r.url, access: r.access, roles: rolesFor(r) };
    if (isApiPath(r.url)) {
      const op = spec.paths?.[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      if (!op) {
        apiWithoutSpec.push(`${r.method} ${r.url}`);
      }
      const queryParams = (op?.parameters ?? []).filter((p) => p.in === 'query');
      return {
        ...base,
        api: true,
        body: op?.requestBody?.content?.['application/json']?.schema,
        query:
          queryParams.length === 0
            ? undefined
            : {
                type: 'object',
                properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema ?? {}])),
                required: queryParams.filter((p) => p.required === true).map((p) => p.name),
              },
        fields: [],
        multipart: false,
      };
    }
    const pattern = patternOf(r.url);
    const forms = harvested.filter((f) => f.method === r.method && pattern.test(f.action));
    const fields = new Map<string, Set<string>>();
    for (const form of forms) {
      for (const [name, values] of form.fields) {
        fields.set(name, new Set([...(fields.get(name) ?? []), ...values]));
      }
    }
    if (r.method === 'GET') {
      for (const word of queryWords) {
        fields.set(word, fields.get(word) ?? new Set());
      }
    } else if (forms.length === 0) {
      // No page showed this form (its record was not in the state that shows it): take the
      // names from the templates whose form posts to a URL of this shape.
      formsFromTemplates.push(`${r.method} ${r.url}`);
      const shape = r.url.replace(/:[A-Za-z]+/g, '{{');
      for (const [text, names] of templates) {
        const actions = [...text.matchAll(/action="([^"]+)"/g)].map((m) =>
          (m[1] ?? '').replace(/\{\{[^}]*\}\}/g, '{{'),
        );
        if (actions.includes(shape) || actions.some((a) => a === '{{')) {
          for (const name of names) {
            fields.set(name, fields.get(name) ?? new Set());
          }
        }
      }
    }
    return {
      ...base,
      api: false,
      body: undefined,
      query: undefined,
      fields: [...fields].map(([name, values]) => ({ name, values: [...values] })),
      multipart: forms.some((f) => f.multipart),
    };
  });
  return { targets, apiWithoutSpec, formsFromTemplates };
}
