// npm run bench:profile: where the patient page's processor time goes, layer by layer.
//
// For SQLite and then PostgreSQL: the real app (signed in as a nurse, one patient) listens on
// loopback and autocannon, in this process, asks for the patient page with 10 connections for
// 8 s after a warm-up, while V8's sampling profiler runs (every 100 µs). Each sample's time goes
// to the layer of the function it was in; time in a native function (node:sqlite's calls, JSON,
// crypto) goes to the layer of the JavaScript that called it. The load generator's own samples
// and the profiler's own are left out. Prints, per layer, the processor time per request and its share.
import { Session } from 'node:inspector/promises';
import autocannon from 'autocannon';
import { Browser, addTestUser, registerAnn, startTestApp } from '../test/support/test-app.ts';
import type { DialectName } from '../test/support/databases.ts';

const WARMUP_SECONDS = 3;
const PROFILE_SECONDS = 8;
const CONNECTIONS = 10;

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const LAYERS: readonly (readonly [string, RegExp])[] = [
  [
    'load generator and profiler (left out)',
    /node_modules\/(autocannon|hdr-histogram|reinterval|retimer)|\/bench\/|^node:inspector/,
  ],
  ['templates (Nunjucks, our views)', /node_modules\/nunjucks|\/src\/views\//],
  ['our HTTP layer (routes, plugins, view models)', /\/src\/http\//],
  ['services', /\/src\/services\//],
  ['domain', /\/src\/domain\//],
  [
    'storage (our queries, database drivers)',
    /\/src\/storage\/|node_modules\/(pg|pg-[a-z]+|postgres-[a-z]+)\//,
  ],
  ['Kysely', /node_modules\/kysely\//],
  [
    'Fastify and its plugins',
    /node_modules\/(fastify|@fastify|find-my-way|avvio|light-my-request|fast-json-stringify|secure-json-parse|pino|helmet|fastify-[a-z-]+)\//,
  ],
  ['other libraries', /node_modules\//],
  ['Node runtime (HTTP, streams, timers, crypto)', /^node:|^internal\//],
  ['our other code', /\/src\//],
];

function layerOf(url: string): string {
  for (const [name, pattern] of LAYERS) {
    if (pattern.test(url)) {
      return name;
    }
  }
  return 'unattributed';
}

/** Processor time per layer in µs: native frames take the layer of their nearest JS caller. */
function timeByLayer(profile: Profile): { totals: Map<string, number>; functions: Map<string, number> } {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
  }
  const layerCache = new Map<number, string>();
  const layerOfNode = (id: number): string => {
    const cached = layerCache.get(id);
    if (cached) {
      return cached;
    }
    const node = byId.get(id);
    let layer: string;
    const name = node?.callFrame.functionName ?? '';
    if (name === '(idle)') {
      layer = 'idle';
    } else if (name === '(garbage collector)') {
      layer = 'garbage collection';
    } else if (name === '(program)') {
      layer = 'V8 and native, outside any function';
    } else if (node?.callFrame.url) {
      layer = layerOf(node.callFrame.url);
    } else {
      const up = parent.get(id);
      layer = up === undefined ? 'unattributed' : layerOfNode(up);
    }
    layerCache.set(id, layer);
    return layer;
  };
  const totals = new Map<string, number>();
  const functions = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const layer = layerOfNode(id);
    const us = profile.timeDeltas[i] ?? 0;
    totals.set(layer, (totals.get(layer) ?? 0) + us);
    const frame = byId.get(id)?.callFrame;
    const where = `${layer}: ${frame?.functionName || '(anonymous)'} ${(frame?.url ?? '').replace(/^.*\/(node_modules|src)\//, '$1/')}`;
    functions.set(where, (functions.get(where) ?? 0) + us);
  });
  return { totals, functions };
}

function load(url: string, cookie: string, seconds: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: seconds, headers: { cookie } }, (error, result) => {
      if (error) {
        reject(error);
        return;
      }
      resolve(result);
    });
  });
}

async function profileDialect(dialect: DialectName): Promise<void> {
  const t = await startTestApp(dialect, {}, process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL);
  const session = new Session();
  try {
    const nurse = await addTestUser(t, 'nurse-specialist');
    const patient = await registerAnn(t, nurse);
    const browser = new Browser(t);
    await browser.signIn(nurse.username);
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `${base}/patients/${patient.id}`;
    await load(url, cookie, WARMUP_SECONDS);
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const result = await load(url, cookie, PROFILE_SECONDS);
    const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    const pages = result['2xx'];
    if (pages === 0 || result.non2xx > 0) {
      throw new Error(`${dialect}: ${String(pages)} pages, ${String(result.non2xx)} other answers`);
    }
    const { totals, functions } = timeByLayer(profile);
    const counted = [...totals].filter(([layer]) => layer !== 'idle' && !layer.startsWith('load generator'));
    const busyUs = counted.reduce((n, [, us]) => n + us, 0);
    console.log(
      `\n=== ${dialect} === ${String(pages)} patient pages in ${String(PROFILE_SECONDS)} s (${(pages / PROFILE_SECONDS).toFixed(0)}/s); processor time per page ${(busyUs / pages).toFixed(0)} µs in this process`,
    );
    console.log('layer                                              µs per page   share');
    for (const [layer, us] of counted.sort((a, b) => b[1] - a[1])) {
      console.log(
        `${layer.padEnd(50)} ${(us / pages).toFixed(0).padStart(11)}   ${((100 * us) / busyUs).toFixed(1).padStart(5)} %`,
      );
    }
    console.log('the functions taking most time, by their own time (native calls under their caller):');
    for (const [where, us] of [...functions]
      .filter(([w]) => !w.startsWith('idle') && !w.startsWith('load generator'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)) {
      console.log(`  ${(us / pages).toFixed(0).padStart(6)} µs per page  ${where}`);
    }
    const generator = totals.get('load generator and profiler (left out)') ?? 0;
    console.log(
      `(left out: the load generator and the profiler ${(generator / pages).toFixed(0)} µs per page; idle ${((totals.get('idle') ?? 0) / pages).toFixed(0)} µs per page)`,
    );
  } finally {
    session.disconnect();
    await t.close();
  }
}

let failed = false;
for (const dialect of ['sqlite', 'postgres'] as const) {
  try {
    await profileDialect(dialect);
  } catch (err) {
    failed = true;
    console.error(`${dialect}: could not be profiled:`, err);
  }
}
process.exit(failed ? 1 : 0);
