import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inkIn, pdfPageImages } from '../../../../test/support/pdf-images.ts';
import { pdfText } from '../../../../test/support/pdf-text.ts';
import {
  addTestUser,
  apiTokenFor,
  Browser,
  registerAnn,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { actorOf } from '../../../services/audit-service.ts';
import type { User } from '../../../storage/users.repository.ts';

/** The test clock's today is Tuesday 24 November 2026 (Europe/London). */

const SIMPLE = (doseMcgPerDay: number) => ({
  concentrationMcgPerMl: 500,
  phase: 'titration',
  reason: 'Test dose given at another centre',
  programme: { mode: 'simple', doseMcgPerDay, schedules: [], bolus: null },
});

const flat = (pdf: Buffer) => pdfText(pdf).replace(/\s+/g, ' ');

for (const dialect of ['sqlite', 'postgres'] as const) {
  if (dialect === 'postgres' && !process.env.TEST_DATABASE_URL) {
    continue;
  }
  describe(`emergency card and refill letter pages and API on ${dialect}`, () => {
    let t: TestApp;
    let nina: User;
    let carl: User;
    let bob: User;
    let patientId = '';
    let pumpId = '';

    before(async () => {
      t = await startTestApp(dialect);
      nina = await addTestUser(t, 'nurse-specialist', 'nina');
      carl = await addTestUser(t, 'consultant', 'carl');
      bob = await addTestUser(t, 'booking-coordinator', 'bob');
      patientId = (await registerAnn(t, nina)).id;
      const pumps = t.deps.services.pumps;
      const pump = await pumps.register(actorOf(nina, null), patientId, {
        modelId: 'synchromed-ii',
        reservoirMl: 20,
        serialNumber: 'NGP555H',
        implantedOn: '2026-06-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        origin: 'spinal',
      });
      pumpId = pump.id;
      const p = await pumps.proposePrescription(actorOf(nina, null), pumpId, SIMPLE(150));
      await pumps.confirmPrescription(actorOf(carl, null), p.id, {});
    });
    after(async () => {
      await t.close();
    });

    it('issues a card from its page, lists it with its date and downloads it as an A4 PDF', async () => {
      const b = new Browser(t);
      await b.signIn('nina');
      const pumpPage = await b.get(`/pumps/${pumpId}`);
      assert.match(pumpPage.body, /No emergency card has been issued/);
      const page = await b.get(`/pumps/${pumpId}/emergency-cards`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /150 mcg\/day/);
      assert.match(page.body, /Issue a card/);

      const issued = await b.post(`/pumps/${pumpId}/emergency-cards`, {}, `/pumps/${pumpId}/emergency-cards`);
      assert.equal(issued.statusCode, 303);
      assert.equal(issued.headers.location, `/pumps/${pumpId}/emergency-cards?done=issued`);
      const listed = await b.get(`/pumps/${pumpId}/emergency-cards?done=issued`);
      assert.match(listed.body, /Emergency card issued/);
      assert.match(listed.body, /24 November 2026/);
      assert.match(listed.body, /Current/);
      const cardId = /href="\/emergency-cards\/([^/]+)\/pdf"/.exec(listed.body)?.[1] ?? '';
      assert.notEqual(cardId, '');

      const pdf = await b.get(`/emergency-cards/${cardId}/pdf`);
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(
        pdf.headers['content-disposition'],
        'attachment; filename="emergency-card-2026-11-24.pdf"',
      );
      assert.match(flat(pdf.rawPayload), /Daily dose: 150 mcg\/day/);
      const images = await pdfPageImages(pdf.rawPayload, 36);
      assert.equal(images.length, 1);
      const [img] = images;
      assert.ok(img && Math.abs(img.width - 297.6) <= 1 && Math.abs(img.height - 420.9) <= 1, 'A4 at 36 dpi');
      assert.ok(
        inkIn(img, { xMm: 20, yMm: 43, widthMm: 80, heightMm: 48 }) > 0,
        'the front panel is printed',
      );

      const patient = await b.get(`/patients/${patientId}`);
      assert.match(patient.body, /Emergency card issued on 24 November 2026 and up to date/);
    });

    it('flags the card out of date on the patient and pump pages after a dose change', async () => {
      const p = await t.deps.services.pumps.proposePrescription(actorOf(nina, null), pumpId, {
        ...SIMPLE(175),
        reason: 'Spasms at night',
      });
      await t.deps.services.pumps.confirmPrescription(actorOf(carl, null), p.id, {});
      const b = new Browser(t);
      await b.signIn('bob');
      for (const url of [`/patients/${patientId}`, `/pumps/${pumpId}`]) {
        const page = await b.get(url);
        assert.match(page.body, /Emergency card out of date/, url);
        assert.match(page.body, /the daily dose changed since/, url);
        assert.match(page.body, new RegExp(`href="/pumps/${pumpId}/emergency-cards"`), url);
      }
      const cards = await b.get(`/pumps/${pumpId}/emergency-cards`);
      assert.match(cards.body, /Out of date/);
      // A booking coordinator reads the cards but cannot issue one.
      assert.doesNotMatch(cards.body, /<form method="post" action="\/pumps\/[^"]+\/emergency-cards"/);
      const refused = await b.post(
        `/pumps/${pumpId}/emergency-cards`,
        {},
        `/pumps/${pumpId}/emergency-cards`,
      );
      assert.equal(refused.statusCode, 403);
    });

    it('shows why no card can be issued for a pump with no confirmed prescription', async () => {
      const bare = await t.deps.services.pumps.register(actorOf(nina, null), patientId, {
        modelId: 'prometra-ii',
        reservoirMl: 20,
        serialNumber: 'PRO1',
        implantedOn: '2026-06-01',
        surgeon: 'Mr A Khan',
        alarmMl: 2,
        origin: 'spinal',
      });
      const b = new Browser(t);
      await b.signIn('nina');
      const page = await b.get(`/pumps/${bare.id}/emergency-cards`);
      assert.match(page.body, /no confirmed prescription/);
      // The page has no form to issue from; the post is made as a stale page would.
      const post = await b.post(`/pumps/${bare.id}/emergency-cards`, {}, `/pumps/${bare.id}`);
      assert.equal(post.statusCode, 409);
      assert.match(post.body, /No card issued/);
      const missing = await b.get('/emergency-cards/00000000-0000-4000-8000-000000000000/pdf');
      assert.equal(missing.statusCode, 404);
    });

    it('offers the patient letter on the refill page only once the refill is signed', async () => {
      const refills = t.deps.services.refills;
      const refill = await refills.record(actorOf(nina, null), pumpId, {
        performedOn: '2026-11-24',
        expectedResidualMl: '4.0',
        withdrawnMl: '4.0',
        concentrationMcgPerMl: '500',
        batch: 'LB1',
        expiresOn: '2027-06-30',
        instilledMl: '20',
        alarmMl: '2',
        complications: [],
      });
      const b = new Browser(t);
      await b.signIn('bob');
      const before = await b.get(`/refills/${refill.id}`);
      assert.match(before.body, /ready once a different clinician has checked and signed/);
      const early = await b.get(`/refills/${refill.id}/letter`);
      assert.equal(early.statusCode, 409);

      await refills.sign(actorOf(carl, null), refill.id, { version: refill.version });
      const page = await b.get(`/refills/${refill.id}`);
      assert.match(page.body, /Download the patient letter \(PDF\)/);
      const letter = await b.get(`/refills/${refill.id}/letter`);
      assert.equal(letter.statusCode, 200);
      assert.equal(letter.headers['content-type'], 'application/pdf');
      const text = flat(letter.rawPayload);
      assert.match(text, /Refilled on: 24 November 2026/);
      assert.match(text, /Next refill due by:/);
      assert.match(text, /Low-reservoir alarm expected on:/);
      const pages = await pdfPageImages(letter.rawPayload, 36);
      assert.ok(pages.length >= 1 && pages.length <= 3, `${String(pages.length)} pages`);
    });

    it('issues and lists cards over the API', async () => {
      // Later the same day: the newest card is the one issued last.
      t.clock.set('2026-11-24T15:00:00.000Z');
      const ninaToken = await apiTokenFor(t, nina);
      const bobToken = await apiTokenFor(t, bob);
      const issue = await t.app.inject({
        method: 'POST',
        url: `/api/v1/pumps/${pumpId}/emergency-cards`,
        headers: { authorization: `Bearer ${ninaToken}` },
      });
      assert.equal(issue.statusCode, 201, issue.body);
      const card = issue.json<{ id: string; facts: { doseMcgPerDay: number }; pdf: string }>();
      assert.equal(card.facts.doseMcgPerDay, 175);
      assert.equal(card.pdf, `/emergency-cards/${card.id}/pdf`);

      const list = await t.app.inject({
        method: 'GET',
        url: `/api/v1/pumps/${pumpId}/emergency-cards`,
        headers: { authorization: `Bearer ${bobToken}` },
      });
      assert.equal(list.statusCode, 200);
      const body = list.json<{
        cards: { id: string; outOfDate: boolean; changes: string[] }[];
        canIssue: boolean;
      }>();
      assert.equal(body.cards[0]?.id, card.id);
      assert.equal(body.cards[0].outOfDate, false);
      assert.deepEqual(body.cards[1]?.changes, ['dose']);
      assert.equal(body.canIssue, true);

      const forbidden = await t.app.inject({
        method: 'POST',
        url: `/api/v1/pumps/${pumpId}/emergency-cards`,
        headers: { authorization: `Bearer ${bobToken}` },
      });
      assert.equal(forbidden.statusCode, 403);
      const unknown = await t.app.inject({
        method: 'POST',
        url: '/api/v1/pumps/00000000-0000-4000-8000-000000000000/emergency-cards',
        headers: { authorization: `Bearer ${ninaToken}` },
      });
      assert.equal(unknown.statusCode, 404);

      const openapi = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      if (openapi.statusCode === 200) {
        assert.match(openapi.body, /emergency-cards/);
      }
    });
  });
}
