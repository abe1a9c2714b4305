import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { addTestUser, PASSWORD, registerAnn, startTestApp, type TestApp } from '../support/test-app.ts';
import { expectAccessible, launchChromium, screenshot } from './browser-support.ts';

const RELATIVE_QUESTIONS = [
  'Are there doubts about tolerating a general anaesthetic, or is the patient medically unstable?',
  'Does the patient have untreated hydrocephalus?',
  'Does the patient have poorly controlled epilepsy?',
  'Does the patient have a coagulation disorder?',
  'Is the patient malnourished?',
  'Is ITB likely to worsen function?',
  'Is there a spinal abnormality or previous spinal surgery that may make surgery difficult?',
  'Has the patient had a recent CNS infection?',
  'Are there doubts about attending regular appointments, or responding urgently to withdrawal or overdose?',
  'Is there a thick soft-tissue or fat layer?',
  'Does the patient have skin pressure ulcers?',
];

/**
 * The selection journey in a real browser: a consultant completes a selection assessment with two
 * relative contraindications, sees "suitable – discuss at MDT" with both named, sends the
 * patient to the MDT and records the meeting's outcome. axe checks every page.
 */
describe('selection assessment journey', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base = '';

  before(async () => {
    t = await startTestApp('sqlite');
    t.clock.set('2026-11-25T10:00:00.000Z');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://localhost:${address.port}`;
    const cas = await addTestUser(t, 'consultant', 'cas');
    await registerAnn(t, cas);
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
  });
  after(async () => {
    await browser.close();
    await t.close();
  });

  const answer = async (question: string, label: string) => {
    await page.getByRole('group', { name: question, exact: true }).getByLabel(label, { exact: true }).check();
  };

  it('assesses, suggests discussion at MDT naming both contraindications, and records the outcome', async () => {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Username').fill('cas');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/`);

    await page.getByRole('link', { name: 'Patients', exact: true }).first().click();
    await page.getByLabel(/NHS number, name/).fill('485 777 3457');
    await page.getByRole('button', { name: /Search/ }).click();
    await page.getByRole('link', { name: /SMITH, Ann/ }).click();
    await page.getByRole('link', { name: 'Selection assessments' }).click();
    await expectAccessible(page, 'assessments list (empty)');
    await page.getByRole('link', { name: 'Start an assessment' }).click();
    await page.getByRole('button', { name: 'Start the assessment' }).click();
    await page.locator('.nhsuk-error-summary').getByText('Select the protocol to assess against').waitFor();
    await expectAccessible(page, 'start form with an error');
    await page.getByLabel(/Adult ITB patient selection/).check();
    await page.getByRole('button', { name: 'Start the assessment' }).click();
    await page.waitForURL(/\/answers$/);
    await expectAccessible(page, 'the questions');

    await answer(
      'Does generalised spasticity or dystonia harm function, quality of life or the provision of care?',
      'Yes',
    );
    await page.getByRole('group', { name: 'Which of these does it harm?' }).getByLabel('Function').check();
    await answer(
      'Is there a definite history of allergic reaction to oral baclofen or to an ITB test dose?',
      'No',
    );
    await answer('Oral baclofen', 'Tried');
    await answer('Oral baclofen: was the maximum dose reached?', 'Yes');
    for (const t of [
      'Tizanidine',
      'Gabapentin',
      'Dantrolene',
      'Botulinum toxin',
      'Physiotherapy',
      'Orthotics',
    ]) {
      await answer(t, 'Not tried');
    }
    // A follow-up answered although it does not apply (tizanidine was not tried): not kept.
    await answer('Tizanidine: was the maximum dose reached?', 'No');
    for (const q of RELATIVE_QUESTIONS) {
      await answer(q, 'No');
    }
    await answer('Does the patient have poorly controlled epilepsy?', 'Yes');
    await page.locator('#n-epilepsy').fill('Two seizures this month');
    await answer('Does the patient have skin pressure ulcers?', 'Yes');
    await page.getByRole('button', { name: 'Save answers' }).click();

    await page.getByRole('heading', { name: 'Suggestion: Suitable – discuss at MDT' }).waitFor();
    const suggestion = page.locator('.app-suggestion');
    await suggestion.getByText('Poorly controlled epilepsy – Two seizures this month').waitFor();
    await suggestion.getByText('Skin pressure ulcers').waitFor();
    await page.getByText('Tizanidine: was the maximum dose reached?').first().waitFor();
    await expectAccessible(page, 'assessment with its suggestion');
    await screenshot(page, 'assessment-suggestion');

    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.locator('.nhsuk-error-summary').getByText('Select the decision').waitFor();
    await expectAccessible(page, 'decision form with an error');
    await page.getByLabel('Discuss at MDT').check();
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('Decision recorded').waitFor();

    await page.getByRole('link', { name: 'MDT list' }).first().click();
    await expectAccessible(page, 'MDT list');
    const row = page.getByRole('row', { name: /SMITH, Ann/ });
    await row.getByText('Poorly controlled epilepsy').waitFor();
    await row.getByText('Skin pressure ulcers').waitFor();
    await row.getByRole('link', { name: /Open/ }).click();

    await page.getByLabel('Proceed to test dose').check();
    await page.getByLabel('Day').fill('25');
    await page.getByLabel('Month').fill('11');
    await page.getByLabel('Year').fill('2026');
    await page.getByRole('button', { name: 'Record the MDT outcome' }).click();
    await page.locator('.nhsuk-error-summary').getByText('Enter the summary of the discussion').waitFor();
    await expectAccessible(page, 'MDT outcome form with an error');
    await page.getByLabel('Who attended (optional)').fill('Dr Cas, Nia (nurse), physiotherapy');
    await page
      .getByLabel('Summary of the discussion')
      .fill('Proceed once neurology has reviewed the epilepsy');
    await page.getByRole('button', { name: 'Record the MDT outcome' }).click();
    await page.locator('.nhsuk-notification-banner').getByText('MDT outcome recorded').waitFor();
    await page.getByText('Proceed once neurology has reviewed the epilepsy').waitFor();
    await expectAccessible(page, 'assessment with the MDT outcome');
    await screenshot(page, 'assessment-mdt-outcome');

    await page.getByRole('link', { name: 'MDT list' }).first().click();
    await page.getByText('No patients are waiting for MDT discussion.').waitFor();
  });
});
