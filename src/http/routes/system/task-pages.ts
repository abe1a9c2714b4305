import type { FastifyInstance } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { queueText, TASK_QUEUES } from '../../../domain/task-queues.ts';
import { dateColumnLabel, TASK_LIST_KEYS } from '../../../services/task-list-service.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { formFields } from '../form.ts';

export const TASK_LIST_PAGE_SIZE = 50;

/**
 * The lists the home page's task queues link to, where no other page lists exactly what the
 * queue counts: one page per queue, each open to the permission that works it, so the route
 * table's authorisation tests cover each.
 */
export function registerTaskPages(app: FastifyInstance, deps: RouteDeps): void {
  for (const key of TASK_LIST_KEYS) {
    const queue = TASK_QUEUES[key];
    app.get(queue.href, { config: { access: { permission: queue.permission } } }, async (request, reply) => {
      const q = formFields(request.query);
      const requested = Number(q.page ?? '1');
      const list = await deps.services.system.taskList(actorFor(requireAuth(request), request.id), key, {
        page: Number.isInteger(requested) && requested >= 1 ? requested : 1,
        pageSize: TASK_LIST_PAGE_SIZE,
      });
      const heading = queueText(key, list.total);
      return reply.page('pages/tasks/list.njk', {
        title: heading,
        heading,
        list,
        href: queue.href,
        dateLabel: dateColumnLabel(key),
        showBooked: list.rows.some((r) => r.booked !== null),
        previousPage: list.page > 1 ? list.page - 1 : null,
        nextPage: list.page < list.pages ? list.page + 1 : null,
      });
    });
  }
}
