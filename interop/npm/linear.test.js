// @linear/sdk's LinearWebhookClient against hookctl's linear provider:
// Linear-Signature is hex HMAC-SHA256 of the body, and the body's
// webhookTimestamp (ms) must be within 60 s of now.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { everyEvent, freshEnv, verify, tampered } from './lib/hookctl.js';

const secret = 'lin_wh_hookctl_interop_0123456789abcdef';
const client = new LinearWebhookClient(secret);

// verifies is the SDK's verdict: verify() returns true or throws.
function verifies(raw, signature) {
  try {
    return client.verify(Buffer.from(raw), signature);
  } catch {
    return false;
  }
}

test('LinearWebhookClient verifies every event hookctl triggers, and parses it', async (t) => {
  const parsed = [];
  await everyEvent(t, assert, {
    provider: 'linear', flags: ['--secret', secret],
    accepts: (req, raw) => {
      if (!verifies(raw, req.headers['linear-signature'])) return false;
      const data = client.parseData(raw, req.headers['linear-signature']);
      parsed.push({ data, event: req.headers['linear-event'] });
      return true;
    },
  });
  for (const { data, event } of parsed) {
    assert.equal(event, data.type, 'Linear-Event names the body type');
    assert.equal(typeof data.webhookTimestamp, 'number');
  }
});

test('a body LinearWebhookClient accepts, hookctl verify accepts; changed or stale, both reject', async (t) => {
  const fresh = freshEnv(t);
  const cases = [
    { name: 'fresh', ts: Date.now(), want: true },
    { name: 'two minutes old', ts: Date.now() - 120_000, want: false },
    { name: 'two minutes ahead', ts: Date.now() + 120_000, want: false },
  ];
  for (const c of cases) {
    const body = JSON.stringify({ action: 'create', type: 'Issue', data: { id: 'x' }, webhookTimestamp: c.ts });
    const sig = createHmac('sha256', secret).update(body).digest('hex');
    assert.equal(verifies(body, sig), c.want, `${c.name}: the SDK's verdict`);
    const r = await verify(fresh, 'linear', { 'Linear-Signature': sig }, body, ['--secret', secret]);
    assert.equal(r.code, c.want ? 0 : 1, `${c.name}: hookctl verify exited ${r.code}: ${r.stdout}${r.stderr}`);
    if (c.want) {
      assert.equal(verifies(tampered(body), sig), false);
      const bad = await verify(fresh, 'linear', { 'Linear-Signature': sig }, tampered(body), ['--secret', secret]);
      assert.equal(bad.code, 1, 'hookctl verify accepts a changed body');
    }
  }
});
