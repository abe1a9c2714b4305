import { bindTo, type ServiceContext } from './bind.ts';

export function testDoseServices(ctx: ServiceContext) {
  return bindTo(ctx, {});
}
