// The square SDK's WebhooksHelper.verifySignature against hookctl's
// square provider: x-square-hmacsha256-signature is base64 HMAC-SHA256 of
// the notification URL followed by the body.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import square from 'square';
import { everyEvent, freshEnv, verify, tampered } from './lib/hookctl.js';

const { WebhooksHelper } = square;
const signatureKey = 'sq0wss-hookctl_interop_signature_key';
const path = '/square/webhooks?env=sandbox';

function verifies(raw, signatureHeader, notificationUrl) {
  return WebhooksHelper.verifySignature({ requestBody: raw.toString(), signatureHeader, signatureKey, notificationUrl });
}

test('WebhooksHelper verifies every event hookctl triggers, for the URL it was sent to', async (t) => {
  await everyEvent(t, assert, {
    provider: 'square', flags: ['--secret', signatureKey], path,
    accepts: async (req, raw) => {
      // The subscription's notification URL is the one hookctl was given.
      const url = `http://${req.headers.host}${req.url}`;
      const sig = req.headers['x-square-hmacsha256-signature'];
      assert.equal(await verifies(raw, sig, url.replace('/square/', '/other/')), false, 'another URL verifies');
      return verifies(raw, sig, url);
    },
  });
});

test('a signature WebhooksHelper accepts, hookctl verify --url accepts; changed body or URL, both reject', async (t) => {
  const fresh = freshEnv(t);
  const url = 'https://example.com/square/webhooks?env=sandbox';
  const body = JSON.stringify({ merchant_id: 'M1', type: 'payment.created', event_id: 'e1', data: { type: 'payment', id: 'p1' } });
  const sig = createHmac('sha256', signatureKey).update(url + body).digest('base64');
  assert.equal(await verifies(body, sig, url), true);
  const flags = ['--secret', signatureKey, '--url', url];
  const hdr = { 'x-square-hmacsha256-signature': sig };
  const ok = await verify(fresh, 'square', hdr, body, flags);
  assert.equal(ok.code, 0, `hookctl verify: ${ok.stdout}${ok.stderr}`);
  assert.equal(await verifies(tampered(body), sig, url), false);
  assert.equal((await verify(fresh, 'square', hdr, tampered(body), flags)).code, 1, 'hookctl accepts a changed body');
  assert.equal(await verifies(body, sig, url + '&x=1'), false);
  const other = await verify(fresh, 'square', hdr, body, ['--secret', signatureKey, '--url', url + '&x=1']);
  assert.equal(other.code, 1, 'hookctl accepts another URL');
});
