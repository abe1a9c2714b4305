import { formatPlainDate } from '../../../domain/calendar-date.ts';
import { sourceKeysIn, sourcesHref, withoutSourceKeys } from '../../../domain/clinical-sources.ts';
import { CONSULTANT_ACTIONS, LETTER_KINDS } from '../../../domain/life-event-actions.ts';
import { LIFE_EVENT_KIND_LABELS, type LifeEventKind } from '../../../domain/life-events.ts';
import { END_REQUEST_KIND_LABELS, PUMP_STATE_LABELS } from '../../../domain/pump-lifecycle.ts';
import { roleHasPermission, type Role } from '../../../domain/roles.ts';
import type { EventPump } from '../../../services/life-event-service.ts';
import type { LifeEvent } from '../../../storage/life-events.repository.ts';

/** How life events read on the patient overview and the event's own page. */

export const STATE_LABELS = {
  open: 'Actions outstanding',
  completed: 'All actions done',
  ended: 'Ended',
} as const;

/** A one-line summary of what was recorded. */
export function eventSummary(e: LifeEvent): string {
  const d = e.details;
  switch (d.kind) {
    case 'pregnancy':
      return `Expected delivery ${formatPlainDate(d.input.expectedDeliveryOn)}; obstetric team: ${d.input.obstetricTeam}`;
    case 'surgery-elsewhere':
      return `${d.input.procedure} at ${d.input.hospital} on ${formatPlainDate(d.input.surgeryOn)} (expected stay ${String(d.input.expectedStayDays)} days); contact: ${d.input.teamContact}`;
    case 'death':
      return `Died ${formatPlainDate(d.input.diedOn)}; learned from: ${d.input.source}`;
    case 'transfer':
      return `To ${d.input.receivingService} from ${formatPlainDate(d.input.transferOn)}; contact: ${d.input.contact}`;
  }
}

export function hasLetter(kind: LifeEventKind): boolean {
  return (LETTER_KINDS as readonly string[]).includes(kind);
}

/** The overview's block: open events with their outstanding actions, and the date of death. */
export function overviewLifeEvents(events: readonly LifeEvent[]) {
  // Ending a death's checklist early does not undo the death: the date stays on the record.
  const death = events.find((e) => e.kind === 'death');
  return {
    diedOn: death?.eventOn ?? null,
    open: events
      .filter((e) => e.state === 'open')
      .map((e) => ({
        id: e.id,
        title: LIFE_EVENT_KIND_LABELS[e.kind],
        summary: eventSummary(e),
        outstanding: e.actions
          .filter((a) => a.doneAt === null)
          .map((a) => ({ label: a.label, dueOn: a.dueOn })),
      })),
    closedCount: events.filter((e) => e.state !== 'open').length,
  };
}

/** The event page: the checklist with who may mark each action, the pumps and their end requests. */
export function eventPageView(
  page: {
    readonly event: LifeEvent;
    readonly pumps: readonly EventPump[];
    readonly names: ReadonlyMap<string, string>;
  },
  role: Role,
) {
  const { event, names } = page;
  const canManage = roleHasPermission(role, 'pump:manage');
  const open = event.state === 'open';
  const who = (id: string | null) => (id === null ? null : (names.get(id) ?? 'Unknown'));
  return {
    title: LIFE_EVENT_KIND_LABELS[event.kind],
    summary: eventSummary(event),
    notes: 'notes' in event.details.input ? event.details.input.notes : null,
    stateLabel: STATE_LABELS[event.state],
    recordedBy: who(event.recordedBy),
    closedBy: who(event.closedBy),
    canEnd: open && canManage,
    letter: hasLetter(event.kind) ? `/life-events/${event.id}/letter` : null,
    actions: event.actions.map((a) => ({
      code: a.code,
      label: a.label,
      detail: withoutSourceKeys(a.detail),
      sourcesHref: sourceKeysIn(a.detail).length > 0 ? sourcesHref(a.detail) : null,
      dueOn: a.dueOn,
      doneAt: a.doneAt,
      doneBy: who(a.doneBy),
      doneNote: a.doneNote,
      consultantOnly: CONSULTANT_ACTIONS.includes(a.code),
      canMark:
        open &&
        canManage &&
        a.doneAt === null &&
        (!CONSULTANT_ACTIONS.includes(a.code) || role === 'consultant'),
    })),
    // A death or transfer asks for each pump's end: shown so nobody thinks the pump has left the list.
    pumpEnds:
      event.kind === 'death' || event.kind === 'transfer'
        ? page.pumps.map((p) => ({
            href: `/pumps/${p.pump.id}`,
            serial: p.pump.serialNumber,
            state: PUMP_STATE_LABELS[p.pump.state],
            pending:
              p.pendingEnd === null
                ? null
                : `${END_REQUEST_KIND_LABELS[p.pendingEnd.kind]}, asked for by ${who(p.pendingEnd.requestedBy) ?? 'Unknown'}: waiting for a different clinician to confirm on the pump page. Until then the pump stays on the refill worklist and its bookings stand.`,
          }))
        : [],
  };
}
