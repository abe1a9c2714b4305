import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { pdfText } from '../../../test/support/pdf-text.ts';
import { buildReferralEmail, TINY_PDF } from '../../../test/support/referral-email.ts';
import { addTestUser, Browser, startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { actorOf } from '../../services/audit-service.ts';
import { createPatient } from '../../services/patient-service.ts';
import type { User } from '../../storage/users.repository.ts';

/** The test clock's today is Tuesday 24 November 2026 (Europe/London). */
const ERS_FORM = {
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

const ANN = {
  nhsNumber: '4857773457',
  givenName: 'Ann',
  familyName: 'Smith',
  dateOfBirth: '1961-03-14',
  sex: 'female',
};

type Table = 'referrals' | 'triage_decisions' | 'appointments' | 'documents' | 'intake_items';

async function countRows(t: TestApp, table: Table): Promise<number> {
  const r = await t.deps.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function decisionsFor(t: TestApp, referralId: string): Promise<number> {
  const rows = await t.deps.database.db
    .selectFrom('triage_decisions')
    .select('id')
    .where('referral_id', '=', referralId)
    .execute();
  return rows.length;
}

async function registerPatient(t: TestApp, by: User, fields: Record<string, string> = ANN): Promise<string> {
  const p = await createPatient(
    { db: t.deps.database.db, clock: t.clock, timeZone: 'Europe/London' },
    actorOf(by, null),
    fields,
  );
  return p.id;
}

/** The error summary links to `field` with a message matching `message`. */
function assertSummaryNames(body: string, field: string, message?: RegExp): void {
  assert.match(body, /There is a problem/);
  const link = new RegExp(`href="#${field}"[^>]*>([^<]*)<`).exec(body);
  assert.ok(link, `expected the error summary to link to #${field}`);
  if (message) {
    assert.match(link[1] ?? '', message);
  }
}

function idFromLocation(res: LightMyRequestResponse, prefix: string): string {
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

function versionOf(body: string): string {
  const v = /name="version" value="(\d+)"/.exec(body)?.[1];
  assert.ok(v, 'the form carries the record version');
  return v;
}

interface FilePart {
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
async function upload(
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
function documentIdFor(body: string, label: RegExp): string {
  for (const m of body.matchAll(/href="\/documents\/([0-9a-f-]{36})"[^>]*>([^<]*)</g)) {
    if (label.test(m[2] ?? '')) {
      return m[1] ?? '';
    }
  }
  assert.fail(`no document link labelled ${String(label)}`);
}

/** Bytes that are not an email in any sense: a fixed pseudo-random sequence. */
function noise(n: number): Buffer {
  const out = Buffer.alloc(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = (x >>> 16) & 0xff;
  }
  return out;
}

describe('referral pages', () => {
  let t: TestApp;
  let booking: Browser;
  let consultant: Browser;
  let nurse: Browser;
  let patientId = '';
  let referralId = '';
  let ackLetterId = '';

  before(async () => {
    t = await startTestApp();
    const bea = await addTestUser(t, 'booking-coordinator', 'bea');
    await addTestUser(t, 'consultant', 'cas');
    await addTestUser(t, 'nurse-specialist', 'nia');
    booking = new Browser(t);
    consultant = new Browser(t);
    nurse = new Browser(t);
    await booking.signIn('bea');
    await consultant.signIn('cas');
    await nurse.signIn('nia');
    patientId = await registerPatient(t, bea);
  });
  beforeEach(() => {
    // Each step a little later than the one before, as in real use, so the timeline has an order.
    t.clock.advanceSeconds(5);
  });
  after(async () => {
    await t.close();
  });

  describe('entering an e-RS referral', () => {
    it('records the referral for a registered patient and shows it', async () => {
      const res = await booking.post('/referrals', ERS_FORM, '/referrals/new');
      referralId = idFromLocation(res, '/referrals');
      assert.match(String(res.headers.location), /\?created=1$/);
      const page = await booking.get(`/referrals/${referralId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Referral recorded/);
      assert.match(page.body, /id="referral-state">Waiting for triage</);
      assert.match(page.body, /SMITH, Ann/);
      assert.match(page.body, /0000 1234 5678/);
      assert.match(page.body, /16 November 2026 by e-RS/);
      assert.match(page.body, /Spasticity and Dystonia, spinal origin/);
      assert.match(page.body, /Oral baclofen, Tizanidine/);
      assert.equal(await countRows(t, 'referrals'), 1);
      const row = await t.deps.database.db
        .selectFrom('referrals')
        .select(['patient_id', 'ubrn', 'source'])
        .executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { patient_id: patientId, ubrn: '000012345678', source: 'e-rs' });
      const list = await booking.get('/referrals?state=awaiting-triage');
      assert.ok(list.body.includes(`href="/referrals/${referralId}">SMITH, Ann</a>`));
      assert.match(list.body, /485 777 3457/);
      assert.match(list.body, /Dr A Patel, Chapeltown Surgery/);
      const accepted = await booking.get('/referrals?state=accepted');
      assert.ok(!accepted.body.includes(`href="/referrals/${referralId}"`));
    });

    it('refuses the same UBRN again with 409 and a link to the referral already recorded', async () => {
      const res = await booking.post(
        '/referrals',
        { ...ERS_FORM, ubrn: '000012345678', reason: 'Entered twice' },
        '/referrals/new',
      );
      assert.equal(res.statusCode, 409);
      assertSummaryNames(res.body, 'ubrn', /already recorded/);
      assert.match(res.body, new RegExp(`<a href="/referrals/${referralId}" id="existing-referral">`));
      assert.match(res.body, /Entered twice/, 'what was typed is kept');
      assert.equal(await countRows(t, 'referrals'), 1);
    });

    const refusals: readonly [string, Record<string, string | string[]>, string, RegExp][] = [
      [
        'an NHS number nobody is registered with',
        { nhsNumber: '943 476 5919', ubrn: '1111 2222 3333' },
        'nhsNumber',
        /No patient with this NHS number is registered/,
      ],
      ['a malformed UBRN', { ubrn: '1234 5678' }, 'ubrn', /UBRN must be 12 digits/],
      ['a missing reason', { ubrn: '1111 2222 3333', reason: '   ' }, 'reason', /reason for referral/i],
      [
        'a date received in the future',
        { ubrn: '1111 2222 3333', 'receivedOn-day': '25' },
        'receivedOn-day',
        /today or in the past/,
      ],
    ];
    for (const [what, change, field, message] of refusals) {
      it(`refuses ${what} with 400 naming ${field}, and stores nothing`, async () => {
        const res = await booking.post('/referrals', { ...ERS_FORM, ...change }, '/referrals/new');
        assert.equal(res.statusCode, 400);
        assertSummaryNames(res.body, field, message);
        assert.match(res.body, /<title>Error: /);
        assert.match(res.body, /value="Chapeltown Surgery"/, 'what was typed is kept');
        assert.equal(await countRows(t, 'referrals'), 1);
      });
    }

    it('offers to register the patient when the NHS number is not registered', async () => {
      const res = await booking.post(
        '/referrals',
        { ...ERS_FORM, nhsNumber: '943 476 5919', ubrn: '1111 2222 3333' },
        '/referrals/new',
      );
      assert.match(res.body, /<a href="\/patients\/new" id="register-patient">/);
    });
  });

  describe('attached letters', () => {
    let documentId = '';

    it('keeps an attached PDF and lists it with the referral', async () => {
      const before = await countRows(t, 'documents');
      const res = await upload(
        booking,
        `/referrals/${referralId}/attachments`,
        { filename: 'gp-letter.pdf', contentType: 'application/pdf', content: TINY_PDF },
        `/referrals/${referralId}`,
      );
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      const notice = `/referrals/${referralId}?done=Letter%20attached`;
      assert.equal(res.headers.location, notice);
      assert.equal(await countRows(t, 'documents'), before + 1);
      const page = await booking.get(notice);
      assert.match(page.body, /Letter attached/);
      assert.match(page.body, /gp-letter\.pdf/);
      documentId = documentIdFor(page.body, /Attached document/);
    });

    it('downloads the attachment back, byte for byte, as an attachment', async () => {
      const res = await nurse.get(`/documents/${documentId}`);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/pdf');
      assert.equal(res.headers['content-disposition'], 'attachment; filename="gp-letter.pdf"');
      assert.ok(res.rawPayload.equals(TINY_PDF));
      const audit = await t.deps.database.db
        .selectFrom('audit_events')
        .select(['username', 'patient_id'])
        .where('action', '=', 'document.view')
        .where('entity_id', '=', documentId)
        .execute();
      assert.deepEqual(
        audit.map((a) => ({ ...a })),
        [{ username: 'nia', patient_id: patientId }],
      );
    });

    it('downloads a file whose name is not plain ASCII, giving the name in UTF-8', async () => {
      const res = await upload(
        booking,
        `/referrals/${referralId}/attachments`,
        { filename: 'Referral – Ann Smith.pdf', contentType: 'application/pdf', content: TINY_PDF },
        `/referrals/${referralId}`,
      );
      assert.equal(res.statusCode, 303);
      const page = await booking.get(`/referrals/${referralId}`);
      assert.match(page.body, /Referral – Ann Smith\.pdf/);
      const ids = [...page.body.matchAll(/href="\/documents\/([0-9a-f-]{36})"[^>]*>Attached document/g)];
      const id = ids.map((m) => m[1]).find((x) => x !== documentId) ?? '';
      const download = await booking.get(`/documents/${id}`);
      assert.equal(download.statusCode, 200);
      assert.equal(
        download.headers['content-disposition'],
        `attachment; filename="Referral _ Ann Smith.pdf"; filename*=UTF-8''Referral%20%E2%80%93%20Ann%20Smith.pdf`,
      );
      assert.ok(download.rawPayload.equals(TINY_PDF));
    });

    it('refuses a file that is not a PDF with an error on the file field', async () => {
      const before = await countRows(t, 'documents');
      const res = await upload(
        booking,
        `/referrals/${referralId}/attachments`,
        { filename: 'notes.txt', contentType: 'text/plain', content: Buffer.from('just some notes\n') },
        `/referrals/${referralId}`,
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'file', /must be a PDF/);
      assert.match(res.body, /id="file-error"/);
      assert.equal(await countRows(t, 'documents'), before);
    });

    it('refuses an upload without its CSRF token', async () => {
      const before = await countRows(t, 'documents');
      const res = await upload(
        booking,
        `/referrals/${referralId}/attachments`,
        { filename: 'gp-letter.pdf', contentType: 'application/pdf', content: TINY_PDF },
        `/referrals/${referralId}`,
        false,
      );
      assert.equal(res.statusCode, 403);
      assert.equal(await countRows(t, 'documents'), before);
    });

    it('answers 404 for a document that does not exist', async () => {
      const res = await booking.get('/documents/00000000-0000-4000-8000-000000000000');
      assert.equal(res.statusCode, 404);
    });
  });

  describe('triage', () => {
    for (const [who, role] of [
      ['nurse', 'nurse-specialist'],
      ['booking coordinator', 'booking-coordinator'],
    ] as const) {
      it(`refuses a ${who} with 403 on GET and POST, and audits each refusal`, async () => {
        const b = who === 'nurse' ? nurse : booking;
        const page = await b.get(`/referrals/${referralId}`);
        assert.equal(page.statusCode, 200);
        assert.ok(!page.body.includes(`/referrals/${referralId}/triage`), 'no triage button offered');
        const deniedBefore = await t.deps.database.db
          .selectFrom('audit_events')
          .select('seq')
          .where('action', '=', 'access.denied')
          .where('role', '=', role)
          .execute();
        const get = await b.get(`/referrals/${referralId}/triage`);
        assert.equal(get.statusCode, 403);
        assert.match(get.body, /You do not have access to this page/);
        const post = await b.post(
          `/referrals/${referralId}/triage`,
          { outcome: 'accepted', priority: 'urgent', version: '1' },
          `/referrals/${referralId}`,
        );
        assert.equal(post.statusCode, 403);
        assert.equal(await countRows(t, 'triage_decisions'), 0);
        const denied = await t.deps.database.db
          .selectFrom('audit_events')
          .select(['outcome', 'details'])
          .where('action', '=', 'access.denied')
          .where('role', '=', role)
          .orderBy('seq')
          .execute();
        const fresh = denied.slice(deniedBefore.length);
        assert.equal(fresh.length, 2);
        assert.ok(fresh.every((d) => d.outcome === 'denied' && d.details.includes('referral:triage')));
        assert.ok(fresh.some((d) => d.details.includes('"POST"')));
      });
    }

    it('lets a consultant accept with a priority; the acknowledgement letter names the patient', async () => {
      const form = await consultant.get(`/referrals/${referralId}/triage`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Triage the referral/);
      const res = await consultant.post(
        `/referrals/${referralId}/triage`,
        { outcome: 'accepted', priority: 'urgent', version: versionOf(form.body) },
        `/referrals/${referralId}/triage`,
      );
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      const page = await consultant.get(String(res.headers.location));
      assert.match(page.body, /Decision recorded: Accepted/);
      assert.match(page.body, /id="referral-state">Accepted – urgent</);
      assert.match(page.body, /Acknowledgement letter \(to the referrer\)/);
      assert.match(page.body, /28 December 2026/, 'the target date, 42 days from receipt');
      ackLetterId = documentIdFor(page.body, /Acknowledgement letter/);
      const letter = await booking.get(`/documents/${ackLetterId}`);
      assert.equal(letter.statusCode, 200);
      assert.equal(letter.headers['content-type'], 'application/pdf');
      assert.match(String(letter.headers['content-disposition']), /^attachment; filename="[^"]+\.pdf"$/);
      const text = pdfText(letter.rawPayload);
      assert.match(text, /Ann Smith/);
      assert.match(text, /485 777 3457/);
    });

    it('needs advice when a referral is not accepted', async () => {
      const other = await booking.post(
        '/referrals',
        { ...ERS_FORM, ubrn: '2222 3333 4444' },
        '/referrals/new',
      );
      const otherId = idFromLocation(other, '/referrals');
      const form = await consultant.get(`/referrals/${otherId}/triage`);
      const decisions = await countRows(t, 'triage_decisions');
      const res = await consultant.post(
        `/referrals/${otherId}/triage`,
        { outcome: 'not-accepted', advice: '', version: versionOf(form.body) },
        `/referrals/${otherId}/triage`,
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'advice', /advice/i);
      assert.match(res.body, /id="advice-error"/);
      assert.equal(await countRows(t, 'triage_decisions'), decisions);
      const redirected = await consultant.post(
        `/referrals/${otherId}/triage`,
        { outcome: 'redirected', redirectTo: 'Spasticity clinic', advice: '', version: '1' },
        `/referrals/${otherId}/triage`,
      );
      assert.equal(redirected.statusCode, 400);
      assertSummaryNames(redirected.body, 'advice');
      const waiting = await consultant.get(`/referrals/${otherId}`);
      assert.match(waiting.body, /id="referral-state">Waiting for triage</);
      const ok = await consultant.post(
        `/referrals/${otherId}/triage`,
        {
          outcome: 'not-accepted',
          advice: 'Please try botulinum toxin injections first & review in 3 months.',
          version: versionOf(form.body),
        },
        `/referrals/${otherId}/triage`,
      );
      assert.equal(ok.statusCode, 303);
      const page = await consultant.get(`/referrals/${otherId}`);
      assert.match(page.body, /id="referral-state">Not accepted</);
      assert.match(page.body, /Please try botulinum toxin injections first &amp; review in 3 months\./);
      const letterId = documentIdFor(page.body, /Advice letter \(to the referrer\)/);
      const letter = await booking.get(`/documents/${letterId}`);
      assert.match(
        pdfText(letter.rawPayload),
        /Please try botulinum toxin injections first & review in 3 months\./,
      );
      assert.ok(!page.body.includes(`/referrals/${otherId}/appointments/new`), 'nothing to book');
    });

    it('needs a reason to change a decision, and keeps both decisions', async () => {
      const form = await consultant.get(`/referrals/${referralId}/triage`);
      assert.match(form.body, /Change the triage decision/);
      const version = versionOf(form.body);
      const res = await consultant.post(
        `/referrals/${referralId}/triage`,
        { outcome: 'accepted', priority: 'routine', version },
        `/referrals/${referralId}/triage`,
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'reason');
      assert.equal(await decisionsFor(t, referralId), 1);
      const ok = await consultant.post(
        `/referrals/${referralId}/triage`,
        { outcome: 'accepted', priority: 'routine', reason: 'Discussed with the GP: not urgent', version },
        `/referrals/${referralId}/triage`,
      );
      assert.equal(ok.statusCode, 303);
      const page = await consultant.get(`/referrals/${referralId}`);
      assert.match(page.body, /id="referral-state">Accepted – routine</);
      assert.match(page.body, /Discussed with the GP: not urgent/);
      assert.equal(await decisionsFor(t, referralId), 2);
    });

    it('refuses a decision made on a version someone has since changed', async () => {
      const res = await consultant.post(
        `/referrals/${referralId}/triage`,
        { outcome: 'accepted', priority: 'urgent', reason: 'Back to urgent', version: '1' },
        `/referrals/${referralId}/triage`,
      );
      assert.equal(res.statusCode, 409);
      assert.match(res.body, /Your decision was not saved/);
      assert.equal(await decisionsFor(t, referralId), 2);
    });

    it('empties the triage queue once each referral is decided', async () => {
      const queue = await nurse.get('/triage');
      assert.equal(queue.statusCode, 200);
      assert.match(queue.body, /No referrals are waiting for triage/);
      const accepted = await nurse.get('/referrals?state=accepted');
      assert.ok(accepted.body.includes(`href="/referrals/${referralId}"`));
      const notAccepted = await nurse.get('/referrals?state=not-accepted');
      assert.match(notAccepted.body, /1 most recent referrals \(not accepted\)/);
    });
  });

  describe('first appointments', () => {
    const booking1 = { time: '09:30', clinic: 'Spasticity clinic', clinician: 'Dr Jones' };
    const date = (d: string, m: string, y = '2026') => ({ 'date-day': d, 'date-month': m, 'date-year': y });
    let appointmentId = '';

    it('refuses a date before the referral was received, naming the date', async () => {
      const page = await booking.get(`/referrals/${referralId}`);
      assert.ok(page.body.includes(`href="/referrals/${referralId}/appointments/new"`));
      const res = await booking.post(
        `/referrals/${referralId}/appointments`,
        { ...booking1, ...date('10', '11') },
        `/referrals/${referralId}/appointments/new`,
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'date-day', /on or after the date the referral was received/);
      assert.match(res.body, /value="Spasticity clinic"/);
      assert.equal(await countRows(t, 'appointments'), 0);
    });

    it('refuses a consultant, who cannot manage bookings', async () => {
      const res = await consultant.get(`/referrals/${referralId}/appointments/new`);
      assert.equal(res.statusCode, 403);
    });

    it('books the first appointment; the waiting list shows it booked within target', async () => {
      const res = await booking.post(
        `/referrals/${referralId}/appointments`,
        { ...booking1, ...date('1', '12') },
        `/referrals/${referralId}/appointments/new`,
      );
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      const page = await booking.get(`/referrals/${referralId}`);
      assert.match(page.body, /Appointment booked/);
      assert.match(page.body, /1 December 2026 at 09:30/);
      assert.match(page.body, /Appointment letter \(to the patient\)/);
      assert.match(page.body, /id="wait-status">Booked within target</);
      assert.ok(!page.body.includes('/appointments/new'), 'no second booking offered');
      appointmentId = /href="\/appointments\/([0-9a-f-]{36})\/rebook"/.exec(page.body)?.[1] ?? '';
      assert.ok(appointmentId);
      const list = await nurse.get('/waiting-list');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /nhsuk-tag--green">Booked within target</);
      assert.match(list.body, /SMITH, Ann/);
      assert.match(list.body, /1 December 2026 at 09:30/);
    });

    it('rebooks: the old appointment is cancelled with its reason and a new one booked', async () => {
      const form = await booking.get(`/appointments/${appointmentId}/rebook`);
      assert.equal(form.statusCode, 200);
      const res = await booking.post(
        `/appointments/${appointmentId}/rebook`,
        {
          ...booking1,
          time: '14:00',
          ...date('8', '12'),
          cancelReason: 'patient-cancelled',
          cancelNote: 'On holiday',
          version: versionOf(form.body),
        },
        `/appointments/${appointmentId}/rebook`,
      );
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      const page = await booking.get(`/referrals/${referralId}`);
      assert.match(page.body, /Cancelled: patient cancelled \(On holiday\)/);
      assert.match(page.body, /8 December 2026 at 14:00/);
      assert.equal(await countRows(t, 'appointments'), 2);
      const stale = await booking.post(
        `/appointments/${appointmentId}/cancel`,
        { cancelReason: 'hospital-cancelled', version: '1' },
        `/referrals/${referralId}`,
      );
      assert.equal(stale.statusCode, 409, 'the old appointment is no longer booked');
      appointmentId = /href="\/appointments\/([0-9a-f-]{36})\/cancel"/.exec(page.body)?.[1] ?? '';
      assert.ok(appointmentId);
    });

    it('cancels: a future appointment cannot be "did not attend"; the wait goes back to not booked', async () => {
      const form = await booking.get(`/appointments/${appointmentId}/cancel`);
      const version = versionOf(form.body);
      const dna = await booking.post(
        `/appointments/${appointmentId}/cancel`,
        { cancelReason: 'did-not-attend', version },
        `/appointments/${appointmentId}/cancel`,
      );
      assert.equal(dna.statusCode, 400);
      assertSummaryNames(dna.body, 'cancelReason', /in the future/);
      const res = await booking.post(
        `/appointments/${appointmentId}/cancel`,
        { cancelReason: 'hospital-cancelled', cancelNote: 'Clinic closed', version },
        `/appointments/${appointmentId}/cancel`,
      );
      assert.equal(res.statusCode, 303);
      const page = await booking.get(`/referrals/${referralId}`);
      assert.match(page.body, /Cancelled: hospital cancelled \(Clinic closed\)/);
      assert.match(page.body, /id="wait-status">Not booked – 34 days left</);
      const list = await nurse.get('/waiting-list');
      assert.match(list.body, /Not booked – 34 days left/);
      assert.match(list.body, /Not booked<\/td>/);
    });

    it('records the outcome of an attended appointment; the patient leaves the waiting list', async () => {
      const book = await booking.post(
        `/referrals/${referralId}/appointments`,
        { ...booking1, ...date('24', '11') },
        `/referrals/${referralId}/appointments/new`,
      );
      assert.equal(book.statusCode, 303);
      const page = await booking.get(`/referrals/${referralId}`);
      const id = /href="\/appointments\/([0-9a-f-]{36})\/outcome"/.exec(page.body)?.[1] ?? '';
      const form = await booking.get(`/appointments/${id}/outcome`);
      const version = versionOf(form.body);
      const empty = await booking.post(
        `/appointments/${id}/outcome`,
        { outcomeNote: '', version },
        `/appointments/${id}/outcome`,
      );
      assert.equal(empty.statusCode, 400);
      assertSummaryNames(empty.body, 'outcomeNote');
      const res = await booking.post(
        `/appointments/${id}/outcome`,
        { outcomeNote: 'Seen: proceed to ITB assessment', version },
        `/appointments/${id}/outcome`,
      );
      assert.equal(res.statusCode, 303);
      const after = await booking.get(`/referrals/${referralId}`);
      assert.match(after.body, /Attended: Seen: proceed to ITB assessment/);
      assert.match(after.body, /id="wait-status">Seen within target</);
      const list = await nurse.get('/waiting-list');
      assert.ok(!list.body.includes(`href="/referrals/${referralId}"`));
    });

    it('tells the whole story in the timeline, in order, with who did each step', async () => {
      const page = await nurse.get(`/referrals/${referralId}`);
      const timeline = page.body.slice(page.body.indexOf('id="timeline"'));
      const titles = [...timeline.matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
      assert.deepEqual(titles.slice(0, 6), [
        'Referral received (e-RS (formerly Choose and Book))',
        'Referral recorded',
        'Document attached',
        'Document attached',
        'Triaged: Accepted (urgent)',
        'Acknowledgement letter made',
      ]);
      for (const title of [
        'Decision changed: Accepted (routine)',
        'Appointment rebooked',
        'Appointment cancelled: patient cancelled',
        'Appointment cancelled: hospital cancelled',
        'Attended first appointment',
      ]) {
        assert.ok(titles.includes(title), `timeline has "${title}"`);
      }
      assert.equal(titles.at(-1), 'Attended first appointment');
      assert.match(timeline, /Reason for change: Discussed with the GP: not urgent/);
      assert.match(timeline, /· Test consultant/);
      assert.match(timeline, /· Test booking-coordinator/);
    });
  });

  describe('email intake', () => {
    let itemId = '';
    let eml: Buffer;

    before(async () => {
      eml = await buildReferralEmail({
        messageId: '<referral-1@leeds.nhs.net>',
        nhsNumber: '485 777 3457',
        withPdf: true,
      });
    });

    it('takes in an uploaded .eml and offers the registered patient it names', async () => {
      const res = await upload(
        booking,
        '/intake/upload',
        { filename: 'referral.eml', contentType: 'message/rfc822', content: eml },
        '/intake',
      );
      itemId = idFromLocation(res, '/intake');
      assert.equal(res.headers.location, `/intake/${itemId}`);
      const page = await booking.get(`/intake/${itemId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Referral for ITB assessment/);
      assert.match(page.body, /Dr Rhiannon Hughes/);
      const radio = new RegExp(`<input[^>]*name="patientChoice"[^>]*value="${patientId}"[^>]*>`).exec(
        page.body,
      );
      assert.ok(radio, 'the patient is offered as a match');
      assert.match(radio[0], /checked/);
      assert.match(page.body, /SMITH, Ann – NHS number 485 777 3457/);
      assert.match(page.body, /referral-letter\.pdf/);
      assert.match(page.body, /value="rhiannon\.hughes@nhs\.net"/);
      const list = await booking.get('/intake');
      assert.match(list.body, /To confirm \(1\)/);
    });

    it('says an email uploaded again was already there, and keeps one item', async () => {
      const res = await upload(
        booking,
        '/intake/upload',
        { filename: 'copy.eml', contentType: 'message/rfc822', content: eml },
        '/intake',
      );
      assert.equal(res.statusCode, 303);
      const duplicate = `/intake/${itemId}?duplicate=1`;
      assert.equal(res.headers.location, duplicate);
      const page = await booking.get(duplicate);
      assert.match(page.body, /already in the intake/);
      assert.equal(await countRows(t, 'intake_items'), 1);
    });

    it('asks for the patient when "another patient" is chosen without an NHS number', async () => {
      const page = await booking.get(`/intake/${itemId}`);
      const referrals = await countRows(t, 'referrals');
      const res = await booking.post(
        `/intake/${itemId}/confirm`,
        { ...ERS_FORM, ubrn: '', patientChoice: 'other', nhsNumber: '', version: versionOf(page.body) },
        `/intake/${itemId}`,
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'nhsNumber', /NHS number/);
      assert.match(res.body, /value="Chapeltown Surgery"/, 'what was typed is kept');
      assert.equal(await countRows(t, 'referrals'), referrals);
    });

    it('refuses an upload form sent with no file chosen, naming the file field', async () => {
      const res = await upload(
        booking,
        '/intake/upload',
        { filename: '', contentType: 'application/octet-stream', content: Buffer.alloc(0) },
        '/intake',
      );
      assert.equal(res.statusCode, 400);
      assertSummaryNames(res.body, 'file', /Select an email file/);
      assert.equal(await countRows(t, 'intake_items'), 1);
    });

    it('makes the email a referral for the chosen patient; the item is then converted', async () => {
      const page = await booking.get(`/intake/${itemId}`);
      const referrals = await countRows(t, 'referrals');
      const res = await booking.post(
        `/intake/${itemId}/confirm`,
        {
          ...ERS_FORM,
          source: 'e-rs', // ignored: an email referral is always "email"
          ubrn: '',
          referrerOdsCode: '',
          referrerName: 'Dr Rhiannon Hughes',
          referrerRole: 'Consultant neurologist',
          referrerGrade: 'consultant',
          referrerOrganisation: 'Leeds General Infirmary',
          referrerEmail: 'rhiannon.hughes@nhs.net',
          patientChoice: patientId,
          nhsNumber: '',
          version: versionOf(page.body),
        },
        `/intake/${itemId}`,
      );
      const newId = idFromLocation(res, '/referrals');
      assert.equal(await countRows(t, 'referrals'), referrals + 1);
      const referral = await booking.get(`/referrals/${newId}`);
      assert.match(referral.body, /by Consultant email/);
      assert.match(referral.body, /referral-letter\.pdf/, 'the attachment stays with the referral');
      const item = await booking.get(`/intake/${itemId}`);
      assert.match(item.body, new RegExp(`Made into a <a href="/referrals/${newId}">referral</a>`));
      assert.ok(!item.body.includes(`action="/intake/${itemId}/confirm"`), 'no second confirm');
      const converted = await booking.get('/intake?view=converted');
      assert.ok(converted.body.includes(`href="/intake/${itemId}"`));
      const fresh = await booking.get('/intake');
      assert.ok(!fresh.body.includes(`href="/intake/${itemId}"`));
      const row = await t.deps.database.db
        .selectFrom('intake_items')
        .select(['state', 'referral_id'])
        .where('id', '=', itemId)
        .executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { state: 'converted', referral_id: newId });
      const again = await booking.post(
        `/intake/${itemId}/confirm`,
        {
          ...ERS_FORM,
          ubrn: '',
          referrerOdsCode: '',
          referrerGrade: 'consultant',
          patientChoice: patientId,
          version: '1',
        },
        '/intake', // the item page has no form now: take the token from the upload form
      );
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /already been made into a referral/);
      assert.equal(await countRows(t, 'referrals'), referrals + 1);
    });

    let unreadableId = '';
    it('keeps an upload that is not an email and shows it could not be read', async () => {
      const garbage = noise(512);
      const res = await upload(
        booking,
        '/intake/upload',
        { filename: 'scan.eml', contentType: 'application/octet-stream', content: garbage },
        '/intake',
      );
      unreadableId = idFromLocation(res, '/intake');
      const page = await booking.get(`/intake/${unreadableId}`);
      assert.match(page.body, /This email could not be read/);
      const docId = documentIdFor(page.body, /Original email/);
      const original = await booking.get(`/documents/${docId}`);
      assert.ok(original.rawPayload.equals(garbage), 'the original bytes are kept');
      assert.equal(original.headers['content-type'], 'application/octet-stream');
      const list = await booking.get('/intake');
      assert.match(list.body, /Could not be read/);
      assert.ok(list.body.includes(`href="/intake/${unreadableId}"`));
    });

    it('closes an email as not a referral only with a reason', async () => {
      const page = await booking.get(`/intake/${unreadableId}`);
      const version = versionOf(page.body);
      const bad = await booking.post(
        `/intake/${unreadableId}/close`,
        { closedReason: '  ', version },
        `/intake/${unreadableId}`,
      );
      assert.equal(bad.statusCode, 400);
      assertSummaryNames(bad.body, 'closedReason', /why this email is not a referral/);
      const ok = await booking.post(
        `/intake/${unreadableId}/close`,
        { closedReason: 'A scanned fax, not an email', version },
        `/intake/${unreadableId}`,
      );
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/intake');
      const closed = await booking.get('/intake?view=closed');
      assert.ok(closed.body.includes(`href="/intake/${unreadableId}"`));
      const item = await booking.get(`/intake/${unreadableId}`);
      assert.match(item.body, /Closed: A scanned fax, not an email/);
    });
  });
});

describe('upload size limit', () => {
  let t: TestApp;
  let booking: Browser;
  let referralId = '';

  before(async () => {
    t = await startTestApp('sqlite', { uploadMaxBytes: 1024 * 1024 });
    const bea = await addTestUser(t, 'booking-coordinator', 'bea');
    await registerPatient(t, bea);
    booking = new Browser(t);
    await booking.signIn('bea');
    referralId = idFromLocation(await booking.post('/referrals', ERS_FORM, '/referrals/new'), '/referrals');
  });
  after(async () => {
    await t.close();
  });

  it('refuses a file over the configured size by name, and keeps nothing', async () => {
    const big = Buffer.concat([TINY_PDF, Buffer.alloc(1536 * 1024, 0x20)]);
    for (const [url, formPage, filename] of [
      [`/referrals/${referralId}/attachments`, `/referrals/${referralId}`, 'scan.pdf'],
      ['/intake/upload', '/intake', 'big.eml'],
    ] as const) {
      const res = await upload(
        booking,
        url,
        { filename, contentType: 'application/octet-stream', content: big },
        formPage,
      );
      assert.equal(res.statusCode, 400, url);
      assertSummaryNames(res.body, 'file', /must be smaller than 1 MB/);
    }
    assert.equal(await countRows(t, 'documents'), 0);
    assert.equal(await countRows(t, 'intake_items'), 0);
  });
});

describe('dashboard', () => {
  let t: TestApp;
  let nurse: Browser;

  before(async () => {
    // Flag after 3 working days, not the default 5, to show the setting is the one used.
    t = await startTestApp('sqlite', { triageAlertWorkingDays: 3 });
    const bea = await addTestUser(t, 'booking-coordinator', 'bea');
    await addTestUser(t, 'nurse-specialist', 'nia');
    await registerPatient(t, bea);
    const booking = new Browser(t);
    await booking.signIn('bea');
    // Received Thursday 19 November: on Tuesday 24 November it has waited 3 working days.
    const res = await booking.post('/referrals', { ...ERS_FORM, 'receivedOn-day': '19' }, '/referrals/new');
    assert.equal(res.statusCode, 303);
    nurse = new Browser(t);
    await nurse.signIn('nia');
  });
  after(async () => {
    await t.close();
  });

  it('shows nothing overdue while the referral is within the configured working days', async () => {
    const home = await nurse.get('/');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Needs attention today/);
    assert.match(home.body, /id="attention">Nothing is overdue/);
  });

  it('counts the referral as overdue for triage once it has waited longer', async () => {
    t.clock.set('2026-11-25T09:00:00.000Z'); // Wednesday: 4 working days
    const fresh = new Browser(t); // a new session, so the moved clock does not matter
    await fresh.signIn('nia');
    const home = await fresh.get('/');
    assert.match(home.body, /<a href="\/triage">1 referral waiting more than 3 working days for triage<\/a>/);
    const queue = await fresh.get('/triage');
    assert.match(queue.body, /Overdue for triage/);
    assert.match(queue.body, /6 \(4 working\)/);
  });

  it('shows no referral alerts to a role without referral access', async () => {
    await addTestUser(t, 'service-manager', 'max');
    const manager = new Browser(t);
    await manager.signIn('max');
    const home = await manager.get('/');
    assert.equal(home.statusCode, 200);
    assert.ok(!home.body.includes('Needs attention today'));
  });
});
