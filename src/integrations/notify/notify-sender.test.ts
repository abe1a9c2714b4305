import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { FAKE_NOTIFY_KEY, FAKE_TEMPLATES } from '../../../test/support/fake-notify.ts';
import { notifyTransport, outcomeOfError } from './notify-sender.ts';

describe('Notify failures as safe values', () => {
  it("400 is permanent, 403, 429 and 500 are retried, with Notify's error and never the request", () => {
    const err = (status: number) => ({
      config: { headers: { Authorization: 'Bearer secret.jwt.here' } },
      response: {
        status,
        data: { errors: [{ error: 'BadRequestError', message: 'Missing personalisation: place' }] },
      },
    });
    const table: [number, boolean][] = [
      [400, true],
      [403, false],
      [429, false],
      [500, false],
    ];
    for (const [status, permanent] of table) {
      const o = outcomeOfError(err(status));
      assert.ok(!o.ok);
      assert.equal(o.permanent, permanent, String(status));
      assert.equal(o.message, `HTTP ${String(status)} BadRequestError: Missing personalisation: place`);
      assert.doesNotMatch(JSON.stringify(o), /Bearer|secret/);
    }
  });

  it('no answer at all (nothing listening) is retried', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    const transport = notifyTransport({
      apiKey: FAKE_NOTIFY_KEY,
      baseUrl: `http://127.0.0.1:${String(port)}`,
      templates: {
        refillEmail: FAKE_TEMPLATES.NOTIFY_TEMPLATE_REFILL_EMAIL,
        refillSms: FAKE_TEMPLATES.NOTIFY_TEMPLATE_REFILL_SMS,
        reviewEmail: FAKE_TEMPLATES.NOTIFY_TEMPLATE_REVIEW_EMAIL,
        reviewSms: FAKE_TEMPLATES.NOTIFY_TEMPLATE_REVIEW_SMS,
      },
    });
    const o = await transport.send({
      channel: 'sms',
      templateId: FAKE_TEMPLATES.NOTIFY_TEMPLATE_REFILL_SMS,
      to: '+447700900123',
      personalisation: {},
      reference: 'r1',
    });
    assert.deepEqual(o, {
      ok: false,
      permanent: false,
      status: null,
      message: 'No answer from Notify (ECONNREFUSED)',
    });
  });
});
