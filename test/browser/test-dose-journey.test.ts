import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { actorOf } from '../../src/services/audit-service.ts';
import { decidedAssessment } from '../support/test-dose-fixtures.ts';
import { addTestUser, PASSWORD, registerAnn, startTestApp, type TestApp } from '../support/test-app.ts';
import {
  expectAccessible,
  launchChromium,
  screenshot,
  collectCspViolations,
  signInAs,
  signOutOf,
  expectNoSidewaysScroll,
} from './browser-support.ts';

/**
 * The test-dose journey on Tuesday 24 November 2026 (GMT, so London time is UTC): a
 * consultant finds the test dose blocked until Ann Smith's selection assessment decides to
 * proceed (the bedside gate); then starts it with its pre-checks (after forgetting the goals)
 * and gives 50 mcg at 09:00, shown as 1.0 mL at the 50 mcg/mL screening strength, naming the
 * nurse who checked it; a physiotherapist records the baseline at 08:55, the 4-hour Ashworth
 * grades (a fall of 2 points in the mean) with drowsiness, after a slip that timed them at 09:30
 * is refused, and at 6 hours the effect gone, with JavaScript off; the consultant sees the
 * suggestion "positive" with its effect of 4 hours offered, is stopped from answering "no
 * adverse reactions" over the drowsiness, confirms it with them, and the page suggests a
 * starting dose of 50 mcg/day after implant, the test dose itself after adverse reactions. The
 * app's clock is moved between steps so the bolus time and the observation hours agree. Every
 * page visited, and each form's error state, is checked with axe.
 */
describe('test-dose journey', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base = '';
  let patientId = '';
  let episodeUrl = '';
  let cspViolations: string[] = [];
  let consultant: ReturnType<typeof actorOf>;
  let noJs: Page;

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-11-24T08:40:00.000Z');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    const carl = await addTestUser(t, 'consultant', 'carl');
    consultant = actorOf(await addTestUser(t, 'consultant', 'cora'), null);
    await addTestUser(t, 'physiotherapist', 'pat');
    patientId = (await registerAnn(t, carl)).id;
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    cspViolations = collectCspViolations(page);
    // Forms work with JavaScript off (axe needs it on, so it checks the same states in `page`).
    noJs = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  });
  after(async () => {
    await browser.close();
    await t.close();
  });

  const signIn = (username: string) => signInAs(page, base, username, PASSWORD);
  const signOut = () => signOutOf(page);
  const notice = (text: string) => page.locator('.nhsuk-notification-banner').getByText(text).waitFor();
  const group = (name: string) => page.getByRole('group', { name });
  const noSidewaysScroll = (label: string) => expectNoSidewaysScroll(page, label);

  it('a consultant finds the test dose blocked until the selection decision is to proceed', async () => {
    await signIn('carl');
    await page.goto(`${base}/patients/${patientId}`);
    await page.getByRole('link', { name: 'Test doses' }).click();
    await page.getByRole('heading', { name: 'Test doses' }).waitFor();
    assert.ok(await page.getByText('No test doses have been recorded for this patient').isVisible());
    await expectAccessible(page, 'test doses, none yet');
    await page.getByRole('link', { name: 'Start a test dose' }).click();
    await page.getByRole('heading', { name: 'Start a test dose' }).waitFor();
    assert.ok(await page.getByText('A test dose cannot be started yet').isVisible());
    assert.ok(
      await page.getByText('No selection assessment has been recorded for this patient.').isVisible(),
    );
    assert.ok(await page.getByRole('link', { name: 'Go to the selection assessments' }).isVisible());
    assert.ok(await page.getByRole('link', { name: 'Record an override for a test dose' }).isVisible());
    assert.equal(await page.getByLabel('Goals for the screening').count(), 0, 'no form while blocked');
    await expectAccessible(page, 'test dose blocked at the bedside gate');
    await screenshot(page, 'test-dose-blocked');
    // The override form is offered to consultants; this journey does not use it.
    await page.getByRole('link', { name: 'Record an override for a test dose' }).click();
    await page.getByRole('heading', { name: 'Record an override for a test dose' }).waitFor();
    assert.ok(await page.getByText('someone other than you must start the test dose').isVisible());
    await expectAccessible(page, 'override form');
    await page.goBack();
    await page.getByRole('heading', { name: 'Start a test dose' }).waitFor();
  });

  it('a consultant starts a test dose with its pre-checks, after forgetting the goals', async () => {
    // Another consultant decides, in Ann's selection assessment, to proceed to a test dose.
    const assessmentId = await decidedAssessment(
      { db: t.deps.database.db, clock: t.clock },
      consultant,
      patientId,
      {
        decision: 'proceed-to-test-dose',
      },
    );
    await page.reload();
    await page.getByRole('heading', { name: 'Start a test dose' }).waitFor();
    assert.equal(
      await page.getByLabel('Selection assessment').inputValue(),
      assessmentId,
      'the one that allows it',
    );
    await expectAccessible(page, 'pre-check form');

    await group('Is the patient free of infection and wounds?')
      .getByLabel('Yes: no infection or wound')
      .check();
    await group('Have anticoagulant and antiplatelet medicines been reviewed?')
      .getByLabel('Yes', { exact: true })
      .check();
    await page.getByLabel('Anticoagulant note (optional)').fill('None taken');
    await group('Botulinum toxin, phenol or alcohol injections in the last 3 months?')
      .getByLabel('No', { exact: true })
      .check();
    await page
      .getByLabel('Plan for oral antispasmodics')
      .fill('Continue oral baclofen 20 mg three times a day');
    await page.getByRole('button', { name: 'Start the test dose' }).click();

    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match((await summary.textContent()) ?? '', /Enter the goals for the screening/);
    await expectAccessible(page, 'pre-check form with an error');
    await screenshot(page, 'test-dose-pre-checks-error');
    // What was entered is kept, and the summary takes the person to the box.
    assert.equal(
      await page.getByLabel('Plan for oral antispasmodics').inputValue(),
      'Continue oral baclofen 20 mg three times a day',
    );
    await summary.getByRole('link', { name: /Enter the goals/ }).click();
    assert.equal(await page.locator('#goals:focus').count(), 1, 'the goals box has focus');
    await page.getByLabel('Goals for the screening').fill('Easier hygiene care; sitting for longer');
    await page.getByRole('button', { name: 'Start the test dose' }).click();

    await notice('Test dose started');
    episodeUrl = page.url().replace(/\?.*$/, '');
    assert.match(episodeUrl, /\/test-doses\/[\w-]+$/);
    assert.ok(await page.getByText('Next dose on the ladder: 50 mcg: 1.0 mL at 50 mcg/mL').isVisible());
    await expectAccessible(page, 'new test dose');
  });

  it('records a 50 mcg bolus at 09:00 and sees its volume worked out: 1.0 mL', async () => {
    t.clock.set('2026-11-24T09:05:00.000Z');
    await page.getByRole('link', { name: 'Record a bolus' }).click();
    await page.getByRole('heading', { name: 'Record a bolus' }).waitFor();
    await expectAccessible(page, 'bolus form');
    const ladder = page.getByRole('table', { name: /Ladder doses and their volumes/ });
    assert.match(
      (await ladder.getByRole('row').nth(1).textContent()) ?? '',
      /Dose 50 mcg\s*Volume at 50 mcg\/mL 1\.0 mL/,
    );
    // Prefilled with the ladder's first dose at the screening strength, given now.
    assert.equal(await page.getByLabel('Dose', { exact: true }).inputValue(), '50');
    assert.equal(await page.getByLabel('Concentration', { exact: true }).inputValue(), '50');
    assert.equal(await page.locator('#givenAt-time').inputValue(), '09:05');
    await page.locator('#givenAt-time').fill('09:00');
    await page.getByLabel('Lumbar puncture').check();
    await page.getByLabel('Checked by', { exact: true }).fill('Nora Nurse');
    await page.getByRole('button', { name: 'Record the bolus' }).click();

    await notice('Bolus recorded');
    await page.getByRole('heading', { name: 'Bolus 1: 50 mcg' }).waitFor();
    const rows = (await page.locator('h2[id^="bolus-"] + dl').textContent()) ?? '';
    assert.match(rows, /1\.0 mL \(50 mcg ÷ 50 mcg\/mL\)/);
    assert.match(rows, /24 November 2026, 09:00/);
    assert.doesNotMatch(rows, /GMT|BST/);
    assert.ok(
      await page.getByText('Confirm the result of bolus 1 before another bolus is given').isVisible(),
    );
    await expectAccessible(page, 'test dose with a bolus');
    await screenshot(page, 'test-dose-bolus');
    await signOut();
  });

  it('a physiotherapist records the baseline, the 4-hour Ashworth grades, and the effect gone at 6 hours', async () => {
    t.clock.set('2026-11-24T09:10:00.000Z');
    await signIn('pat');
    await page.goto(episodeUrl);
    await page.getByRole('link', { name: 'Record an observation' }).click();
    await page.getByRole('heading', { name: 'Record an observation' }).waitFor();
    assert.ok(await page.getByLabel('Baseline (before the bolus)').isChecked());
    await expectAccessible(page, 'baseline observation form');
    // Baseline: hip adductors 3, knee extensors 2 on both sides, a mean of 2.5.
    await page.getByLabel('Hip adductors, left').selectOption('3');
    await page.getByLabel('Hip adductors, right').selectOption('3');
    await page.getByLabel('Knee extensors, left').selectOption('2');
    await page.getByLabel('Knee extensors, right').selectOption('2');
    await page.getByLabel('Heart rate (beats a minute)').fill('74');
    await page.getByLabel('Systolic blood pressure (mmHg)').fill('126');
    await page.getByLabel('Diastolic blood pressure (mmHg)').fill('78');
    // Today's date is filled in; the time is entered.
    assert.equal(await page.locator('#observedAt-day').inputValue(), '24');
    await page.locator('#observedAt-time').fill('08:55');
    await page.getByRole('button', { name: 'Record the observation' }).click();
    await notice('Observation recorded');
    assert.ok(await page.getByRole('heading', { name: /Suggestion: Not enough observations/ }).isVisible());
    await expectAccessible(page, 'test dose with the baseline');
    await signOut();

    t.clock.set('2026-11-24T13:05:00.000Z');
    await signIn('pat');
    await page.goto(episodeUrl);
    await page.getByRole('link', { name: 'Record an observation' }).click();
    await page.getByRole('heading', { name: 'Record an observation' }).waitFor();
    assert.ok(await page.getByLabel('Baseline (before the bolus) (already recorded)').isDisabled());
    await page.getByLabel('4 hours', { exact: true }).check();
    // 4 hours: hip adductors 1, knee extensors 0, a mean of 0.5: 2 points below the baseline.
    await page.getByLabel('Hip adductors, left').selectOption('1');
    await page.getByLabel('Hip adductors, right').selectOption('1');
    await page.getByLabel('Knee extensors, left').selectOption('0');
    await page.getByLabel('Knee extensors, right').selectOption('0');
    await page.getByLabel('Drowsiness or sleepiness').check();
    await expectAccessible(page, '4-hour observation form');
    // A slip: the time typed is 30 minutes after the bolus, not 4 hours.
    await page.locator('#observedAt-time').fill('09:30');
    await page.getByRole('button', { name: 'Record the observation' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match(
      (await summary.textContent()) ?? '',
      /the 4-hour observation is taken 4 hours after the bolus, at 24 November 2026, 13:00, give or take 30 minutes; 24 November 2026, 09:30 is 30 minutes after the bolus/,
    );
    assert.equal(await page.getByLabel('Hip adductors, left').inputValue(), '1', 'what was entered is kept');
    await expectAccessible(page, '4-hour observation refused for its time');
    await screenshot(page, 'test-dose-observation-mistimed');
    await page.locator('#observedAt-time').fill('13:05');
    await page.getByRole('button', { name: 'Record the observation' }).click();
    await notice('Observation recorded');

    const table = page.getByRole('table', { name: /Observations after bolus 1/ });
    const hipLeft = (await table.getByRole('row', { name: /Hip adductors, left/ }).textContent()) ?? '';
    assert.match(
      hipLeft.replace(/\s+/g, ' '),
      /Baseline 3 ?2 h – ?4 h 1 ?6 h – ?8 h –/,
      'baseline 3, nothing at 2 hours, 1 at 4 hours',
    );
    assert.ok(await page.getByRole('heading', { name: 'Suggestion: Positive' }).isVisible());
    assert.ok(await page.getByText(/fell from 2\.5 to 0\.5 at 4 hours, a drop of 2;/).isVisible());
    // A physiotherapist observes; only a prescriber confirms the result.
    assert.equal(await page.locator('#result-form').count(), 0);
    assert.ok(await page.getByText('A consultant or nurse specialist confirms it').isVisible());
    await expectAccessible(page, 'test dose with the 4-hour observation');
    // At 375 px the test dose, its observation table and the observation form fit the screen.
    await page.setViewportSize({ width: 375, height: 800 });
    await noSidewaysScroll('test dose with observations at 375 px');
    await expectAccessible(page, 'test dose at 375 px');
    await screenshot(page, 'test-dose-375');
    await page.getByRole('link', { name: 'Record an observation' }).click();
    await page.getByRole('heading', { name: 'Record an observation' }).waitFor();
    await noSidewaysScroll('observation form at 375 px');
    await expectAccessible(page, 'observation form at 375 px');
    await page.setViewportSize({ width: 1280, height: 900 });
    await signOut();

    // 6 hours, with JavaScript off: hip adductors 2, knee extensors 2, a mean of 2: the drop has gone.
    t.clock.set('2026-11-24T15:05:00.000Z');
    await signInAs(noJs, base, 'pat', PASSWORD);
    await noJs.goto(episodeUrl);
    await noJs.getByRole('link', { name: 'Record an observation' }).click();
    await noJs.getByRole('heading', { name: 'Record an observation' }).waitFor();
    await noJs.getByLabel('6 hours', { exact: true }).check();
    for (const name of [
      'Hip adductors, left',
      'Hip adductors, right',
      'Knee extensors, left',
      'Knee extensors, right',
    ]) {
      await noJs.getByLabel(name).selectOption('2');
    }
    await noJs.getByRole('button', { name: 'Record the observation' }).click();
    await noJs.locator('.nhsuk-error-summary').getByText('Enter the time observed, like 09:30').waitFor();
    await noJs.locator('#observedAt-time').fill('15:05');
    await noJs.getByRole('button', { name: 'Record the observation' }).click();
    await noJs.locator('.nhsuk-notification-banner').getByText('Observation recorded').waitFor();
    await signOutOf(noJs);
    await signIn('pat');
    await page.goto(episodeUrl);
    const times = (await page.getByRole('row', { name: /Time observed/ }).textContent()) ?? '';
    assert.match(
      times.replace(/\s+/g, ' '),
      /Baseline 08:55 ?2 h – ?4 h 13:05 ?6 h 15:05/,
      'the clock time of each observation',
    );
    await expectAccessible(page, 'test dose with the 6-hour observation');
    await screenshot(page, 'test-dose-observations');
    await signOut();
  });

  it('the consultant confirms the positive suggestion with the drowsiness, and sees the starting dose', async () => {
    t.clock.set('2026-11-24T15:15:00.000Z');
    await signIn('carl');
    await page.goto(episodeUrl);
    await page.getByRole('heading', { name: 'Confirm the result of bolus 1' }).waitFor();
    assert.ok(await page.getByRole('heading', { name: 'Suggestion: Positive' }).isVisible());
    await expectAccessible(page, 'result form');
    // The drop held at 4 hours and had gone by 6: every duration between gives twice the dose
    // (the long-effect rule is 8 hours), so 4 hours is offered.
    assert.equal(await page.getByLabel('How long the effect lasted, if positive').inputValue(), '4');
    await page.getByLabel('Positive response').check();
    await group('Were there adverse reactions?').getByLabel('No', { exact: true }).check();
    await page.getByRole('button', { name: 'Confirm the result' }).click();
    // Drowsiness was recorded at 4 hours: "no adverse reactions" is refused.
    const summary = page.locator('.nhsuk-error-summary');
    await summary.waitFor();
    assert.match(
      (await summary.textContent()) ?? '',
      /Adverse reactions cannot be "no": drowsiness or sleepiness \(bolus 1, 4 hours\) was observed in this test dose/,
    );
    await expectAccessible(page, 'result form refused for "no adverse reactions"');
    await screenshot(page, 'test-dose-adverse-contradiction');
    await page.getByLabel('Positive response').check();
    await group('Were there adverse reactions?').getByLabel('Yes', { exact: true }).check();
    await page.locator('#adverseNote').fill('Drowsy at 4 hours; gone by 6 hours');
    await page.getByRole('button', { name: 'Confirm the result' }).click();

    await notice('Result confirmed');
    assert.ok(
      await page.getByRole('heading', { level: 1 }).getByText('Positive: suitable for implant').isVisible(),
    );
    assert.equal(
      (await page.locator('#starting-dose').textContent())?.trim(),
      'Suggested starting dose after implant: 50 mcg/day (the same as the test dose, after adverse reactions to it)',
    );
    // Closed: nothing more can be recorded.
    assert.equal(await page.getByRole('link', { name: /Record a bolus|Record an observation/ }).count(), 0);
    await expectAccessible(page, 'positive test dose');
    await screenshot(page, 'test-dose-positive');

    await page.getByRole('link', { name: 'Back to test doses' }).click();
    await page.getByRole('heading', { name: 'Test doses' }).waitFor();
    const row = page.locator('tbody tr');
    assert.equal(await row.count(), 1);
    assert.match(
      (await row.textContent()) ?? '',
      /24 November 2026, 08:40.*50 mcg.*Positive: suitable for implant/s,
    );
    await expectAccessible(page, 'test doses after the result');
    await page.setViewportSize({ width: 375, height: 800 });
    await noSidewaysScroll('test doses list at 375 px');
    await expectAccessible(page, 'test doses list at 375 px');
    await page.goto(episodeUrl);
    await noSidewaysScroll('positive test dose at 375 px');
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.deepEqual(cspViolations, [], 'nothing blocked by the CSP');
  });
});
