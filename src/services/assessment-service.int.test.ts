import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { countRows, rejects } from '../../test/support/assertions.ts';
import { TestClock } from '../../test/support/clock.ts';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { ADULT_LEEDS_V2 } from '../domain/protocols/adult-leeds-v2.ts';
import { saveAnswers, startAssessment } from './assessment-service.ts';
import { createReferral } from './referral-service.ts';
import { loadConfig } from '../config.ts';
import { ERS_REFERRAL } from '../../test/support/referral-fixtures.ts';
import { decideAssessment, recordMdtOutcome } from './assessment-decision-service.ts';
import { mdtList, patientAssessments } from './assessment-lists-service.ts';
import { type AssessmentDeps } from './assessment-store.ts';
import { viewAssessment } from './assessment-view-service.ts';
import { type Actor } from './audit-service.ts';
import { createPatient } from './patient-service.ts';
import { ensureBuiltInProtocols, importProtocol } from './protocol-service.ts';
import { addUser } from './user-service.ts';
import { ADULT_RELATIVES } from '../../test/support/selection-fixtures.ts';
import { sealAndVerify } from '../../test/support/audit-chain.ts';

const PAEDIATRIC: unknown = JSON.parse(
  readFileSync(new URL('../../docs/protocols/paediatric-itb-v1.json', import.meta.url), 'utf8'),
);

/** A whole set of answers with two relative contraindications present. */
function twoRelatives(): Record<string, { value: string | string[]; note?: string }> {
  const out: Record<string, { value: string | string[]; note?: string }> = {
    harm: { value: 'yes', note: 'Cannot sit in her wheelchair' },
    'harm-areas': { value: ['function', 'care'] },
    'baclofen-allergy': { value: 'no' },
    'tried-oral-baclofen': { value: 'tried' },
    'max-dose-oral-baclofen': { value: 'yes' },
  };
  for (const t of [
    'tizanidine',
    'gabapentin',
    'dantrolene',
    'botulinum-toxin',
    'physiotherapy',
    'orthotics',
  ]) {
    out[`tried-${t}`] = { value: 'not-tried' };
  }
  for (const r of ADULT_RELATIVES) {
    out[r] = { value: 'no' };
  }
  out.epilepsy = { value: 'yes', note: 'Two seizures this month' };
  out['pressure-ulcers'] = { value: 'yes', note: 'Sacral, grade 2' };
  return out;
}

for (const dialect of DIALECTS) {
  describe(`patient selection assessments on ${dialect}`, () => {
    let database: TestDatabase;
    let deps: AssessmentDeps;
    const clock = new TestClock('2026-11-25T10:00:00.000Z');
    let consultant: Actor;
    let nurse: Actor;
    let patientId: string;
    let otherPatientId: string;

    // A fresh database for each test: a consultant, a nurse, Ann and Bea, the built-in protocols.
    beforeEach(async () => {
      database = await openTestDatabase(dialect);
      const db = database.handle.db;
      deps = { db, clock, config: { timeZone: 'Europe/London' } };
      const mk = async (username: string, role: string, displayName: string): Promise<Actor> => {
        const u = await addUser({ db, clock }, null, {
          username,
          displayName,
          role,
          password: 'a-long-test-password',
        });
        return { userId: u.id, username, role, requestId: null };
      };
      consultant = await mk('cas', 'consultant', 'Dr Cas Consultant');
      nurse = await mk('nia', 'nurse-specialist', 'Nia Nurse');
      const patient = (nhsNumber: string, givenName: string) =>
        createPatient({ db, clock, timeZone: 'Europe/London' }, nurse, {
          nhsNumber,
          givenName,
          familyName: 'Smith',
          dateOfBirth: '1961-03-14',
          sex: 'female',
          addressLine1: '1 Park Row',
          town: 'Leeds',
          postcode: 'LS1 5AB',
        });
      patientId = (await patient('4857773457', 'Ann')).id;
      otherPatientId = (await patient('9434765919', 'Bea')).id;
      await ensureBuiltInProtocols(db, clock);
    });
    afterEach(async () => {
      await database.dispose();
    });

    it('stores the built-in protocol once, and refuses to start if its stored copy differs', async () => {
      const db = database.handle.db;
      await ensureBuiltInProtocols(db, clock);
      // The adult protocol's versions 1 and 2.
      assert.equal(await countRows(db, 'selection_protocols'), 2);
      await db.updateTable('selection_protocols').set({ definition_hash: 'edited' }).execute();
      const changed = await rejects(ensureBuiltInProtocols(db, clock), 'INVALID_STATE');
      assert.equal(changed.reason, 'PROTOCOL_VERSION_CHANGED');
      // No assessment refers to it yet, so it can be stored afresh.
      await db.deleteFrom('selection_protocols').execute();
      await ensureBuiltInProtocols(db, clock);
      assert.equal(await countRows(db, 'selection_protocols'), 2);
    });

    it('adds a protocol from data, once; a changed or older version is refused', async () => {
      const first = await importProtocol(deps, consultant, PAEDIATRIC);
      assert.equal(first.created, true);
      assert.equal(first.protocol.code, 'paediatric-itb');
      const again = await importProtocol(deps, consultant, PAEDIATRIC);
      assert.equal(again.created, false);
      assert.equal(again.protocol.id, first.protocol.id);
      const changed = { ...(PAEDIATRIC as Record<string, unknown>), title: 'Changed title' };
      const refusal = await rejects(importProtocol(deps, consultant, changed), 'INVALID_STATE', 'version');
      assert.equal(refusal.reason, 'PROTOCOL_VERSION_CHANGED');
      await rejects(
        importProtocol(deps, consultant, { ...changed, version: 'two' }),
        'VALIDATION_FAILED',
        'version',
      );
      await rejects(importProtocol(deps, consultant, { code: 'x' }), 'VALIDATION_FAILED', 'title');
      assert.equal(await countRows(database.handle.db, 'selection_protocols'), 3);
    });

    it('starts from a referral with its treatments tried filled in, to be changed like any answer', async () => {
      const config = loadConfig({
        SMTP_HOST: '127.0.0.1',
        SMTP_FROM: 'itb@nhs.net',
        SERVICE_PHONE: '0113 000 0000',
      });
      const referral = await createReferral(
        { db: deps.db, clock, config },
        nurse,
        { patientId },
        {
          ...ERS_REFERRAL,
          treatmentsTried: ['oral-baclofen', 'botulinum-toxin'],
        },
      );
      const a = await startAssessment(deps, nurse, {
        patientId,
        protocolCode: 'adult-itb',
        referralId: referral.id,
      });
      assert.deepEqual(a.answers, {
        'tried-oral-baclofen': { value: 'tried', note: null },
        'tried-botulinum-toxin': { value: 'tried', note: null },
      });
      // Editable: the next save replaces them as a whole.
      const saved = await saveAnswers(deps, nurse, a.id, {
        version: a.version,
        protocolVersion: 2,
        answers: { 'tried-oral-baclofen': { value: 'not-tolerated', note: 'Drowsy on 20 mg' } },
      });
      assert.deepEqual(saved.assessment.answers, {
        'tried-oral-baclofen': { value: 'not-tolerated', note: 'Drowsy on 20 mg' },
      });
      const row = await database.handle.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'assessment.create')
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        (JSON.parse(row.details) as { prefilledFromReferral: string[] }).prefilledFromReferral,
        ['tried-oral-baclofen', 'tried-botulinum-toxin'],
      );
      // Without a referral, nothing is filled in.
      const plain = await startAssessment(deps, nurse, {
        patientId,
        protocolCode: 'adult-itb',
        referralId: null,
      });
      assert.deepEqual(plain.answers, {});
    });

    it('refuses to start an assessment for an unknown patient, protocol or another patient’s referral', async () => {
      await rejects(
        startAssessment(deps, nurse, { patientId: 'nope', protocolCode: 'adult-itb', referralId: null }),
        'VALIDATION_FAILED',
        'patientId',
      );
      await rejects(
        startAssessment(deps, nurse, { patientId, protocolCode: 'no-such', referralId: null }),
        'VALIDATION_FAILED',
        'protocolCode',
      );
      await rejects(
        startAssessment(deps, nurse, { patientId, protocolCode: 'adult-itb', referralId: 'nope' }),
        'VALIDATION_FAILED',
        'referralId',
      );
      assert.equal(await countRows(database.handle.db, 'selection_assessments'), 0);
    });

    it('stores adult version 2 alongside version 1, leaving version 1 as released; new assessments use version 2', async () => {
      const rows = await database.handle.db
        .selectFrom('selection_protocols')
        .select(['code', 'version', 'definition_hash', 'created_by'])
        .where('code', '=', 'adult-itb')
        .orderBy('version')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.version, r.definition_hash, r.created_by]),
        [
          [1, '794588cdd030dcddb52498c87a1bcd0bf0a72e6b8d8c5ebbeaa4470661cd3f78', null],
          [2, '267f9ca241525e2beea328bc5a7beaa685604d552d73cc12a5d5aaf6df6b4a6a', null],
        ],
      );
      const a = await startAssessment(deps, nurse, {
        patientId,
        protocolCode: 'adult-itb',
        referralId: null,
      });
      const view = await viewAssessment(deps, nurse, a.id);
      assert.equal(view.protocol.version, 2);
      assert.equal(
        view.protocol.definition.criteria.find((c) => c.id === 'spinal')?.label,
        'Spinal abnormality or previous spinal surgery that may make surgery difficult',
      );
      // Only orthotics tried: version 2 does not count it as a less invasive treatment tried.
      const answers = {
        ...twoRelatives(),
        'tried-oral-baclofen': { value: 'not-tried' },
        'tried-orthotics': { value: 'tried' },
      };
      const saved = await saveAnswers(deps, nurse, a.id, { version: 1, protocolVersion: 2, answers });
      assert.equal(saved.suggestion.outcome, 'not-yet-suitable');
      assert.equal(saved.suggestion.reasons[0]?.criterionId, 'less-invasive-tried');
    });

    it('saves answers, never storing those to questions not asked; the suggestion names both contraindications', async () => {
      const a = await startAssessment(deps, nurse, {
        patientId,
        protocolCode: 'adult-itb',
        referralId: null,
      });
      assert.equal(a.state, 'in-progress');
      const answers = {
        ...twoRelatives(),
        // Not asked: oral baclofen's maximum dose when baclofen was not tried.
        'tried-tizanidine': { value: 'not-tried' },
        'max-dose-tizanidine': { value: 'no' },
      };
      const saved = await saveAnswers(deps, nurse, a.id, { version: 1, protocolVersion: 2, answers });
      assert.deepEqual(saved.dropped, ['max-dose-tizanidine']);
      const raw = await database.handle.db
        .selectFrom('selection_assessments')
        .select('answers')
        .where('id', '=', a.id)
        .executeTakeFirstOrThrow();
      assert.ok(!raw.answers.includes('max-dose-tizanidine'), 'the hidden answer is not stored');
      assert.equal(saved.suggestion.outcome, 'suitable-discuss-mdt');
      const view = await viewAssessment(deps, nurse, a.id);
      assert.deepEqual(
        view.suggestion.reasons.map((r) => r.text),
        ['Poorly controlled epilepsy', 'Skin pressure ulcers'],
      );
      assert.equal(view.protocol.version, 2);
      assert.equal(view.newerVersion, null);
    });

    it('refuses bad answers, a stale form and answers written for another version, changing nothing', async () => {
      const a = await startAssessment(deps, nurse, {
        patientId,
        protocolCode: 'adult-itb',
        referralId: null,
      });
      await saveAnswers(deps, nurse, a.id, {
        version: 1,
        protocolVersion: 2,
        answers: { epilepsy: { value: 'no' } },
      });
      await rejects(
        saveAnswers(deps, nurse, a.id, {
          version: 2,
          protocolVersion: 2,
          answers: { epilepsy: { value: 'perhaps' } },
        }),
        'VALIDATION_FAILED',
        'answers.epilepsy',
      );
      await rejects(
        saveAnswers(deps, nurse, a.id, {
          version: 1,
          protocolVersion: 2,
          answers: { epilepsy: { value: 'yes' } },
        }),
        'STALE_EDIT',
      );
      const otherVersion = await rejects(
        saveAnswers(deps, nurse, a.id, {
          version: 2,
          protocolVersion: 1,
          answers: { epilepsy: { value: 'yes' } },
        }),
        'INVALID_STATE',
        'protocolVersion',
      );
      assert.equal(otherVersion.reason, 'ANSWERS_FOR_OTHER_PROTOCOL_VERSION');
      const view = await viewAssessment(deps, nurse, a.id);
      assert.deepEqual(view.assessment.answers, { epilepsy: { value: 'no', note: null } });
      assert.equal(view.assessment.version, 2);
    });

    it('a decision that differs from the suggestion needs a reason; only consultants decide', async () => {
      const a = await startAssessment(deps, nurse, {
        patientId,
        protocolCode: 'adult-itb',
        referralId: null,
      });
      await saveAnswers(deps, nurse, a.id, { version: 1, protocolVersion: 2, answers: twoRelatives() });
      await rejects(decideAssessment(deps, nurse, a.id, 2, { decision: 'discuss-at-mdt' }), 'FORBIDDEN');
      await rejects(
        decideAssessment(deps, consultant, a.id, 2, { decision: 'proceed-to-test-dose' }),
        'VALIDATION_FAILED',
        'reason',
      );
      assert.equal(await countRows(database.handle.db, 'selection_decisions'), 0);
      const decided = await decideAssessment(deps, consultant, a.id, 2, {
        decision: 'proceed-to-test-dose',
        reason: 'Epilepsy now controlled on new medication; ulcer healing',
      });
      assert.equal(decided.state, 'decided');
      const view = await viewAssessment(deps, consultant, a.id);
      const d = view.decisions[0];
      assert.ok(d);
      assert.equal(d.agrees, false);
      assert.equal(d.suggestion.outcome, 'suitable-discuss-mdt');
      assert.equal(d.decidedByName, 'Dr Cas Consultant');
      const fixed = await rejects(
        saveAnswers(deps, nurse, a.id, { version: 3, protocolVersion: 2, answers: {} }),
        'INVALID_STATE',
      );
      assert.equal(fixed.reason, 'ASSESSMENT_ANSWERS_FIXED');
      const again = await rejects(
        decideAssessment(deps, consultant, a.id, 3, { decision: 'defer' }),
        'INVALID_STATE',
      );
      assert.equal(again.reason, 'ASSESSMENT_ALREADY_DECIDED');
    });

    it('discuss at MDT: the patient is on the MDT list until the meeting outcome is recorded', async () => {
      const a = await startAssessment(deps, nurse, {
        patientId,
        protocolCode: 'adult-itb',
        referralId: null,
      });
      await saveAnswers(deps, nurse, a.id, { version: 1, protocolVersion: 2, answers: twoRelatives() });
      await decideAssessment(deps, consultant, a.id, 2, { decision: 'discuss-at-mdt' });
      let list = await mdtList(deps, nurse);
      const waiting = list.waiting.find((e) => e.assessment.id === a.id);
      assert.ok(waiting);
      assert.equal(waiting.patient.givenName, 'Ann');
      assert.deepEqual(
        waiting.suggestion.reasons.map((r) => r.criterionId),
        ['epilepsy', 'pressure-ulcers'],
      );
      await rejects(
        recordMdtOutcome(deps, consultant, a.id, 3, {
          decision: 'proceed-to-test-dose',
          meetingOn: '2026-11-26',
          note: 'x',
        }),
        'VALIDATION_FAILED',
        'meetingOn',
      );
      await rejects(
        recordMdtOutcome(deps, nurse, a.id, 3, { decision: 'defer', meetingOn: '2026-11-25', note: 'x' }),
        'FORBIDDEN',
      );
      const done = await recordMdtOutcome(deps, consultant, a.id, 3, {
        decision: 'proceed-to-test-dose',
        meetingOn: '2026-11-25',
        attendees: 'Dr Cas, Nia, physiotherapy',
        note: 'Benefit outweighs the risks; neurology to review epilepsy first',
      });
      assert.equal(done.state, 'decided');
      list = await mdtList(deps, nurse);
      assert.ok(!list.waiting.some((e) => e.assessment.id === a.id));
      const recent = list.recent.find((e) => e.assessment.id === a.id);
      assert.equal(recent?.decision.meetingOn, '2026-11-25');
      assert.equal(recent.decision.kind, 'mdt');
      const summaries = await patientAssessments(deps, patientId);
      assert.equal(summaries.find((s) => s.assessment.id === a.id)?.finalDecision?.kind, 'mdt');
    });

    it('an assessment keeps its protocol version: a newer version changes new assessments only', async () => {
      const old = await startAssessment(deps, nurse, {
        patientId: otherPatientId,
        protocolCode: 'adult-itb',
        referralId: null,
      });
      await saveAnswers(deps, nurse, old.id, { version: 1, protocolVersion: 2, answers: twoRelatives() });
      // Version 3 makes poorly controlled epilepsy absolute, as CBA reads it (clinical-reference.md 2, CONFLICT).
      const v2 = ADULT_LEEDS_V2 as { criteria: { id: string; role: string }[] };
      const v3 = {
        ...v2,
        version: 3,
        criteria: v2.criteria.map((c) => (c.id === 'epilepsy' ? { ...c, role: 'absolute' } : c)),
      };
      await importProtocol(deps, consultant, v3);
      const oldView = await viewAssessment(deps, nurse, old.id);
      assert.equal(oldView.protocol.version, 2);
      assert.equal(oldView.newerVersion?.version, 3);
      assert.equal(oldView.suggestion.outcome, 'suitable-discuss-mdt');
      const fresh = await startAssessment(deps, nurse, {
        patientId: otherPatientId,
        protocolCode: 'adult-itb',
        referralId: null,
      });
      await saveAnswers(deps, nurse, fresh.id, { version: 1, protocolVersion: 3, answers: twoRelatives() });
      const freshView = await viewAssessment(deps, nurse, fresh.id);
      assert.equal(freshView.protocol.version, 3);
      assert.equal(freshView.suggestion.outcome, 'contraindicated');
      const p = PAEDIATRIC as Record<string, unknown>;
      await importProtocol(deps, consultant, { ...p, version: 3 });
      const older = await rejects(
        importProtocol(deps, consultant, { ...p, version: 2 }),
        'INVALID_STATE',
        'version',
      );
      assert.equal(older.reason, 'PROTOCOL_VERSION_NOT_NEWER');
    });

    it('keeps the audit chain whole', async () => {
      // A protocol added, and an assessment through every step: started, answered, viewed, sent
      // to the MDT, on the MDT list, decided there and viewed again.
      await importProtocol(deps, consultant, PAEDIATRIC);
      const a = await startAssessment(deps, nurse, {
        patientId,
        protocolCode: 'adult-itb',
        referralId: null,
      });
      await saveAnswers(deps, nurse, a.id, { version: 1, protocolVersion: 2, answers: twoRelatives() });
      await viewAssessment(deps, nurse, a.id);
      await decideAssessment(deps, consultant, a.id, 2, { decision: 'discuss-at-mdt' });
      await recordMdtOutcome(deps, consultant, a.id, 3, {
        decision: 'proceed-to-test-dose',
        meetingOn: '2026-11-25',
        note: 'Benefit outweighs the risks',
      });
      await mdtList(deps, nurse);
      await viewAssessment(deps, consultant, a.id);
      const v = await sealAndVerify(database.handle.db);
      assert.equal(v.problem, null);
      assert.ok(v.rowsChecked > 10);
      const actions = await database.handle.db
        .selectFrom('audit_events')
        .select('action')
        .where('action', 'like', 'assessment.%')
        .execute();
      const seen = new Set(actions.map((r) => r.action));
      for (const a of [
        'assessment.create',
        'assessment.update',
        'assessment.view',
        'assessment.decide',
        'assessment.mdt-outcome',
      ]) {
        assert.ok(seen.has(a), a);
      }
    });
  });
}
