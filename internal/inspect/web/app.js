// hookctl inspect: the page. Plain JS, no build step; it talks only to the
// JSON API this inspector serves (see README "hookctl inspect").
'use strict';

const token = document.querySelector('meta[name=hookctl-token]').content;
const $ = (sel, root = document) => root.querySelector(sel);
const field = (root, name) => root.querySelector(`[data-f="${name}"]`);

// el builds an element: el('td', {class: 'num'}, 'text', child...).
function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : String(k ?? ''));
  return e;
}

// ---- API ------------------------------------------------------------------

async function api(path, opts = {}) {
  const res = await fetch(path, opts);
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = { error: text }; }
  if (!res.ok) throw new Error(body.error || `${res.status} ${res.statusText}`);
  return body;
}

function post(path, body) {
  return api(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hookctl-Token': token },
    body: JSON.stringify(body),
  });
}

// ---- formatting -----------------------------------------------------------

const verdictText = { valid: 'valid', invalid: 'invalid', unsigned: 'unsigned', no_secret: 'no secret', unchecked: 'unchecked' };

function badge(verdict, title) {
  return el('span', { class: `badge ${verdict}`, title }, verdictText[verdict] || verdict);
}

function size(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1 << 20)).toFixed(1)} MiB`;
}

function ms(v) {
  if (v === undefined || v === null) return '';
  return v < 0.1 ? `${v.toFixed(2)}ms` : v < 10 ? `${v.toFixed(1)}ms` : `${Math.round(v)}ms`;
}

function clock(iso) {
  const d = new Date(iso);
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function statusCell(status) {
  return el('td', { class: `num s${String(status)[0]}` }, status || '');
}

function forwardText(f) {
  if (!f) return '';
  if (f.error) return `failed ${ms(f.latency_ms)}`;
  return `${f.status} ${ms(f.latency_ms)}`;
}

// ---- the list -------------------------------------------------------------

const state = { next: '', selected: new Set(), current: '', refresh: 0, providers: new Set() };

function filterParams() {
  const p = new URLSearchParams();
  for (const [k, v] of new FormData($('#filters'))) if (v.trim()) p.set(k, v.trim());
  return p;
}

function filtered() { return [...filterParams().keys()].length > 0; }

function row(s) {
  const tick = el('input', { type: 'checkbox', 'aria-label': 'select for diff', checked: state.selected.has(s.id) });
  tick.addEventListener('click', (ev) => { ev.stopPropagation(); select(s.id, tick.checked); });
  const tr = el('tr', { 'data-id': s.id, class: s.id === state.current ? 'current' : null },
    el('td', {}, tick),
    el('td', { class: 'mono', title: s.time }, clock(s.time)),
    el('td', {}, s.method),
    el('td', { class: 'path mono', title: s.path + (s.query ? '?' + s.query : '') }, s.path + (s.query ? '?' + s.query : '')),
    el('td', {}, s.provider || ''),
    el('td', {}, s.event || ''),
    el('td', { class: 'eid mono', title: s.event_id || '' }, s.event_id || ''),
    el('td', {}, badge(s.verdict, s.reason)),
    statusCell(s.status),
    el('td', { class: 'num' }, size(s.body_size) + (s.body_truncated ? ' (not stored)' : '')),
    el('td', { class: 'num', title: s.forward ? s.forward.url + (s.forward.error ? ': ' + s.forward.error : '') : '' }, forwardText(s.forward)),
  );
  tr.addEventListener('click', () => show(s.id));
  if (s.provider && !state.providers.has(s.provider)) {
    state.providers.add(s.provider);
    $('#providers').append(el('option', { value: s.provider }));
  }
  return tr;
}

async function load(reset) {
  const p = filterParams();
  p.set('limit', '100');
  if (!reset && state.next) p.set('before', state.next);
  try {
    const page = await api('/api/captures?' + p);
    const tbody = $('#list tbody');
    if (reset) tbody.replaceChildren();
    for (const s of page.captures) tbody.append(row(s));
    state.next = page.next || '';
    $('#more').hidden = !state.next;
    $('#file').textContent = page.file;
    setCount(page.total);
    $('#empty').hidden = tbody.children.length > 0;
    $('#nomatch').hidden = page.total === 0 || tbody.children.length > 0;
    if (page.total > 0) $('#empty').hidden = true;
    showError(page.error ? `cannot read the capture file: ${page.error}` : '');
  } catch (err) {
    showError(err.message);
  }
}

function setCount(n) { $('#count').textContent = `${n} capture${n === 1 ? '' : 's'}`; }

function showError(msg) { $('#error').textContent = msg; $('#error').hidden = !msg; }

// A new capture: prepended at once, or (with filters, which the server
// applies) the first page is fetched again.
function onCapture(s) {
  const n = parseInt($('#count').textContent, 10) || 0;
  setCount(n + 1);
  if (filtered()) {
    clearTimeout(state.refresh);
    state.refresh = setTimeout(() => load(true), 150);
    return;
  }
  const tr = row(s);
  tr.classList.add('new');
  $('#list tbody').prepend(tr);
  $('#empty').hidden = true;
  $('#nomatch').hidden = true;
}

function connect() {
  const es = new EventSource('/api/stream');
  const live = $('#live');
  es.onopen = () => { live.textContent = 'live'; live.className = 'badge ok'; };
  es.onerror = () => { live.textContent = 'reconnecting'; live.className = 'badge warn'; };
  es.addEventListener('capture', (ev) => onCapture(JSON.parse(ev.data)));
  es.addEventListener('reset', () => load(true));
}

// select keeps the last two captures ticked: ticking a third unticks the first.
function select(id, on) {
  if (on && state.selected.size === 2) {
    const first = state.selected.values().next().value;
    state.selected.delete(first);
    const box = document.querySelector(`#list tr[data-id="${CSS.escape(first)}"] input[type=checkbox]`);
    if (box) box.checked = false;
  }
  if (on) state.selected.add(id); else state.selected.delete(id);
  $('#diff').disabled = state.selected.size !== 2;
  $('#diff').textContent = `Diff selected (${state.selected.size}/2)`;
}

// ---- bodies -----------------------------------------------------------------

function bodyBytes(rec) {
  if (rec.body_encoding === 'base64') return Uint8Array.from(atob(rec.body), (c) => c.charCodeAt(0));
  return new TextEncoder().encode(rec.body || '');
}

function header(rec, name) {
  for (const [k, vs] of Object.entries(rec.headers || {})) if (k.toLowerCase() === name) return vs[0] || '';
  return '';
}

// pretty shows a body as indented JSON, form fields, text, or hex.
function pretty(rec, bytes) {
  if (rec.body_encoding === 'base64') return { kind: 'binary', text: hex(bytes) };
  const text = rec.body || '';
  const ct = header(rec, 'content-type');
  if (/json/.test(ct) || /^\s*[{[]/.test(text)) {
    try { return { kind: 'JSON', text: JSON.stringify(JSON.parse(text), null, 2) }; } catch { /* not JSON after all */ }
  }
  if (/x-www-form-urlencoded/.test(ct)) {
    const lines = [...new URLSearchParams(text)].map(([k, v]) => `${k} = ${v}`);
    return { kind: 'form', text: lines.join('\n') };
  }
  return { kind: 'text', text };
}

function hex(bytes) {
  const out = [];
  for (let i = 0; i < bytes.length && i < 1 << 16; i += 16) {
    const chunk = bytes.slice(i, i + 16);
    const h = [...chunk].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const a = [...chunk].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    out.push(`${i.toString(16).padStart(8, '0')}  ${h.padEnd(47)}  ${a}`);
  }
  if (bytes.length > 1 << 16) out.push(`... ${bytes.length - (1 << 16)} more bytes`);
  return out.join('\n');
}

// ---- the detail view --------------------------------------------------------

async function show(id) {
  let rec;
  try { rec = await api('/api/captures/' + encodeURIComponent(id)); } catch (err) { showError(err.message); return; }
  state.current = id;
  for (const tr of document.querySelectorAll('#list tbody tr')) tr.classList.toggle('current', tr.dataset.id === id);
  const d = $('#detail-tpl').content.cloneNode(true);
  const uri = rec.path + (rec.query ? '?' + rec.query : '');
  field(d, 'line').textContent = `${rec.method} ${uri}`;
  const verdict = rec.verified === true ? 'valid' : rec.verified === false ? 'invalid'
    : rec.reason === 'unsigned' ? 'unsigned' : /^no secret for /.test(rec.reason || '') ? 'no_secret' : 'unchecked';
  field(d, 'verdict').append(badge(verdict));
  field(d, 'reason').textContent = [rec.provider, rec.event, rec.event_id].filter(Boolean).join(' · ') + (rec.reason ? ` — ${rec.reason}` : '');
  field(d, 'when').textContent = `${rec.id} · ${new Date(rec.time).toLocaleString()} · from ${rec.remote_addr} · answered ${rec.status}`;

  const headers = field(d, 'headers');
  if (rec.host) headers.append(el('tr', {}, el('td', {}, 'Host'), el('td', {}, rec.host)));
  for (const [k, vs] of Object.entries(rec.headers || {}).sort()) {
    for (const v of vs) headers.append(el('tr', {}, el('td', {}, k), el('td', {}, v)));
  }

  const bytes = bodyBytes(rec);
  const p = pretty(rec, bytes);
  field(d, 'bodyinfo').textContent = rec.body_truncated
    ? `${size(rec.body_size)}, not stored (over listen's --max-body)`
    : `${size(rec.body_size)}, ${p.kind}`;
  const views = {
    pretty: () => p.text,
    raw: () => (rec.body_encoding === 'base64' ? `(binary, base64)\n${rec.body}` : rec.body),
    hex: () => hex(bytes),
  };
  const pre = field(d, 'body');
  const tabs = field(d, 'tabs');
  const view = (name) => {
    pre.textContent = views[name]();
    for (const b of tabs.children) b.classList.toggle('on', b.dataset.view === name);
  };
  tabs.addEventListener('click', (ev) => ev.target.dataset.view && view(ev.target.dataset.view));
  view('pretty');

  const fwd = rec.forward;
  field(d, 'fwdbox').hidden = !fwd;
  if (fwd) {
    const t = field(d, 'forward');
    t.append(el('tr', {}, el('td', {}, 'to'), el('td', {}, fwd.url)));
    t.append(el('tr', {}, el('td', {}, 'status'), el('td', { class: `s${String(fwd.status)[0]}` }, fwd.status || 'no answer')));
    t.append(el('tr', {}, el('td', {}, 'latency'), el('td', {}, ms(fwd.latency_ms))));
    if (fwd.error) t.append(el('tr', {}, el('td', {}, 'error'), el('td', { class: 'error' }, fwd.error)));
    // The app's answer, for records that carry it (written by a listen
    // that keeps it): the same fields as the request's.
    const answered = fwd.body_encoding !== undefined;
    field(d, 'fwdanswer').hidden = !answered;
    if (answered) {
      const h = field(d, 'fwdheaders');
      for (const [k, vs] of Object.entries(fwd.headers || {}).sort()) for (const v of vs) h.append(el('tr', {}, el('td', {}, k), el('td', {}, v)));
      const fb = bodyBytes(fwd);
      const fp = pretty(fwd, fb);
      field(d, 'fwdbodyinfo').textContent = fwd.body_truncated
        ? `${size(fwd.body_size || 0)}, the first ${size(fb.length)} kept, ${fp.kind}`
        : `${size(fwd.body_size || 0)}, ${fp.kind}`;
      field(d, 'fwdbody').textContent = fp.text;
    }
  }

  field(d, 'edit').value = rec.body_encoding === 'base64' ? '' : rec.body;
  field(d, 'to').value = localStorage.getItem('hookctl.replayTo') || '';
  actions(d, rec, bytes);

  const box = $('#detail');
  box.replaceChildren(d);
  box.hidden = false;
}

// actions wires the buttons. d is a fragment that is emptied into the page,
// so the handlers keep the elements themselves, found now.
function actions(d, rec, bytes) {
  const secret = field(d, 'secret');
  const on = (name, fn) => d.querySelector(`[data-a="${name}"]`).addEventListener('click', fn);
  on('close', () => { $('#detail').hidden = true; state.current = ''; });

  const verifyOut = field(d, 'verifyout');
  on('verify', async () => {
    verifyOut.replaceChildren('checking…');
    try {
      const v = await post(`/api/captures/${encodeURIComponent(rec.id)}/verify`, { secrets: secret.value ? [secret.value] : [] });
      verifyOut.replaceChildren(badge(v.verdict), ' ', v.reason || `signature matches (${v.provider})`);
    } catch (err) {
      verifyOut.replaceChildren(el('span', { class: 'error' }, err.message));
    }
  });

  const to = field(d, 'to');
  const resign = field(d, 'resign');
  const edit = field(d, 'edit');
  const out = field(d, 'replayout');
  const replay = async (body) => {
    localStorage.setItem('hookctl.replayTo', to.value);
    const req = { to: to.value, resign: resign.checked };
    if (body !== undefined) req.body = body;
    if (secret.value) req.secrets = [secret.value];
    out.hidden = false;
    out.replaceChildren('sending…');
    try {
      out.replaceChildren(...attempt(await post(`/api/captures/${encodeURIComponent(rec.id)}/replay`, req)));
    } catch (err) {
      out.replaceChildren(el('span', { class: 'error' }, err.message));
    }
  };
  on('replay', () => replay());
  on('replay-edited', () => replay(edit.value));

  const copied = field(d, 'copied');
  const box = field(d, 'copybox');
  const copy = async (text) => {
    box.value = text;
    box.hidden = false;
    try { await navigator.clipboard.writeText(text); copied.textContent = 'copied'; } catch { box.select(); copied.textContent = 'select and copy'; }
  };
  on('curl', () => copy(curl(rec, bytes)));
  on('trigger', () => copy(trigger(rec, bytes)));
  on('download', () => download(rec, bytes));
}

// attempt shows one replay result as 'hookctl replay --json' reports it.
function attempt(a) {
  const head = el('p', {},
    el('span', { class: `badge ${a.ok ? 'ok' : 'fail'}` }, a.ok ? 'accepted' : 'not accepted'), ' ',
    el('strong', { class: `s${String(a.status)[0]}` }, a.status ? `status ${a.status}` : 'no answer'),
    ` · ${ms(a.latency_ms)} · ${a.method} ${a.url}`);
  const parts = [head];
  if (a.error) parts.push(el('p', { class: 'error' }, a.error));
  const hs = Object.entries(a.response_headers || {}).map(([k, v]) => `${k}: ${v}`).join('\n');
  if (hs || a.response_body) parts.push(el('pre', {}, hs + (hs && a.response_body ? '\n\n' : '') + (a.response_body || '')));
  return parts;
}

// ---- copy and download --------------------------------------------------------

const sq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

// bodyPipe feeds the exact body to a command's stdin.
function bodyPipe(rec) {
  if (rec.body_encoding === 'base64') return `printf '%s' ${sq(rec.body)} | base64 -d | `;
  return rec.body ? `printf '%s' ${sq(rec.body)} | ` : '';
}

const skip = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'accept-encoding']);

function curl(rec) {
  const host = rec.host || location.host;
  const lines = [`curl -X ${rec.method} ${sq(`http://${host}${rec.path}${rec.query ? '?' + rec.query : ''}`)}`];
  for (const [k, vs] of Object.entries(rec.headers || {})) {
    if (!skip.has(k.toLowerCase())) for (const v of vs) lines.push(`-H ${sq(`${k}: ${v}`)}`);
  }
  if (rec.body) lines.push('--data-binary @-');
  return bodyPipe(rec) + lines.join(' \\\n  ');
}

function trigger(rec) {
  const args = ['hookctl trigger', sq(rec.event || 'EVENT')];
  if (rec.provider) args.push('--provider', rec.provider);
  args.push('--data -', '--to localhost:5000');
  return bodyPipe(rec) + args.join(' ');
}

function download(rec, bytes) {
  let head = `${rec.method} ${rec.path}${rec.query ? '?' + rec.query : ''} HTTP/1.1\r\n`;
  if (rec.host) head += `Host: ${rec.host}\r\n`;
  for (const [k, vs] of Object.entries(rec.headers || {})) for (const v of vs) head += `${k}: ${v}\r\n`;
  const blob = new Blob([head + '\r\n', bytes], { type: 'application/octet-stream' });
  const a = el('a', { href: URL.createObjectURL(blob), download: `${rec.id}.http` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// ---- diff two captures --------------------------------------------------------

async function diff() {
  const [a, b] = await Promise.all([...state.selected].map((id) => api('/api/captures/' + encodeURIComponent(id))));
  const box = $('#detail');
  const close = el('button', { type: 'button' }, 'close');
  close.addEventListener('click', () => { box.hidden = true; });
  const names = [...new Set([...Object.keys(a.headers || {}), ...Object.keys(b.headers || {})])].sort();
  const headers = el('table', { class: 'kv' }, el('tr', {}, el('td', {}), el('td', {}, a.id), el('td', {}, b.id)));
  for (const n of names) {
    const va = (a.headers[n] || []).join(', '), vb = ((b.headers || {})[n] || []).join(', ');
    headers.append(el('tr', { class: va === vb ? null : 'changed' }, el('td', {}, n), el('td', {}, va), el('td', {}, vb)));
  }
  const [la, lb] = [a, b].map((r) => pretty(r, bodyBytes(r)).text.split('\n'));
  const [pa, pb] = lineDiff(la, lb);
  box.replaceChildren(
    el('div', { class: 'bar' }, el('h2', {}, `diff ${a.id} ↔ ${b.id}`), close),
    el('h3', {}, 'Request'),
    el('table', { class: 'kv' },
      el('tr', { class: a.method + a.path === b.method + b.path ? null : 'changed' }, el('td', {}, 'line'), el('td', {}, `${a.method} ${a.path}`), el('td', {}, `${b.method} ${b.path}`)),
      el('tr', { class: a.status === b.status ? null : 'changed' }, el('td', {}, 'answered'), el('td', {}, a.status), el('td', {}, b.status))),
    el('h3', {}, 'Headers'), headers,
    el('h3', {}, 'Body'), el('div', { class: 'diff' }, pa, pb));
  box.hidden = false;
}

// lineDiff marks the lines only one side has (longest common subsequence;
// long bodies are shown side by side unmarked).
function lineDiff(a, b) {
  const pa = el('pre'), pb = el('pre');
  const put = (pre, line, cls) => pre.append(el('div', { class: cls }, line || ' '));
  if (a.length * b.length > 4e6) {
    a.forEach((l) => put(pa, l)); b.forEach((l) => put(pb, l));
    return [pa, pb];
  }
  const n = a.length, m = b.length;
  const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { put(pa, a[i++]); put(pb, b[j++]); }
    else if (j < m && (i === n || L[i][j + 1] >= L[i + 1][j])) { put(pa, '', 'gap'); put(pb, b[j++], 'add'); }
    else { put(pa, a[i++], 'del'); put(pb, '', 'gap'); }
  }
  return [pa, pb];
}

// ---- start ------------------------------------------------------------------

let typing = 0;
$('#filters').addEventListener('input', () => { clearTimeout(typing); typing = setTimeout(() => load(true), 200); });
$('#filters').addEventListener('submit', (ev) => { ev.preventDefault(); load(true); });
$('#more').addEventListener('click', () => load(false));
$('#diff').addEventListener('click', diff);
load(true).then(connect);
