// State shared by the pages: devices, live buffers filled from the SSE stream, alerts, schema.
export const MAX_POINTS = 600;

export const state = {
  connection: 'closed',
  devices: new Map(),      // id -> {device_id, health_score, status, last_seen, prediction}
  buffers: new Map(),      // id -> {t: number[], v: {channel: number[]}}
  alerts: new Map(),       // id -> alert
  channels: [],            // channel names in schema order
  readingsSeen: 0,
  afterLogin: null,
  model: null,            // GET /api/model, cached for predictions
};

/** Forgets everything learnt under the previous session (another user may log in next). */
export function resetState() {
  state.devices.clear();
  state.buffers.clear();
  state.alerts.clear();
  state.readingsSeen = 0;
  state.model = null;
}

const listeners = new Map();
export const bus = {
  on(type, fn) {
    if (!listeners.has(type)) listeners.set(type, new Set());
    listeners.get(type).add(fn);
    return () => listeners.get(type).delete(fn);
  },
  emit(type, data) {
    const set = listeners.get(type);
    if (set) for (const fn of [...set]) fn(data);
  },
};

const NON_CHANNEL = new Set(['device_id', 'timestamp', 'health_score', 'status', 'type', 'id']);

/** Channel names of a flat reading, in its key order (the server writes schema order). */
export function channelsOf(reading) {
  return Object.keys(reading).filter(k => !NON_CHANNEL.has(k) && (typeof reading[k] === 'number' || reading[k] === null));
}

export function time(ts) {
  return typeof ts === 'number' ? ts : Date.parse(ts);
}

function buffer(id) {
  let b = state.buffers.get(id);
  if (!b) { b = { t: [], v: {}, health: [] }; state.buffers.set(id, b); }
  return b;
}

/**
 * Adds readings to a device's live buffer, kept sorted by time without duplicates: streamed readings
 * may arrive before the history that precedes them is loaded.
 */
export function addToBuffer(id, readings) {
  const b = buffer(id);
  const fresh = readings.filter(r => r && r.timestamp !== undefined);
  if (!fresh.length) return b;
  const lastT = b.t.length ? b.t[b.t.length - 1] : -Infinity;
  const appendOnly = fresh.every((r, i) => time(r.timestamp) > (i ? time(fresh[i - 1].timestamp) : lastT));
  if (appendOnly) {
    for (const r of fresh) push(b, time(r.timestamp), r);
  } else {
    const rows = b.t.map((t, i) => ({ t, health: b.health[i], v: Object.fromEntries(Object.keys(b.v).map(c => [c, b.v[c][i]])) }));
    for (const r of fresh) rows.push({ t: time(r.timestamp), health: r.health_score, v: Object.fromEntries(channelsOf(r).map(c => [c, r[c]])) });
    rows.sort((x, y) => x.t - y.t);
    b.t = []; b.v = {}; b.health = [];
    for (let i = 0; i < rows.length; i++) {
      if (i && rows[i].t === rows[i - 1].t) continue;
      push(b, rows[i].t, { ...rows[i].v, health_score: rows[i].health });
    }
  }
  const extra = b.t.length - MAX_POINTS;
  if (extra > 0) {
    b.t.splice(0, extra);
    b.health.splice(0, extra);
    for (const c of Object.keys(b.v)) b.v[c].splice(0, extra);
  }
  return b;
}

function push(b, t, r) {
  b.t.push(t);
  for (const c of channelsOf(r)) (b.v[c] || (b.v[c] = new Array(b.t.length - 1).fill(null))).push(r[c]);
  for (const c of Object.keys(b.v)) if (b.v[c].length < b.t.length) b.v[c].push(null);
  b.health.push(typeof r.health_score === 'number' ? r.health_score : null);
}

export function upsertDevice(d) {
  const id = d.device_id;
  const cur = state.devices.get(id) || { device_id: id };
  Object.assign(cur, d);
  state.devices.set(id, cur);
  return cur;
}

export function ingestReading(r) {
  if (!r || !r.device_id) return;
  if (!state.channels.length) state.channels = channelsOf(r);
  state.readingsSeen++;
  addToBuffer(r.device_id, [r]);
  const d = upsertDevice({ device_id: r.device_id, last_seen: r.timestamp });
  if (typeof r.health_score === 'number') d.health_score = r.health_score;
  if (r.status) d.status = r.status;
  bus.emit('reading', r);
}

export function ingestPrediction(p) {
  if (!p || !p.device_id) return;
  upsertDevice({ device_id: p.device_id }).prediction = p;
  bus.emit('prediction', p);
}

export function ingestAlert(a) {
  if (!a) return;
  const id = a.id ?? a.alert_id;
  if (id !== undefined) state.alerts.set(String(id), a);
  bus.emit('alert', a);
}

/** Normalises list responses that may be a bare array or wrapped ({devices: [...]}, {items: [...]}). */
export function listOf(body, ...keys) {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object') {
    for (const k of [...keys, 'items', 'data', 'results']) if (Array.isArray(body[k])) return body[k];
  }
  return [];
}
