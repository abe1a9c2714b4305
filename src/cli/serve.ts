import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeApp, databaseDialectOf, type AppDeps } from '../compose.ts';
import { loadConfig, withDemoContacts } from '../config.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import { buildApp } from '../http/app.ts';
import { buildStartingApp } from '../http/starting-app.ts';
import { startupWarnings } from '../services/system-service.ts';
import { startAuditSealer } from '../jobs/audit-sealer.ts';
import { startScheduler } from '../jobs/scheduler.ts';
import { CliError } from './commands.ts';

export async function serve(options: { demo?: boolean; port?: string; host?: string }): Promise<void> {
  const overrides: Parameters<typeof loadConfig>[1] = {};
  let demoDir: string | null = null;
  if (options.demo) {
    // A throwaway database, never the real one: removed when the service stops.
    demoDir = mkdtempSync(join(tmpdir(), 'itb-demo-'));
    Object.assign(overrides, { demo: true, databaseUrl: `sqlite:${join(demoDir, 'demo.sqlite')}` });
  }
  if (options.port !== undefined) {
    const port = Number(options.port);
    if (!/^\d+$/.test(options.port) || port > 65535) {
      throw new CliError(`--port: must be a whole number from 0 to 65535, not "${options.port}"`);
    }
    Object.assign(overrides, { port });
  }
  if (options.host !== undefined) {
    Object.assign(overrides, { host: options.host });
  }
  const loaded = loadConfig(process.env, overrides);
  // The demo's letters need the service's contact details: fictional ones where none are set.
  const config = options.demo
    ? loadConfig(process.env, { ...overrides, service: withDemoContacts(loaded.service) })
    : loaded;
  // While start-up waits for the database, the port already answers: 503 to every request
  // (/health included), so a load balancer and staff see why, not a refused connection.
  const starting = buildStartingApp(databaseDialectOf(config));
  await starting.listen({ port: config.port, host: config.host });
  let deps: AppDeps;
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    deps = await composeApp(config);
    if (config.demo) {
      await seedDemo(deps);
    }
    app = await buildApp(deps);
  } finally {
    // Closed only once the real application is built, so the port is dark for a moment only.
    await starting.close();
  }
  // A lost database connection is logged with the requests from now on, not on standard error.
  deps.database.setLog({
    warn: (message) => {
      app.log.warn(message);
    },
  });
  const address = await app.listen({ port: config.port, host: config.host });
  app.log.info(
    `ITB service listening on ${address} (${deps.database.dialect}${config.demo ? ', DEMO' : ''})`,
  );
  // Settings the service runs without but cannot do all its work without: said once, at start.
  for (const warning of startupWarnings(config)) {
    app.log.warn(warning);
  }
  process.stdout.write(
    `ITB service is running at ${config.publicUrl}${config.demo ? ' (demo: synthetic data, demo accounts on the sign-in page)' : ''}\n`,
  );

  const setupToken = config.demo ? null : await deps.services.accounts.issueSetupToken();
  if (setupToken) {
    process.stdout.write(
      `\nNo accounts yet. Create the first administrator within ${config.setupLinkMinutes} minutes at:\n  ${config.publicUrl}/setup/${setupToken}\n\n`,
    );
  }

  const stopScheduler = startScheduler(deps, app.log);
  const stopSealer = startAuditSealer(deps, app.log);

  const stop = async () => {
    stopScheduler();
    await app.close();
    await stopSealer();
    await deps.database.close();
    if (demoDir) {
      rmSync(demoDir, { recursive: true, force: true });
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
