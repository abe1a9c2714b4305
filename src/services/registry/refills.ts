import { amendRefill, confirmRefillAmendment, rejectRefillAmendment } from '../refill-amendment-service.ts';
import { openRefillForm, refillFormContext } from '../refill-form-service.ts';
import { rejectRefill, reviewRefill } from '../refill-review-service.ts';
import { recordRefill } from '../refill-service.ts';
import { signRefill } from '../refill-sign-service.ts';
import { refillView } from '../refill-view-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/** Refills: recording, review of flags, the independent check, rejection and corrections. */
export function refillServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    /** The empty refill form: what it is filled in from, audited as a view of the pump. */
    openForm: openRefillForm,
    /** What the refill form needs to show it again after a mistake; not audited. */
    formContext: refillFormContext,
    record: recordRefill,
    view: refillView,
    review: reviewRefill,
    reject: rejectRefill,
    sign: signRefill,
    amend: amendRefill,
    confirmAmendment: confirmRefillAmendment,
    rejectAmendment: rejectRefillAmendment,
  });
}
