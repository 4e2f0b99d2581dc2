// The standardwebhooks npm library (v1, symmetric) against hookctl's
// standard provider: webhook-signature "v1,<base64 HMAC-SHA256 of
// id.timestamp.body>" keyed with the decoded whsec_ secret, within 5
// minutes. The library has no v1a (Ed25519): it must pass over hookctl's
// v1a entries when they travel beside v1 ones.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { everyEvent, freshEnv, sign, verify, tampered } from './lib/hookctl.js';

// Standard Webhooks' published test secret.
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const wh = new Webhook(secret);

function verifies(raw, headers) {
  try {
    wh.verify(raw.toString(), headers);
    return true;
  } catch {
    return false;
  }
}

test('Webhook.verify accepts every event hookctl triggers', async (t) => {
  const bodies = await everyEvent(t, assert, {
    provider: 'standard', flags: ['--secret', secret],
    accepts: (req, raw) => verifies(raw, req.headers) && wh.verify(raw.toString(), req.headers),
  });
  for (const b of bodies) assert.ok(b.type && b.timestamp && b.data, `not the {type, timestamp, data} envelope: ${JSON.stringify(b)}`);
});

test('what Webhook.sign signs, hookctl verify accepts; changed, old or under another id, both reject', async (t) => {
  const fresh = freshEnv(t);
  const body = JSON.stringify({ type: 'invoice.paid', timestamp: new Date().toISOString(), data: { id: 'in_1' } });
  const headers = (id, when, b = body) => ({
    'webhook-id': id, 'webhook-timestamp': String(Math.floor(when.getTime() / 1000)), 'webhook-signature': wh.sign(id, when, b),
  });
  const run = (h, b = body) => verify(fresh, 'standard', h, b, ['--secret', secret]);

  const h = headers('msg_2Kc1rXnT0bW5pQ', new Date());
  assert.equal(verifies(body, h), true);
  const ok = await run(h);
  assert.equal(ok.code, 0, `hookctl verify: ${ok.stdout}${ok.stderr}`);
  assert.equal(verifies(tampered(body), h), false);
  assert.equal((await run(h, tampered(body))).code, 1, 'hookctl accepts a changed body');
  const moved = { ...h, 'webhook-id': 'msg_other' };
  assert.equal(verifies(body, moved), false);
  assert.equal((await run(moved)).code, 1, 'hookctl accepts another id');
  const old = headers('msg_old', new Date(Date.now() - 6 * 60_000));
  assert.equal(verifies(body, old), false);
  assert.equal((await run(old)).code, 1, 'hookctl accepts a signature 6 minutes old');
});

test('v1a entries beside v1 ones: the library still verifies the v1 entry; hookctl verifies each kind with its key', async (t) => {
  const fresh = freshEnv(t);
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const whsk = 'whsk_' + Buffer.from(jwk.d, 'base64url').toString('base64');
  const whpk = 'whpk_' + Buffer.from(jwk.x, 'base64url').toString('base64');
  const body = JSON.stringify({ type: 'user.created', timestamp: new Date().toISOString(), data: { id: 'u_1' } });
  const h = await sign(fresh, 'standard', body, ['--secret', secret, '--secret', whsk]);
  const entries = h['webhook-signature'].split(' ').map((e) => e.split(',')[0]);
  assert.deepEqual(entries.sort(), ['v1', 'v1a'], `entries ${h['webhook-signature']}`);
  assert.equal(verifies(body, h), true, 'the library rejects a v1 entry beside a v1a one');
  for (const key of [secret, whpk]) {
    const r = await verify(fresh, 'standard', h, body, ['--secret', key]);
    assert.equal(r.code, 0, `hookctl verify --secret ${key.slice(0, 5)}...: ${r.stdout}${r.stderr}`);
    assert.equal((await verify(fresh, 'standard', h, tampered(body), ['--secret', key])).code, 1);
  }
});
