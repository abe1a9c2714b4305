import { bindTo, type ServiceContext } from './bind.ts';

export function systemServices(ctx: ServiceContext) {
  return bindTo(ctx, {});
}
