import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { actorOf } from '../../src/services/audit-service.ts';
import { createPatient } from '../../src/services/patient-service.ts';
import type { User } from '../../src/storage/users.repository.ts';
import { addTestUser, Browser, startTestApp, type TestApp } from './test-app.ts';

/**
 * What the referral pages tests share (src/http/routes/referrals/*-pages.test.ts): the e-RS
 * form and Ann, the app with its staff signed in, a referral's decisions, and reading and
 * sending the pages' forms (error summary, redirects, versions, uploads, document links).
 */

/** The test clock's today is Tuesday 24 November 2026 (Europe/London). */
export const ERS_FORM = {
  nhsNumber: '485 777 3457',
  source: 'e-rs',
  ubrn: '0000 1234 5678',
  'receivedOn-day': '16',
  'receivedOn-month': '11',
  'receivedOn-year': '2026',
  referrerName: 'Dr A Patel',
  referrerRole: 'GP',
  referrerOrganisation: 'Chapeltown Surgery',
  referrerOdsCode: 'B86016',
  referrerEmail: 'a.patel@nhs.net',
  referrerPhone: '',
  reason: 'Severe spasticity despite oral baclofen',
  conditions: ['spasticity', 'dystonia'],
  origin: 'spinal',
  aetiology: 'multiple-sclerosis',
  aetiologyOther: '',
  treatmentsTried: ['oral-baclofen', 'tizanidine'],
  treatmentsNote: '',
};

export const ANN = {
  nhsNumber: '4857773457',
  givenName: 'Ann',
  familyName: 'Smith',
  dateOfBirth: '1961-03-14',
  sex: 'female',
  // Her appointment letters are posted to her (letter-readiness.ts).
  addressLine1: '1 Park Row',
  town: 'Leeds',
  postcode: 'LS1 5AB',
};

export async function decisionsFor(t: TestApp, referralId: string): Promise<number> {
  const rows = await t.deps.database.db
    .selectFrom('triage_decisions')
    .select('id')
    .where('referral_id', '=', referralId)
    .execute();
  return rows.length;
}

export async function registerPatient(
  t: TestApp,
  by: User,
  fields: Record<string, string> = ANN,
): Promise<string> {
  const p = await createPatient(
    { db: t.deps.database.db, clock: t.clock, timeZone: 'Europe/London' },
    actorOf(by, null),
    fields,
  );
  return p.id;
}

/** The error summary links to `field` with a message matching `message`. */
export function assertSummaryNames(body: string, field: string, message?: RegExp): void {
  assert.match(body, /There is a problem/);
  const link = new RegExp(`href="#${field}"[^>]*>([^<]*)<`).exec(body);
  assert.ok(link, `expected the error summary to link to #${field}`);
  if (message) {
    assert.match(link[1] ?? '', message);
  }
}

export function idFromLocation(res: LightMyRequestResponse, prefix: string): string {
  assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
  const location = String(res.headers.location);
  const m = new RegExp(`^${prefix}/([0-9a-f-]{36})(?:[?#]|$)`).exec(location);
  assert.ok(m, `unexpected redirect ${location}`);
  return m[1] ?? '';
}

function csrfOf(body: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
  assert.ok(token, 'the page has a form with a CSRF token');
  return token;
}

export function versionOf(body: string): string {
  const v = /name="version" value="(\d+)"/.exec(body)?.[1];
  assert.ok(v, 'the form carries the record version');
  return v;
}

export interface FilePart {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/** A multipart/form-data body built by hand, as a browser would send the upload forms. */
function multipartBody(
  fields: Record<string, string>,
  file: FilePart,
): { payload: Buffer; contentType: string } {
  const boundary = `----itbtest${String(Date.now())}boundary`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\n` +
        `Content-Type: ${file.contentType}\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Uploads a file the way the page's form does: the CSRF token is read from `formPage` (as
 * Browser.post does) and sent as the `_csrf` field of the multipart body.
 */
export async function upload(
  b: Browser,
  url: string,
  file: FilePart,
  formPage: string,
  withCsrf = true,
): Promise<LightMyRequestResponse> {
  const page = await b.get(formPage);
  const fields: Record<string, string> = withCsrf ? { _csrf: csrfOf(page.body) } : {};
  const { payload, contentType } = multipartBody(fields, file);
  const res = await b.t.app.inject({
    method: 'POST',
    url,
    headers: {
      cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': contentType,
    },
    payload,
  });
  for (const c of res.cookies as { name: string; value: string }[]) {
    if (c.value === '') {
      b.cookies.delete(c.name);
    } else {
      b.cookies.set(c.name, c.value);
    }
  }
  return res;
}

/** The id of the document a referral or intake page links to under `label`. */
export function documentIdFor(body: string, label: RegExp): string {
  for (const m of body.matchAll(/href="\/documents\/([0-9a-f-]{36})"[^>]*>([^<]*)</g)) {
    if (label.test(m[2] ?? '')) {
      return m[1] ?? '';
    }
  }
  assert.fail(`no document link labelled ${String(label)}`);
}

/** Bytes that are not an email in any sense: a fixed pseudo-random sequence. */
export function noise(n: number): Buffer {
  const out = Buffer.alloc(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = (x >>> 16) & 0xff;
  }
  return out;
}

/** The referral pages' staff, each signed in: booking coordinator, consultant, nurse specialist. */
export interface ReferralPages {
  readonly t: TestApp;
  readonly booking: Browser;
  readonly consultant: Browser;
  readonly nurse: Browser;
  /** Ann, registered by the booking coordinator. */
  readonly patientId: string;
}

/** Starts the app with bea (booking coordinator), cas (consultant) and nia (nurse), and Ann. */
export async function startReferralPages(): Promise<ReferralPages> {
  const t = await startTestApp();
  const bea = await addTestUser(t, 'booking-coordinator', 'bea');
  await addTestUser(t, 'consultant', 'cas');
  await addTestUser(t, 'nurse-specialist', 'nia');
  const booking = new Browser(t);
  const consultant = new Browser(t);
  const nurse = new Browser(t);
  await booking.signIn('bea');
  await consultant.signIn('cas');
  await nurse.signIn('nia');
  const patientId = await registerPatient(t, bea);
  return { t, booking, consultant, nurse, patientId };
}
