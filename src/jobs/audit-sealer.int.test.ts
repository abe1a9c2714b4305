import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIALECTS } from '../../test/support/databases.ts';
import { startTestApp, type TestApp } from '../../test/support/test-app.ts';
import { actorEvent, recordAudit } from '../services/audit-service.ts';
import { startAuditSealer } from './audit-sealer.ts';

const quiet = { error: () => {}, info: () => {} };

async function unsealed(t: TestApp): Promise<number> {
  const rows = await t.deps.database.db.selectFrom('audit_pending').select('seq').execute();
  return rows.length;
}

const view = (n: number) =>
  actorEvent(
    { userId: 'u', username: 'nia', role: 'nurse-specialist', requestId: `r${String(n)}` },
    { action: 'patient.view', outcome: 'success', patientId: `p${String(n)}` },
  );

for (const dialect of DIALECTS) {
  describe(`the audit sealer job on ${dialect}`, () => {
    let t: TestApp | undefined;
    afterEach(async () => {
      await t?.close();
      t = undefined;
    });

    it('seals on start, within the seal delay while running, and once more on stop', async () => {
      t = await startTestApp(dialect, { auditSealDelayMs: 200 });
      const db = t.deps.database.db;
      await recordAudit(db, t.clock, view(1));
      const stop = startAuditSealer(t.deps, quiet);
      try {
        // Left by an earlier run: sealed by the pass the job makes when it starts.
        for (let waited = 0; (await unsealed(t)) > 0 && waited < 5_000; waited += 20) {
          await sleep(20);
        }
        assert.equal(await unsealed(t), 0);
        await recordAudit(db, t.clock, view(2));
        for (let waited = 0; (await unsealed(t)) > 0 && waited < 5_000; waited += 20) {
          await sleep(20);
        }
        assert.equal(await unsealed(t), 0, 'sealed while running');
        await recordAudit(db, t.clock, view(3));
      } finally {
        await stop();
      }
      assert.equal(await unsealed(t), 0, 'sealed on stop');
      const verified = await t.deps.services.audit.verify();
      assert.equal(verified.problem, null);
      assert.equal(verified.headSeq, (await db.selectFrom('audit_events').select('seq').execute()).length);
    });
  });
}
