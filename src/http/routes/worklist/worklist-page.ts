import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { emergencyHeadline } from '../../../domain/emergency-events.ts';
import { REFILL_STATUS_LABELS, type RefillStatus } from '../../../domain/refill-worklist.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { formFields } from '../form.ts';
import { reviewText, worklistDaysText } from './worklist-view.ts';

/** Tag colours by risk; each status is also in words, so colour is never the only signal. */
const STATUS_TAGS: Readonly<Record<RefillStatus, string>> = {
  'resume-overdue': 'nhsuk-tag--red',
  overdue: 'nhsuk-tag--red',
  'no-plan': 'nhsuk-tag--red',
  'booked-late': 'nhsuk-tag--red',
  'not-booked': 'nhsuk-tag--orange',
  paused: 'nhsuk-tag--blue',
  'due-soon': 'nhsuk-tag--yellow',
  booked: 'nhsuk-tag--green',
};

export const WORKLIST_PAGE_SIZE = 50;

/** The caseload-wide refill worklist, most at risk first, 50 pumps a page. */
export function worklistRoutes(deps: RouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/worklist', { config: { access: { permission: 'patient:read' } } }, async (request, reply) => {
      const q = formFields(request.query);
      const requested = Number(q.page ?? '1');
      const wanted = Number.isInteger(requested) && requested >= 1 ? requested : 1;
      // Open emergencies head the worklist until a consultant closes them (hazard H-112): read
      // with the worklist, in its one audited view.
      const {
        list,
        page,
        pages,
        openEmergencies: emergencies,
      } = await deps.services.pumps.worklist(actorFor(requireAuth(request), request.id), {
        page: wanted,
        pageSize: WORKLIST_PAGE_SIZE,
        firstPageWhenPast: true,
        withOpenEmergencies: true,
      });
      const shown = list.entries;
      // Post-scan MRI checks waiting: a section of their own, read with the worklist's view.
      const mriChecks = await deps.services.mri.pendingChecks(actorFor(requireAuth(request), request.id), {
        audited: false,
      });
      return reply.page('pages/worklist/list.njk', {
        title: 'Refill worklist',
        list,
        mriChecks,
        events: emergencies.map((e) => ({
          id: e.id,
          patientId: e.patientId,
          headline: emergencyHeadline(e.kind),
          onsetAt: e.onsetAt,
          patientName: `${e.familyName.toUpperCase()}, ${e.givenName}`,
          nhsNumber: e.nhsNumber,
        })),
        entries: shown.map((e) => ({
          ...e,
          statusText: REFILL_STATUS_LABELS[e.standing.status],
          tag: STATUS_TAGS[e.standing.status],
          daysText: worklistDaysText(e),
          reviewText: reviewText(e),
        })),
        page,
        pages,
        total: list.total,
        previousPage: page > 1 ? page - 1 : null,
        nextPage: page < pages ? page + 1 : null,
      });
    });
  };
}
