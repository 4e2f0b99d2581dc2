// @hubspot/api-client's Signature (v3) against hookctl's hubspot provider:
// X-HubSpot-Signature-v3 is base64 HMAC-SHA256 of method + URI + body +
// X-HubSpot-Request-Timestamp (ms). HubSpot's docs have the app decode the
// escapes of : / ? @ ! $ ' ( ) * , ; in the URI first; the library takes
// the URI so prepared and rejects timestamps more than 5 minutes old.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import hubspot from '@hubspot/api-client';
import { everyEvent, freshEnv, verify, tampered } from './lib/hookctl.js';

const { Signature } = hubspot;
const clientSecret = 'hookctl-interop-client-secret-0000-1111';

// decodedUri is the URI as HubSpot's validation steps prepare it.
const listed = { '%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'", '%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';' };
const decodedUri = (u) => u.replace(/%[0-9A-Fa-f]{2}/g, (e) => listed[e.toUpperCase()] ?? e);

function isValid(url, requestBody, signature, timestamp, method = 'POST') {
  try {
    return Signature.isValid({ signatureVersion: 'v3', signature, clientSecret, requestBody, url, method, timestamp: Number(timestamp) });
  } catch {
    return false; // the library throws on an old or missing timestamp
  }
}

// A target whose query has listed escapes (an email, a colon) and one
// that stays encoded (a space).
const path = '/hubspot/webhook?portal=a%40b.com&tag=x%3Ay%2Cz&note=two%20words';

test('Signature.isValid verifies every event hookctl triggers, over the URI decoded as HubSpot says', async (t) => {
  await everyEvent(t, assert, {
    provider: 'hubspot', flags: ['--secret', clientSecret], path,
    accepts: (req, raw) => {
      const url = `http://${req.headers.host}${req.url}`;
      const sig = req.headers['x-hubspot-signature-v3'];
      const ts = req.headers['x-hubspot-request-timestamp'];
      assert.match(ts, /^\d{13}$/, 'the timestamp is in milliseconds');
      assert.ok(Math.abs(Date.now() - Number(ts)) < 60_000, 'the timestamp is now');
      // HubSpot signs the decoded form, so the URI as sent must not verify.
      assert.equal(isValid(url, raw.toString(), sig, ts), false, 'the undecoded URI verifies: hookctl did not decode it');
      return isValid(decodedUri(url), raw.toString(), sig, ts, req.method);
    },
  });
});

test('a signature Signature.getSignature computes, hookctl verify accepts for either form of the URI; changed or old, both reject', async (t) => {
  const fresh = freshEnv(t);
  const sent = `https://example.com${path}`;
  const body = JSON.stringify([{ eventId: 1, subscriptionId: 2, portalId: 3, occurredAt: Date.now(), subscriptionType: 'contact.creation', objectId: 4 }]);
  const at = (ts) => Signature.getSignature('POST', 'v3', { clientSecret, url: decodedUri(sent), requestBody: body, timestamp: ts });
  const run = (b, sig, ts, url = sent) =>
    verify(fresh, 'hubspot', { 'X-HubSpot-Signature-v3': sig, 'X-HubSpot-Request-Timestamp': ts }, b, ['--secret', clientSecret, '--url', url]);

  const now = String(Date.now());
  const sig = at(now);
  assert.equal(isValid(decodedUri(sent), body, sig, now), true);
  for (const url of [sent, decodedUri(sent)]) {
    const ok = await run(body, sig, now, url);
    assert.equal(ok.code, 0, `hookctl verify --url ${url}: ${ok.stdout}${ok.stderr}`);
  }
  assert.equal(isValid(decodedUri(sent), tampered(body).toString(), sig, now), false);
  assert.equal((await run(tampered(body), sig, now)).code, 1, 'hookctl accepts a changed body');

  // The window is past only: 6 minutes old fails both, 10 minutes ahead
  // passes both.
  const old = String(Date.now() - 6 * 60_000);
  assert.equal(isValid(decodedUri(sent), body, at(old), old), false);
  assert.equal((await run(body, at(old), old)).code, 1, 'hookctl accepts a signature 6 minutes old');
  const ahead = String(Date.now() + 10 * 60_000);
  assert.equal(isValid(decodedUri(sent), body, at(ahead), ahead), true);
  const r = await run(body, at(ahead), ahead);
  assert.equal(r.code, 0, `hookctl rejects a timestamp ahead, which HubSpot's library accepts: ${r.stdout}${r.stderr}`);
});
