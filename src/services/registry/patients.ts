import { bindTo, type ServiceContext } from './bind.ts';

export function patientServices(ctx: ServiceContext) {
  return bindTo(ctx, {});
}
