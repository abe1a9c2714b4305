import { sourcesHref, withoutSourceKeys } from '../../domain/clinical-sources.ts';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import nunjucks from 'nunjucks';
import type { AppConfig } from '../../config.ts';
import { formatPlainDate } from '../../domain/calendar-date.ts';
import { isRole, ROLE_LABELS, roleHasPermission, type Permission, type Role } from '../../domain/roles.ts';
import type { FieldError } from '../../domain/field-error.ts';
import { componentRenderer, type ComponentRenderer } from './component-cache.ts';
import { registerDesignSystemCss } from './design-system-css.ts';
import { addLayoutMacros } from './layout-macros.ts';
import { dateFilters, nhsNumberFilter, trimFilter } from './template-filters.ts';
import { textSummaryList } from './text-summary-list.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const VIEWS_DIR = resolve(here, '../../../views');
const PUBLIC_DIR = resolve(here, '../../../public');
const NHSUK_DIST = join(
  dirname(createRequire(import.meta.url).resolve('nhsuk-frontend/package.json')),
  'dist',
);

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page with the layout's shared context (user, navigation, CSRF token, nonce). */
    page(template: string, data?: Record<string, unknown>): FastifyReply;
  }
}

/** Field errors as the error-summary list and a field → message map for inline messages. */
export function errorContext(errors: readonly FieldError[], hrefFor: Record<string, string> = {}) {
  return {
    errorList: errors.map((e) => ({ text: e.message, href: `#${hrefFor[e.field] ?? e.field}` })),
    fieldErrors: Object.fromEntries(errors.map((e) => [e.field, e.message])),
  };
}

/** Header variants kept: one per user and navigation section is a few thousand bytes each. */
const COMPONENT_CACHE_SIZE = 1000;

const NAV: readonly { text: string; href: string; permission: Permission }[] = [
  { text: 'Patients', href: '/patients', permission: 'patient:read' },
  { text: 'Referrals', href: '/referrals', permission: 'referral:read' },
  { text: 'Email referrals', href: '/intake', permission: 'referral:read' },
  { text: 'Triage queue', href: '/triage', permission: 'referral:read' },
  { text: 'Waiting list', href: '/waiting-list', permission: 'referral:read' },
  { text: 'Refill worklist', href: '/worklist', permission: 'patient:read' },
  { text: 'MDT list', href: '/mdt', permission: 'patient:read' },
  { text: 'Complications', href: '/complications', permission: 'patient:read' },
  { text: 'Figures', href: '/figures', permission: 'figures:read' },
  { text: 'Staff accounts', href: '/admin/users', permission: 'users:manage' },
  { text: 'Audit trail', href: '/audit', permission: 'audit:read' },
  { text: 'Import a caseload', href: '/import/caseload', permission: 'caseload:import' },
  { text: 'Emergency summary', href: '/break-glass', permission: 'emergency:break-glass' },
];

/** The header's navigation: the sections the role may use, the one holding `path` marked current. */
export function navigationFor(role: Role, path: string): { text: string; href: string; current: boolean }[] {
  return NAV.filter((n) => roleHasPermission(role, n.permission)).map((n) => ({
    text: n.text,
    href: n.href,
    current: path === n.href || path.startsWith(`${n.href}/`),
  }));
}

/** The folders templates are found in: this service's, then nhsuk-frontend's. */
export const TEMPLATE_DIRS: readonly string[] = [VIEWS_DIR, NHSUK_DIST];

/** A role as pages name it: its label, or the stored text for a role this version does not know. */
function roleLabel(role: string): string {
  return isRole(role) ? ROLE_LABELS[role] : role;
}

/** The filters and globals every template may use (also used by the template tests). */
export function configureTemplates(env: nunjucks.Environment, timeZone: string): ComponentRenderer {
  const dates = dateFilters(timeZone);
  env.addFilter('nhsNumber', nhsNumberFilter);
  env.addFilter('plainDate', (v: string) => formatPlainDate(v));
  // The one style for dates and date-times (template-filters.ts): "7 March 2026", "7 March 2026, 14:05".
  // `dateTime` is the name the pages used before; it gives the same style.
  env.addFilter('ukDate', dates.ukDate);
  env.addFilter('ukDateTime', dates.ukDateTime);
  env.addFilter('dateTime', dates.ukDateTime);
  env.addFilter('roleLabel', roleLabel);
  // Clinical pages show a "Sources" link, never the source keys ([LTH-SEED]) their texts cite.
  env.addFilter('withoutSourceKeys', (v: unknown) => (typeof v === 'string' ? withoutSourceKeys(v) : v));
  env.addFilter('sourcesHref', (v: unknown) => sourcesHref(typeof v === 'string' ? v : ''));
  env.addFilter('trim', trimFilter);
  addLayoutMacros(env);
  env.addGlobal('textSummaryList', textSummaryList);
  const component = componentRenderer(env, COMPONENT_CACHE_SIZE);
  env.addGlobal('component', component);
  // Pages call backLink() as they would the NHS.UK macro (layout.njk does not import it).
  env.addGlobal('backLink', (params: Record<string, unknown>) => component('back-link', params));
  return component;
}

/** Who the layout's header names: the signed-in person, at whichever sign-in stage. */
export interface LayoutUser {
  readonly displayName: string;
  /** The stored role; a role this version does not know gets no navigation. */
  readonly role: string;
  readonly stage: string;
}

/**
 * The NHS.UK header for a page, remembered per variant: the service name (marked in the demo),
 * the role's navigation with the current section (only once fully signed in), and the account
 * menu. The key names every input the parameters are built from, so equal keys give equal
 * headers; templates.test.ts compares each variant with the header macro given the parameters
 * the layout used to build in the template.
 */
export function headerFor(
  component: ComponentRenderer,
  user: LayoutUser | null,
  path: string,
  demo: boolean,
): nunjucks.runtime.SafeString {
  const navigation = user?.stage === 'full' && isRole(user.role) ? navigationFor(user.role, path) : [];
  // Which links are marked current (all of them, should sections ever nest).
  const current = navigation.map((n) => (n.current ? '1' : '0')).join('');
  const key = user
    ? `${String(demo)}\n${user.stage}\n${user.role}\n${current}\n${user.displayName}`
    : String(demo);
  return component.keyed('header', key, () => ({
    service: { text: `ITB service${demo ? ' (demo)' : ''}`, href: '/' },
    navigation: navigation.length ? { items: navigation } : undefined,
    account: user
      ? {
          items: [
            { text: `${user.displayName} (${roleLabel(user.role)})`, icon: true },
            user.stage === 'full' ? { href: '/account', text: 'Your account' } : undefined,
            { href: '/sign-out', text: 'Sign out' },
          ],
        }
      : undefined,
  }));
}

export async function registerViews(app: FastifyInstance, config: AppConfig): Promise<void> {
  let components: ComponentRenderer | null = null;
  await app.register(fastifyStatic, {
    root: [join(NHSUK_DIST, 'nhsuk'), join(NHSUK_DIST, 'nhsuk', 'assets'), PUBLIC_DIR],
    prefix: '/assets/',
    index: false,
    list: false,
    allowedPath: (path) =>
      /^\/(images\/[\w.-]+|manifest\.json|nhsuk-frontend\.min\.js|app\.(js|css)|print\.css|session-timeout\.js)$/.test(
        path,
      ),
    setHeaders: (reply) => {
      void reply.header('cache-control', 'public, max-age=3600');
    },
  });

  // The stylesheet with its fonts served from here or left out (design-system-css.ts).
  await registerDesignSystemCss(app, join(NHSUK_DIST, 'nhsuk', 'nhsuk-frontend.min.css'), config.fontsDir);

  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [...TEMPLATE_DIRS],
    options: {
      onConfigure: (env: nunjucks.Environment) => {
        components = configureTemplates(env, config.timeZone);
      },
      autoescape: true,
      throwOnUndefined: false,
    },
  });

  app.decorateReply(
    'page',
    function page(this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
      // eslint-disable-next-line @typescript-eslint/no-this-alias -- the CSRF getter below needs the reply
      const reply = this;
      const request: FastifyRequest = this.request;
      const auth = request.auth;
      const path = request.url.split('?')[0] ?? '/';
      const user: LayoutUser | null =
        auth?.kind === 'session'
          ? { displayName: auth.user.displayName, role: auth.user.role, stage: auth.session.stage }
          : null;
      if (components === null) {
        throw new Error('views: the templates are not configured');
      }
      const ctx = {
        ...data,
        cspNonce: this.cspNonce,
        // A function, so a token is made only on pages with forms (@fastify/view copies the
        // context, which would run a getter on every page).
        csrfToken: () => reply.generateCsrf(),
        demo: config.demo,
        copyright: config.serviceCopyright,
        user,
        headerHtml: headerFor(components, user, path, config.demo),
        currentPath: path,
        // The open emergency events of the patient this page belongs to (plugins/patient-alerts.ts).
        emergencyAlerts: request.emergencyAlerts ?? [],
      };
      void this.view(template, ctx);
      return this;
    },
  );
}
