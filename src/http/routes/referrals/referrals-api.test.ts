import { ERS_REFERRAL } from '../../../../test/support/referral-fixtures.ts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countRows } from '../../../../test/support/assertions.ts';
import { DIALECTS } from '../../../../test/support/databases.ts';
import { addTestUser, startTestApp, type TestApp, apiTokenFor } from '../../../../test/support/test-app.ts';
import { actorOf } from '../../../services/audit-service.ts';
import { createPatient } from '../../../services/patient-service.ts';

/** The test clock's today is 24 November 2026. */
const ERS = { nhsNumber: '485 777 3457', ...ERS_REFERRAL };

interface ApiError {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly fields: readonly { readonly field: string; readonly message: string }[];
    readonly details?: Record<string, unknown>;
    readonly reason?: string;
  };
}

interface ReferralBody {
  readonly id: string;
  readonly patientId: string;
  readonly ubrn: string | null;
  readonly state: string;
  readonly priority: string | null;
  readonly acceptedOn: string | null;
  readonly version: number;
  readonly decisions?: readonly { outcome: string; decidedByName: string; changeReason: string | null }[];
  readonly documents?: readonly { id: string; kind: string; contentType: string }[];
  readonly appointments?: readonly { id: string; date: string; state: string }[];
  readonly wait?: { status: string; targetDate: string; statusText: string } | null;
}

function fieldsOf(body: string): string[] {
  const parsed = JSON.parse(body) as ApiError;
  assert.equal(parsed.error.code, 'VALIDATION_FAILED');
  return parsed.error.fields.map((f) => f.field).sort();
}

for (const dialect of DIALECTS) {
  describe(`referrals API on ${dialect}`, () => {
    let t: TestApp;
    let bookingToken = '';
    let consultantToken = '';
    let nurseToken = '';
    let managerToken = '';
    let patientId = '';
    let made = 0;
    const api = (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      });
    const count = (table: 'referrals' | 'triage_decisions' | 'appointments') =>
      countRows(t.deps.database.db, table);
    /** A UBRN no other test's referral has, so every test's referral is its own. */
    const freshUbrn = () => {
      made += 1;
      return `7000 0000 ${String(made).padStart(4, '0')}`;
    };
    /** Records an e-RS referral for Ann as the booking coordinator; its id. */
    const recordReferral = async (): Promise<string> => {
      const res = await api('POST', '/api/v1/referrals', bookingToken, { ...ERS, ubrn: freshUbrn() });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<ReferralBody>().id;
    };
    /** Records a referral and accepts it (as urgent unless said); its id. */
    const acceptedReferral = async (priority: 'urgent' | 'routine' = 'urgent'): Promise<string> => {
      const id = await recordReferral();
      const res = await api('POST', `/api/v1/referrals/${id}/triage`, consultantToken, {
        outcome: 'accepted',
        priority,
      });
      assert.equal(res.statusCode, 201, res.body);
      return id;
    };

    before(async () => {
      t = await startTestApp(dialect);
      const bea = await addTestUser(t, 'booking-coordinator', 'bea');
      bookingToken = await apiTokenFor(t, bea);
      consultantToken = await apiTokenFor(t, await addTestUser(t, 'consultant', 'cas'));
      nurseToken = await apiTokenFor(t, await addTestUser(t, 'nurse-specialist', 'nia'));
      managerToken = await apiTokenFor(t, await addTestUser(t, 'service-manager', 'max'));
      const p = await createPatient(
        { db: t.deps.database.db, clock: t.clock, timeZone: 'Europe/London' },
        actorOf(bea, null),
        {
          nhsNumber: '4857773457',
          givenName: 'Ann',
          familyName: 'Smith',
          dateOfBirth: '1961-03-14',
          sex: 'female',
          addressLine1: '1 Park Row',
          postcode: 'LS1 5AB',
        },
      );
      patientId = p.id;
    });
    after(async () => {
      await t.close();
    });

    describe('POST /api/v1/referrals', () => {
      it('records a referral named by NHS number (201)', async () => {
        const before = await count('referrals');
        const res = await api('POST', '/api/v1/referrals', bookingToken, ERS);
        assert.equal(res.statusCode, 201, res.body);
        const body = res.json<ReferralBody>();
        assert.equal(body.patientId, patientId);
        assert.equal(body.ubrn, '000012345678');
        assert.equal(body.state, 'awaiting-triage');
        assert.equal(body.version, 1);
        assert.equal(await count('referrals'), before + 1);
      });

      it('records a referral named by patientId', async () => {
        const before = await count('referrals');
        const res = await api('POST', '/api/v1/referrals', bookingToken, {
          ...ERS,
          nhsNumber: undefined, // left out of the JSON
          patientId,
          ubrn: '222233334444',
        });
        assert.equal(res.statusCode, 201, res.body);
        assert.equal(res.json<ReferralBody>().patientId, patientId);
        assert.equal(await count('referrals'), before + 1);
      });

      const refusals: readonly [string, Record<string, unknown>, string[]][] = [
        [
          'an NHS number nobody is registered with',
          { nhsNumber: '9434765919', ubrn: '111122223333' },
          ['nhsNumber'],
        ],
        [
          'a patientId that does not exist',
          { nhsNumber: undefined, patientId: 'nope', ubrn: '111122223333' },
          ['patientId'],
        ],
        ['no patient at all', { nhsNumber: undefined, ubrn: '111122223333' }, ['nhsNumber']],
        ['a malformed UBRN', { ubrn: '1234' }, ['ubrn']],
        [
          'a missing reason and conditions',
          { ubrn: '111122223333', reason: undefined, conditions: [] },
          ['conditions', 'reason'],
        ],
        ['a date received in the future', { ubrn: '111122223333', receivedOn: '2026-11-25' }, ['receivedOn']],
        ['a date that is not YYYY-MM-DD', { ubrn: '111122223333', receivedOn: '16/11/2026' }, ['receivedOn']],
      ];
      for (const [what, change, fields] of refusals) {
        it(`answers 400 naming ${fields.join(', ')} for ${what}, and stores nothing`, async () => {
          const before = await count('referrals');
          const res = await api('POST', '/api/v1/referrals', bookingToken, { ...ERS, ...change });
          assert.equal(res.statusCode, 400, res.body);
          assert.deepEqual(fieldsOf(res.body), fields);
          assert.equal(await count('referrals'), before);
        });
      }

      it('answers 409 DUPLICATE_UBRN with the existing referral id', async () => {
        const ubrn = freshUbrn();
        const first = await api('POST', '/api/v1/referrals', bookingToken, { ...ERS, ubrn });
        const referralId = first.json<ReferralBody>().id;
        const before = await count('referrals');
        const res = await api('POST', '/api/v1/referrals', bookingToken, {
          ...ERS,
          ubrn: ubrn.replace(/ /g, ''),
        });
        assert.equal(res.statusCode, 409);
        const e = res.json<ApiError>().error;
        assert.equal(e.code, 'DUPLICATE_UBRN');
        assert.equal(e.details?.existingReferralId, referralId);
        assert.deepEqual(
          e.fields.map((f) => f.field),
          ['ubrn'],
        );
        assert.equal(await count('referrals'), before);
      });

      it('answers 403 to a role without referral access', async () => {
        const res = await api('POST', '/api/v1/referrals', managerToken, { ...ERS, ubrn: '999988887777' });
        assert.equal(res.statusCode, 403);
        assert.equal(res.json<ApiError>().error.code, 'FORBIDDEN');
      });
    });

    describe('GET /api/v1/referrals/{id}', () => {
      it('returns the referral with no decisions yet, and audits the read', async () => {
        const referralId = await recordReferral();
        const res = await api('GET', `/api/v1/referrals/${referralId}`, nurseToken);
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json<ReferralBody>();
        assert.equal(body.id, referralId);
        assert.deepEqual(body.decisions, []);
        assert.equal(body.wait, null);
        const audit = await t.deps.database.db
          .selectFrom('audit_events')
          .select('username')
          .where('action', '=', 'referral.view')
          .where('entity_id', '=', referralId)
          .execute();
        assert.deepEqual(
          audit.map((a) => a.username),
          ['nia'],
        );
      });

      it('answers 404 for a referral that does not exist', async () => {
        const res = await api('GET', '/api/v1/referrals/00000000-0000-4000-8000-000000000000', nurseToken);
        assert.equal(res.statusCode, 404);
        assert.equal(res.json<ApiError>().error.code, 'NOT_FOUND');
      });
    });

    describe('POST /api/v1/referrals/{id}/triage', () => {
      it('refuses a nurse with 403, audits the refusal and records nothing', async () => {
        const referralId = await recordReferral();
        const decisions = await count('triage_decisions');
        const res = await api('POST', `/api/v1/referrals/${referralId}/triage`, nurseToken, {
          outcome: 'accepted',
          priority: 'urgent',
        });
        assert.equal(res.statusCode, 403);
        assert.equal(res.json<ApiError>().error.code, 'FORBIDDEN');
        assert.equal(await count('triage_decisions'), decisions);
        const denied = await t.deps.database.db
          .selectFrom('audit_events')
          .select(['username', 'details'])
          .where('action', '=', 'access.denied')
          .execute();
        assert.ok(denied.some((d) => d.username === 'nia' && d.details.includes('referral:triage')));
      });

      it('answers 400 naming advice for "not accepted" without advice', async () => {
        const referralId = await recordReferral();
        const decisions = await count('triage_decisions');
        const res = await api('POST', `/api/v1/referrals/${referralId}/triage`, consultantToken, {
          outcome: 'not-accepted',
        });
        assert.equal(res.statusCode, 400);
        assert.deepEqual(fieldsOf(res.body), ['advice']);
        const redirected = await api('POST', `/api/v1/referrals/${referralId}/triage`, consultantToken, {
          outcome: 'redirected',
          advice: 'See the spasticity clinic',
        });
        assert.equal(redirected.statusCode, 400);
        // A redirect also says whether the referral was sent on (redirectSent).
        assert.deepEqual(fieldsOf(redirected.body), ['redirectSent', 'redirectTo']);
        const accepted = await api('POST', `/api/v1/referrals/${referralId}/triage`, consultantToken, {
          outcome: 'accepted',
        });
        assert.deepEqual(fieldsOf(accepted.body), ['priority']);
        const nonsense = await api('POST', `/api/v1/referrals/${referralId}/triage`, consultantToken, {
          outcome: 'maybe',
        });
        assert.deepEqual(fieldsOf(nonsense.body), ['outcome']);
        assert.equal(await count('triage_decisions'), decisions);
      });

      it('accepts with a priority (201): the referral has its letter and its wait', async () => {
        const referralId = await recordReferral();
        const res = await api('POST', `/api/v1/referrals/${referralId}/triage`, consultantToken, {
          outcome: 'accepted',
          priority: 'urgent',
          version: 1,
        });
        assert.equal(res.statusCode, 201, res.body);
        const body = res.json<ReferralBody>();
        assert.equal(body.state, 'accepted');
        assert.equal(body.priority, 'urgent');
        assert.equal(body.acceptedOn, '2026-11-24');
        assert.equal(body.decisions?.[0]?.decidedByName, 'Test consultant');
        assert.deepEqual(
          body.documents?.map((d) => [d.kind, d.contentType]),
          [['letter-acknowledgement', 'application/pdf']],
        );
        // Urgent: 14 days from receipt (16 November), not the routine 42 (28 December).
        assert.equal(body.wait?.targetDate, '2026-11-30');
        assert.equal((body.wait as { targetDays?: number }).targetDays, 14);
        assert.equal(body.wait.status, 'due-soon');
      });

      it('answers 400 naming reason when a decision is changed without one', async () => {
        const referralId = await acceptedReferral();
        const decisions = await count('triage_decisions');
        const res = await api('POST', `/api/v1/referrals/${referralId}/triage`, consultantToken, {
          outcome: 'accepted',
          priority: 'routine',
        });
        assert.equal(res.statusCode, 400);
        assert.deepEqual(fieldsOf(res.body), ['reason']);
        assert.equal(await count('triage_decisions'), decisions);
      });

      it('answers 409 STALE_EDIT for a decision made on an old version', async () => {
        const referralId = await acceptedReferral();
        const decisions = await count('triage_decisions');
        const res = await api('POST', `/api/v1/referrals/${referralId}/triage`, consultantToken, {
          outcome: 'accepted',
          priority: 'routine',
          reason: 'Not urgent after all',
          version: 1,
        });
        assert.equal(res.statusCode, 409);
        assert.equal(res.json<ApiError>().error.code, 'STALE_EDIT');
        assert.equal(await count('triage_decisions'), decisions);
      });

      it('answers 404 for a referral that does not exist', async () => {
        const res = await api(
          'POST',
          '/api/v1/referrals/00000000-0000-4000-8000-000000000000/triage',
          consultantToken,
          { outcome: 'accepted', priority: 'routine' },
        );
        assert.equal(res.statusCode, 404);
      });
    });

    describe('POST /api/v1/referrals/{id}/appointments', () => {
      const slot = { time: '09:30', clinic: 'Spasticity clinic', clinician: 'Dr Jones' };

      it('answers 400 naming date for a date before the referral was received', async () => {
        const referralId = await acceptedReferral();
        const appointments = await count('appointments');
        const res = await api('POST', `/api/v1/referrals/${referralId}/appointments`, bookingToken, {
          ...slot,
          date: '2026-11-10',
        });
        assert.equal(res.statusCode, 400);
        assert.deepEqual(fieldsOf(res.body), ['date']);
        const bad = await api('POST', `/api/v1/referrals/${referralId}/appointments`, bookingToken, {
          date: '2026-12-01',
          time: '9.30am',
          clinic: '',
          clinician: 'Dr Jones',
        });
        assert.equal(bad.statusCode, 400);
        assert.deepEqual(fieldsOf(bad.body), ['clinic', 'time']);
        assert.equal(await count('appointments'), appointments);
      });

      it('answers 409 INVALID_STATE for a referral not yet accepted', async () => {
        const id = await recordReferral();
        const res = await api('POST', `/api/v1/referrals/${id}/appointments`, bookingToken, {
          ...slot,
          date: '2026-12-01',
        });
        assert.equal(res.statusCode, 409);
        assert.equal(res.json<ApiError>().error.code, 'INVALID_STATE');
        assert.equal(res.json<ApiError>().error.reason, 'REFERRAL_NOT_ACCEPTED');
      });

      it('answers 403 to a consultant, who does not manage bookings', async () => {
        const referralId = await acceptedReferral();
        const appointments = await count('appointments');
        const res = await api('POST', `/api/v1/referrals/${referralId}/appointments`, consultantToken, {
          ...slot,
          date: '2026-12-01',
        });
        assert.equal(res.statusCode, 403);
        assert.equal(await count('appointments'), appointments);
      });

      it('books the first appointment (201) and refuses a second booking with 409', async () => {
        const referralId = await acceptedReferral('routine');
        const res = await api('POST', `/api/v1/referrals/${referralId}/appointments`, bookingToken, {
          ...slot,
          date: '2026-12-01',
        });
        assert.equal(res.statusCode, 201, res.body);
        const a = res.json<{ referralId: string; date: string; time: string; state: string }>();
        assert.deepEqual(
          [a.referralId, a.date, a.time, a.state],
          [referralId, '2026-12-01', '09:30', 'booked'],
        );
        const again = await api('POST', `/api/v1/referrals/${referralId}/appointments`, bookingToken, {
          ...slot,
          date: '2026-12-02',
        });
        assert.equal(again.statusCode, 409);
        assert.equal(again.json<ApiError>().error.code, 'INVALID_STATE');
        assert.equal(again.json<ApiError>().error.reason, 'FIRST_APPOINTMENT_ALREADY_BOOKED');
        const detail = (await api('GET', `/api/v1/referrals/${referralId}`, nurseToken)).json<ReferralBody>();
        assert.equal(detail.appointments?.length, 1);
        assert.equal(detail.wait?.status, 'booked-within-target');
        assert.deepEqual(detail.documents?.map((d) => d.kind).sort(), [
          'letter-acknowledgement',
          'letter-appointment',
        ]);
      });
    });

    describe('booking after the target', () => {
      const slot = { time: '09:30', clinic: 'Spasticity clinic', clinician: 'Dr Jones' };

      it('is refused (400) without confirmBeyondTarget: true, naming it; nothing is stored', async () => {
        const referralId = await acceptedReferral('urgent');
        const before = await count('appointments');
        for (const extra of [{}, { confirmBeyondTarget: false }, { confirmBeyondTarget: 'yes' }]) {
          const res = await api('POST', `/api/v1/referrals/${referralId}/appointments`, bookingToken, {
            ...slot,
            date: '2026-12-01',
            ...extra,
          });
          assert.equal(res.statusCode, 400, JSON.stringify(extra));
          assert.deepEqual(fieldsOf(res.body), ['confirmBeyondTarget'], JSON.stringify(extra));
        }
        assert.equal(await count('appointments'), before);
      });

      it('books with confirmBeyondTarget: true (201), keeping the target date it passed', async () => {
        const referralId = await acceptedReferral('urgent');
        const res = await api('POST', `/api/v1/referrals/${referralId}/appointments`, bookingToken, {
          ...slot,
          date: '2026-12-01',
          confirmBeyondTarget: true,
        });
        assert.equal(res.statusCode, 201, res.body);
        assert.equal(res.json<{ beyondTargetDate: string | null }>().beyondTargetDate, '2026-11-30');
        const within = await acceptedReferral('urgent');
        const ok = await api('POST', `/api/v1/referrals/${within}/appointments`, bookingToken, {
          ...slot,
          date: '2026-11-30',
        });
        assert.equal(ok.statusCode, 201, ok.body);
        assert.equal(ok.json<{ beyondTargetDate: string | null }>().beyondTargetDate, null);
      });
    });

    describe('GET /api/v1/waiting-list', () => {
      it('lists accepted referrals with their target date and status', async () => {
        // A service of its own: the list is of every accepted referral it holds.
        const own = await startTestApp(dialect);
        try {
          const bea = await addTestUser(own, 'booking-coordinator', 'bea');
          const booking = await apiTokenFor(own, bea);
          const consultant = await apiTokenFor(own, await addTestUser(own, 'consultant', 'cas'));
          const nurse = await apiTokenFor(own, await addTestUser(own, 'nurse-specialist', 'nia'));
          await createPatient(
            { db: own.deps.database.db, clock: own.clock, timeZone: 'Europe/London' },
            actorOf(bea, null),
            {
              nhsNumber: '4857773457',
              givenName: 'Ann',
              familyName: 'Smith',
              dateOfBirth: '1961-03-14',
              sex: 'female',
              addressLine1: '1 Park Row',
              postcode: 'LS1 5AB',
            },
          );
          const call = (
            method: 'GET' | 'POST',
            url: string,
            token: string,
            payload?: Record<string, unknown>,
          ) =>
            own.app.inject({
              method,
              url,
              headers: { authorization: `Bearer ${token}` },
              ...(payload ? { payload } : {}),
            });
          const referralId = (await call('POST', '/api/v1/referrals', booking, ERS)).json<ReferralBody>().id;
          await call('POST', '/api/v1/referrals', booking, { ...ERS, ubrn: '555566667777' });
          await call('POST', `/api/v1/referrals/${referralId}/triage`, consultant, {
            outcome: 'accepted',
            priority: 'urgent',
          });
          await call('POST', `/api/v1/referrals/${referralId}/appointments`, booking, {
            time: '09:30',
            clinic: 'Spasticity clinic',
            clinician: 'Dr Jones',
            date: '2026-11-27',
          });
          const res = await call('GET', '/api/v1/waiting-list', nurse);
          assert.equal(res.statusCode, 200, res.body);
          const { items } = res.json<{
            items: {
              referralId: string;
              nhsNumber: string;
              targetDate: string;
              status: string;
              statusText: string;
              bookedDate: string | null;
              priority: string;
            }[];
          }>();
          assert.equal(items.length, 1, 'only the accepted referral is waiting');
          const item = items[0];
          assert.ok(item);
          assert.equal(item.referralId, referralId);
          assert.equal(item.nhsNumber, '4857773457');
          assert.equal(item.targetDate, '2026-11-30', 'urgent: 14 days from receipt');
          assert.equal(item.status, 'booked-within-target');
          assert.equal(item.statusText, 'Booked within target');
          assert.equal(item.bookedDate, '2026-11-27');
          assert.equal(item.priority, 'urgent');
        } finally {
          await own.close();
        }
      });

      it('answers 403 to a role without referral access', async () => {
        const res = await api('GET', '/api/v1/waiting-list', managerToken);
        assert.equal(res.statusCode, 403);
      });
    });
  });
}
