// discord-interactions' verifyKey against hookctl's discord provider:
// X-Signature-Ed25519 is hex Ed25519 over X-Signature-Timestamp + body,
// checked with the application's public key (hex, as Discord's developer
// portal shows it).
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign as edSign } from 'node:crypto';
import { test } from 'node:test';
import { verifyKey } from 'discord-interactions';
import { everyEvent, freshEnv, hookctl, verify, tampered } from './lib/hookctl.js';

const hex = (b64url) => Buffer.from(b64url, 'base64url').toString('hex');

// keyPair is a new Ed25519 pair: the private key as hookctl takes it
// (seed and public key, 128 hex characters) and the public key in hex.
function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return { privateKey, publicKey, secret: hex(jwk.d) + hex(jwk.x), pub: hex(jwk.x) };
}

const judge = (pub) => (req, raw) =>
  verifyKey(raw, req.headers['x-signature-ed25519'], req.headers['x-signature-timestamp'], pub);

test("verifyKey accepts every event signed with hookctl's development key pair, with the public key 'hookctl secret' prints", async (t) => {
  // No key is configured: 'hookctl secret' makes the development pair in
  // the fresh state dir, and trigger, in the same HOME, signs with it.
  const fresh = freshEnv(t);
  const printed = await hookctl(fresh, ['secret', '--provider', 'discord']);
  assert.equal(printed.code, 0, printed.stderr);
  const pub = printed.stdout.trim();
  assert.match(pub, /^[0-9a-f]{64}$/);
  const other = keyPair().pub;
  await everyEvent(t, assert, {
    provider: 'discord', env: fresh,
    accepts: async (req, raw) => {
      assert.equal(await judge(other)(req, raw), false, 'another public key verifies');
      return judge(pub)(req, raw);
    },
  });
});

test('verifyKey accepts every event signed with a configured key', async (t) => {
  const k = keyPair();
  await everyEvent(t, assert, { provider: 'discord', flags: ['--secret', k.secret], accepts: judge(k.pub) });
});

test('what Ed25519 signs as Discord does and verifyKey accepts, hookctl verify accepts with the public key; changed, both reject', async (t) => {
  const fresh = freshEnv(t);
  const k = keyPair();
  const ts = String(Math.floor(Date.now() / 1000));
  const body = JSON.stringify({ type: 1, id: '1', application_id: '2', token: 'tok', version: 1 });
  const sig = edSign(null, Buffer.from(ts + body), k.privateKey).toString('hex');
  assert.equal(await verifyKey(body, sig, ts, k.pub), true);
  const hdr = { 'X-Signature-Ed25519': sig, 'X-Signature-Timestamp': ts };
  const ok = await verify(fresh, 'discord', hdr, body, ['--secret', k.pub]);
  assert.equal(ok.code, 0, `hookctl verify: ${ok.stdout}${ok.stderr}`);
  assert.equal(await verifyKey(tampered(body), sig, ts, k.pub), false);
  assert.equal((await verify(fresh, 'discord', hdr, tampered(body), ['--secret', k.pub])).code, 1, 'hookctl accepts a changed body');
  const later = { ...hdr, 'X-Signature-Timestamp': String(Number(ts) + 1) };
  assert.equal(await verifyKey(body, sig, later['X-Signature-Timestamp'], k.pub), false);
  assert.equal((await verify(fresh, 'discord', later, body, ['--secret', k.pub])).code, 1, 'hookctl accepts another timestamp');
});
