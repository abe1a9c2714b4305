import { bindTo, type ServiceContext } from './bind.ts';

export function auditServices(ctx: ServiceContext) {
  return bindTo(ctx, {});
}
