import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedWorld, type IdKind, type SeededWorld } from '../../test/support/seeded-world.ts';
import { Browser, startTestApp, type TestApp } from '../../test/support/test-app.ts';

/**
 * Query parameters the pages read are text whatever is sent (found by the fuzzer, evidence/fuzz.ts):
 * a parameter given twice arrives from the query parser as an array, and a `?done=` naming one
 * of Object's own properties (`__proto__`, `constructor`) once looked up a function or object
 * in a page's table of messages. Each answered 500; each is now read as text, by its last value.
 */
describe('query parameters on pages', () => {
  let t: TestApp;
  let world: SeededWorld;
  let consultant: Browser;

  before(async () => {
    t = await startTestApp();
    world = await seedWorld(t);
    consultant = new Browser(t);
    await consultant.signIn(world.users.get('consultant')!.username);
  });
  after(async () => {
    await t.close();
  });

  const page = (prefix: string, kind: IdKind) => `${prefix}/${world.ids.get(kind) ?? 'missing'}`;

  it('a repeated parameter counts by its first value, the repeat ignored, never a 500', async () => {
    const cases = [
      [`${page('/assessments', 'assessment')}?dropped=a&dropped=b`, null],
      [`${page('/assessments', 'assessment')}?done=answers-saved&done=x`, /Answers saved/],
      [`${page('/referrals', 'referral')}?done=letter-attached&done=x`, /Letter attached/],
      [`${page('/pumps', 'pump')}?done=x&done=y`, null],
    ] as const;
    for (const [url, shows] of cases) {
      const res = await consultant.get(url);
      assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
      if (shows) {
        assert.match(res.body, shows, url);
      }
    }
  });

  it("a notice named after one of Object's own properties shows no notice, never a 500", async () => {
    for (const done of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      for (const url of [page('/pumps', 'pump'), page('/refills', 'refill')]) {
        const res = await consultant.get(`${url}?done=${done}`);
        assert.equal(res.statusCode, 200, `${url}?done=${done}: ${res.body.slice(0, 300)}`);
        assert.doesNotMatch(res.body, /nhsuk-notification-banner--success/, `${url}?done=${done}`);
      }
    }
  });
});
