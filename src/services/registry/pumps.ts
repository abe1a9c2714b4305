import { bindTo, type ServiceContext } from './bind.ts';

export function pumpServices(ctx: ServiceContext) {
  return bindTo(ctx, {});
}
