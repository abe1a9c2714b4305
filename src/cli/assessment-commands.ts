import { readFile } from 'node:fs/promises';
import { CliError, withApp } from './commands.ts';

/** `itb protocols list`: every stored selection protocol version. */
export async function protocolsListCommand(opts: { json?: boolean }): Promise<void> {
  await withApp(async ({ services }) => {
    const rows = (await services.assessments.protocols()).map((p) => ({
      code: p.code,
      version: p.version,
      title: p.title,
      population: p.population,
      latest: p.latest,
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
  await withApp(async ({ services }) => {
    const imported = await services.assessments.importProtocolAs(opts.as, raw);
    if (!imported) {
      throw new CliError(`--as: no account called ${opts.as}`, 2);
    }
    const { protocol, created } = imported;
    process.stdout.write(
      created
        ? `Added ${protocol.title}, version ${String(protocol.version)}.\n`
        : `${protocol.title}, version ${String(protocol.version)}, is already stored with this content: nothing added.\n`,
    );
  });
}
