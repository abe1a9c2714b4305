import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { PRIORITY_LABELS } from '../../../domain/triage.ts';
import { waitStatusText } from '../../../domain/waiting-target.ts';
import { actorFor, requireAuth } from '../../access.ts';

/** Tag colours by risk, so the list reads at a glance (and each status is also in words). */
const STATUS_TAGS: Readonly<Record<string, string>> = {
  breached: 'nhsuk-tag--red',
  'will-breach': 'nhsuk-tag--red',
  'due-soon': 'nhsuk-tag--orange',
  'not-booked': 'nhsuk-tag--yellow',
  'booked-within-target': 'nhsuk-tag--green',
};

/** The triage queue and the waiting list for a first appointment. */
export function waitingRoutes(deps: RouteDeps): FastifyPluginAsync {
  const referrals = deps.services.referrals;
  const read = { permission: 'referral:read' } as const;
  return async (app) => {
    app.get('/triage', { config: { access: read } }, async (request, reply) => {
      const items = await referrals.triageQueue(actorFor(requireAuth(request), request.id));
      return reply.page('pages/referrals/triage-queue.njk', {
        title: 'Triage queue',
        items,
        alertDays: deps.config.triageAlertWorkingDays,
      });
    });

    app.get('/waiting-list', { config: { access: read } }, async (request, reply) => {
      const items = await referrals.waitingList(actorFor(requireAuth(request), request.id), 'page');
      return reply.page('pages/referrals/waiting-list.njk', {
        title: 'Waiting list',
        targetDays: deps.config.waiting.targetDays,
        urgentTargetDays: deps.config.waiting.urgentTargetDays,
        clockStart: deps.config.waiting.clockStart,
        items: items.map((i) => ({
          ...i,
          statusText: waitStatusText(i.assessment),
          tag: STATUS_TAGS[i.assessment.status] ?? '',
          priorityLabel: PRIORITY_LABELS[i.referral.priority ?? 'routine'],
        })),
      });
    });
  };
}
