// Helpers for the npm interop tests: run the hookctl binary named by
// HOOKCTL_BIN in a fresh HOME and XDG dirs, and receive what it sends on a
// loopback server where a provider's own library judges each request.
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const bin = process.env.HOOKCTL_BIN;
if (!bin) {
  throw new Error('HOOKCTL_BIN is not set: build hookctl and point it there (interop/npm_test.go does)');
}

// freshEnv returns the environment of a user who has never run hookctl:
// a new HOME and XDG dirs (removed after the test) and no HOOKCTL_*
// variables from the caller.
export function freshEnv(t) {
  const home = mkdtempSync(join(tmpdir(), 'hookctl-npm-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('HOOKCTL_') && !k.startsWith('XDG_')) env[k] = v;
  }
  for (const [k, dir] of [['XDG_CONFIG_HOME', '.config'], ['XDG_STATE_HOME', '.local/state'],
    ['XDG_DATA_HOME', '.local/share'], ['XDG_CACHE_HOME', '.cache']]) {
    env[k] = join(home, dir);
    mkdirSync(env[k], { recursive: true });
  }
  env.HOME = home;
  env.NO_COLOR = '1';
  return { env, cwd: home };
}

// hookctl runs the binary with args (and input on stdin) and resolves to
// its exit code and output; it never rejects on a non-zero exit.
export function hookctl(fresh, args, input = '') {
  return new Promise((resolve, reject) => {
    const child = execFile(bin, args, { env: fresh.env, cwd: fresh.cwd, encoding: 'buffer', timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') {
          reject(new Error(`hookctl ${args.join(' ')}: ${err.message}`));
          return;
        }
        resolve({ code: err ? err.code : 0, stdout: stdout.toString(), stderr: stderr.toString() });
      });
    // hookctl may answer before reading all of stdin (a stale timestamp
    // needs no body): a closed pipe is not an error of the test.
    child.stdin.on('error', (e) => {
      if (e.code !== 'EPIPE') reject(e);
    });
    child.stdin.end(input);
  });
}

// sign runs 'hookctl sign --json' over body and returns the headers it
// prints, name to value.
export async function sign(fresh, provider, body, flags = []) {
  const r = await hookctl(fresh, ['sign', '--provider', provider, '--json', ...flags, '-'], body);
  if (r.code !== 0) throw new Error(`hookctl sign --provider ${provider} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// verify runs 'hookctl verify' over body with the given headers.
export function verify(fresh, provider, headers, body, flags = []) {
  const h = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  return hookctl(fresh, ['verify', '--provider', provider, ...h, ...flags, '-'], body);
}

// events lists a provider's built-in event names.
export async function events(fresh, provider) {
  const r = await hookctl(fresh, ['events', '--provider', provider, '--json']);
  if (r.code !== 0) throw new Error(`hookctl events --provider ${provider} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout).map((e) => e.event);
}

// receiver serves 127.0.0.1 on a free port. judge(req, raw) is the app:
// it returns { status, body? } and may record what it saw; a throw is a
// 500 with the message. Resolves to the base URL; the server closes after
// the test.
export async function receiver(t, judge) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      let out;
      try {
        out = await judge(req, Buffer.concat(chunks));
      } catch (e) {
        out = { status: 500, body: String(e && e.message) };
      }
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(out.body ?? '');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${server.address().port}`;
}

// triggerAll sends every built-in event of provider to url with
// 'hookctl trigger --all --json' and returns the exit code and the
// summary line.
export async function triggerAll(fresh, provider, url, flags = []) {
  const r = await hookctl(fresh, ['trigger', '--provider', provider, '--all', '--to', url, '--json', ...flags]);
  const lines = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { code: r.code, stderr: r.stderr, summary: lines.find((l) => l.type === 'summary'), lines };
}

// tampered is body with its last byte changed (a space becomes '!', any
// other byte a space), so a verifier that accepts it proves nothing.
export function tampered(body) {
  const b = Buffer.from(body);
  b[b.length - 1] = b[b.length - 1] === 0x20 ? 0x21 : 0x20;
  return b;
}

// everyEvent is the sign direction for one provider: 'hookctl trigger
// --all' sends each built-in event to a receiver where accepts(req, raw),
// the provider's library, must accept the request as sent and reject it
// with its body changed. Resolves to what the library returned for each
// request as sent, in arrival order. env is the user's (default a fresh
// one).
export async function everyEvent(t, assert, { provider, flags = [], path = '/webhooks', accepts, env }) {
  const fresh = env ?? freshEnv(t);
  const seen = [];
  const base = await receiver(t, async (req, raw) => {
    const got = await accepts(req, raw);
    const forged = await Promise.resolve().then(() => accepts(req, tampered(raw))).catch(() => false);
    seen.push({ got, forged, raw });
    return got ? { status: 200, body: '{}' } : { status: 401, body: '{"error":"invalid signature"}' };
  });
  const names = await events(fresh, provider);
  const r = await triggerAll(fresh, provider, base + path, flags);
  assert.equal(r.code, 0, `trigger --all exited ${r.code}: ${r.stderr}\n${JSON.stringify(r.lines.filter((l) => !l.ok))}`);
  assert.equal(r.summary.accepted, names.length, `accepted ${r.summary.accepted} of ${names.length} events`);
  assert.equal(seen.length, names.length, `the receiver saw ${seen.length} requests for ${names.length} events`);
  for (const [i, s] of seen.entries()) {
    assert.ok(s.got, `request ${i} rejected by the library`);
    assert.ok(!s.forged, `request ${i}: the library accepts a changed body, so the check proves nothing`);
  }
  return seen.map((s) => s.got);
}
