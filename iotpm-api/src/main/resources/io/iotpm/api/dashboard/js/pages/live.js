// Live monitoring: device grid, per-device live charts from the SSE stream, prediction, active alerts.
import { api, apiIf, auth, isMissing } from '../api.js';
import { state, bus, addToBuffer, upsertDevice, ingestAlert, listOf, channelsOf, time } from '../state.js';
import { h, toast, fmt, pct, when, statusClass, badge } from '../ui.js';
import { chart, disposeAll, resizeAll, base, timeAxis, valueAxis } from '../charts.js';

const DEFAULT_CHANNELS = ['temperature', 'vibration_x', 'current', 'pressure'];
let root, off = [], charts = [], timer = null, dirty = false, selected = null, chosen = null;
let els = {};

export async function mount(view) {
  root = view;
  els = {};
  root.append(
    h('div', { class: 'page-head' },
      h('h1', {}, 'Live monitoring'),
      h('span', { class: 'muted small', id: 'live-updated' }, '')),
    els.kpis = h('section', { class: 'kpis', 'aria-label': 'Fleet summary' }),
    h('section', { class: 'card', 'aria-labelledby': 'grid-title' },
      h('h2', { id: 'grid-title' }, 'Devices'),
      els.grid = h('div', { class: 'devices', id: 'device-grid', role: 'group', 'aria-label': 'Devices; choose one to chart it' },
        h('p', { class: 'empty' }, 'Loading devices…'))),
    h('div', { class: 'live-layout' },
      els.detail = h('section', { class: 'card', 'aria-labelledby': 'detail-title', id: 'device-detail' },
        els.detailTitle = h('h2', { id: 'detail-title' }, 'Device'),
        els.prediction = h('div', { class: 'prediction', id: 'prediction' }),
        els.channels = h('fieldset', {}, h('legend', {}, 'Channels')),
        els.charts = h('div', { class: 'charts', id: 'live-charts' })),
      h('section', { class: 'card', 'aria-labelledby': 'alerts-title' },
        h('h2', { id: 'alerts-title' }, 'Active alerts'),
        els.alerts = h('ul', { class: 'alerts-list', id: 'alerts' }, h('li', { class: 'empty' }, 'Loading alerts…')))));

  // Readings arrive many times a second; the page redraws at most twice a second.
  off.push(bus.on('reading', () => { dirty = true; }));
  off.push(bus.on('prediction', p => { if (p.device_id === selected) renderPrediction(); dirty = true; }));
  off.push(bus.on('alert', () => renderAlerts()));
  off.push(bus.on('resize', resizeAll));
  timer = setInterval(() => { if (dirty) { dirty = false; renderGrid(); renderKpis(); updateCharts(); } }, 500);

  await Promise.all([loadDevices(), loadAlerts()]);
}

export function unmount() {
  off.forEach(f => f());
  off = [];
  clearInterval(timer);
  disposeAll(charts);
  root = null;
}

async function loadDevices() {
  let list = [];
  try {
    list = listOf(await api('/api/devices'), 'devices');
  } catch (e) {
    if (!root) return;
    els.grid.replaceChildren(h('p', { class: 'error' }, 'Could not load devices: ' + e.message));
    return;
  }
  for (const d of list) upsertDevice(typeof d === 'string' ? { device_id: d } : normalizeDevice(d));
  if (!root) return;
  renderGrid();
  renderKpis();
  const first = selected && state.devices.has(selected) ? selected : [...state.devices.keys()].sort()[0];
  if (first) await select(first);
  else els.charts.replaceChildren(h('p', { class: 'empty' }, 'No devices yet. Readings appear here as they arrive.'));
}

function normalizeDevice(d) {
  const out = { ...d };
  const latest = d.latest || d.last_reading || d.latest_reading;
  if (latest) {
    if (out.health_score === undefined) out.health_score = latest.health_score;
    if (out.status === undefined) out.status = latest.status;
    if (out.last_seen === undefined) out.last_seen = latest.timestamp;
  }
  if (out.last_seen === undefined) out.last_seen = d.last_timestamp || d.newest || d.last_reading_time;
  return out;
}

function sortedDevices() {
  return [...state.devices.values()].sort((a, b) => a.device_id.localeCompare(b.device_id));
}

function renderKpis() {
  const ds = sortedDevices();
  const count = s => ds.filter(d => String(d.status || '').toUpperCase() === s).length;
  const active = [...state.alerts.values()].filter(a => alertState(a) === 'ACTIVE').length;
  const k = (label, value, id) => h('div', { class: 'kpi', id }, h('div', { class: 'v' }, value), h('div', { class: 'k' }, label));
  els.kpis.replaceChildren(
    k('Devices', ds.length, 'kpi-devices'),
    k('Normal', count('NORMAL'), 'kpi-normal'),
    k('Warning', count('WARNING'), 'kpi-warning'),
    k('Critical', count('CRITICAL'), 'kpi-critical'),
    k('Failed', count('FAILED'), 'kpi-failed'),
    k('Active alerts', active, 'kpi-alerts'),
    k('Readings received', state.readingsSeen, 'kpi-readings'));
  const upd = document.getElementById('live-updated');
  if (upd) upd.textContent = state.connection === 'open' ? 'Updating live' : state.connection === 'none' ? 'No live stream on this server' : 'Live stream ' + state.connection;
}

/** Updates the device cards in place (keyed by device id), so focus and element identity survive updates. */
function renderGrid() {
  const ds = sortedDevices();
  if (!ds.length) { els.grid.replaceChildren(h('p', { class: 'empty' }, 'No devices.')); return; }
  const existing = new Map([...els.grid.querySelectorAll('.device')].map(b => [b.dataset.device, b]));
  for (const p of els.grid.querySelectorAll(':scope > :not(.device)')) p.remove();
  ds.forEach((d, i) => {
    const id = d.device_id;
    let card = existing.get(id);
    existing.delete(id);
    if (!card) card = h('button', { type: 'button', dataset: { device: id }, onclick: () => select(id) });
    const hs = typeof d.health_score === 'number' ? d.health_score : null;
    const status = d.status || 'UNKNOWN';
    const p = d.prediction;
    card.className = 'device ' + statusClass(status);
    card.setAttribute('aria-pressed', String(id === selected));
    card.setAttribute('aria-label', id + ', ' + status.toLowerCase() + (hs !== null ? ', health ' + hs.toFixed(0) + ' percent' : ''));
    card.replaceChildren(
      h('div', { class: 'line' }, h('span', { class: 'name' }, id), badge(status, statusClass(status))),
      h('div', { class: 'health-bar' + (hs !== null && hs < 50 ? ' crit' : hs !== null && hs < 80 ? ' warn' : '') },
        h('span', { style: 'width:' + (hs === null ? 0 : Math.max(0, Math.min(100, hs))) + '%' })),
      h('div', { class: 'line' }, h('span', {}, 'Health ' + (hs === null ? '–' : hs.toFixed(1) + ' %')),
        p ? badge('risk ' + String(p.risk_level).toLowerCase(), 'risk-' + String(p.risk_level).toLowerCase()) : ''),
      h('div', { class: 'line muted' }, h('span', {}, d.last_seen ? new Date(time(d.last_seen)).toLocaleTimeString() : '')));
    if (els.grid.children[i] !== card) els.grid.insertBefore(card, els.grid.children[i] || null);
  });
  for (const gone of existing.values()) gone.remove();
}

async function select(id) {
  selected = id;
  renderGrid();
  els.detailTitle.textContent = id;
  try {
    const body = await api('/api/devices/' + encodeURIComponent(id) + '/data', { query: { limit: 200 } });
    const rows = listOf(body, 'data', 'readings').slice().sort((a, b) => time(a.timestamp) - time(b.timestamp));
    if (rows.length && !state.channels.length) state.channels = channelsOf(rows[rows.length - 1]);
    addToBuffer(id, rows);
    const last = rows[rows.length - 1];
    if (last) upsertDevice({ device_id: id, health_score: last.health_score, status: last.status, last_seen: last.timestamp });
  } catch (e) {
    if (selected === id) toast('Could not load history of ' + id + ': ' + e.message, true);
  }
  if (!root || selected !== id) return;
  buildCharts();
  renderGrid();
  renderPrediction();
  predict(id);
}

async function predict(id) {
  try {
    if (!state.model) state.model = await api('/api/model');
    if (state.model.loaded === false) {
      if (root && selected === id) renderPrediction(new Error('no model is loaded; train one on the Model page'));
      return;
    }
    const p = await api('/api/predict/' + encodeURIComponent(id), { method: 'POST' });
    const dev = upsertDevice({ device_id: id });
    dev.prediction = p;
    // Streamed predictions come from batches, which carry no explanation: keep this one's.
    if (p.contributions && Object.keys(p.contributions).length) dev.explained = p;
    if (root && selected === id) { renderPrediction(); renderGrid(); }
  } catch (e) {
    if (root && selected === id) renderPrediction(e);
  }
}

function renderPrediction(error) {
  const d = state.devices.get(selected) || {};
  const p = d.prediction;
  const k = (label, value, extra) => h('div', { class: 'kpi' }, h('div', { class: 'v' }, value, extra || ''), h('div', { class: 'k' }, label));
  if (!p) {
    els.prediction.replaceChildren(h('p', { class: 'muted small', style: 'grid-column: 1 / -1' },
      error ? 'No prediction: ' + error.message : 'Prediction pending…'));
    return;
  }
  const prob = p.maintenance_probability ?? p.failure_probability;
  const risk = String(p.risk_level || 'unknown').toLowerCase();
  els.prediction.replaceChildren(
    k('Failure probability', pct(prob)),
    k('Risk', badge(risk, 'risk-' + risk)),
    k(p.remaining_useful_life !== undefined && p.remaining_useful_life !== null ? 'Remaining useful life (steps)' : 'Maintenance needed',
      p.remaining_useful_life !== undefined && p.remaining_useful_life !== null ? fmt(p.remaining_useful_life, 0) : (p.maintenance_needed ? 'yes' : 'no')),
    explanation(d.explained));
}

// Which channels moved the probability for the device's last explained window (largest first).
function explanation(e) {
  const top = Object.entries((e && e.contributions) || {}).slice(0, 5);
  if (!top.length) return '';
  const max = Math.max(...top.map(([, v]) => Math.abs(v)), 1e-9);
  return h('div', { id: 'explanation', style: 'grid-column: 1 / -1' },
    h('h3', { class: 'small' }, 'Why: channels that moved the probability (window ending ' + when(e.timestamp) + ')'),
    h('table', { class: 'small' }, h('tbody', {}, top.map(([c, v]) => h('tr', { dataset: { channel: c } },
      h('th', { scope: 'row' }, c),
      h('td', { class: 'num' }, (v >= 0 ? '+' : '') + fmt(v * 100, 1) + ' pts'),
      h('td', {}, h('span', { style: 'display:inline-block;height:.6em;width:' + Math.round(60 * Math.abs(v) / max)
        + 'px;background:' + (v >= 0 ? '#c62828' : '#1b873f') })))))));
}

function channelList() {
  const b = state.buffers.get(selected);
  const fromData = b ? Object.keys(b.v) : [];
  return state.channels.length ? state.channels : fromData;
}

function buildCharts() {
  disposeAll(charts);
  const all = channelList();
  if (!chosen) chosen = DEFAULT_CHANNELS.filter(c => all.includes(c));
  if (!chosen.length) chosen = all.slice(0, 3);
  els.channels.replaceChildren(h('legend', {}, 'Channels'), h('div', { class: 'checks' }, all.map(c =>
    h('label', {}, h('input', {
      type: 'checkbox', value: c, checked: chosen.includes(c), dataset: { channel: c },
      onchange: e => {
        chosen = e.target.checked ? [...chosen, c] : chosen.filter(x => x !== c);
        chosen.sort((a, b) => all.indexOf(a) - all.indexOf(b));
        buildCharts();
      },
    }), c))));
  if (!chosen.length) { els.charts.replaceChildren(h('p', { class: 'empty' }, 'Choose a channel.')); return; }
  els.charts.replaceChildren(...chosen.map(c => {
    const box = h('div', { class: 'chart-box live-chart', dataset: { channel: c, points: '0' } },
      h('div', { class: 'chart', role: 'img', 'aria-label': 'Live chart of ' + c + ' for ' + selected }));
    return box;
  }));
  for (const box of els.charts.querySelectorAll('.live-chart')) {
    const c = chart(box.firstChild);
    c.__channel = box.dataset.channel;
    c.__box = box;
    c.setOption({
      ...base,
      title: { text: box.dataset.channel, left: 8, top: 4, textStyle: { fontSize: 13, fontWeight: 600 } },
      xAxis: timeAxis(), yAxis: valueAxis(''),
      series: [{ type: 'line', showSymbol: false, data: [], lineStyle: { width: 1.5 } }],
    });
    charts.push(c);
  }
  updateCharts();
}

function updateCharts() {
  const b = state.buffers.get(selected);
  if (!b) return;
  for (const c of charts) {
    if (c.isDisposed()) continue;
    const vals = b.v[c.__channel] || [];
    const data = b.t.map((t, i) => [t, vals[i]]);
    c.setOption({ series: [{ data }] });
    c.__box.dataset.points = String(data.length);
    c.__box.dataset.last = String(b.t[b.t.length - 1] || '');
  }
}

async function loadAlerts() {
  try {
    const list = listOf(await apiIf('/api/alerts', '/api/alerts', { query: { state: 'open', limit: 200 } }), 'alerts');
    for (const a of list) ingestAlert(a);
  } catch (e) {
    if (!root) return;
    els.alerts.replaceChildren(h('li', { class: isMissing(e) ? 'notice warn' : 'error' },
      isMissing(e) ? 'Alerts are not available from this server.' : 'Could not load alerts: ' + e.message));
    return;
  }
  renderAlerts();
  renderKpis();
}

function alertId(a) { return String(a.id ?? a.alert_id); }
function alertState(a) { return String(a.state || a.status || 'ACTIVE').toUpperCase(); }
function alertTime(a) { return a.last_seen || a.first_seen || a.timestamp; }

function renderAlerts() {
  if (!root) return;
  const open = [...state.alerts.values()]
    .filter(a => alertState(a) !== 'RESOLVED')
    .sort((a, b) => time(alertTime(b)) - time(alertTime(a)));
  if (!open.length) { els.alerts.replaceChildren(h('li', { class: 'empty' }, 'No active alerts.')); return; }
  const mayAct = auth.can('operator');
  els.alerts.replaceChildren(...open.slice(0, 100).map(a => {
    const status = alertState(a);
    const prio = String(a.priority || '').toLowerCase();
    return h('li', { class: 'alert', dataset: { alert: alertId(a), status } },
      h('div', { class: 'meta' },
        badge(prio || 'alert', 'pr-' + prio), badge(status.toLowerCase(), 'al-' + status.toLowerCase()),
        h('span', { class: 'mono' }, a.device_id || ''), h('span', {}, when(alertTime(a))),
        a.count > 1 ? h('span', {}, '×' + a.count) : ''),
      h('div', { class: 'msg' }, a.message || a.rule || a.type || ''),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn btn-small ack', disabled: !mayAct || status !== 'ACTIVE',
          title: mayAct ? 'Acknowledge' : 'Operators and admins can acknowledge', onclick: () => act(a, 'acknowledge') }, 'Acknowledge'),
        h('button', { type: 'button', class: 'btn btn-small resolve', disabled: !mayAct,
          title: mayAct ? 'Resolve' : 'Operators and admins can resolve', onclick: () => act(a, 'resolve') }, 'Resolve')));
  }));
}

async function act(a, action) {
  try {
    const updated = await apiIf('/api/alerts/{id}/' + action, '/api/alerts/' + encodeURIComponent(alertId(a)) + '/' + action, { method: 'POST' });
    ingestAlert(updated && typeof updated === 'object' && (updated.id !== undefined || updated.alert_id !== undefined)
      ? updated : { ...a, state: action === 'acknowledge' ? 'ACKNOWLEDGED' : 'RESOLVED' });
    toast('Alert ' + (action === 'acknowledge' ? 'acknowledged' : 'resolved') + '.');
    renderKpis();
  } catch (e) {
    toast('Could not ' + action + ' the alert: ' + e.message, true);
  }
}
