import { mulberry32 } from '../test/support/seeded-random.ts';
import type { Section } from './figure.ts';
import {
  auditVerify,
  createInstance,
  sleep,
  startServer,
  withTimeout,
  type ServerProcess,
} from './harness.ts';
import { figures } from './targets.ts';
import { countMissing, Ledger, writeJourneys, type WriterControl } from './writer.ts';

/**
 * Crash durability: writers go through patients' journeys through the API while the server is
 * killed with SIGKILL at a seeded random moment and started again on the same database. Every
 * write the client saw acknowledged (2xx) must be in the database afterwards, and the audit
 * trail's hash chain must verify (`itb audit verify`).
 */

const SEED = 20_261_207;
/** Concurrent writers: enough that most kills land with requests (and transactions) in flight. */
const WRITERS = 4;
/** The server runs between 0.2 s and 1.7 s of writing before each kill. */
const MIN_RUN_MS = 200;
const RUN_SPREAD_MS = 1_500;

export const crashSection: Section = async (options) => {
  const kills = options.size === 'full' ? 100 : 5;
  const fig = figures('crash', options.database);
  const random = mulberry32(SEED + (options.database === 'postgres' ? 1 : 0));
  const instance = await createInstance(options, 'crash');
  const ledger = new Ledger();
  let server: ServerProcess | null = null;
  let verifiedAfterKills = 0;
  let killsBetweenAppendAndSeal = 0;
  try {
    server = await startServer(instance);
    const port = server.port;
    const control: WriterControl = { stopped: false, next: 0 };
    for (let k = 1; k <= kills; k++) {
      control.stopped = false;
      const live = server;
      const writers = Array.from({ length: WRITERS }, () =>
        writeJourneys(() => live.url, instance, ledger, control),
      );
      await sleep(MIN_RUN_MS + random() * RUN_SPREAD_MS);
      control.stopped = true;
      await server.kill();
      // Every request has its own timeout; this bounds the wait for the writers as a whole.
      await withTimeout(Promise.all(writers), 30_000, 'writers did not stop after the kill');
      // Before the next server starts: rows the killed one appended but had not sealed yet are
      // sealed as a starting server would, and the whole chain must verify.
      const afterKill = await auditVerify(instance.databaseUrl);
      verifiedAfterKills += afterKill.intact ? 1 : 0;
      killsBetweenAppendAndSeal += afterKill.sealed > 0 ? 1 : 0;
      if (!afterKill.intact) {
        options.log(
          `crash/${options.database}: audit verify failed after kill ${String(k)}: ${afterKill.detail}`,
        );
      }
      server = await startServer(instance, { port });
      if (k % 10 === 0 || k === kills) {
        options.log(
          `crash/${options.database}: ${String(k)}/${String(kills)} kills, ${String(ledger.total())} writes acknowledged`,
        );
      }
    }
    await server.kill();
    server = null;
    const handle = instance.open();
    let missing: number;
    try {
      missing = await countMissing(handle, ledger.acked);
    } finally {
      await handle.close();
    }
    const audit = await auditVerify(instance.databaseUrl);
    if (!audit.intact) {
      options.log(`crash/${options.database}: audit verify failed: ${audit.detail}`);
    }
    for (const refusal of ledger.refusals.slice(0, 5)) {
      options.log(`crash/${options.database}: unexpected answer: ${refusal}`);
    }
    return [
      fig.exactly('kills with SIGKILL', kills, 'kills', kills),
      fig.atLeast('writes acknowledged', ledger.total(), 'writes', kills),
      fig.exactly('acknowledged writes lost', missing, 'rows', 0),
      fig.holds('itb audit verify passes after the kills', audit.intact),
      fig.exactly('kills after which itb audit verify passed', verifiedAfterKills, 'kills', kills),
      fig.atLeast('kills that left rows appended but not yet sealed', killsBetweenAppendAndSeal, 'kills', 0),
      fig.exactly('error answers while the server was up', ledger.refusals.length, 'answers', 0),
    ];
  } finally {
    await server?.kill();
    await instance.dispose();
  }
};
