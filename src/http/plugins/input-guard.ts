import { parse as parseQueryString } from 'node:querystring';
import type { FastifyInstance } from 'fastify';
import { findUnstorableText } from '../../domain/unstorable-text.ts';
import { AppError } from '../../services/app-error.ts';

/**
 * Parses a query string keeping only the first of a repeated parameter: no page or API call
 * takes a list in its query, so `?done=a&done=b` means `?done=a` rather than handing a route
 * an array where it expects text.
 */
export function parseQueryFirstValue(query: string): Record<string, string> {
  const parsed = parseQueryString(query);
  const single: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(parsed)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) {
      single[name] = first;
    }
  }
  return single;
}

/**
 * Errors the multipart parser (busboy) raises as plain errors for a body that is not what its
 * content-type says: a missing or overlong boundary, a body cut short, a part cut short. They are
 * the client's fault and answer 400, not the 500 a plain error would get.
 */
const MALFORMED_MULTIPART = [
  /^Multipart: Boundary not found$/,
  /^Unexpected end of multipart data$/,
  /terminated early due to unexpected end of multipart data$/,
  /^The needle cannot /,
  /^Malformed part header$/,
];

export function isMalformedMultipart(err: {
  readonly message: string;
  readonly statusCode?: number;
}): boolean {
  return err.statusCode === undefined && MALFORMED_MULTIPART.some((pattern) => pattern.test(err.message));
}

const WHERE: Record<'params' | 'query' | 'body', string> = {
  params: 'the web address',
  query: 'the web address',
  body: 'the form',
};

/**
 * Input checks every route shares, run after the caller is authenticated and permitted (the
 * contexts' onRequest hooks) and before any route's own validation:
 * - a multipart body without a boundary is refused with 400 before the parser meets it;
 * - text a database cannot keep alike (NUL, a lone surrogate) is refused with 400 naming it.
 */
export function registerInputGuard(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const type = request.headers['content-type'];
    if (typeof type === 'string' && /^\s*multipart\//i.test(type) && !/;\s*boundary=[^;\s]/i.test(type)) {
      throw new AppError(
        'VALIDATION_FAILED',
        'The request body is multipart but its content-type header names no boundary',
        { fieldErrors: [{ field: 'content-type', message: 'Give the multipart boundary' }] },
      );
    }
    return payload;
  });

  app.addHook('preValidation', async (request) => {
    for (const part of ['params', 'query', 'body'] as const) {
      const path = findUnstorableText(request[part], part);
      if (path !== null) {
        // A path through a deeply nested body is cut short: enough to find the field.
        const field = (path === part ? part : path.slice(part.length + 1)).slice(0, 200);
        throw new AppError(
          'VALIDATION_FAILED',
          `"${field}" in ${WHERE[part]} holds a character that cannot be stored (a NUL or an unpaired surrogate). Remove it and try again.`,
          { fieldErrors: [{ field, message: 'Remove the NUL or unpaired surrogate character' }] },
        );
      }
    }
  });
}
