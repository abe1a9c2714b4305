import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../../compose.ts';
import { actorFor, requireAuth } from '../../access.ts';
import { dateFromParts, formFields, formVersion, isPageError } from '../form.ts';
import type { refillPageRenderer } from './refill-view.ts';
import { CONFIRM_TEXT } from './refill-view.ts';

/**
 * The forms on the refill page: the review, the checker's signature or rejection, corrections,
 * and the decision on a volume correction. A problem shows the page again with the message and
 * what was typed.
 */

type RefillParams = { Params: { refillId: string } };
type AmendmentParams = { Params: { refillId: string; amendmentId: string } };
type RenderRefill = ReturnType<typeof refillPageRenderer>;

/** Field errors about who is acting rather than what was typed. */
const WHO_ACTS: readonly string[] = ['checkedBy', 'reviewedBy'];

const record = { config: { access: { permission: 'refill:record' } } } as const;
const check = { config: { access: { permission: 'dose:check' } } } as const;

export function addRefillPageActions(
  app: FastifyInstance,
  deps: RouteDeps,
  renderRefill: RenderRefill,
): void {
  const refills = deps.services.refills;
  const actor = (request: FastifyRequest) => actorFor(requireAuth(request), request.id);

  const onRefillPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    refillId: string,
    rename: (field: string) => string,
    action: () => Promise<unknown>,
    done: string,
  ) => {
    const values = formFields(request.body);
    try {
      await action();
      return await reply.redirect(`/refills/${refillId}?done=${done}`, 303);
    } catch (err) {
      if (!isPageError(err)) {
        throw err;
      }
      // Who may act (checker, reviewer) is not a box on the form: it is shown as the outcome.
      if (err.code === 'VALIDATION_FAILED' && err.fieldErrors.every((e) => !WHO_ACTS.includes(e.field))) {
        return renderRefill(request, reply, refillId, {
          status: 400,
          values,
          errors: err.fieldErrors.map((e) => ({ field: rename(e.field), message: e.message })),
        });
      }
      return renderRefill(request, reply, refillId, {
        status: err.status,
        values,
        conflict: err.fieldErrors[0]?.message ?? err.message,
      });
    }
  };

  app.post<RefillParams>('/refills/:refillId/review', record, async (request, reply) => {
    const { refillId } = request.params;
    const f = formFields(request.body);
    return onRefillPage(
      request,
      reply,
      refillId,
      (field) => (field === 'note' ? 'reviewNote' : field),
      () =>
        refills.review(actor(request), refillId, {
          note: f.reviewNote,
          withdrawalSignsChecked: f.withdrawalSignsChecked,
          withdrawalSignsFound: f.withdrawalSignsFound,
        }),
      'reviewed',
    );
  });

  app.post<RefillParams>('/refills/:refillId/sign', check, async (request, reply) => {
    const { refillId } = request.params;
    const f = formFields(request.body);
    if (f.confirmed !== 'yes') {
      return renderRefill(request, reply, refillId, {
        status: 400,
        values: f,
        errors: [{ field: 'confirmed', message: `Confirm: ${CONFIRM_TEXT.toLowerCase()}` }],
      });
    }
    return onRefillPage(
      request,
      reply,
      refillId,
      () => 'confirmed',
      () => refills.sign(actor(request), refillId, { version: formVersion(f) ?? undefined }),
      'signed',
    );
  });

  app.post<RefillParams>('/refills/:refillId/amend', record, async (request, reply) => {
    const { refillId } = request.params;
    const f = formFields(request.body);
    const hasDate = ['day', 'month', 'year'].some((k) => (f[`amend-expiresOn-${k}`] ?? '').trim() !== '');
    const expires = hasDate
      ? dateFromParts(f, 'amend-expiresOn', 'Expiry date')
      : { date: null, error: null };
    if (expires.error) {
      return renderRefill(request, reply, refillId, { status: 400, values: f, errors: [expires.error] });
    }
    return onRefillPage(
      request,
      reply,
      refillId,
      (field) => `amend-${field}`,
      () =>
        refills.amend(actor(request), refillId, {
          reason: f['amend-reason'] ?? '',
          batch: f['amend-batch'] ?? null,
          expiresOn: expires.date,
          complicationNote: f['amend-complicationNote'] ?? null,
          patientNote: f['amend-patientNote'] ?? null,
        }),
      'amended',
    );
  });

  app.post<RefillParams>('/refills/:refillId/reject', check, async (request, reply) => {
    const { refillId } = request.params;
    const f = formFields(request.body);
    return onRefillPage(
      request,
      reply,
      refillId,
      (field) => `reject-${field}`,
      () => refills.reject(actor(request), refillId, { reason: f['reject-reason'] ?? '' }),
      'rejected',
    );
  });

  app.post<RefillParams>('/refills/:refillId/amend-volumes', record, async (request, reply) => {
    const { refillId } = request.params;
    const f = formFields(request.body);
    return onRefillPage(
      request,
      reply,
      refillId,
      (field) => `vol-${field}`,
      () =>
        refills.amend(actor(request), refillId, {
          reason: f['vol-reason'] ?? '',
          instilledMl: f['vol-instilledMl'] ?? '',
          alarmMl: f['vol-alarmMl'] ?? '',
        }),
      'volumes-proposed',
    );
  });

  const decideAmendment =
    (kind: 'confirm' | 'reject') => async (request: FastifyRequest<AmendmentParams>, reply: FastifyReply) => {
      const { refillId, amendmentId } = request.params;
      const f = formFields(request.body);
      const decide = kind === 'confirm' ? refills.confirmAmendment : refills.rejectAmendment;
      return onRefillPage(
        request,
        reply,
        refillId,
        (field) => `${kind}-vol-${field}`,
        () => decide(actor(request), refillId, amendmentId, { note: f[`${kind}-vol-note`] ?? '' }),
        kind === 'confirm' ? 'volumes-confirmed' : 'volumes-rejected',
      );
    };
  app.post<AmendmentParams>(
    '/refills/:refillId/amendments/:amendmentId/confirm',
    check,
    decideAmendment('confirm'),
  );
  app.post<AmendmentParams>(
    '/refills/:refillId/amendments/:amendmentId/reject',
    check,
    decideAmendment('reject'),
  );
}
