import type { Section } from './figure.ts';
import { nhsNumber, patientBody, preparePump, refillBody, must } from './clinic.ts';
import {
  auditVerify,
  createInstance,
  sleep,
  startServer,
  withTimeout,
  type Instance,
  type ServerProcess,
} from './harness.ts';
import { errorCode, request, type Answer } from './http.ts';
import { figures } from './targets.ts';
import { countMissing, Ledger, writeJourneys, type WriterControl } from './writer.ts';

/**
 * Races: the same action sent many times at once must take effect exactly once, and the rest
 * must be refused as conflicts (409), never as server errors. On PostgreSQL two server
 * instances write to one database at once and the audit chain must still verify.
 */

const IDENTICAL_CREATES = 50;
const SECOND_CHECKS = 100;

function tally(answers: readonly Answer[]) {
  return {
    ok: answers.filter((a) => a.status >= 200 && a.status < 300).length,
    conflicts: answers.filter((a) => a.status === 409).length,
    /** Server errors and no answer at all: a race must never end in either. */
    broken: answers.filter((a) => a.status === 0 || a.status >= 500),
  };
}

/** Sends `count` copies of one request at the same moment (one connection each). */
async function burst(count: number, send: (i: number) => Promise<Answer>): Promise<Answer[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => send(i)));
}

async function twoInstances(
  instance: Instance,
  seconds: number,
  log: (line: string) => void,
): Promise<{ missing: number; intact: boolean; refusals: number; acked: number }> {
  const a = await startServer(instance);
  let b: ServerProcess | null = null;
  const ledger = new Ledger();
  try {
    b = await startServer(instance);
    const urls = [a.url, b.url];
    // One counter for both, so the two instances never get the same NHS number by design.
    const control: WriterControl = { stopped: false, next: 1_000 };
    const writers = Array.from({ length: 6 }, (_, i) =>
      writeJourneys(() => urls[i % 2] ?? a.url, instance, ledger, control),
    );
    await sleep(seconds * 1_000);
    control.stopped = true;
    await withTimeout(Promise.all(writers), 60_000, 'writers did not stop');
  } finally {
    await a.kill();
    await b?.kill();
  }
  const handle = instance.open();
  let missing: number;
  try {
    missing = await countMissing(handle, ledger.acked);
  } finally {
    await handle.close();
  }
  const audit = await auditVerify(instance.databaseUrl);
  if (!audit.intact) {
    log(`races/${instance.database}: two instances: audit verify failed: ${audit.detail}`);
  }
  for (const refusal of ledger.refusals.slice(0, 5)) {
    log(`races/${instance.database}: two instances: unexpected answer: ${refusal}`);
  }
  return { missing, intact: audit.intact, refusals: ledger.refusals.length, acked: ledger.total() };
}

export const racesSection: Section = async (options) => {
  const fig = figures('races', options.database);
  const instance = await createInstance(options, 'races');
  let server: ServerProcess | null = null;
  try {
    server = await startServer(instance);
    const url = server.url;
    const { nurse, nurse2, consultant } = instance.staff;
    // The second clinicians take turns, so the race is between different people as well as requests.
    const checker = (i: number) => (i % 2 === 0 ? consultant.token : nurse2.token);

    const createAnswers = await burst(IDENTICAL_CREATES, () =>
      request(url, 'POST', '/api/v1/patients', { token: nurse.token, body: patientBody(0) }),
    );
    const creates = tally(createAnswers);
    const duplicates = createAnswers.filter(
      (a) => a.status === 409 && errorCode(a) === 'DUPLICATE_NHS_NUMBER',
    ).length;
    const found = await must(
      'find the patient',
      request(url, 'GET', `/api/v1/patients?nhsNumber=${nhsNumber(0)}`, { token: nurse.token }),
      200,
    );
    const rows = Array.isArray(found.patients) ? found.patients.length : -1;

    const pump = await preparePump(url, instance, 1, false);
    const confirms = tally(
      await burst(SECOND_CHECKS, (i) =>
        request(url, 'POST', `/api/v1/prescriptions/${pump.prescriptionId}/confirm`, {
          token: checker(i),
          body: {},
        }),
      ),
    );

    const refill = await must(
      'record a refill',
      request(url, 'POST', `/api/v1/pumps/${pump.pumpId}/refills`, {
        token: nurse.token,
        body: refillBody(),
      }),
      201,
    );
    const signs = tally(
      await burst(SECOND_CHECKS, (i) =>
        request(url, 'POST', `/api/v1/refills/${String(refill.id)}/sign`, {
          token: checker(i),
          body: { version: refill.version },
        }),
      ),
    );
    const signed = await must(
      'read the refill',
      request(url, 'GET', `/api/v1/refills/${String(refill.id)}`, { token: nurse.token }),
      200,
    );
    const state = (signed.refill as { state?: string } | undefined)?.state;
    await server.kill();
    server = null;

    const broken = [...creates.broken, ...confirms.broken, ...signs.broken];
    for (const b of broken.slice(0, 5)) {
      options.log(
        `races/${options.database}: ${String(b.status)} ${b.failure ?? ''} ${JSON.stringify(b.body).slice(0, 300)}`,
      );
    }
    const result = [
      fig.exactly(
        `patients created by ${String(IDENTICAL_CREATES)} identical creates`,
        creates.ok,
        'created',
        1,
      ),
      fig.exactly('patients stored with that NHS number', rows, 'rows', 1),
      fig.exactly(
        'the other creates refused as DUPLICATE_NHS_NUMBER',
        duplicates,
        'refused',
        IDENTICAL_CREATES - 1,
      ),
      fig.exactly(
        `confirmations of one prescription (${String(SECOND_CHECKS)} at once)`,
        confirms.ok,
        'succeeded',
        1,
      ),
      fig.exactly(
        'the other confirmations refused as conflicts (409)',
        confirms.conflicts,
        'refused',
        SECOND_CHECKS - 1,
      ),
      fig.exactly(`signatures of one refill (${String(SECOND_CHECKS)} at once)`, signs.ok, 'succeeded', 1),
      fig.exactly(
        'the other signatures refused as conflicts (409)',
        signs.conflicts,
        'refused',
        SECOND_CHECKS - 1,
      ),
      fig.holds('the refill is signed', state === 'signed'),
      fig.exactly('server errors or no answer in the races', broken.length, 'answers', 0),
    ];
    if (options.database === 'postgres') {
      const seconds = options.size === 'full' ? 60 : 5;
      const two = await twoInstances(instance, seconds, options.log);
      options.log(
        `races/postgres: two instances wrote ${String(two.acked)} acknowledged writes in ${String(seconds)} s`,
      );
      result.push(
        fig.holds('two instances on one database: itb audit verify passes', two.intact),
        fig.exactly('two instances: acknowledged writes lost', two.missing, 'rows', 0),
        fig.exactly('two instances: error answers', two.refusals, 'answers', 0),
      );
    }
    return result;
  } finally {
    await server?.kill();
    await instance.dispose();
  }
};
