import { bindTo, type ServiceContext } from './bind.ts';

export function accountServices(ctx: ServiceContext) {
  return bindTo(ctx, {});
}
