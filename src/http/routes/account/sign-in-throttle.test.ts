import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import { composeApp } from '../../../compose.ts';
import { buildApp } from '../../app.ts';
import { DIALECTS } from '../../../../test/support/databases.ts';
import {
  addTestUser,
  Browser,
  PASSWORD,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

/** Browsers, each holding its own form token, ready to post at once. */
async function readyBrowsers(t: TestApp, app: FastifyInstance, n: number, page: string) {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const b = new Browser({ ...t, app });
      const form = await b.get(page);
      return { b, csrf: /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '' };
    }),
  );
}

function statuses(responses: readonly LightMyRequestResponse[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of responses) {
    counts.set(r.statusCode, (counts.get(r.statusCode) ?? 0) + 1);
  }
  return counts;
}

async function failedChecks(t: TestApp, action: string, userId: string | null): Promise<number> {
  const rows = await t.deps.database.db
    .selectFrom('audit_events')
    .select('seq')
    .where('action', '=', action)
    .where('outcome', '=', 'failure')
    .$if(userId !== null, (q) => q.where('user_id', '=', userId))
    .execute();
  return rows.length;
}

for (const dialect of DIALECTS) {
  describe(`sign-in throttle under concurrency on ${dialect}`, () => {
    let t: TestApp;
    let second: FastifyInstance;
    const free = 5;
    beforeEach(async () => {
      t = await startTestApp(dialect);
      // A second service instance on the same database, with its own connections.
      const deps = await composeApp(t.deps.config, {
        clock: t.clock,
        database: t.database.openAnother(),
        migrate: false,
      });
      second = await buildApp(deps, { logger: false });
    });
    afterEach(async () => {
      await second.close();
      await t.close();
    });

    it('checks no more passwords than the free attempts when 30 wrong ones arrive at once, on two instances', async () => {
      assert.equal(t.deps.config.accountThrottle.freeAttempts, free);
      const user = await addTestUser(t, 'consultant', 'racer');
      const browsers = [
        ...(await readyBrowsers(t, t.app, 15, '/sign-in')),
        ...(await readyBrowsers(t, second, 15, '/sign-in')),
      ];
      const responses = await Promise.all(
        browsers.map(({ b, csrf }, i) =>
          b.postRaw('/sign-in', { _csrf: csrf, username: 'racer', password: `wrong-guess-number-${i}` }),
        ),
      );
      const counts = statuses(responses);
      // Every refusal is a wrong password (401, checked) or the throttle (429, not checked).
      assert.equal((counts.get(401) ?? 0) + (counts.get(429) ?? 0), 30, JSON.stringify([...counts]));
      const checked = counts.get(401) ?? 0;
      assert.ok(checked >= 1 && checked <= free, `${checked} passwords were checked; at most ${free} may be`);
      assert.equal(await failedChecks(t, 'auth.sign-in', user.id), checked);
      for (const r of responses.filter((x) => x.statusCode === 429)) {
        assert.ok(Number(r.headers['retry-after']) > 0);
      }

      // The right password straight after is refused too: the guesses were all counted.
      const right = await new Browser(t).signIn('racer');
      assert.equal(right.statusCode, 429);
      assert.match(right.body, /Too many failed sign-in attempts/);
      const rightElsewhere = await new Browser({ ...t, app: second }).signIn('racer', PASSWORD);
      assert.equal(rightElsewhere.statusCode, 429);
    });

    it('a success forgives its own attempt, so a person signing in is never throttled by themselves', async () => {
      await addTestUser(t, 'nurse-specialist', 'steady');
      const counted = async (key: string) =>
        (
          await t.deps.database.db
            .selectFrom('sign_in_failures')
            .select('id')
            .where('throttle_key', '=', key)
            .execute()
        ).length;
      const addressBefore = await counted('address:127.0.0.1');
      for (let i = 0; i < free + 2; i++) {
        const res = await new Browser(t).signIn('steady');
        assert.equal(res.statusCode, 303, `sign-in ${i + 1}`);
      }
      assert.equal(await counted('account:steady'), 0);
      assert.equal(await counted('address:127.0.0.1'), addressBefore);
    });

    it('checks no more security codes than the free attempts when 30 arrive at once', async () => {
      const user = await addTestUser(t, 'physiotherapist', 'coder');
      const enrol = new Browser(t);
      await enrol.signIn('coder');
      const page = await enrol.get('/account/two-factor');
      const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page.body)?.[1] ?? '';
      const epoch = () => Math.floor(t.clock.now().getTime() / 1000);
      const enrolled = await enrol.post(
        '/account/two-factor',
        { currentPassword: PASSWORD, code: await generate({ secret, epoch: epoch() }) },
        '/account/two-factor',
      );
      assert.equal(enrolled.statusCode, 303);
      t.clock.advanceSeconds(60);

      // Signed in with the password, half way: 30 code guesses at once from that session's cookie.
      const half = new Browser(t);
      assert.match(String((await half.signIn('coder')).headers.location), /^\/sign-in\/code/);
      const form = await half.get('/sign-in/code');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      const right = await generate({ secret, epoch: epoch() });
      const wrong = right === '000000' ? '111111' : '000000';
      const responses = await Promise.all(
        Array.from({ length: 30 }, () =>
          half.postRaw('/sign-in/code', { _csrf: csrf, code: wrong, next: '/' }),
        ),
      );
      const counts = statuses(responses);
      assert.equal((counts.get(400) ?? 0) + (counts.get(429) ?? 0), 30, JSON.stringify([...counts]));
      const checked = counts.get(400) ?? 0;
      assert.ok(checked >= 1 && checked <= free, `${checked} codes were checked; at most ${free} may be`);
      assert.equal(await failedChecks(t, 'auth.mfa', user.id), checked);
      const late = await half.postRaw('/sign-in/code', { _csrf: csrf, code: right, next: '/' });
      assert.equal(late.statusCode, 429, 'the right code straight after is refused too');
    });
  });
}
