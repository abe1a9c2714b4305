import { bindTo, type ServiceContext } from './bind.ts';

export function assessmentServices(ctx: ServiceContext) {
  return bindTo(ctx, {});
}
