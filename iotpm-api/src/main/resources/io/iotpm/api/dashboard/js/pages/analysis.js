// Analysis: history of chosen devices and channels over a time range, with alerts and failure events
// marked, per-channel distributions, the channel correlation matrix and CSV export of the range.
import { api, apiIf, isMissing } from '../api.js';
import { state, bus, listOf, channelsOf, time, upsertDevice } from '../state.js';
import { h, toast, download, esc } from '../ui.js';
import { chart, disposeAll, resizeAll, base, timeAxis, valueAxis } from '../charts.js';

const PAGE = 5000;
const MAX_ROWS = 50000;
let root, charts = [], off = [], els = {}, loaded = null;

const PRESETS = [['1h', 3600e3], ['6h', 6 * 3600e3], ['24h', 24 * 3600e3], ['7d', 7 * 24 * 3600e3], ['30d', 30 * 24 * 3600e3]];

function localInput(ms) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 16);
}

export async function mount(view) {
  root = view;
  els = {};
  const now = Date.now();
  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Analysis')),
    els.form = h('form', { class: 'card stack', id: 'analysis-form', onsubmit: e => { e.preventDefault(); load(); } },
      h('div', { class: 'row' },
        h('div', {}, h('label', { for: 'an-devices' }, 'Devices'),
          els.devices = h('select', { id: 'an-devices', multiple: true, size: 4, style: 'min-width: 12rem' })),
        h('div', {}, h('label', { for: 'an-from' }, 'From'),
          els.from = h('input', { id: 'an-from', type: 'datetime-local', value: localInput(now - 3600e3) })),
        h('div', {}, h('label', { for: 'an-to' }, 'To'),
          els.to = h('input', { id: 'an-to', type: 'datetime-local', value: localInput(now + 60e3) })),
        h('div', {}, h('span', { class: 'muted small' }, 'Last'), h('div', { class: 'row', style: 'gap:.3rem' },
          PRESETS.map(([label, ms]) => h('button', { type: 'button', class: 'btn btn-small', onclick: () => {
            const t = Date.now();
            els.from.value = localInput(t - ms);
            els.to.value = localInput(t + 60e3);
            load();
          } }, label)))),
        h('div', {}, h('button', { type: 'submit', class: 'btn btn-primary', id: 'an-load' }, 'Show'),
          ' ', els.csv = h('button', { type: 'button', class: 'btn', id: 'an-csv', disabled: true, onclick: exportCsv }, 'Export CSV'))),
      els.channels = h('fieldset', {}, h('legend', {}, 'Channels')),
      els.status = h('p', { class: 'muted small', id: 'an-status', role: 'status' }, 'Choose devices and a range, then Show.')),
    els.lines = h('section', { class: 'stack', id: 'an-lines', style: 'margin-top:1rem' }),
    h('div', { class: 'grid2', style: 'margin-top:1rem' },
      h('section', { class: 'card' }, h('div', { class: 'page-head', style: 'margin:0' }, h('h2', {}, 'Distribution'),
        els.distChannel = h('select', { id: 'an-dist-channel', 'aria-label': 'Channel for the distribution', onchange: renderDistribution })),
        els.dist = h('div', { class: 'chart tall', id: 'an-dist', role: 'img', 'aria-label': 'Histogram' })),
      h('section', { class: 'card' }, h('h2', {}, 'Correlation'),
        els.corr = h('div', { class: 'chart square', id: 'an-corr', role: 'img', 'aria-label': 'Correlation matrix heatmap' }))));
  off.push(bus.on('resize', resizeAll));

  let devices = [...state.devices.keys()];
  try {
    const list = listOf(await api('/api/devices'), 'devices');
    list.forEach(d => upsertDevice(typeof d === 'string' ? { device_id: d } : d));
    devices = list.map(d => typeof d === 'string' ? d : d.device_id);
  } catch (e) {
    toast('Could not load devices: ' + e.message, true);
  }
  if (!root) return;
  devices.sort();
  els.devices.replaceChildren(...devices.map((d, i) => h('option', { value: d, selected: i === 0 }, d)));
  let channels = state.channels;
  if (!channels.length) {
    try {
      const th = await api('/api/thresholds');
      channels = listOf(th, 'channels').map(c => c.name);
    } catch (e) { /* learnt from the first data load instead */ }
  }
  renderChannelChecks(channels);
  if (devices.length) await load();
}

export function unmount() {
  off.forEach(f => f());
  off = [];
  disposeAll(charts);
  root = null;
  loaded = null;
}

function renderChannelChecks(channels) {
  const prev = new Set([...els.channels.querySelectorAll('input:checked')].map(i => i.value));
  const pick = prev.size ? prev : new Set(channels.slice(0, 3));
  els.channels.replaceChildren(h('legend', {}, 'Channels'), h('div', { class: 'checks' }, channels.map(c =>
    h('label', {}, h('input', { type: 'checkbox', value: c, checked: pick.has(c), dataset: { channel: c }, onchange: () => loaded && render() }), c))));
}

function chosenChannels() {
  return [...els.channels.querySelectorAll('input:checked')].map(i => i.value);
}

async function fetchRange(id, from, to) {
  const rows = [];
  let offset = 0;
  for (;;) {
    const body = await api('/api/devices/' + encodeURIComponent(id) + '/data', {
      query: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), limit: PAGE, offset: offset || undefined },
    });
    rows.push(...listOf(body, 'data', 'readings'));
    if (body && body.next_offset !== null && body.next_offset !== undefined && rows.length < MAX_ROWS) offset = body.next_offset;
    else break;
  }
  return rows;
}

/** Optional endpoints: a missing one yields null, so the page still shows what it can. */
async function optional(template, path, query, ...keys) {
  try {
    return listOf(await apiIf(template, path, { query }), ...keys);
  } catch (e) {
    if (isMissing(e) || e.status === 403) return null;
    throw e;
  }
}

async function load() {
  const ids = [...els.devices.selectedOptions].map(o => o.value);
  const from = Date.parse(els.from.value), to = Date.parse(els.to.value);
  if (!ids.length) { els.status.textContent = 'Choose at least one device.'; return; }
  if (!(from < to)) { els.status.textContent = '"From" must be before "To".'; return; }
  els.status.textContent = 'Loading…';
  const result = { ids, from, to, rows: new Map(), alerts: new Map(), events: new Map(), notes: [] };
  try {
    await Promise.all(ids.map(async id => {
      let rows = [];
      try {
        rows = await fetchRange(id, from, to);
      } catch (e) {
        if (e.status !== 404) throw e; // 404: device without data
      }
      result.rows.set(id, rows);
      const iso = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
      const alerts = await optional('/api/alerts', '/api/alerts', { device_id: id, state: 'all', limit: 1000 }, 'alerts');
      const events = await optional('/api/devices/{id}/events', '/api/devices/' + encodeURIComponent(id) + '/events', iso, 'events');
      if (alerts === null) result.notes.push('alert markers');
      if (events === null) result.notes.push('failure-event markers');
      result.alerts.set(id, (alerts || []).filter(a => (a.device_id === undefined || a.device_id === id)
        && time(a.first_seen || a.timestamp) >= from && time(a.first_seen || a.timestamp) < to));
      result.events.set(id, events || []);
    }));
  } catch (e) {
    if (root) els.status.textContent = 'Could not load: ' + e.message;
    return;
  }
  if (!root) return;
  loaded = result;
  const any = [...result.rows.values()].find(r => r.length);
  if (any) {
    const chs = channelsOf(any[any.length - 1]);
    if (!state.channels.length) state.channels = chs;
    if (els.channels.querySelectorAll('input').length !== chs.length) renderChannelChecks(chs);
  }
  const total = [...result.rows.values()].reduce((n, r) => n + r.length, 0);
  const missingNotes = [...new Set(result.notes)];
  els.status.textContent = total + ' readings from ' + ids.length + ' device(s)'
    + (total >= MAX_ROWS ? ' (truncated)' : '')
    + (missingNotes.length ? '. Not available from this server: ' + missingNotes.join(', ') + '.' : '.');
  els.status.dataset.rows = String(total);
  const events = [...result.events.values()].flat();
  els.status.dataset.failures = String(events.filter(e => String(e.type).toLowerCase() === 'failure').length);
  els.status.dataset.maintenance = String(events.filter(e => String(e.type).toLowerCase() === 'maintenance').length);
  els.csv.disabled = total === 0;
  render();
}

function render() {
  disposeAll(charts);
  const chs = chosenChannels();
  els.lines.replaceChildren();
  const prevDist = els.distChannel.value;
  els.distChannel.replaceChildren(...chs.map(c => h('option', { value: c, selected: c === prevDist }, c)));
  if (!chs.length) { els.lines.append(h('p', { class: 'empty card' }, 'Choose channels.')); }
  for (const c of chs) {
    const el = h('div', { class: 'chart tall', role: 'img', 'aria-label': c + ' over time' });
    const section = h('section', { class: 'card an-line', dataset: { channel: c } }, el);
    els.lines.append(section);
    let eventMarks = 0;
    const series = [];
    for (const id of loaded.ids) {
      const rows = loaded.rows.get(id) || [];
      const marks = [
        ...(loaded.alerts.get(id) || []).map(a => ({
          xAxis: time(a.first_seen || a.timestamp), name: 'alert',
          label: { show: false }, lineStyle: { color: '#e67700', type: 'dashed' },
          tooltip: { formatter: 'Alert: ' + esc(a.message || a.rule || '') },
        })),
        ...(loaded.events.get(id) || []).map(ev => {
          const type = String(ev.type || 'failure').toLowerCase();
          const color = type === 'failure' ? '#c62828' : '#2b8a3e';
          return {
            xAxis: time(ev.timestamp || ev.time), name: type,
            label: { show: true, formatter: type, color },
            lineStyle: { color, width: type === 'failure' ? 2 : 1.5, type: type === 'failure' ? 'solid' : 'dotted' },
            tooltip: { formatter: esc(id + ' ' + type + (ev.detail ? ': ' + ev.detail : '')) },
          };
        }),
      ].filter(m => Number.isFinite(m.xAxis));
      eventMarks += marks.filter(m => m.name !== 'alert').length;
      series.push({
        name: id, type: 'line', showSymbol: false, sampling: 'lttb', lineStyle: { width: 1.2 },
        data: rows.map(r => [time(r.timestamp), r[c]]),
        markLine: marks.length ? { symbol: 'none', silent: false, data: marks } : undefined,
      });
    }
    section.dataset.eventMarks = String(eventMarks);
    const ch = chart(el);
    ch.setOption({
      ...base, title: { text: c, left: 8, top: 2, textStyle: { fontSize: 13 } },
      legend: { top: 2, right: 10 }, grid: { ...base.grid, top: 36, bottom: 56 },
      xAxis: timeAxis(), yAxis: valueAxis(''), series,
      dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    });
    charts.push(ch);
  }
  renderDistribution();
  renderCorrelation();
}

function values(id, c) {
  return (loaded.rows.get(id) || []).map(r => r[c]).filter(v => typeof v === 'number' && Number.isFinite(v));
}

function renderDistribution() {
  const old = charts.find(c => c.getDom() === els.dist);
  if (old) { disposeAll([old]); charts = charts.filter(c => c !== old); }
  const c = els.distChannel.value;
  if (!loaded || !c) return;
  const all = loaded.ids.flatMap(id => values(id, c));
  if (!all.length) return;
  let min = Math.min(...all), max = Math.max(...all);
  if (min === max) { min -= 0.5; max += 0.5; }
  const bins = 30, w = (max - min) / bins;
  const centers = Array.from({ length: bins }, (_, i) => +(min + (i + 0.5) * w).toPrecision(4));
  const series = loaded.ids.map(id => {
    const counts = new Array(bins).fill(0);
    for (const v of values(id, c)) counts[Math.min(bins - 1, Math.floor((v - min) / w))]++;
    return { name: id, type: 'bar', data: counts, barGap: '0%', barCategoryGap: '5%' };
  });
  const ch = chart(els.dist);
  ch.setOption({
    ...base, legend: { top: 0, right: 8 }, grid: { ...base.grid, top: 30, bottom: 40 },
    xAxis: { type: 'category', data: centers, name: c, nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'value', name: 'count' }, series,
  });
  charts.push(ch);
}

function pearson(a, b) {
  const n = a.length;
  if (n < 2) return NaN;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma, db = b[i] - mb;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

function renderCorrelation() {
  const any = [...loaded.rows.values()].find(r => r.length);
  if (!any) return;
  const chs = channelsOf(any[any.length - 1]);
  // Rows where every channel is present, across all chosen devices.
  const rows = loaded.ids.flatMap(id => loaded.rows.get(id) || [])
    .filter(r => chs.every(c => typeof r[c] === 'number' && Number.isFinite(r[c])));
  const cols = chs.map(c => rows.map(r => r[c]));
  const data = [];
  for (let i = 0; i < chs.length; i++) {
    for (let j = 0; j < chs.length; j++) {
      const v = i === j ? 1 : pearson(cols[i], cols[j]);
      data.push([j, i, Number.isFinite(v) ? +v.toFixed(2) : '-']);
    }
  }
  els.corr.dataset.size = String(chs.length);
  const ch = chart(els.corr);
  ch.setOption({
    ...base, tooltip: { position: 'top', formatter: p => esc(chs[p.value[1]]) + ' × ' + esc(chs[p.value[0]]) + ': ' + esc(p.value[2]) },
    grid: { left: 100, right: 20, top: 10, bottom: 110 },
    xAxis: { type: 'category', data: chs, axisLabel: { rotate: 50, interval: 0 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: chs, inverse: true, axisLabel: { interval: 0 }, splitArea: { show: true } },
    visualMap: { min: -1, max: 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120,
      inRange: { color: ['#1f5fbf', '#f7f7f7', '#c62828'] } },
    series: [{ type: 'heatmap', data, label: { show: chs.length <= 12, fontSize: 10 } }],
  });
  charts.push(ch);
}

function csvCell(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

function exportCsv() {
  if (!loaded) return;
  const any = [...loaded.rows.values()].find(r => r.length);
  if (!any) return;
  const chs = channelsOf(any[any.length - 1]);
  const header = ['device_id', 'timestamp', ...chs, 'health_score', 'status'];
  const lines = [header.join(',')];
  for (const id of loaded.ids) {
    for (const r of loaded.rows.get(id) || []) lines.push(header.map(k => csvCell(r[k])).join(','));
  }
  const stamp = new Date(loaded.from).toISOString().slice(0, 16).replace(/[:T]/g, '-');
  download('iotpm-' + (loaded.ids.length === 1 ? loaded.ids[0] : loaded.ids.length + '-devices') + '-' + stamp + '.csv', lines.join('\r\n') + '\r\n');
  toast('Exported ' + (lines.length - 1) + ' rows.');
}
