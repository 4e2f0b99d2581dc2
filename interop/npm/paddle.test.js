// @paddle/paddle-node-sdk's webhooks.unmarshal against hookctl's paddle
// provider: Paddle-Signature is ts=TS;h1=HEX, HMAC-SHA256 of "TS:body",
// and the SDK rejects a ts more than 5 seconds old.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { Paddle } from '@paddle/paddle-node-sdk';
import { everyEvent, freshEnv, verify, tampered } from './lib/hookctl.js';

const secret = 'pdl_ntfset_01hv8x2avx6jggfc9hrjxjdcbd_6v+8ZHjJRBnn4OuOPTTqb1Kfx4SH+vXk';
// No API call is made: the key only satisfies the constructor.
const paddle = new Paddle('pdl_sdbx_apikey_01hookctlinterop');

test('webhooks.unmarshal verifies every event hookctl triggers and types it', async (t) => {
  const typed = await everyEvent(t, assert, {
    provider: 'paddle', flags: ['--secret', secret],
    accepts: (req, raw) => paddle.webhooks.unmarshal(raw.toString(), secret, req.headers['paddle-signature']),
  });
  for (const ev of typed) {
    assert.match(ev.eventType, /^(transaction|subscription)\./);
    assert.ok(ev.eventId && ev.data, `event ${ev.eventType} has no id or data`);
  }
});

test('a signature the SDK accepts, hookctl verify accepts; changed or over 5 s old, both reject', async (t) => {
  const fresh = freshEnv(t);
  const body = JSON.stringify({ event_id: 'evt_01', event_type: 'transaction.paid', occurred_at: new Date().toISOString(), data: {} });
  const now = Math.floor(Date.now() / 1000);
  const header = (ts, b) => `ts=${ts};h1=${createHmac('sha256', secret).update(`${ts}:${b}`).digest('hex')}`;
  const valid = (b, h) => paddle.webhooks.isSignatureValid(b.toString(), secret, h);
  const run = (b, h) => verify(fresh, 'paddle', { 'Paddle-Signature': h }, b, ['--secret', secret]);

  const h = header(now, body);
  assert.equal(await valid(body, h), true);
  const ok = await run(body, h);
  assert.equal(ok.code, 0, `hookctl verify: ${ok.stdout}${ok.stderr}`);

  assert.equal(await valid(tampered(body), h), false);
  assert.equal((await run(tampered(body), h)).code, 1, 'hookctl accepts a changed body');

  const stale = header(now - 30, body);
  assert.equal(await valid(body, stale), false);
  assert.equal((await run(body, stale)).code, 1, 'hookctl accepts a signature 30 s old');
});
