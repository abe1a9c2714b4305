import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { needsChecking } from '../../../domain/referral-check.ts';
import { pageLinks, parsePageNumber } from '../../../domain/referral-search.ts';
import { roleHasPermission } from '../../../domain/roles.ts';
import { AppError } from '../../../services/app-error.ts';
import type { ReferralListPage } from '../../../services/referral-lists-service.ts';
import type { ReferralState } from '../../../storage/referrals.repository.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { formFields } from '../form.ts';
import { STATE_LABELS } from './referral-page-data.ts';

/** The list's address for a page, keeping the state and search it shows (so paging needs no script). */
function listHref(state: ReferralState | null, q: string, page: number): string {
  const params = new URLSearchParams();
  if (state) {
    params.set('state', state);
  }
  if (q) {
    params.set('q', q);
  }
  if (page > 1) {
    params.set('page', String(page));
  }
  const query = params.toString();
  return query ? `/referrals?${query}` : '/referrals';
}

/** The numbered pagination's options (nhsuk-frontend `pagination`), or null for a single page. */
function paginationFor(list: ReferralListPage, state: ReferralState | null, q: string) {
  if (list.pages <= 1) {
    return null;
  }
  return {
    ariaLabel: 'Pages of referrals',
    previous: list.page > 1 ? { href: listHref(state, q, list.page - 1) } : undefined,
    next: list.page < list.pages ? { href: listHref(state, q, list.page + 1) } : undefined,
    items: pageLinks(list.page, list.pages).map((l) =>
      'ellipsis' in l
        ? { ellipsis: true }
        : { number: l.number, current: l.current, href: listHref(state, q, l.number) },
    ),
  };
}

/**
 * The referral list: a page at a time (REFERRAL_PAGE_SIZE, numbered pages that are plain links),
 * in one state or all, searched by the patient's name or NHS number, the UBRN or the referrer.
 * A page number or search that cannot be read is a 400 naming it, the list not shown.
 */
export function referralListRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get('/referrals', { config: { access: { permission: 'referral:read' } } }, async (request, reply) => {
    const query = formFields(request.query);
    const state =
      query.state && Object.hasOwn(STATE_LABELS, query.state) ? (query.state as ReferralState) : null;
    const q = (query.q ?? '').trim();
    const auth = requireAuth(request);
    const common = {
      title: 'Referrals',
      state,
      q,
      states: Object.entries(STATE_LABELS).map(([value, text]) => ({
        value,
        text,
        selected: value === state,
      })),
      canWrite: roleHasPermission(auth.user.role, 'referral:write'),
    };
    const refuse = (error: FieldError) =>
      reply.status(400).page('pages/referrals/list.njk', {
        ...common,
        title: 'Referrals',
        list: null,
        ...errorContext([error], { page: 'q' }),
      });
    const page = parsePageNumber(query.page);
    if (!page.ok) {
      return refuse(page.error);
    }
    let list: ReferralListPage;
    try {
      list = await deps.services.referrals.list(actorFor(auth, request.id), { state, q, page: page.page });
    } catch (err) {
      if (err instanceof AppError && err.code === 'VALIDATION_FAILED' && err.fieldErrors[0]) {
        return refuse(err.fieldErrors[0]);
      }
      throw err;
    }
    return reply.page('pages/referrals/list.njk', {
      ...common,
      title: list.pages > 1 ? `Referrals (page ${String(list.page)} of ${String(list.pages)})` : 'Referrals',
      list: {
        ...list,
        first: list.total === 0 ? 0 : (list.page - 1) * list.pageSize + 1,
        last: (list.page - 1) * list.pageSize + list.rows.length,
        rows: list.rows.map((r) => ({
          ...r,
          stateLabel: STATE_LABELS[r.referral.state],
          needsCheck: needsChecking(r.referral.check),
        })),
      },
      pageNav: paginationFor(list, state, q),
    });
  });
}
