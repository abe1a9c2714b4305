import { amendRefill, confirmRefillAmendment, rejectRefillAmendment } from '../refill-amendment-service.ts';
import { rejectRefill, reviewRefill } from '../refill-review-service.ts';
import { recordRefill, signRefill } from '../refill-service.ts';
import { refillView } from '../refill-view-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/** Refills: recording, review of flags, the independent check, rejection and corrections. */
export function refillServices(ctx: ServiceContext) {
  return bindTo(ctx, {
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
