import fc from 'fast-check';
import { idKindOf, NO_SUCH_ID, type SeededWorld } from '../test/support/seeded-world.ts';
import { CSRF_SLOT, type Credential, type FuzzRequest } from './fuzz-send.ts';
import type { FuzzTarget } from './fuzz-targets.ts';
import { jsonText, mutate, mutationArb, nastyString, validish } from './fuzz-values.ts';

/**
 * Malformed requests for one route, as fast-check arbitraries (so a failing request shrinks to
 * a small one): odd path ids, repeated and badly encoded query parameters, JSON bodies from the
 * route's schema with one part made wrong, malformed JSON, malformed url-encoded forms,
 * multipart with no or the wrong boundary, wrong content types, and callers who are allowed,
 * nobody, or carry garbage credentials.
 */

/** Path ids that are not ids: encoded, very long, unicode, traversal, empty. */
function oddId(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '%00',
      '%2F',
      '%2e%2e',
      '..',
      '%zz',
      '%',
      '%E0%A4%A',
      '%ED%A0%80',
      '%C0%AF',
      '%F0%9F%99%82',
      '%20',
      '-1',
      '0',
      '1e3',
      'null',
      'NaN',
      NO_SUCH_ID,
      NO_SUCH_ID.toUpperCase(),
      `${NO_SUCH_ID}%00`,
      'a'.repeat(5_000),
    ),
    nastyString().map((s) => percentEncode(s.slice(0, 2_000))),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  );
}

/** How the path is bent: as registered, with a trailing or doubled slash, upper case, a dot segment. */
const PATH_BENDS = ['none', 'trailing-slash', 'double-slash', 'upper', 'dot-segment', 'semicolon'] as const;

function bend(path: string, how: (typeof PATH_BENDS)[number]): string {
  switch (how) {
    case 'none':
      return path;
    case 'trailing-slash':
      return `${path}/`;
    case 'double-slash':
      return path.replace('/', '//');
    case 'upper':
      return path.toUpperCase();
    case 'dot-segment':
      return path.replace(/\/([^/]*)$/, '/./$1');
    case 'semicolon':
      return `${path};jsessionid=1`;
  }
}

function pathArb(target: FuzzTarget, world: SeededWorld): fc.Arbitrary<string> {
  const names = [...target.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] ?? '');
  const ids = names.map((name) => {
    const kind = idKindOf(target.url, name);
    const real = (kind ? world.ids.get(kind) : undefined) ?? NO_SUCH_ID;
    return fc.oneof({ weight: 3, arbitrary: fc.constant(real) }, { weight: 2, arbitrary: oddId() });
  });
  const bends = fc.oneof(
    { weight: 12, arbitrary: fc.constant('none' as const) },
    { weight: 1, arbitrary: fc.constantFrom(...PATH_BENDS) },
  );
  return fc.tuple(fc.tuple(...ids), bends).map(([values, how]) => {
    let i = 0;
    const filled = target.url.replace(/:[A-Za-z]+/g, () => values[i++] ?? '').replace(/\*$/, 'x');
    return bend(filled, how);
  });
}

/** A value as a string for a query or form: what the page offered, or something hostile. */
function fieldValue(offered: readonly string[]): fc.Arbitrary<string> {
  const hostile = nastyString();
  return offered.length === 0
    ? fc.oneof({ weight: 1, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 2, arbitrary: hostile })
    : fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...offered) }, { weight: 2, arbitrary: hostile });
}

type Pair = readonly [string, string];

/** Field pairs: known fields with good or hostile values, some repeated, plus unknown ones. */
function pairsArb(target: FuzzTarget): fc.Arbitrary<Pair[]> {
  const known =
    target.fields.length === 0
      ? fc.constant<Pair[]>([])
      : fc.array(
          fc.constantFrom(...target.fields).chain((f) => fieldValue(f.values).map((v): Pair => [f.name, v])),
          { maxLength: Math.min(target.fields.length + 4, 30) },
        );
  const extra = fc.array(fc.tuple(nastyString(), nastyString()), { maxLength: 3 });
  return fc.tuple(known, extra, fc.nat(), fc.boolean()).map(([k, e, at, repeat]) => {
    const pairs: Pair[] = [...k, ...e];
    const first = pairs[at % Math.max(pairs.length, 1)];
    // A repeated parameter (?a=1&a=2): frameworks hand it on as an array.
    return repeat && first ? [...pairs, [first[0], `${first[1]}2`] as const] : pairs;
  });
}

/** Percent-encodes as UTF-8; a lone surrogate (which has no UTF-8) goes as the 3 bytes of one (WTF-8). */
function percentEncode(s: string): string {
  const hex = (n: number) => `%${n.toString(16).toUpperCase()}`;
  return s
    .split(/([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/)
    .map((part, i) => {
      if (i % 2 === 0) {
        return encodeURIComponent(part);
      }
      const u = part.charCodeAt(0);
      return hex(0xe0 | (u >> 12)) + hex(0x80 | ((u >> 6) & 0x3f)) + hex(0x80 | (u & 0x3f));
    })
    .join('');
}

/** Pairs encoded properly, or with broken percent-encoding and stray separators. */
function encodePairs(pairs: readonly Pair[], broken: boolean): string {
  const enc = percentEncode;
  const text = pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
  return broken ? `${text}&%&=&a=%zz&b[c]=1&&${enc('x')}=%E0%A4%A` : text;
}

function apiQuery(target: FuzzTarget, world: SeededWorld): fc.Arbitrary<Pair[]> {
  const fromSchema: fc.Arbitrary<Pair[]> = target.query
    ? fc.tuple(validish(target.query, idFor(world)), mutationArb()).map(([value, m]) => {
        const obj = mutate(value, m);
        if (obj === null || typeof obj !== 'object') {
          return [['q', String(obj)]];
        }
        return Object.entries(obj).flatMap(([k, v]): Pair[] =>
          Array.isArray(v)
            ? v.map((x): Pair => [k, String(x)])
            : [[k, typeof v === 'string' ? v : jsonText(v)]],
        );
      })
    : fc.constant([]);
  return fc
    .tuple(fromSchema, fc.array(fc.tuple(nastyString(), nastyString()), { maxLength: 2 }), fc.boolean())
    .map(([s, extra, repeat]) => {
      const pairs: Pair[] = [...s, ...extra];
      const first = pairs[0];
      return repeat && first ? [...pairs, first, first] : pairs;
    });
}

/** Ids for body fields named like patientId, from the seeded world. */
function idFor(world: SeededWorld): (name: string) => string | undefined {
  return (name) => {
    const m = /^(\w+)Id$/.exec(name);
    const kind = m ? idKindOf(`/${m[1] ?? ''}s/:id`, 'id') : undefined;
    return kind ? world.ids.get(kind) : undefined;
  };
}

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/json; charset=latin1',
  'application/json;;',
  'application/vnd.api+json',
] as const;

const WRONG_TYPES = [
  'text/plain',
  'application/xml',
  'application/octet-stream',
  'text/html; charset=utf-8',
  'image/png',
  'multipart/mixed',
  'application/x-www-form-urlencoded; charset=utf-16',
  'application/json, text/plain',
  ';',
  'x',
] as const;

/** JSON that does not parse, or parses into something odd. */
function malformedJson(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '',
      '{',
      '{"a":}',
      '{"a":1,}',
      "{'a':1}",
      '[',
      'nul',
      'null',
      '123',
      '"x"',
      '[]',
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '\ufeff{}',
      '{"a":"\\ud800"}',
      '{"a":"\\u0000"}',
      '{"a":1e99999}',
      '{"a":1,"a":"b"}',
      'true',
    ),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.tuple(fc.jsonValue(), fc.nat()).map(([v, n]) => {
      const text = JSON.stringify(v);
      return text.slice(0, n % Math.max(text.length, 1));
    }),
    // Deep nesting, 1 Ki to 128 Ki levels: a recursive parser or validator runs out of stack.
    fc.integer({ min: 10, max: 17 }).map((n) => '['.repeat(2 ** n) + ']'.repeat(2 ** n)),
    fc.integer({ min: 10, max: 16 }).map((n) => '{"a":'.repeat(2 ** n) + '1' + '}'.repeat(2 ** n)),
  );
}

function multipart(pairs: readonly Pair[], boundary: string, file: string | null): string {
  const parts = pairs.map(
    ([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  if (file !== null) {
    parts.push(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.slice(0, 40)}"\r\n` +
        `content-type: message/rfc822\r\n\r\n${file}\r\n`,
    );
  }
  return `${parts.join('')}--${boundary}--\r\n`;
}

interface BodyShape {
  readonly contentType: string | undefined;
  readonly body: string | undefined;
  readonly bytes: 'utf8' | 'latin1';
}

const CSRF_MODES = ['valid', 'valid', 'valid', 'valid', 'missing', 'wrong', 'twice', 'header'] as const;

function withCsrf(pairs: readonly Pair[], mode: (typeof CSRF_MODES)[number]): Pair[] {
  switch (mode) {
    case 'valid':
    case 'header':
      return mode === 'valid' ? [['_csrf', CSRF_SLOT], ...pairs] : [...pairs];
    case 'missing':
      return [...pairs];
    case 'wrong':
      return [['_csrf', 'not-the-token'], ...pairs];
    case 'twice':
      return [['_csrf', CSRF_SLOT], ...pairs, ['_csrf', CSRF_SLOT]];
  }
}

function bodyArb(target: FuzzTarget, world: SeededWorld): fc.Arbitrary<BodyShape & { csrfHeader: boolean }> {
  const json = fc
    .tuple(validish(target.body, idFor(world)), mutationArb(), fc.constantFrom(...JSON_TYPES))
    .map(([v, m, ct]) => ({
      contentType: ct,
      body: jsonText(mutate(v, m)),
      bytes: 'utf8' as const,
    }));
  const pairs = fc.tuple(pairsArb(target), fc.constantFrom(...CSRF_MODES));
  const form = fc.tuple(pairs, fc.boolean()).map(([[p, mode], broken]) => ({
    contentType: 'application/x-www-form-urlencoded',
    body: encodePairs(withCsrf(p, mode), broken),
    bytes: 'utf8' as const,
    csrfHeader: mode === 'header',
  }));
  const boundaries = fc.constantFrom('----fuzz7f3a', 'x', '"quoted"', '-'.repeat(80));
  const multi = fc
    .tuple(
      pairs,
      boundaries,
      fc.option(nastyString(), { nil: null }),
      fc.constantFrom('ok', 'none', 'wrong', 'cut'),
      fc.nat(),
    )
    .map(([[p, mode], boundary, file, how, cut]) => {
      const text = multipart(withCsrf(p, mode), boundary.replace(/"/g, ''), file);
      return {
        contentType:
          how === 'none'
            ? 'multipart/form-data'
            : `multipart/form-data; boundary=${how === 'wrong' ? 'other' : boundary}`,
        body: how === 'cut' ? text.slice(0, cut % Math.max(text.length, 1)) : text,
        bytes: 'utf8' as const,
        csrfHeader: mode === 'header',
      };
    });
  const badJson = fc
    .tuple(malformedJson(), fc.constantFrom(...JSON_TYPES))
    .map(([body, ct]) => ({ contentType: ct, body, bytes: 'utf8' as const }));
  const wrongType = fc
    .tuple(fc.oneof(json, form), fc.constantFrom(...WRONG_TYPES, undefined))
    .map(([b, ct]) => ({ ...b, contentType: ct }));
  const bytes = fc
    .tuple(
      fc.uint8Array({ maxLength: 200 }),
      fc.constantFrom(...JSON_TYPES, 'application/x-www-form-urlencoded'),
    )
    .map(([a, ct]) => ({
      contentType: ct,
      body: Buffer.from(a).toString('latin1'),
      bytes: 'latin1' as const,
    }));
  const none = fc.constantFrom<BodyShape>(
    { contentType: undefined, body: undefined, bytes: 'utf8' },
    { contentType: 'application/json', body: undefined, bytes: 'utf8' },
    { contentType: 'application/x-www-form-urlencoded', body: '', bytes: 'utf8' },
  );
  const noHeader = <T extends BodyShape>(a: fc.Arbitrary<T>) => a.map((b) => ({ csrfHeader: false, ...b }));
  const byRoute = target.api
    ? [
        { weight: 8, arbitrary: noHeader(json) },
        { weight: 3, arbitrary: noHeader(badJson) },
        { weight: 1, arbitrary: form },
        { weight: 1, arbitrary: multi },
      ]
    : [
        { weight: 8, arbitrary: form },
        { weight: target.multipart ? 6 : 2, arbitrary: multi },
        { weight: 1, arbitrary: noHeader(json) },
        { weight: 1, arbitrary: noHeader(badJson) },
      ];
  return fc.oneof(
    ...byRoute,
    { weight: 2, arbitrary: noHeader(wrongType) },
    { weight: 1, arbitrary: noHeader(bytes) },
    { weight: 1, arbitrary: noHeader(none) },
  );
}

function credentialArb(target: FuzzTarget): fc.Arbitrary<Credential> {
  const allowed =
    target.roles.length === 0
      ? fc.constant<Credential>({ kind: 'anonymous' })
      : fc.constantFrom(...target.roles).map((role): Credential => ({ kind: 'role', role }));
  const garbage = fc
    .tuple(
      fc.constantFrom('authorization' as const, 'cookie' as const),
      fc.oneof(
        nastyString().map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?')),
        fc.constantFrom(
          'Bearer',
          'Bearer ',
          'Bearer itb_',
          'Basic Zm9vOmJhcg==',
          'bearer itb_x y',
          '__Host-itb_session=x',
        ),
      ),
    )
    .map(([header, value]): Credential => ({ kind: 'garbage', header, value }));
  return fc.oneof(
    { weight: 16, arbitrary: allowed },
    { weight: 2, arbitrary: fc.constant<Credential>({ kind: 'anonymous' }) },
    { weight: 2, arbitrary: garbage },
  );
}

export function requestArb(target: FuzzTarget, world: SeededWorld): fc.Arbitrary<FuzzRequest> {
  const query = target.api
    ? apiQuery(target, world)
    : target.method === 'GET'
      ? pairsArb(target)
      : fc.array(fc.tuple(nastyString(), nastyString()), { maxLength: 2 });
  // A GET sometimes carries a body too.
  const body =
    target.method === 'GET'
      ? fc.oneof(
          { weight: 19, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: bodyArb(target, world) },
        )
      : bodyArb(target, world);
  return fc
    .record({
      path: pathArb(target, world),
      query,
      brokenQuery: fc.oneof(
        { weight: 5, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      body,
      credential: credentialArb(target),
      accept: fc.constantFrom(undefined, undefined, undefined, 'application/json', 'text/html', '*/*;q=x'),
      extra: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc.tuple(
            fc.constantFrom('x-csrf-token', 'x-forwarded-for', 'x-request-id', 'content-encoding'),
            nastyString(),
          ),
        },
      ),
    })
    .map((r): FuzzRequest => {
      const headers: Record<string, string> = {};
      const safe = (v: string) => v.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?').slice(0, 8_000);
      if (r.body?.contentType !== undefined) {
        headers['content-type'] = r.body.contentType;
      }
      if (r.body?.csrfHeader === true) {
        headers['x-csrf-token'] = CSRF_SLOT;
      }
      if (r.accept !== undefined) {
        headers.accept = r.accept;
      }
      if (r.extra) {
        headers[r.extra[0]] = safe(r.extra[1]);
      }
      return {
        method: target.method,
        path: r.path,
        query: encodePairs(r.query, r.brokenQuery),
        headers,
        body: r.body?.body,
        bodyBytes: r.body?.bytes ?? 'utf8',
        credential: r.credential,
      };
    });
}
