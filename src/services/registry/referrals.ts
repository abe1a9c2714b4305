import { bindTo, type ServiceContext } from './bind.ts';

export function referralServices(ctx: ServiceContext) {
  return bindTo(ctx, {});
}
