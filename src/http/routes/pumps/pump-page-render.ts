import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PlainDate } from '../../../domain/calendar-date.ts';
import type { RouteDeps } from '../../../compose.ts';
import type { FieldError } from '../../../domain/field-error.ts';
import { isOwnProposal } from '../../../domain/prescription-input.ts';
import { earliestReviewDay } from '../../../domain/pump-appointment-input.ts';
import { PUMP_EVENT_LABELS } from '../../../domain/pump-event-input.ts';
import { dueText, resumeText, sentenceCase } from '../../../domain/pump-days-text.ts';
import { REFILL_STATUS_LABELS, type RefillStanding } from '../../../domain/refill-worklist.ts';
import { roleHasPermission, type Permission } from '../../../domain/roles.ts';
import type { PumpOverview } from '../../../services/pump-overview.ts';
import { cardStandingView } from '../documents/document-view.ts';
import { actorFor, requireAuth, type RequestAuth } from '../../access.ts';
import { errorContext } from '../../plugins/views.ts';
import { dateFromParts, formFields, isPageError, noticeFrom } from '../form.ts';
import { pumpChoices } from './pump-forms.ts';
import { pumpComplicationsView } from '../complications/complication-view.ts';
import { lifecyclePeople, lifecycleView } from './pump-lifecycle-view.ts';
import {
  comparisonRows,
  num,
  originLabel,
  prescriptionHistory,
  prescriptionPeople,
  prescriptionSummary,
  signedMl,
  signedPercent,
} from './pump-view.ts';

/**
 * The pump page and the small forms on it (events, appointments, prescription decisions): shown
 * again on a problem with the message beside the form and what was typed. Shared by the route
 * files that post to it, so each keeps to its own feature.
 */

export const PUMP_NOTICES: Readonly<Record<string, string>> = {
  registered: 'Pump registered',
  'replacement-requested':
    'Pump registered. A different clinician must confirm the replacement on the old pump’s page: until then the old pump stays on the refill worklist',
  proposed: 'Prescription change proposed: it counts once a second clinician confirms it',
  confirmed: 'Prescription change confirmed: it is now the active prescription',
  rejected: 'Prescription change rejected: the active prescription stays as it was',
  event: 'Event recorded',
  booked: 'Appointment booked',
  appointment: 'Appointment updated',
  'review-held': 'Review recorded as held: the review schedule has moved on to the next review',
  'end-requested':
    'Request recorded: the pump stays on the refill worklist until a different clinician confirms it',
  'end-confirmed': 'Confirmed: the pump has ended and has left the refill worklist',
  'end-rejected': 'Request closed: nothing about the pump has changed',
  'correction-requested':
    'Correction recorded: the pump goes back on the refill worklist when a different clinician confirms it',
  'correction-confirmed': 'Correction confirmed: the pump is implanted and back on the refill worklist',
  paused: 'Pump marked as paused: it stays on the refill worklist until it resumes',
  resumed: 'Resume recorded',
  'plan-recorded': 'Bridging plan recorded',
};

/** The pump page's smaller forms name their fields with a prefix, so each error lands on its own form. */
const PUMP_PAGE_HREFS: Record<string, string> = {
  'event-occurredOn': 'event-occurredOn-day',
  'appt-onDate': 'appt-onDate-day',
  'review-heldOn': 'review-heldOn-day',
  'end-endedOn': 'end-endedOn-day',
  'pause-pausedOn': 'pause-pausedOn-day',
  'pause-resumeBy': 'pause-resumeBy-day',
  'resume-resumedOn': 'resume-resumedOn-day',
};

export const prefixed = (errors: readonly FieldError[], prefix: string): FieldError[] =>
  errors.map((e) => ({ field: `${prefix}${e.field}`, message: e.message }));

export interface PumpPageExtra {
  readonly status?: number;
  readonly errors?: readonly FieldError[];
  readonly values?: Record<string, string>;
  readonly conflict?: string | null;
}

export function pumpPage(deps: RouteDeps) {
  const pumps = deps.services.pumps;

  const pumpPageData = async (auth: RequestAuth, o: PumpOverview) => {
    const can = (p: Permission) => roleHasPermission(auth.user.role, p);
    const names = await pumps.peopleNamed([
      ...o.prescriptions.flatMap((p) => [p.proposedBy, p.decidedBy ?? '']),
      ...o.refills.flatMap((r) => [r.performedBy, r.checkedBy ?? '']),
      ...o.events.map((e) => e.recordedBy),
      ...lifecyclePeople(o),
    ]);
    const nameOf = (id: string | null) => (id ? (names.get(id) ?? 'Unknown') : '');
    const pending = o.pending;
    const implanted = o.pump.state === 'implanted';
    return {
      patient: o.patient,
      pump: o.pump,
      model: o.model,
      life: o.life,
      origin: originLabel(o.pump.origin),
      standing: o.standing,
      statusLabel: REFILL_STATUS_LABELS[o.standing.status],
      bookedRefillOn: o.bookedRefillOn,
      nextReview: {
        ...o.nextReview,
        text: o.nextReview.daysOverdue > 0 ? dueText(o.nextReview.daysLeft) : null,
        overdue: o.nextReview.daysOverdue > 0,
      },
      daysText: standingDaysText(o.standing),
      earliestReviewDay: earliestReviewDay({
        today: o.today,
        implantedOn: o.pump.implantedOn,
        daysBack: deps.config.pumpRules.reviewRecordDaysBack,
      }),
      active: o.active
        ? { ...prescriptionSummary(o.active), people: prescriptionPeople(o.active, o.names) }
        : null,
      prescriptionHistory: prescriptionHistory(o.prescriptions, o.names),
      pending: pending
        ? {
            ...prescriptionSummary(pending),
            rows: comparisonRows(o.active, pending),
            change: signedPercent(pending.changePercent),
            limit: pending.limitPercent === null ? null : `${num(pending.limitPercent)}%`,
            withinLimit: pending.withinLimit,
            compared: pending.comparedDoseMcgPerDay === null ? null : num(pending.comparedDoseMcgPerDay),
            reason: pending.reason,
            proposedBy: nameOf(pending.proposedBy),
            proposedAt: pending.proposedAt,
            refillId: pending.refillId,
            mine: isOwnProposal(pending, auth.user.id),
          }
        : null,
      refills: o.refills.map((r) => ({
        id: r.id,
        performedOn: r.performedOn,
        expected: num(r.expectedResidualMl),
        withdrawn: num(r.withdrawnMl),
        discrepancy: signedMl(r.discrepancyMl),
        discrepancyPercent: signedPercent(r.discrepancyPercent),
        flagged: r.flagged,
        instilled: num(r.instilledMl),
        dueBy: r.dueBy,
        signed: r.state === 'signed',
        voided: r.state === 'voided',
      })),
      appointments: o.appointments.map((a) => ({
        ...a,
        kindLabel: pumpChoices.appointmentKinds.find((k) => k.value === a.kind)?.text ?? a.kind,
      })),
      events: o.events.map((e) => ({
        ...e,
        kindLabel: PUMP_EVENT_LABELS[e.kind],
        recordedByName: nameOf(e.recordedBy),
      })),
      implanted,
      canRecordRefill: implanted && can('refill:record'),
      canPrescribe: implanted && can('dose:prescribe'),
      canCheck: can('dose:check'),
      canBook: implanted && can('refill:book'),
      canManage: implanted && can('pump:manage'),
      choices: pumpChoices,
      lifecycle: lifecycleView(o, auth.user.id, can('pump:manage'), nameOf),
      maxPauseDays: deps.config.pumpRules.maxPauseDays,
    };
  };

  const renderPump = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pumpId: string,
    extra: PumpPageExtra = {},
  ) => {
    const auth = requireAuth(request);
    const o = await pumps.overview(actorFor(auth, request.id), pumpId);
    // The MRI plan or post-scan check waiting, shown in the MRI section (pages/mri/_pump-mri.njk).
    const mri = await deps.services.mri.forPump(actorFor(auth, request.id), pumpId);
    const register = await deps.services.complications.forPump(actorFor(auth, request.id), pumpId);
    // Read as text: a repeated parameter arrives as an array.
    const q = formFields(request.query);
    const values = extra.values ?? {};
    const cards = await deps.services.documents.cardStandings(o.patient.id);
    // A pump brought in from a caseload spreadsheet: said so until its values are checked.
    const imported = await deps.services.caseloadImport.importNoteForPump(pumpId);
    return reply.status(extra.status ?? 200).page('pages/pumps/show.njk', {
      title: `Pump ${o.pump.serialNumber}`,
      ...(await pumpPageData(auth, o)),
      card: o.pump.state === 'implanted' ? cardStandingView(o.pump.id, cards.get(o.pump.id)) : null,
      ...pumpComplicationsView(
        register,
        o.endRequest?.kind ?? null,
        roleHasPermission(auth.user.role, 'pump:manage'),
      ),
      notice: noticeFrom(PUMP_NOTICES, q.done),
      conflict: extra.conflict ?? null,
      values,
      ...errorContext(extra.errors ?? [], PUMP_PAGE_HREFS),
      ...dateBoxes(values),
      today: o.today,
      mri,
      imported,
    });
  };

  /** Pump page forms: on a problem the page is shown again with the message and what was typed. */
  const onPumpPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pumpId: string,
    prefix: string,
    action: () => Promise<unknown>,
    done: string,
  ) => {
    try {
      await action();
      return await reply.redirect(`/pumps/${pumpId}?done=${done}`, 303);
    } catch (err) {
      if (!isPageError(err)) {
        throw err;
      }
      const pageValues = formFields(request.body);
      if (err.code === 'VALIDATION_FAILED' && err.fieldErrors.every((e) => e.field !== 'checkedBy')) {
        return renderPump(request, reply, pumpId, {
          status: 400,
          errors: prefixed(err.fieldErrors, prefix),
          values: pageValues,
        });
      }
      return renderPump(request, reply, pumpId, {
        status: err.status,
        conflict: err.fieldErrors[0]?.message ?? err.message,
        values: pageValues,
      });
    }
  };

  /**
   * A pump page form with date boxes (`dates`: each box's name and label): a missing or
   * impossible date is shown beside the form with what was typed; otherwise the action runs with
   * the form's fields and the dates read, as onPumpPage.
   */
  const onDatedPumpForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    pumpId: string,
    form: {
      readonly prefix: string;
      readonly done: string;
      readonly dates: Readonly<Record<string, string>>;
    },
    action: (f: Record<string, string>, dates: Readonly<Record<string, PlainDate>>) => Promise<unknown>,
  ) => {
    const f = formFields(request.body);
    const read = Object.entries(form.dates).map(([name, label]) => ({
      name,
      ...dateFromParts(f, name, label),
    }));
    const errors = read.flatMap((r) => (r.error ? [r.error] : []));
    if (errors.length > 0) {
      return renderPump(request, reply, pumpId, { status: 400, errors, values: f });
    }
    const dates = Object.fromEntries(read.flatMap((r) => (r.date ? [[r.name, r.date]] : [])));
    return onPumpPage(request, reply, pumpId, form.prefix, () => action(f, dates), form.done);
  };

  return { renderPump, onPumpPage, onDatedPumpForm };
}

/** "44 days overdue", "due today", "3 days left", or the days to a paused pump's resume date. */
function standingDaysText(standing: RefillStanding): string {
  if (standing.daysLeft === null) {
    return 'Not known';
  }
  return sentenceCase(standing.resumeBy ? resumeText(standing.daysLeft) : dueText(standing.daysLeft));
}

/** The date boxes of the pump page's forms, filled again after a problem. */
function dateBoxes(values: Record<string, string>) {
  const parts = (name: string) => ({
    day: values[`${name}-day`] ?? '',
    month: values[`${name}-month`] ?? '',
    year: values[`${name}-year`] ?? '',
  });
  return {
    eventOn: parts('event-occurredOn'),
    apptOn: parts('appt-onDate'),
    reviewOn: parts('review-heldOn'),
    endOn: parts('end-endedOn'),
    pausedOn: parts('pause-pausedOn'),
    resumeBy: parts('pause-resumeBy'),
    resumedOn: parts('resume-resumedOn'),
  };
}
