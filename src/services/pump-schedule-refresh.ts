import { PUMP_MODELS, findPumpModel } from '../domain/pump-device.ts';
import type { PumpRules } from '../domain/pump-rules.ts';
import { pumpSchedule } from '../domain/refill-worklist.ts';
import type { Db } from '../storage/database.ts';
import { anyPump, pumpsInIdOrder, setPumpSchedule } from '../storage/pumps.repository.ts';
import { getSetting, putSetting } from '../storage/settings.repository.ts';
import type { Clock } from './clock.ts';
import { today as serviceToday } from './clock.ts';
import { closedDaysAround } from './pump-store.ts';
import { sha256Hex } from './secrets.ts';

const SETTING = 'pump-schedule-fingerprint';
const BATCH = 1000;

/**
 * The worklist's stored dates (working due date, next review, replace-by) depend on settings:
 * closed days, bank holidays, the review schedule, the pump models and the replacement margin
 * after ERI (REPLACEMENT_MARGIN_DAYS). When any of those differ
 * from the ones the stored dates were worked out with, every implanted pump's dates are worked
 * out again at start-up, so a changed setting never leaves the worklist ranking on old dates.
 * Returns the number of pumps whose dates changed.
 */
export async function refreshPumpSchedules(deps: {
  readonly db: Db;
  readonly clock: Clock;
  readonly config: {
    readonly timeZone: string;
    readonly pumpRules: PumpRules;
    readonly closedDays: readonly string[];
  };
}): Promise<number> {
  // With no pumps there is nothing to keep in step, and start-up need not load the holiday data.
  if (!(await anyPump(deps.db))) {
    return 0;
  }
  const today = serviceToday(deps);
  const closed = closedDaysAround(deps, today);
  const fingerprint = sha256Hex(
    JSON.stringify({
      closed: [...closed].sort(),
      review: deps.config.pumpRules.reviewSchedule,
      replacementMarginDays: deps.config.pumpRules.replacementMarginDays,
      models: PUMP_MODELS.map((m) => [m.id, m.serviceLifeMonths, m.replacementLeadMonths, m.eriRunDays]),
    }),
  );
  if ((await getSetting(deps.db, SETTING)) === fingerprint) {
    return 0;
  }
  let changed = 0;
  let after = '';
  for (;;) {
    const pumps = await pumpsInIdOrder(deps.db, after, BATCH);
    if (pumps.length === 0) {
      break;
    }
    await deps.db.transaction().execute(async (trx) => {
      for (const p of pumps) {
        const s = pumpSchedule(
          p,
          findPumpModel(p.modelId),
          deps.config.pumpRules.reviewSchedule,
          closed,
          deps.config.pumpRules.replacementMarginDays,
        );
        if (
          s.refillDueOn !== p.refillDueOn ||
          s.nextReviewOn !== p.nextReviewOn ||
          s.replaceBy !== p.replaceBy
        ) {
          await setPumpSchedule(trx, p.id, s);
          changed += 1;
        }
      }
    });
    after = pumps[pumps.length - 1]?.id ?? after;
  }
  await putSetting(deps.db, SETTING, fingerprint);
  return changed;
}
