import { bindTo, type ServiceContext } from './bind.ts';

export function measureServices(ctx: ServiceContext) {
  return bindTo(ctx, {});
}
