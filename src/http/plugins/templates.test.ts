// The faster ways the pages render NHS.UK components must give the components' own HTML:
// remembered header, footer, skip link and back links (component-cache.ts), the layout's macros
// loaded once as globals (layout-macros.ts), the trim filter (template-filters.ts) and the
// plain-text summary list (text-summary-list.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { isRole, ROLE_LABELS, ROLES } from '../../domain/roles.ts';
import { componentRenderer, type ComponentRenderer } from './component-cache.ts';
import { LAYOUT_MACROS } from './layout-macros.ts';
import { trimFilter } from './template-filters.ts';
import { textSummaryList } from './text-summary-list.ts';
import { configureTemplates, headerFor, navigationFor, TEMPLATE_DIRS, type LayoutUser } from './views.ts';

type Params = Record<string, unknown>;

function environment(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([...TEMPLATE_DIRS]), {
    autoescape: true,
  });
  configureTemplates(env, 'Europe/London');
  return env;
}

const MACROS: Record<string, string> = {
  header: 'header',
  footer: 'footer',
  'skip-link': 'skipLink',
  'back-link': 'backLink',
};

/** Nunjucks as it comes, with none of this service's filters or globals: the reference. */
const plain = new nunjucks.Environment(new nunjucks.FileSystemLoader([...TEMPLATE_DIRS]), {
  autoescape: true,
});

/** What the NHS.UK macro itself renders for these parameters, rendered afresh by plain Nunjucks. */
function macroHtml(name: string, params: Params): string {
  const macro = MACROS[name] ?? name;
  return plain
    .renderString(`{% from "nhsuk/components/${name}/macro.njk" import ${macro} %}{{ ${macro}(params) }}`, {
      params,
    })
    .trim();
}

/** The header as the layout used to build it in the template, given to the macro by plain
 * Nunjucks: the reference headerFor() (views.ts) must match. */
const LAYOUT_HEADER_BEFORE = `{% from "nhsuk/components/header/macro.njk" import header %}
  {% set accountItems = [
    { text: user.displayName + " (" + (user.role | roleLabel) + ")", icon: true },
    { href: "/account", text: "Your account" } if user.stage == "full" else undefined,
    { href: "/sign-out", text: "Sign out" }
  ] if user else [] %}
  {{ header({
    service: { text: "ITB service" + (" (demo)" if demo else ""), href: "/" },
    navigation: { items: navigation } if navigation.length else undefined,
    account: { items: accountItems } if user else undefined
  }) }}`;

const plainWithRoleLabel = new nunjucks.Environment(new nunjucks.FileSystemLoader([...TEMPLATE_DIRS]), {
  autoescape: true,
}).addFilter('roleLabel', (v: string) => (isRole(v) ? ROLE_LABELS[v] : v));

interface LayoutContext {
  readonly user: LayoutUser | null;
  readonly path: string;
  readonly demo: boolean;
}

function headerTheLayoutBuilt({ user, path, demo }: LayoutContext): string {
  const navigation = user?.stage === 'full' && isRole(user.role) ? navigationFor(user.role, path) : [];
  return plainWithRoleLabel.renderString(LAYOUT_HEADER_BEFORE, { user, navigation, demo }).trim();
}

/** Renders a page on the real layout, as reply.page() does, and records every component() call. */
function renderLayout(env: nunjucks.Environment, context: LayoutContext) {
  const memoised = env.getGlobal('component') as ComponentRenderer;
  const calls: { name: string; params: Params; html: string }[] = [];
  env.addGlobal('component', (name: string, params: Params) => {
    const html = memoised(name, params);
    calls.push({ name, params, html: html.toString() });
    return html;
  });
  try {
    const page = env.renderString(
      '{% extends "layout.njk" %}{% block back %}{{ backLink({ href: "/patients", text: "Find a patient" }) }}{% endblock %}{% block page %}<p>x</p>{% endblock %}',
      {
        title: 'Test',
        cspNonce: 'n',
        csrfToken: () => 't',
        currentPath: context.path,
        user: context.user,
        demo: context.demo,
        headerHtml: headerFor(memoised, context.user, context.path, context.demo),
      },
    );
    return { page, calls };
  } finally {
    env.addGlobal('component', memoised);
  }
}

/** Each signed-in variant of the header a user can see, and the signed-out one. */
function layoutContexts(): LayoutContext[] {
  const contexts: LayoutContext[] = [
    { user: null, path: '/', demo: false },
    { user: null, path: '/sign-in', demo: true },
  ];
  // A role this version does not know (a stored value from elsewhere): named as stored.
  contexts.push({
    user: { displayName: 'Old', role: 'retired-role', stage: 'mfa-pending' },
    path: '/',
    demo: false,
  });
  for (const role of ROLES) {
    for (const path of ['/', '/patients/1', '/worklist', '/audit', '/admin/users/x']) {
      for (const demo of [false, true]) {
        contexts.push({ user: { displayName: `Nia ${role}`, role, stage: 'full' }, path, demo });
      }
    }
    // The same person, page and service at each sign-in stage: only the stage tells them apart.
    for (const stage of ['mfa-pending', 'mfa-enrol']) {
      for (const path of ['/', '/patients/1']) {
        contexts.push({ user: { displayName: `Nia ${role}`, role, stage }, path, demo: false });
      }
    }
  }
  return contexts;
}

describe('remembered NHS.UK components (component-cache.ts)', () => {
  it('give the macro’s own HTML for every header, footer and skip link the layout renders, the first time and from memory', () => {
    const env = environment();
    const contexts = layoutContexts();
    let checked = 0;
    // Twice over: the second pass is served from memory, interleaved with other variants.
    for (let pass = 0; pass < 2; pass++) {
      for (const context of contexts) {
        const { page, calls } = renderLayout(env, context);
        assert.deepEqual(calls.map((c) => c.name).sort(), ['footer', 'skip-link']);
        for (const call of calls) {
          assert.equal(
            call.html,
            macroHtml(call.name, call.params),
            `${call.name} for ${JSON.stringify(context)}`,
          );
          checked++;
        }
        const header = headerTheLayoutBuilt(context);
        assert.ok(header.includes('<header'));
        assert.ok(page.includes(header), `header for ${JSON.stringify(context)}`);
        checked++;
      }
    }
    assert.equal(checked, contexts.length * 3 * 2);
  });

  it('never shows one person’s name in another’s header, and escapes what it shows', () => {
    const env = environment();
    const signedIn = (displayName: string) =>
      renderLayout(env, {
        user: { displayName, role: 'nurse-specialist', stage: 'full' },
        path: '/patients',
        demo: false,
      }).page;
    const first = signedIn('Ann <b>Jones</b> & "co"');
    const second = signedIn('Bea Smith');
    assert.ok(first.includes('Ann &lt;b&gt;Jones&lt;/b&gt; &amp; &quot;co&quot;'));
    assert.ok(!first.includes('<b>Jones</b>'));
    assert.ok(second.includes('Bea Smith') && !second.includes('Jones'));
    assert.ok(signedIn('Ann <b>Jones</b> & "co"').includes('Ann &lt;b&gt;Jones'));
  });

  it('keeps headers apart whose key parts could run together', () => {
    const env = environment();
    const component = env.getGlobal('component') as ComponentRenderer;
    // A name holding the separator must not produce another person's key.
    const a = headerFor(
      component,
      { displayName: 'Ann\nfull', role: 'consultant', stage: 'full' },
      '/',
      false,
    );
    const b = headerFor(component, { displayName: 'Ann', role: 'consultant', stage: 'full' }, '/', false);
    assert.notEqual(a.toString(), b.toString());
    // The same person and page at another sign-in stage gets another header.
    const pending = headerFor(
      component,
      { displayName: 'Ann', role: 'consultant', stage: 'mfa-pending' },
      '/',
      false,
    );
    assert.notEqual(pending.toString(), b.toString());
    assert.ok(!pending.toString().includes('Your account') && b.toString().includes('Your account'));
    const keyed = component.keyed('back-link', 'x', () => ({ href: '/a', text: 'A' }));
    const serialised = component('back-link', { href: '/b', text: 'B' });
    assert.notEqual(keyed.toString(), serialised.toString());
  });

  it('renders backLink() as the macro does, for static and record-specific links', () => {
    const env = environment();
    for (const params of [
      { href: '/patients', text: 'Find a patient' },
      { href: '/patients/abc/test-doses', text: 'Back to test doses' },
      { href: '/x?a=1&b="2"', text: 'Back <now>' },
    ]) {
      const html = env.renderString('{{ backLink(params) }}', { params });
      assert.equal(html, macroHtml('back-link', params));
      assert.equal(env.renderString('{{ backLink(params) }}', { params }), html);
    }
  });

  it('keeps at most the configured number of variants, forgetting the least recently used', () => {
    const env = environment();
    const rendered: string[] = [];
    const render = env.render.bind(env);
    env.render = (name: string, context?: object) => {
      rendered.push(JSON.stringify(context));
      return render(name, context);
    };
    const component = componentRenderer(env, 2);
    const link = (text: string) => ({ href: '/', text });
    component('back-link', link('a'));
    component('back-link', link('b'));
    component('back-link', link('a')); // a is now the most recently used
    component('back-link', link('c')); // forgets b
    component('back-link', link('a'));
    assert.equal(rendered.length, 3);
    assert.equal(component('back-link', link('b')).toString(), macroHtml('back-link', link('b')));
    assert.equal(rendered.length, 4);
  });

  it('refuses components that are not on its list (those may show patient data)', () => {
    const component = componentRenderer(environment(), 10);
    assert.throws(() => component('summary-list', { rows: [] }), /not a memoised component/);
  });
});

describe('layout macros loaded once (layout-macros.ts)', () => {
  /** nhsuk-frontend's own examples of each component: the parameters and the HTML they give. */
  function fixtures(component: string): { name: string; context: Params }[] {
    const file = createRequire(import.meta.url).resolve(
      `nhsuk-frontend/dist/nhsuk/components/${component}/fixtures.json`,
    );
    return (JSON.parse(readFileSync(file, 'utf8')) as { fixtures: { name: string; context: Params }[] })
      .fixtures;
  }

  it('give, for every example nhsuk-frontend publishes, the HTML of the macro imported afresh', () => {
    const env = environment();
    let checked = 0;
    for (const { file, name } of LAYOUT_MACROS) {
      const component = /^nhsuk\/components\/([\w-]+)\/macro\.njk$/.exec(file)?.[1];
      if (!component) {
        continue;
      }
      // Twice: the second call is of the same macro again, as the next page would make it.
      for (let pass = 0; pass < 2; pass++) {
        const examples: { name: string; context: Params }[] = fixtures(component);
        for (const fixture of examples) {
          const ours: string = env.renderString(`{{ ${name}(params) }}`, { params: fixture.context });
          const theirs: string = plain.renderString(
            `{% from "${file}" import ${name} %}{{ ${name}(params) }}`,
            {
              params: fixture.context,
            },
          );
          assert.equal(ours, theirs, `${name}: ${fixture.name}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 400, String(checked));
  });

  it('give this service’s own partial’s output, which takes the page’s values only as arguments', () => {
    const env = environment();
    const args = { token: 'a"b<c' };
    assert.equal(
      env.renderString('{{ csrf(token) }}', args),
      plain.renderString('{% from "partials/forms.njk" import csrf %}{{ csrf(token) }}', args),
    );
  });

  it('are not imported by the layout any more, and every macro it imported is a global', () => {
    const layout = readFileSync(new URL('../../../views/layout.njk', import.meta.url), 'utf8');
    assert.doesNotMatch(layout, /\{%-?\s*(from|import)\s/);
    const env = environment();
    for (const name of [...LAYOUT_MACROS.map((m) => m.name), 'textSummaryList']) {
      assert.equal(typeof env.getGlobal(name), 'function', name);
    }
    assert.deepEqual(LAYOUT_MACROS.map((m) => m.name).sort(), [
      'button',
      'checkboxes',
      'csrf',
      'dateInput',
      'errorSummary',
      'fieldset',
      'input',
      'insetText',
      'notificationBanner',
      'pagination',
      'radios',
      'summaryList',
      'table',
      'textarea',
      'warningCallout',
    ]);
  });
});

describe('trim filter (template-filters.ts)', () => {
  const builtIn = (s: string) => s.replace(/^\s*|\s*$/g, '');

  it('removes exactly what Nunjucks’ built-in trim removes', () => {
    const unit = fc.constantFrom(
      ' ',
      '\t',
      '\n',
      '\r',
      '\v',
      '\f',
      '\u00a0',
      '\u1680',
      '\u2003',
      '\u2028',
      '\u2029',
      '\u202f',
      '\u3000',
      '\ufeff',
      '\u200b',
      'a',
      '<',
      'é',
      '\u{1f600}',
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (s) => {
        assert.equal(trimFilter(s), builtIn(s));
      }),
    );
  });

  it('keeps text marked safe marked safe, and leaves other values alone', () => {
    const safe = trimFilter(new nunjucks.runtime.SafeString('  <b>x</b>\n'));
    assert.ok(safe instanceof nunjucks.runtime.SafeString);
    assert.equal(String(safe), '<b>x</b>');
    const env = environment();
    assert.equal(env.renderString('[{{ " <i> " | trim }}]', {}), '[&lt;i&gt;]');
    assert.equal(trimFilter(undefined), undefined);
    assert.equal(trimFilter(3), 3);
  });
});

describe('textSummaryList (text-summary-list.ts)', () => {
  /** Whitespace next to tags is not shown; the rest is compared as written. */
  const normalise = (html: string) =>
    html
      .replace(/\s*(<[^>]+>)\s*/g, '$1')
      .replace(/\s+/g, ' ')
      .trim();

  const theirs = (rows: unknown) =>
    plain.renderString(
      '{% from "nhsuk/components/summary-list/macro.njk" import summaryList %}{{ summaryList({ rows: rows }) }}',
      { rows },
    );

  it('gives the NHS.UK summary list’s HTML for rows of text', () => {
    const env = environment();
    const cases: { key: { text: unknown }; value: { text: unknown } }[][] = [
      [],
      [{ key: { text: 'NHS number' }, value: { text: '485 777 3457' } }],
      [
        { key: { text: 'Name' }, value: { text: 'O’Brien <script>alert(1)</script> & "Co"' } },
        { key: { text: 'Address' }, value: { text: '1 High St,  Leeds' } },
        { key: { text: 'Needs' }, value: { text: 'None recorded' } },
      ],
      [{ key: { text: "Carer's name" }, value: { text: "D'Arcy \\ <i>" } }],
    ];
    for (const rows of cases) {
      const ours = env.renderString('{{ textSummaryList(rows) }}', { rows });
      assert.equal(normalise(ours), normalise(theirs(rows)));
      assert.ok(!ours.includes('<script>') && !ours.includes('<i>'));
    }
  });

  it('escapes any text as the macro does', () => {
    const env = environment();
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '<', '>', '&', '"', "'", '\\', '/', 'é', '=') });
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 4 }), (pairs) => {
        const rows = pairs.map(([key, value]) => ({ key: { text: key }, value: { text: value } }));
        const ours = env.renderString('{{ textSummaryList(rows) }}', { rows });
        assert.equal(normalise(ours), normalise(theirs(rows)));
      }),
      { numRuns: 200 },
    );
  });

  it('writes the page’s text, never markup: only text marked safe by the service is kept as it is', () => {
    const html = textSummaryList([
      { key: { text: 'a' }, value: { text: '<b>x</b>' } },
      { key: { text: 'b' }, value: { text: new nunjucks.runtime.SafeString('<b>y</b>') } },
      { key: { text: 'c' }, value: { text: null } },
      { key: { text: 'd' }, value: {} },
    ]).toString();
    assert.ok(html.includes('&lt;b&gt;x&lt;/b&gt;') && html.includes('<b>y</b>'));
    assert.match(html, /c<\/dt>\s*<dd class="nhsuk-summary-list__value"><\/dd>/);
    assert.match(html, /d<\/dt>\s*<dd class="nhsuk-summary-list__value"><\/dd>/);
  });

  it('renders no rows, or an empty row, as the template loop did, rather than failing the page', () => {
    const env = environment();
    const empty = '<dl class="nhsuk-summary-list">\n</dl>';
    assert.equal(env.renderString('{{ textSummaryList(rows) }}', { rows: null }), empty);
    assert.equal(env.renderString('{{ textSummaryList(missing) }}', {}), empty);
    assert.match(textSummaryList([null]).toString(), /<dt class="nhsuk-summary-list__key"><\/dt>/);
  });
});
