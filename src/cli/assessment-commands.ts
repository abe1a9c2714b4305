import { readFile } from 'node:fs/promises';
import { latestVersions } from '../services/protocol-list-service.ts';
import { importProtocol } from '../services/protocol-service.ts';
import { actorOf } from '../services/audit-service.ts';
import { listProtocols } from '../storage/selection.repository.ts';
import { findUserByUsername } from '../storage/users.repository.ts';
import { CliError, withApp } from './commands.ts';

/** `itb protocols list`: every stored selection protocol version. */
export async function protocolsListCommand(opts: { json?: boolean }): Promise<void> {
  await withApp(async (deps) => {
    const all = await listProtocols(deps.database.db);
    const latest = new Set(latestVersions(all).map((p) => p.id));
    const rows = all.map((p) => ({
      code: p.code,
      version: p.version,
      title: p.title,
      population: p.population,
      latest: latest.has(p.id),
      builtIn: p.createdBy === null,
    }));
    process.stdout.write(
      opts.json
        ? `${JSON.stringify(rows)}\n`
        : rows
            .map(
              (r) =>
                `${r.code} v${String(r.version)}: ${r.title} (${r.population})${r.latest ? ' – in use' : ''}\n`,
            )
            .join(''),
    );
  });
}

/**
 * `itb protocols import FILE.json --as USERNAME`: adds a protocol or a new version of one, as
 * that consultant (the audit trail names them). See docs/protocols/README.md for the format.
 */
export async function protocolsImportCommand(file: string, opts: { as: string }): Promise<void> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new CliError(
      `FILE: cannot read "${file}" as JSON (${err instanceof Error ? err.message : String(err)})`,
      2,
    );
  }
  await withApp(async (deps) => {
    const user = await findUserByUsername(deps.database.db, opts.as);
    if (!user) {
      throw new CliError(`--as: no account called ${opts.as}`, 2);
    }
    const { protocol, created } = await importProtocol(
      { db: deps.database.db, clock: deps.clock },
      actorOf(user, 'cli'),
      raw,
    );
    process.stdout.write(
      created
        ? `Added ${protocol.title}, version ${String(protocol.version)}.\n`
        : `${protocol.title}, version ${String(protocol.version)}, is already stored with this content: nothing added.\n`,
    );
  });
}
