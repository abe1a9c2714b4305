import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DIALECTS } from '../../../../test/support/databases.ts';
import { pdfText } from '../../../../test/support/pdf-text.ts';
import {
  FIRST_PRESCRIPTION,
  PUMP,
  pumpsApiCalls,
  type Body,
} from '../../../../test/support/pumps-api-fixtures.ts';
import {
  addTestUser,
  apiTokenFor,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

/** The test clock's today is Tuesday 24 November 2026. */
for (const dialect of DIALECTS) {
  describe(`life events API on ${dialect}`, () => {
    let t: TestApp;
    let nurseToken = '';
    let otherNurseToken = '';
    let consultantToken = '';
    let bookingToken = '';
    let patientId = '';
    let pumpId = '';

    const { api, ok, refused, conflict } = pumpsApiCalls(() => t);
    const listed = async () =>
      ((await ok('GET', '/worklist', nurseToken, 200)).entries as Body[]).some((e) => e.pumpId === pumpId);
    const base = () => `/patients/${patientId}/life-events`;

    before(async () => {
      t = await startTestApp(dialect);
      const nurse = await addTestUser(t, 'nurse-specialist', 'nina');
      nurseToken = await apiTokenFor(t, nurse);
      otherNurseToken = await apiTokenFor(t, await addTestUser(t, 'nurse-specialist', 'nora'));
      consultantToken = await apiTokenFor(t, await addTestUser(t, 'consultant', 'carl'));
      bookingToken = await apiTokenFor(t, await addTestUser(t, 'booking-coordinator', 'bea'));
      patientId = (await registerAnn(t, nurse)).id;
      pumpId = (await ok('POST', `/patients/${patientId}/pumps`, nurseToken, 201, PUMP)).id as string;
      const p = await ok('POST', `/pumps/${pumpId}/prescriptions`, nurseToken, 201, FIRST_PRESCRIPTION);
      await ok('POST', `/prescriptions/${String(p.id)}/confirm`, consultantToken, 200, {});
    });
    after(async () => {
      await t.close();
    });

    it('records a pregnancy and a planned operation with 400s naming fields, and lists them', async () => {
      await refused(
        `${base()}/pregnancy`,
        nurseToken,
        { expectedDeliveryOn: '2026-11-23', obstetricTeam: 'LGI' },
        'expectedDeliveryOn',
      );
      await refused(`${base()}/pregnancy`, nurseToken, { expectedDeliveryOn: 'soon' }, 'obstetricTeam');
      await refused(`${base()}/pregnancy`, nurseToken, ['x'], 'body');
      assert.equal(
        (
          await api('POST', '/patients/nope/life-events/pregnancy', nurseToken, {
            expectedDeliveryOn: '2027-03-01',
            obstetricTeam: 'LGI',
          })
        ).statusCode,
        404,
      );
      const pregnancy = await ok('POST', `${base()}/pregnancy`, bookingToken, 201, {
        expectedDeliveryOn: '2027-03-01',
        obstetricTeam: 'LGI maternity',
      });
      const event = pregnancy.event as Body;
      assert.equal(event.kind, 'pregnancy');
      assert.deepEqual(pregnancy.endRequestIds, []);

      await refused(
        `${base()}/surgery-elsewhere`,
        nurseToken,
        {
          surgeryOn: '2026-12-01',
          hospital: 'St E',
          procedure: 'Hip',
          teamContact: 'Ortho',
          expectedStayDays: -1,
        },
        'expectedStayDays',
      );
      await ok('POST', `${base()}/surgery-elsewhere`, nurseToken, 201, {
        surgeryOn: '2026-12-01',
        hospital: 'St Elsewhere',
        procedure: 'a hip replacement',
        teamContact: 'Ms Ortho',
        expectedStayDays: 5,
      });
      const list = await ok('GET', base(), bookingToken, 200);
      assert.deepEqual(
        (list.events as Body[]).map((e) => e.kind),
        ['pregnancy', 'surgery-elsewhere'],
      );

      // The dose review is a consultant's; booking coordinators mark nothing done.
      const id = String(event.id);
      assert.equal(
        (await api('POST', `/life-events/${id}/actions/refill-plan/done`, bookingToken, {})).statusCode,
        403,
      );
      await conflict(
        `/life-events/${id}/actions/dose-review/done`,
        nurseToken,
        {},
        'INVALID_STATE',
        'ACTION_NEEDS_CONSULTANT',
      );
      assert.equal(
        (await api('POST', `/life-events/${id}/actions/nope/done`, nurseToken, {})).statusCode,
        404,
      );
      const done = await ok('POST', `/life-events/${id}/actions/dose-review/done`, consultantToken, 200, {
        note: 'No change',
      });
      assert.ok(((done.actions as Body[])[0] as Body).doneAt);
      await refused(`/life-events/${id}/end`, nurseToken, {}, 'reason');
      const ended = await ok('POST', `/life-events/${id}/end`, nurseToken, 200, {
        reason: 'Recorded for the wrong patient',
      });
      assert.equal(ended.state, 'ended');
      await conflict(
        `/life-events/${id}/end`,
        nurseToken,
        { reason: 'Again' },
        'INVALID_STATE',
        'LIFE_EVENT_CLOSED',
      );
      assert.ok(await listed());
    });

    it('a transfer letter downloads as a PDF with the pump summary; the pump leaves only on a second clinician', async () => {
      assert.equal(
        (
          await api('POST', `${base()}/transfer`, bookingToken, {
            receivingService: 'X',
            contact: 'Y',
            transferOn: '2026-11-24',
          })
        ).statusCode,
        403,
      );
      await refused(
        `${base()}/transfer`,
        nurseToken,
        { receivingService: 'X', contact: 'Y', transferOn: '2026-10-01' },
        'transferOn',
      );
      const recorded = await ok('POST', `${base()}/transfer`, nurseToken, 201, {
        receivingService: 'Sheffield ITB service',
        contact: 'Sister J Smith',
        transferOn: '2026-11-24',
      });
      const [requestId] = recorded.endRequestIds as string[];
      assert.ok(requestId);
      const id = String((recorded.event as Body).id);

      const res = await api('GET', `/life-events/${id}/letter`, bookingToken);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'application/pdf');
      assert.match(String(res.headers['content-disposition']), /transfer-letter-2026-11-24\.pdf/);
      const text = pdfText(res.rawPayload).replace(/\s+/g, ' ');
      for (const fact of [
        'NGP123456H',
        '8709SC',
        'T10',
        '500 mcg/ml',
        '100 mcg/day',
        'Sheffield ITB service',
      ]) {
        assert.ok(text.includes(fact), `letter gives ${fact}`);
      }
      assert.equal((await api('GET', '/life-events/nope/letter', nurseToken)).statusCode, 404);

      // Recorded by the first clinician: still on the worklist.
      assert.ok(await listed(), 'listed after the transfer is recorded');
      const own = await api('POST', `/pump-end-requests/${requestId}/confirm`, nurseToken, {});
      assert.equal(own.statusCode, 400);
      assert.ok(await listed(), 'listed after the recorder tried to confirm');
      await ok('POST', `/pump-end-requests/${requestId}/confirm`, otherNurseToken, 200, {});
      assert.equal(await listed(), false, 'off the worklist once a different clinician confirms');
    });

    it('a death is recorded once (409 the second time) and needs pump:manage', async () => {
      const other = await ok('POST', '/patients', nurseToken, 201, {
        nhsNumber: '9434765919',
        givenName: 'Ben',
        familyName: 'Jones',
        dateOfBirth: '1970-02-02',
        sex: 'male',
      });
      const url = `/patients/${String(other.id)}/life-events/death`;
      assert.equal(
        (await api('POST', url, bookingToken, { diedOn: '2026-11-20', source: 'GP' })).statusCode,
        403,
      );
      await refused(url, nurseToken, { diedOn: '2026-11-25', source: 'GP' }, 'diedOn');
      await refused(url, nurseToken, { diedOn: '2026-11-20' }, 'source');
      await ok('POST', url, nurseToken, 201, { diedOn: '2026-11-20', source: 'Letter from the GP' });
      await conflict(
        url,
        consultantToken,
        { diedOn: '2026-11-20', source: 'Again' },
        'INVALID_STATE',
        'DEATH_ALREADY_RECORDED',
      );
      await conflict(
        `/patients/${String(other.id)}/life-events/pregnancy`,
        nurseToken,
        { expectedDeliveryOn: '2027-03-01', obstetricTeam: 'LGI' },
        'INVALID_STATE',
        'PATIENT_DIED',
      );
    });

    it('every route is in the OpenAPI document', async () => {
      const doc = (await ok('GET', '/openapi.json', nurseToken, 200)) as { paths: Record<string, unknown> };
      for (const path of [
        '/api/v1/patients/{patientId}/life-events',
        '/api/v1/patients/{patientId}/life-events/pregnancy',
        '/api/v1/patients/{patientId}/life-events/surgery-elsewhere',
        '/api/v1/patients/{patientId}/life-events/death',
        '/api/v1/patients/{patientId}/life-events/transfer',
        '/api/v1/life-events/{id}/actions/{code}/done',
        '/api/v1/life-events/{id}/end',
        '/api/v1/life-events/{id}/letter',
      ]) {
        assert.ok(
          doc.paths[path],
          `${path} documented: ${Object.keys(doc.paths)
            .filter((p) => p.includes('life'))
            .join(', ')}`,
        );
      }
    });
  });
}
