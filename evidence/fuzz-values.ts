import fc from 'fast-check';

/**
 * Values for the fuzzer: what a well-behaved client would send, read off the JSON schema the
 * OpenAPI document gives for each route (made from the routes' zod schemas by
 * fastify-type-provider-zod), and what a hostile or broken one would send instead.
 */

/** The parts of a JSON schema (OpenAPI 3.0 flavour, with `nullable`) the generator reads. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly nullable?: boolean;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly format?: string;
  readonly pattern?: string;
  readonly description?: string;
}

/** Strings that have broken parsers, validators, databases and templates before. */
const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\ud83d\ude00',
  '\u202e\u0041\u0042',
  '\u2028\u2029',
  '\ufeff',
  'Z\u0351\u0352\u0353',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x1f',
  ' 12 ',
  '9007199254740993',
  '-1',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  "'; drop table patients; --",
  '<script>alert(1)</script>',
  '{{ 7 * 7 }}',
  '{% raw %}',
  '../../../etc/passwd',
  '%00',
  '%zz',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '99999-12-31',
  '2026-11-24T25:61:00Z',
  '24:00',
  '23:60',
  '00000000-0000-4000-8000-000000000000',
  'itb_',
  '\r\nX-Injected: 1',
];

/**
 * A very long string (1 KiB to 128 KiB, sizes spread evenly on a log scale) of one character,
 * ASCII, NUL, a lone surrogate, or one taking 2 or 4 bytes in UTF-8.
 */
export function hugeString(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom('a', '9', '\u0000', '\ud800', 'é', '🙂', ' '), fc.integer({ min: 10, max: 17 }))
    .map(([c, n]) => c.repeat(2 ** n / c.length));
}

/** A hostile string: a known nasty one, random text of every kind, or now and then a very long one. */
export function nastyString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 16, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 8, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 8, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 4, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
    // Rare, as a request holds many strings: about one request in ten carries a very long one.
    { weight: 1, arbitrary: hugeString() },
  );
}

/** A value of the wrong type for wherever it lands. */
export function wrongValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: nastyString() },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        null,
        true,
        false,
        0,
        -1,
        1e308,
        -1e308,
        Number.MAX_SAFE_INTEGER + 2,
        0.1,
        5e-324,
        [],
        {},
        [null],
        { __proto__: null, constructor: 'x' },
      ),
    },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.array(nastyString(), { maxLength: 5 }) },
    {
      weight: 1,
      arbitrary: fc.dictionary(nastyString(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    },
  );
}

/** Hints that make a plain string schema more likely to pass its refinements. */
function stringFor(schema: JsonSchema, name: string, idFor: (name: string) => string | undefined) {
  const max = Math.min(schema.maxLength ?? 60, 60);
  const min = Math.min(schema.minLength ?? 0, max);
  const text = fc.string({ minLength: min, maxLength: max });
  const description = schema.description ?? '';
  const id = idFor(name);
  const shaped: fc.Arbitrary<string>[] = [];
  if (id !== undefined) {
    shaped.push(fc.constant(id));
  }
  if (/YYYY-MM-DD|date/i.test(description) || /On$|Date|date/.test(name)) {
    shaped.push(
      fc
        .date({ min: new Date('2020-01-01'), max: new Date('2028-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
    );
  }
  if (/UTC offset|At$|date-time/i.test(description + name) || schema.format === 'date-time') {
    shaped.push(
      fc
        .date({ min: new Date('2020-01-01'), max: new Date('2028-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString()),
    );
  }
  if (/HH:MM/.test(description)) {
    shaped.push(
      fc
        .tuple(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 59 }))
        .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
    );
  }
  if (/nhs/i.test(name)) {
    shaped.push(fc.constantFrom('4857773457', '485 777 3457', '9434765919', '1234567890'));
  }
  return shaped.length === 0 ? text : fc.oneof({ weight: 3, arbitrary: fc.oneof(...shaped) }, text);
}

function numberFor(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (integer ? -5 : 0);
  const max = schema.maximum ?? (integer ? 1_000 : 2_000);
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/**
 * Values the schema accepts, or nearly: the right shape and types, plausible dates and ids, so
 * that mutating one part of them tests the handler behind the validator, not only the validator.
 */
export function validish(
  schema: JsonSchema | undefined,
  idFor: (name: string) => string | undefined,
  name = '',
  depth = 0,
): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) {
    return fc.jsonValue({ maxDepth: 2 });
  }
  const inner = ((): fc.Arbitrary<unknown> => {
    if (schema.enum && schema.enum.length > 0) {
      return fc.constantFrom(...schema.enum);
    }
    if (schema.const !== undefined) {
      return fc.constant(schema.const);
    }
    const alternatives = schema.anyOf ?? schema.oneOf;
    if (alternatives && alternatives.length > 0) {
      return fc.oneof(...alternatives.map((s) => validish(s, idFor, name, depth + 1)));
    }
    if (schema.allOf && schema.allOf.length > 0) {
      const merged: JsonSchema = Object.assign({}, ...schema.allOf) as JsonSchema;
      return validish(merged, idFor, name, depth + 1);
    }
    const type = typeof schema.type === 'string' ? schema.type : schema.type?.[0];
    switch (type) {
      case 'string':
        return stringFor(schema, name, idFor);
      case 'integer':
        return numberFor(schema, true);
      case 'number':
        return numberFor(schema, false);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(validish(schema.items, idFor, name, depth + 1), {
          minLength: Math.min(schema.minItems ?? 0, 3),
          maxLength: Math.min(schema.maxItems ?? 3, 3),
        });
      case 'object':
      case undefined: {
        if (!schema.properties) {
          return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
        }
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [key, property] of Object.entries(schema.properties)) {
          model[key] = validish(property, idFor, key, depth + 1);
        }
        return fc.record(model, { requiredKeys: [...(schema.required ?? [])] });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  return schema.nullable === true ? fc.option(inner, { nil: null, freq: 6 }) : inner;
}

/** JSON text of a value; undefined (a dropped body) is the empty text. */
export function jsonText(value: unknown): string {
  // JSON.stringify returns undefined for undefined, though its type says string.
  return value === undefined ? '' : JSON.stringify(value);
}

/** Every path into a JSON value (objects and arrays), the value itself first. */
function pathsOf(value: unknown, prefix: readonly (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [[...prefix]];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(...pathsOf(v, [...prefix, k]));
    }
  }
  return out;
}

export type Mutation =
  | { readonly kind: 'none' }
  | { readonly kind: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'extra'; readonly at: number; readonly key: string; readonly value: unknown };

export function mutationArb(): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: 'none' } as const) },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: wrongValue() }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('extra' as const),
        at: fc.nat(),
        key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'id', 'version', 'role'), nastyString()),
        value: wrongValue(),
      }),
    },
  );
}

/** Applies one mutation at one of the value's paths (counted modulo how many there are). */
export function mutate(value: unknown, mutation: Mutation): unknown {
  if (mutation.kind === 'none') {
    return value;
  }
  const copy: unknown = structuredClone(value);
  const paths = pathsOf(copy);
  const path = paths[mutation.at % paths.length] ?? [];
  if (path.length === 0) {
    return mutation.kind === 'replace' ? mutation.value : mutation.kind === 'drop' ? undefined : copy;
  }
  const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], copy);
  const last = path[path.length - 1] ?? 0;
  const holder = parent as Record<string | number, unknown>;
  if (mutation.kind === 'replace') {
    holder[last] = mutation.value;
  } else if (mutation.kind === 'drop') {
    if (Array.isArray(parent)) {
      parent.splice(Number(last), 1);
    } else {
      Reflect.deleteProperty(holder, last);
    }
  } else if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) {
    Object.defineProperty(parent, mutation.key, { value: mutation.value, enumerable: true, writable: true });
  }
  return copy;
}
