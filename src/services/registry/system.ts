import { runDailyCheck } from '../daily-check-service.ts';
import { homeDashboard } from '../dashboard-service.ts';
import { serviceFigures } from '../figures-service.ts';
import { claimJob, finishJob, lastJobRun } from '../job-run-service.ts';
import { backupDatabase, cookieSecret, databaseDialect, databaseHealth } from '../system-service.ts';
import { viewTaskList } from '../task-list-service.ts';
import { bindTo, type ServiceContext } from './bind.ts';

/**
 * The service as a whole: its database (health, dialect, backup), the cookie secret, the home
 * page's figures and task queues with their lists, and the claims that run each background job
 * once across instances.
 */
export function systemServices(ctx: ServiceContext) {
  return bindTo(ctx, {
    cookieSecret,
    health: databaseHealth,
    dialect: databaseDialect,
    backup: backupDatabase,
    figures: serviceFigures,
    home: homeDashboard,
    taskList: viewTaskList,
    claimJob,
    finishJob,
    lastJobRun,
    dailyCheck: runDailyCheck,
  });
}
