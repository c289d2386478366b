// Settings: channel thresholds and alert rules (admins edit, others read), silences (operators),
// notification test (admins), data retention and storage information.
import { api, apiIf, auth, isMissing } from '../api.js';
import { listOf, state } from '../state.js';
import { h, toast, fmt, when, missing } from '../ui.js';

let root, els = {};

export async function mount(view) {
  root = view;
  els = {};
  const admin = auth.can('admin');
  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Settings'),
      admin ? '' : h('p', { class: 'notice', id: 'readonly-notice' }, 'You are signed in as ' + auth.role + ': settings are read-only; only admins can change them.')),
    h('div', { class: 'grid2' },
      els.thresholds = h('section', { class: 'card', id: 'thresholds', 'aria-labelledby': 'th-title' }, h('h2', { id: 'th-title' }, 'Thresholds'), h('p', { class: 'empty' }, 'Loading…')),
      els.rules = h('section', { class: 'card', id: 'rules', 'aria-labelledby': 'ru-title' }, h('h2', { id: 'ru-title' }, 'Alert rules'), h('p', { class: 'empty' }, 'Loading…'))),
    h('div', { class: 'grid2', style: 'margin-top:1rem' },
      els.silences = h('section', { class: 'card', id: 'silences', 'aria-labelledby': 'si-title' }, h('h2', { id: 'si-title' }, 'Silences'), h('p', { class: 'empty' }, 'Loading…')),
      h('div', { class: 'stack' },
        els.notify = h('section', { class: 'card', id: 'notifications', 'aria-labelledby': 'no-title' }, h('h2', { id: 'no-title' }, 'Notifications'), h('p', { class: 'empty' }, 'Loading…')),
        els.storage = h('section', { class: 'card', id: 'storage', 'aria-labelledby': 'st-title' }, h('h2', { id: 'st-title' }, 'Data and storage'), h('p', { class: 'empty' }, 'Loading…')))));
  await Promise.all([loadThresholds(), loadRules(), loadSilences(), loadNotifications(), loadStorage()]);
}

export function unmount() {
  root = null;
}

function fail(box, title, what, e) {
  if (!root) return;
  box.replaceChildren(h('h2', {}, title), isMissing(e) ? missing(what) : h('p', { class: 'error' }, 'Could not load ' + what.toLowerCase() + ': ' + e.message));
}

function num(name, value, { disabled, step = 'any', label }) {
  return h('input', { type: 'number', name, value: value ?? '', step, disabled, 'aria-label': label, style: 'width: 7rem' });
}

/* ---------- thresholds ---------- */

async function loadThresholds() {
  let t;
  try { t = await api('/api/thresholds'); } catch (e) { fail(els.thresholds, 'Thresholds', 'Thresholds', e); return; }
  if (!root) return;
  const admin = auth.can('admin');
  const channels = listOf(t, 'channels');
  const form = h('form', { id: 'thresholds-form', onsubmit: e => { e.preventDefault(); saveThresholds(form, t); } },
    h('div', { class: 'row' },
      h('div', {}, h('label', { for: 'th-warning' }, 'Health warning below (%)'),
        h('input', { id: 'th-warning', name: 'warning_below', type: 'number', step: 'any', min: 0, max: 100, value: t.warning_below, disabled: !admin })),
      h('div', {}, h('label', { for: 'th-critical' }, 'Health critical below (%)'),
        h('input', { id: 'th-critical', name: 'critical_below', type: 'number', step: 'any', min: 0, max: 100, value: t.critical_below, disabled: !admin }))),
    h('div', { class: 'table-wrap', style: 'margin-top:.75rem' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Channel'), h('th', {}, 'Unit'), h('th', { class: 'num' }, 'Nominal'), h('th', {}, 'Normal min'), h('th', {}, 'Normal max'))),
      h('tbody', {}, channels.map(c => h('tr', { dataset: { channel: c.name } },
        h('td', { class: 'mono' }, c.name), h('td', {}, c.unit || ''), h('td', { class: 'num' }, fmt(c.nominal)),
        h('td', {}, num('min:' + c.name, c.normal_min, { disabled: !admin, label: c.name + ' normal minimum' })),
        h('td', {}, num('max:' + c.name, c.normal_max, { disabled: !admin, label: c.name + ' normal maximum' }))))))),
    h('div', { class: 'row', style: 'margin-top:.75rem' },
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'thresholds-save', disabled: !admin,
        title: admin ? 'Save thresholds' : 'Only admins can change thresholds' }, 'Save thresholds'),
      h('span', { class: 'small muted', id: 'thresholds-result', role: 'status' }, '')));
  els.thresholds.replaceChildren(h('h2', { id: 'th-title' }, 'Thresholds'),
    h('p', { class: 'small muted' }, 'Schema ' + (t.schema || '–') + '. Readings outside the normal range raise out-of-range alerts; health below the limits changes a device\'s status.'),
    form);
}

async function saveThresholds(form, before) {
  const result = document.getElementById('thresholds-result');
  const body = { warning_below: Number(form.warning_below.value), critical_below: Number(form.critical_below.value), channels: [] };
  for (const c of listOf(before, 'channels')) {
    const min = Number(form['min:' + c.name].value), max = Number(form['max:' + c.name].value);
    if (min !== c.normal_min || max !== c.normal_max) body.channels.push({ name: c.name, normal_min: min, normal_max: max });
  }
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'number' && !Number.isFinite(v)) { toast(k + ' must be a number', true); return; }
  }
  try {
    await apiIf('/api/thresholds', '/api/thresholds', { method: 'PUT', body });
    result.textContent = 'Saved.';
    result.className = 'small';
    toast('Thresholds saved.');
    loadThresholds();
  } catch (e) {
    result.textContent = (e.status === 403 ? 'Refused: ' : 'Not saved: ') + e.message;
    result.className = 'small error';
    toast('Thresholds not saved: ' + e.message, true);
  }
}

/* ---------- rules ---------- */

const RULE_EDITABLE = ['enabled', 'priority', 'cooldown_seconds', 'threshold'];

async function loadRules() {
  let rules;
  try { rules = listOf(await apiIf('/api/rules', '/api/rules'), 'rules'); } catch (e) { fail(els.rules, 'Alert rules', 'Alert rules', e); return; }
  if (!root) return;
  const admin = auth.can('admin');
  if (!rules.length) { els.rules.replaceChildren(h('h2', {}, 'Alert rules'), h('p', { class: 'empty' }, 'No rules configured.')); return; }
  els.rules.replaceChildren(h('h2', { id: 'ru-title' }, 'Alert rules'), h('div', { class: 'table-wrap' }, h('table', { id: 'rules-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Rule'), h('th', {}, 'Enabled'), h('th', {}, 'Priority'), h('th', {}, 'Threshold'), h('th', {}, 'Cooldown (s)'), h('th', {}, ''))),
    h('tbody', {}, rules.map(r => ruleRow(r, admin))))));
}

function ruleRow(r, admin) {
  const name = r.name || r.id;
  const tr = h('tr', { dataset: { rule: name } });
  const enabled = h('input', { type: 'checkbox', checked: r.enabled !== false, disabled: !admin || r.enabled === undefined, 'aria-label': name + ' enabled' });
  const prio = h('select', { disabled: !admin || !r.priority, 'aria-label': name + ' priority' },
    ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map(p => h('option', { value: p, selected: String(r.priority).toUpperCase() === p }, p.toLowerCase())));
  const thr = typeof r.threshold === 'number' ? num('threshold', r.threshold, { disabled: !admin, label: name + ' threshold' }) : h('span', { class: 'muted' }, r.condition || r.description || '–');
  const cool = typeof r.cooldown_seconds === 'number' ? num('cooldown', r.cooldown_seconds, { disabled: !admin, step: 1, label: name + ' cooldown in seconds' }) : h('span', { class: 'muted' }, r.cooldown || '–');
  const save = h('button', { type: 'button', class: 'btn btn-small rule-save', disabled: !admin, title: admin ? 'Save rule' : 'Only admins can change rules',
    onclick: async () => {
      const body = {};
      if (r.enabled !== undefined) body.enabled = enabled.checked;
      if (r.priority) body.priority = prio.value;
      if (typeof r.threshold === 'number') body.threshold = Number(thr.value);
      if (typeof r.cooldown_seconds === 'number') body.cooldown_seconds = Number(cool.value);
      try {
        const updated = await apiIf('/api/rules/{name}', '/api/rules/' + encodeURIComponent(name), { method: 'PUT', body });
        toast('Rule ' + name + ' saved.');
        if (updated && typeof updated === 'object' && root) tr.replaceWith(ruleRow({ ...r, ...updated }, admin));
      } catch (e) {
        toast('Rule ' + name + ' not saved: ' + e.message, true);
      }
    } }, 'Save');
  tr.append(
    h('td', {}, h('div', { class: 'mono' }, name), r.description ? h('div', { class: 'small muted' }, r.description) : ''),
    h('td', {}, enabled), h('td', {}, prio), h('td', {}, thr), h('td', {}, cool), h('td', {}, save));
  return tr;
}

/* ---------- silences ---------- */

async function loadSilences() {
  let list;
  try { list = listOf(await apiIf('/api/silences', '/api/silences'), 'silences'); } catch (e) { fail(els.silences, 'Silences', 'Silences', e); return; }
  if (!root) return;
  const mayAct = auth.can('operator');
  const devices = [...state.devices.keys()].sort();
  const form = h('form', { id: 'silence-form', class: 'row', onsubmit: e => { e.preventDefault(); addSilence(form); } },
    h('div', {}, h('label', { for: 'si-device' }, 'Device (empty: all)'),
      h('input', { id: 'si-device', name: 'device_id', list: 'si-devices', disabled: !mayAct, style: 'width:10rem' }),
      h('datalist', { id: 'si-devices' }, devices.map(d => h('option', { value: d })))),
    h('div', {}, h('label', { for: 'si-rule' }, 'Rule (empty: all)'), h('input', { id: 'si-rule', name: 'rule', disabled: !mayAct, style: 'width:10rem' })),
    h('div', {}, h('label', { for: 'si-minutes' }, 'Minutes'), h('input', { id: 'si-minutes', name: 'minutes', type: 'number', min: 1, max: 10080, value: 60, disabled: !mayAct, style: 'width:6rem' })),
    h('div', {}, h('label', { for: 'si-reason' }, 'Reason'), h('input', { id: 'si-reason', name: 'reason', disabled: !mayAct, style: 'width:12rem' })),
    h('div', {}, h('button', { type: 'submit', class: 'btn', disabled: !mayAct }, 'Silence')));
  els.silences.replaceChildren(h('h2', { id: 'si-title' }, 'Silences'),
    h('p', { class: 'small muted' }, 'A silence keeps matching alerts from notifying until it ends.'),
    list.length ? h('table', { id: 'silences-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'Device'), h('th', {}, 'Rule'), h('th', {}, 'Until'), h('th', {}, 'Reason'), h('th', {}, ''))),
      h('tbody', {}, list.map(s => h('tr', {},
        h('td', { class: 'mono' }, s.device_id || 'all'), h('td', {}, s.rule || 'all'), h('td', {}, when(s.until || s.ends_at)), h('td', {}, s.reason || ''),
        h('td', {}, h('button', { type: 'button', class: 'btn btn-small', disabled: !mayAct, onclick: () => removeSilence(s) }, 'End'))))))
      : h('p', { class: 'empty' }, 'No active silences.'),
    form);
}

async function addSilence(form) {
  const minutes = Number(form.minutes.value);
  if (!Number.isInteger(minutes) || minutes < 1) { toast('Minutes must be a whole number ≥ 1', true); return; }
  const body = { duration_seconds: minutes * 60 };
  if (form.device_id.value.trim()) body.device_id = form.device_id.value.trim();
  if (form.rule.value.trim()) body.rule = form.rule.value.trim();
  if (form.reason.value.trim()) body.reason = form.reason.value.trim();
  try {
    await apiIf('/api/silences', '/api/silences', { method: 'POST', body });
    toast('Silence added.');
    loadSilences();
  } catch (e) {
    toast('Silence not added: ' + e.message, true);
  }
}

async function removeSilence(s) {
  try {
    await apiIf('/api/silences/{id}', '/api/silences/' + encodeURIComponent(s.id), { method: 'DELETE' });
    toast('Silence ended.');
    loadSilences();
  } catch (e) {
    toast('Could not end the silence: ' + e.message, true);
  }
}

/* ---------- notifications ---------- */

async function loadNotifications() {
  let list;
  try { list = listOf(await apiIf('/api/notifications', '/api/notifications'), 'notifiers', 'notifications'); } catch (e) { fail(els.notify, 'Notifications', 'Notification settings', e); return; }
  if (!root) return;
  const admin = auth.can('admin');
  els.notify.replaceChildren(h('h2', { id: 'no-title' }, 'Notifications'),
    list.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Notifier'), h('th', {}, 'Target'), h('th', {}, ''))),
      h('tbody', {}, list.map(n => {
        const name = n.name || n.type;
        const out = h('span', { class: 'small', role: 'status' });
        return h('tr', { dataset: { notifier: name } }, h('td', {}, name), h('td', { class: 'small' }, n.target || n.description || ''),
          h('td', {}, h('button', { type: 'button', class: 'btn btn-small notify-test', disabled: !admin, title: admin ? 'Send a test notification' : 'Only admins can send tests',
            onclick: async () => {
              out.textContent = 'Sending…';
              try {
                const r = await apiIf('/api/notifications/{name}/test', '/api/notifications/' + encodeURIComponent(name) + '/test', { method: 'POST' });
                out.textContent = ' ' + ((r && r.message) || 'sent');
              } catch (e) {
                out.textContent = ' failed: ' + e.message;
                out.className = 'small error';
              }
            } }, 'Send test'), out));
      })))
      : h('p', { class: 'empty' }, 'No notifiers configured (alerts are logged only).'));
}

/* ---------- storage ---------- */

async function loadStorage() {
  const rows = [];
  const add = (k, v) => rows.push(h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, v)));
  try {
    const s = await api('/api/stats/summary');
    add('Devices', s.total_devices);
    add('Readings stored', (s.total_readings ?? 0).toLocaleString());
    if (typeof s.average_health_score === 'number') add('Average health', fmt(s.average_health_score, 1) + ' %');
    if (s.devices_by_status) add('By status', Object.entries(s.devices_by_status).map(([k, v]) => k.toLowerCase() + ' ' + v).join(', '));
  } catch (e) {
    fail(els.storage, 'Data and storage', 'Statistics', e);
    return;
  }
  let info = null;
  try { info = await apiIf('/api/storage', '/api/storage'); } catch (e) { if (!isMissing(e)) toast('Storage info: ' + e.message, true); }
  if (!root) return;
  if (info) {
    if (info.backend || info.type) add('Backend', info.backend || info.type);
    if (info.location) add('Location', info.location);
    if (info.retention_days !== undefined || info.retention) add('Retention', info.retention_days !== undefined ? (info.retention_days === null ? 'keep forever' : info.retention_days + ' days') : info.retention);
    if (info.oldest) add('Oldest reading', when(info.oldest));
    if (typeof info.size_bytes === 'number') add('Size', (info.size_bytes / 1048576).toFixed(1) + ' MiB');
  }
  els.storage.replaceChildren(h('h2', { id: 'st-title' }, 'Data and storage'), h('table', { id: 'storage-table' }, h('tbody', {}, rows)),
    info ? '' : h('p', { class: 'small muted' }, 'Backend and retention details are not available from this server.'));
}
