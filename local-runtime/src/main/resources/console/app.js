// The DataSync console: plain JS, no build step. Every figure comes from the gateway with the admin token, sent as
// X-DataSync-Admin-Token (kept in this tab's sessionStorage only, never in a cookie, so no other site can make the
// browser send it). Data is put into the page with textContent only.
'use strict';

const TOKEN_KEY = 'datasync.adminToken';
const HEADER = 'X-DataSync-Admin-Token';
const PAGES = ['overview', 'streams', 'trace', 'errors', 'deadletters', 'sources'];
const ERROR_STREAMS = ['ServiceUnavailableErrorStream', 'InternalServerErrorStream', 'DefaultErrorStream',
  'UnrecoverableErrorStream'];
const CHARTS = [
  {id: 'accepted', title: 'Accepted', queries: [{label: 'accepted', mql: 'sync.accepted[1m].grouping().sum()'}]},
  {id: 'delivered', title: 'Delivered', queries: [{label: 'delivered', mql: 'sync.delivered[1m].grouping().sum()'}]},
  {id: 'failed', title: 'Failed attempts by kind', queries: [{by: 'kind', mql: 'sync.failed[1m].groupBy(kind).sum()'}]},
  {id: 'routed', title: 'Routed by error stream', queries: [{by: 'stream', mql: 'sync.routed[1m].groupBy(stream).sum()'}]},
  {id: 'deadLettered', title: 'Dead-lettered',
    queries: [{label: 'dead-lettered', mql: 'sync.deadLettered[1m].grouping().sum()'}]},
  {id: 'latency', title: 'Delivery latency (ms)', gauge: true, queries: [
    {label: 'p50', mql: 'delivery.latency[1m].grouping().percentile(0.5)'},
    {label: 'p99', mql: 'delivery.latency[1m].grouping().percentile(0.99)'}]},
];
const COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7d8c', '#57606a'];

let plots = [];

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) {
    e.textContent = String(text);
  }
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  return e;
}

function clear(node) {
  while (node.firstChild) {
    node.removeChild(node.firstChild);
  }
  return node;
}

/** GET or POST with the token; a 401 signs out. Resolves to {status, body}. */
async function call(path, options) {
  const headers = Object.assign({}, (options && options.headers) || {});
  headers[HEADER] = token() || '';
  const r = await fetch(path, Object.assign({}, options, {headers, cache: 'no-store', credentials: 'omit'}));
  let body = null;
  try {
    body = await r.json();
  } catch (e) {
    body = null;
  }
  if (r.status === 401) {
    signOut('The admin token was refused: sign in again.');
  }
  return {status: r.status, body};
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  plots.forEach(p => p.destroy());
  plots = [];
  document.querySelectorAll('.page').forEach(p => { p.hidden = true; });
  ['charts', 'trace-result', 'error-stream', 'error-stream-tabs', 'dead-letters'].forEach(id =>
    clear(document.getElementById(id)));
  document.querySelectorAll('tbody').forEach(clear);
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-in').hidden = false;
  document.getElementById('sign-in-error').textContent = message || '';
}

async function signIn(event) {
  event.preventDefault();
  const input = document.getElementById('token');
  sessionStorage.setItem(TOKEN_KEY, input.value.trim());
  input.value = '';
  const r = await call('api/sources');
  if (r.status !== 200) {
    signOut(r.status === 401 ? 'That is not the admin token.' : 'The console could not be reached.');
    return;
  }
  showApp();
}

function showApp() {
  document.getElementById('sign-in').hidden = true;
  document.getElementById('nav').hidden = false;
  route();
}

function route() {
  if (!token()) {
    return;
  }
  const page = PAGES.includes(location.hash.slice(1)) ? location.hash.slice(1) : 'overview';
  document.querySelectorAll('.page').forEach(p => { p.hidden = p.id !== 'page-' + page; });
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.hash === '#' + page));
  ({overview: loadOverview, streams: loadStreams, trace: () => {}, errors: loadErrors,
    deadletters: loadDeadLetters, sources: loadSources})[page]();
}

// ---------------------------------------------------------------- overview

/** The last hour's minutes (epoch seconds), oldest first. */
function minutes() {
  const now = Math.floor(Date.now() / 60000) * 60;
  const out = [];
  for (let t = now - 59 * 60; t <= now; t += 60) {
    out.push(t);
  }
  return out;
}

async function loadOverview() {
  const box = clear(document.getElementById('charts'));
  plots.forEach(p => p.destroy());
  plots = [];
  const xs = minutes();
  for (const chart of CHARTS) {
    const card = el('div', null, {class: 'chart', id: 'chart-' + chart.id});
    const title = el('h3', chart.title);
    card.appendChild(title);
    box.appendChild(card);
    const lines = [];
    for (const q of chart.queries) {
      const r = await call('api/metrics?minutes=60&query=' + encodeURIComponent(q.mql));
      if (r.status !== 200) {
        card.appendChild(el('p', 'Monitoring did not answer: ' + ((r.body && r.body.message) || r.status),
          {class: 'error'}));
        continue;
      }
      for (const series of r.body) {
        const label = q.by ? (series.dimensions[q.by] || '?') : q.label;
        const byMinute = new Map(series.points.map(([t, v]) => [Math.floor(t / 60) * 60, v]));
        lines.push({label, values: xs.map(t => byMinute.has(t) ? byMinute.get(t) : (chart.gauge ? null : 0))});
      }
    }
    const points = lines.reduce((n, l) => n + l.values.filter(v => v !== null && v !== 0).length, 0);
    const total = chart.gauge ? null : lines.reduce((n, l) => n + l.values.reduce((a, v) => a + (v || 0), 0), 0);
    card.setAttribute('data-points', String(points));
    if (total !== null) {
      title.textContent = chart.title + ' — ' + total + ' in the last hour';
    }
    if (lines.length === 0) {
      card.appendChild(el('p', 'No data in the last hour.', {class: 'empty'}));
      continue;
    }
    const plotBox = el('div');
    card.appendChild(plotBox);
    plots.push(new uPlot({
      width: 500, height: 220,
      scales: {x: {time: true}},
      series: [{}].concat(lines.map((l, i) => ({label: l.label, stroke: COLORS[i % COLORS.length], width: 2,
        points: {show: !!chart.gauge}, spanGaps: false}))),
      axes: [{}, {size: 50}],
    }, [xs].concat(lines.map(l => l.values)), plotBox));
  }
}

// ---------------------------------------------------------------- streams

async function loadStreams() {
  const body = clear(document.querySelector('#streams-table tbody'));
  const status = document.getElementById('streams-status');
  const [streams, adminStatus] = await Promise.all([call('api/streams'), call('../admin/status')]);
  if (streams.status !== 200) {
    status.textContent = 'Streams could not be read.';
    return;
  }
  const lagByStream = new Map();
  if (adminStatus.status === 200 && adminStatus.body && adminStatus.body.streams) {
    adminStatus.body.streams.forEach(s => lagByStream.set(s.name, s.partitions || []));
    status.textContent = 'Lag from /admin/status at ' + adminStatus.body.at + '.';
  } else {
    status.textContent = 'Consumer lag is not available (GET /admin/status answered ' + adminStatus.status + ').';
  }
  for (const s of streams.body) {
    const tr = el('tr', null, {'data-stream': s.name});
    tr.appendChild(el('td', s.name));
    tr.appendChild(el('td', s.retained, {class: 'retained'}));
    tr.appendChild(el('td', s.waiting === undefined ? '–' : s.waiting, {class: 'waiting'}));
    const lag = (lagByStream.get(s.name) || []).map(p => 'p' + p.partition + ': ' + Object.entries(p.lag || {})
      .map(([g, n]) => g + ' ' + n).join(', ')).filter(t => !t.endsWith(': ')).join('; ');
    tr.appendChild(el('td', lag || '–'));
    body.appendChild(tr);
  }
}

// ---------------------------------------------------------------- trace

async function trace(event) {
  event.preventDefault();
  const id = document.getElementById('sync-id').value.trim();
  const out = clear(document.getElementById('trace-result'));
  if (!id) {
    return;
  }
  const r = await call('../admin/trace/' + encodeURIComponent(id));
  if (r.status === 404) {
    out.appendChild(el('p', 'No message with syncId ' + id + ' is known.', {class: 'error', id: 'trace-unknown'}));
    return;
  }
  if (r.status !== 200) {
    out.appendChild(el('p', 'The trace could not be read (HTTP ' + r.status + ').', {class: 'error'}));
    return;
  }
  const t = r.body;
  const now = t.now || {};
  out.appendChild(el('p', 'State: ' + t.state + (now.stream ? ' — in ' + now.stream + ' p' + now.partition + ' @'
    + now.offset : '') + (now.nextAttemptAt ? ', next attempt ' + now.nextAttemptAt : '')
    + (now.deadLetterReason ? ', dead-lettered: ' + now.deadLetterReason : ''), {id: 'trace-state'}));
  if (t.accepted) {
    out.appendChild(el('p', 'Accepted ' + t.accepted.at + ' from source ' + t.accepted.source + ' into '
      + t.accepted.stream + ' p' + t.accepted.partition + ' @' + t.accepted.offset
      + (t.traceId ? ' (trace ' + t.traceId + ')' : '')));
  }
  const table = el('table', null, {id: 'trace-events'});
  const head = el('tr');
  ['At', 'Event', 'Status / kind', 'Latency (ms)', 'Where', 'Reason / next attempt'].forEach(h =>
    head.appendChild(el('th', h)));
  table.appendChild(el('thead')).appendChild(head);
  const tbody = table.appendChild(el('tbody'));
  for (const e of t.events || []) {
    const tr = el('tr', null, {'data-event': e.event});
    tr.appendChild(el('td', e.at));
    tr.appendChild(el('td', e.event));
    // an outcome callback: how it ended, for which outcome, after how many calls, to which host
    tr.appendChild(el('td', e.callback ? e.callback + ' (' + e.outcome + ', ' + e.attempts + ' calls)'
      : e.status !== undefined ? e.status + (e.kind ? ' ' + e.kind : '') : (e.kind || '')));
    tr.appendChild(el('td', e.latencyMs === undefined ? '' : e.latencyMs));
    tr.appendChild(el('td', e.stream ? e.stream + ' p' + e.partition + ' @' + e.offset : (e.targetHost || '')));
    tr.appendChild(el('td', e.reason || e.nextAttemptAt || ''));
    tbody.appendChild(tr);
  }
  out.appendChild(table);
}

function showTrace(syncId) {
  location.hash = '#trace';
  document.getElementById('sync-id').value = syncId;
  trace(new Event('submit'));
}

// ---------------------------------------------------------------- error streams and dead letters

function messagesTable(messages, withReason) {
  const table = el('table', null, {class: 'messages'});
  const head = el('tr');
  ['Offset', 'syncId', 'Source', 'Target host', 'State', 'Last error', 'Attempts',
    withReason ? 'Dead-letter reason' : 'Next attempt'].forEach(h => head.appendChild(el('th', h)));
  table.appendChild(el('thead')).appendChild(head);
  const tbody = table.appendChild(el('tbody'));
  for (const m of messages) {
    const tr = el('tr');
    tr.appendChild(el('td', 'p' + m.partition + ' @' + m.offset));
    const idCell = el('td');
    if (m.syncId) {
      const a = el('a', m.syncId, {href: '#trace'});
      a.addEventListener('click', e => { e.preventDefault(); showTrace(m.syncId); });
      idCell.appendChild(a);
    }
    tr.appendChild(idCell);
    tr.appendChild(el('td', m.sourceId || ''));
    tr.appendChild(el('td', m.targetHost || ''));
    tr.appendChild(el('td', m.state || ''));
    const err = m.lastError || {};
    tr.appendChild(el('td', [err.status || err.kind, err.reason].filter(Boolean).join(': ')));
    tr.appendChild(el('td', m.deliveryAttempts === undefined ? '' : m.deliveryAttempts));
    tr.appendChild(el('td', withReason ? (m.deadLetterReason || '') : (m.nextAttemptAt || '')));
    tbody.appendChild(tr);
  }
  return table;
}

function counts(stream) {
  const p = el('p', null, {class: 'counts', id: 'stream-counts'});
  p.appendChild(el('span', 'Retained: ' + stream.retained, {id: 'retained-count'}));
  p.appendChild(el('span', 'Waiting: ' + stream.waiting, {id: 'waiting-count', 'data-count': stream.waiting}));
  return p;
}

async function loadErrors() {
  const tabs = clear(document.getElementById('error-stream-tabs'));
  const selected = sessionStorage.getItem('datasync.errorStream') || ERROR_STREAMS[0];
  for (const name of ERROR_STREAMS) {
    const b = el('button', name, {type: 'button', 'data-stream': name});
    b.classList.toggle('active', name === selected);
    b.addEventListener('click', () => { sessionStorage.setItem('datasync.errorStream', name); loadErrors(); });
    tabs.appendChild(b);
  }
  await showErrorStream(selected);
}

async function showErrorStream(name, note) {
  const box = clear(document.getElementById('error-stream'));
  const r = await call('api/stream?name=' + encodeURIComponent(name));
  if (r.status !== 200) {
    box.appendChild(el('p', name + ' could not be read (HTTP ' + r.status + ').', {class: 'error'}));
    return;
  }
  const s = r.body;
  box.appendChild(el('h3', s.name, {id: 'error-stream-name'}));
  box.appendChild(counts(s));
  const replay = el('button', 'Replay the waiting messages', {type: 'button', id: 'replay-button'});
  replay.disabled = !s.waiting;
  replay.addEventListener('click', () => replayStream(s));
  box.appendChild(replay);
  if (note) {
    box.appendChild(el('p', note, {id: 'replay-result'}));
  }
  box.appendChild(messagesTable(s.messages, false));
}

/** POST /stream/retry for every partition of the stream, from its oldest message. */
async function replayStream(s) {
  document.getElementById('replay-button').disabled = true;
  const totals = {processed: 0, failed: 0, routed: 0};
  for (const p of s.partitions) {
    if (!p.waiting) {
      continue;
    }
    const r = await call('../stream/retry', {method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({streamOCIDToRetry: s.id, readPartition: p.partition, readAfterOffset: -1,
        noOfMessagesToProcess: Math.min(10000, p.retained)})});
    if (r.status !== 200) {
      await showErrorStream(s.name, 'Replay of p' + p.partition + ' answered ' + r.status + ': '
        + ((r.body && r.body.message) || ''));
      return;
    }
    totals.processed += r.body.processedmessages;
    totals.failed += r.body.failedMessages;
    totals.routed += r.body.routedMessages;
  }
  await showErrorStream(s.name, 'Replayed: ' + totals.processed + ' processed, ' + totals.failed + ' failed again, '
    + totals.routed + ' routed to another stream.');
}

async function loadDeadLetters() {
  const box = clear(document.getElementById('dead-letters'));
  const r = await call('api/stream?name=DeadLetterStream');
  if (r.status !== 200) {
    box.appendChild(el('p', 'DeadLetterStream could not be read (HTTP ' + r.status + ').', {class: 'error'}));
    return;
  }
  box.appendChild(el('p', 'Retained: ' + r.body.retained, {id: 'dead-letter-count'}));
  box.appendChild(messagesTable(r.body.messages, true));
}

// ---------------------------------------------------------------- sources

async function loadSources() {
  const body = clear(document.querySelector('#sources-table tbody'));
  const r = await call('api/sources');
  if (r.status !== 200) {
    return;
  }
  for (const s of r.body) {
    const tr = el('tr', null, {'data-source': s.id});
    [s.id, s.revoked ? 'revoked' : 'active', s.allowlist.length ? s.allowlist.join(', ') : '(global allow-list)',
      s.ratePerSecond, s.maxSecrets, s.createdAt].forEach(v => tr.appendChild(el('td', v)));
    body.appendChild(tr);
  }
}

// ---------------------------------------------------------------- start

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('sign-in-form').addEventListener('submit', signIn);
  document.getElementById('sign-out').addEventListener('click', () => signOut());
  document.getElementById('trace-form').addEventListener('submit', trace);
  window.addEventListener('hashchange', route);
  if (token()) {
    showApp();
  }
});
