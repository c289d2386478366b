// Settings: channel thresholds and alert rules (admins edit, others read), silences (operators),
// notification test (admins), data retention and storage information.
import { api, apiIf, auth, isMissing, supports } from '../api.js';
import { listOf, state } from '../state.js';
import { h, toast, fmt, when, missing, badge } from '../ui.js';

let root, els = {};

export async function mount(view) {
  root = view;
  els = {};
  const admin = auth.can('admin');
  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Settings'),
      admin ? '' : h('p', { class: 'notice', id: 'readonly-notice' }, 'You are signed in as ' + auth.role + ': rules are read-only; only admins can change them'
        + (auth.can('operator') ? '. You may add and end silences.' : '.'))),
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
  const canRule = auth.can('admin') && await supports('POST', '/api/rules');
  if (!root) return;
  const channels = listOf(t, 'channels');
  els.thresholds.replaceChildren(h('h2', { id: 'th-title' }, 'Channel ranges'),
    h('p', { class: 'small muted' }, 'Schema ' + (t.schema || '–') + '. Health below ' + fmt(t.warning_below, 0) + ' % is a warning, below '
      + fmt(t.critical_below, 0) + ' % critical. The normal ranges come from the schema; alert thresholds are the rules beside.'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'thresholds-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Channel'), h('th', {}, 'Unit'), h('th', { class: 'num' }, 'Nominal'),
        h('th', { class: 'num' }, 'Normal min'), h('th', { class: 'num' }, 'Normal max'), h('th', {}, ''))),
      h('tbody', {}, channels.map(c => h('tr', { dataset: { channel: c.name } },
        h('td', { class: 'mono' }, c.name), h('td', {}, c.unit || ''), h('td', { class: 'num' }, fmt(c.nominal)),
        h('td', { class: 'num' }, fmt(c.normal_min)), h('td', { class: 'num' }, fmt(c.normal_max)),
        h('td', {}, h('button', { type: 'button', class: 'btn btn-small', disabled: !canRule,
          title: canRule ? 'Start a threshold rule for ' + c.name : auth.can('admin') ? 'This server has no alert rules' : 'Only admins can add rules',
          onclick: () => prefillRule(c) }, 'Add rule'))))))));
  state.channels = state.channels.length ? state.channels : channels.map(c => c.name);
  channelOptions = channels;
  fillRuleChannels();
}

/* ---------- rules ---------- */

let channelOptions = [];

async function loadRules() {
  let rules;
  try { rules = listOf(await apiIf('/api/rules', '/api/rules'), 'rules'); } catch (e) { fail(els.rules, 'Alert rules', 'Alert rules', e); return; }
  if (!root) return;
  const admin = auth.can('admin');
  const canAdd = admin && await supports('POST', '/api/rules');
  const canRemove = admin && await supports('DELETE', '/api/rules/{name}');
  const form = h('form', { id: 'rule-form', class: 'stack', onsubmit: e => { e.preventDefault(); addRule(form); } },
    h('h3', {}, 'Add a threshold rule', auth.can('admin') ? '' : h('span', { class: 'muted small' }, ' (admins only)')),
    h('div', { class: 'row' },
      h('div', {}, h('label', { for: 'ru-name' }, 'Name'), h('input', { id: 'ru-name', name: 'name', required: true, disabled: !canAdd, pattern: '[A-Za-z0-9_.:\\-]{1,64}', style: 'width:11rem' })),
      h('div', {}, h('label', { for: 'ru-channel' }, 'Channel'), h('select', { id: 'ru-channel', name: 'channel', disabled: !canAdd })),
      h('div', {}, h('label', { for: 'ru-dir' }, 'Fires when'), h('select', { id: 'ru-dir', name: 'direction', disabled: !canAdd },
        h('option', { value: 'above' }, 'above'), h('option', { value: 'below' }, 'below'))),
      h('div', {}, h('label', { for: 'ru-limit' }, 'Threshold'), h('input', { id: 'ru-limit', name: 'limit', type: 'number', step: 'any', required: true, disabled: !canAdd, style: 'width:7rem' })),
      h('div', {}, h('label', { for: 'ru-priority' }, 'Priority'), h('select', { id: 'ru-priority', name: 'priority', disabled: !canAdd },
        ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map(p => h('option', { value: p, selected: p === 'HIGH' }, p.toLowerCase())))),
      h('div', {}, h('label', { for: 'ru-cooldown' }, 'Cooldown (min)'), h('input', { id: 'ru-cooldown', name: 'cooldown', type: 'number', min: 0, max: 10080, step: 1, value: 15, disabled: !canAdd, style: 'width:6rem' })),
      h('div', {}, h('button', { type: 'submit', class: 'btn btn-primary', id: 'rule-add', disabled: !canAdd,
        title: canAdd ? 'Add the rule' : 'Only admins can change rules' }, 'Add rule'))),
    h('p', { class: 'small', id: 'rule-result', role: 'status' }));
  els.rules.replaceChildren(h('h2', { id: 'ru-title' }, 'Alert rules'), form,
    h('p', { class: 'small muted' }, rules.length + ' rules.'),
    rules.length ? h('div', { class: 'table-wrap scroll-y', tabindex: 0, 'aria-label': 'Alert rules' }, h('table', { id: 'rules-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Rule'), h('th', {}, 'Type'), h('th', {}, 'Channel'), h('th', {}, 'Priority'), h('th', { class: 'num' }, 'Cooldown'), h('th', {}, ''))),
      h('tbody', {}, rules.map(r => h('tr', { dataset: { rule: r.name } },
        h('td', { class: 'mono' }, r.name), h('td', { class: 'small' }, String(r.type || '').toLowerCase().replace(/_/g, ' ')),
        h('td', { class: 'small mono' }, r.channel || (r.trigger && r.trigger !== 'reading' ? r.trigger : '–')),
        h('td', {}, badge(String(r.priority || '').toLowerCase(), 'pr-' + String(r.priority || '').toLowerCase())),
        h('td', { class: 'num' }, typeof r.cooldown_seconds === 'number' ? Math.round(r.cooldown_seconds / 60) + ' min' : ''),
        h('td', {}, h('button', { type: 'button', class: 'btn btn-small btn-danger rule-remove', disabled: !canRemove,
          'aria-label': 'Remove rule ' + r.name, title: canRemove ? 'Remove this rule' : 'Only admins can change rules',
          onclick: () => removeRule(r.name) }, 'Remove')))))))
      : h('p', { class: 'empty' }, 'No rules configured.'));
  fillRuleChannels();
}

function fillRuleChannels() {
  const sel = document.getElementById('ru-channel');
  if (!sel || sel.options.length || !channelOptions.length) return;
  sel.replaceChildren(...channelOptions.map(c => h('option', { value: c.name }, c.name + (c.unit ? ' (' + c.unit + ')' : ''))));
}

function prefillRule(c) {
  const form = document.getElementById('rule-form');
  if (!form) return;
  form.channel.value = c.name;
  form.direction.value = 'above';
  form.limit.value = c.normal_max;
  form.name.value = c.name + '_high';
  form.name.focus();
}

async function addRule(form) {
  const out = document.getElementById('rule-result');
  const limit = Number(form.limit.value), cooldown = Number(form.cooldown.value);
  if (form.limit.value === '' || !Number.isFinite(limit)) { out.textContent = 'Threshold must be a number.'; out.className = 'small error'; return; }
  if (!Number.isInteger(cooldown) || cooldown < 0) { out.textContent = 'Cooldown must be a whole number of minutes.'; out.className = 'small error'; return; }
  const body = { name: form.name.value.trim(), channel: form.channel.value, priority: form.priority.value, cooldown_minutes: cooldown };
  body[form.direction.value] = limit;
  try {
    await apiIf('/api/rules', '/api/rules', { method: 'POST', body });
    toast('Rule ' + body.name + ' added.');
    await loadRules();
    const again = document.getElementById('rule-result');
    if (again) { again.textContent = 'Rule ' + body.name + ' added.'; again.className = 'small'; }
  } catch (e) {
    out.textContent = (e.status === 403 ? 'Refused: ' : 'Not added: ') + e.message;
    out.className = 'small error';
  }
}

async function removeRule(name) {
  try {
    await apiIf('/api/rules/{name}', '/api/rules/' + encodeURIComponent(name), { method: 'DELETE' });
    toast('Rule ' + name + ' removed.');
    loadRules();
  } catch (e) {
    toast('Rule ' + name + ' not removed: ' + e.message, true);
  }
}

/* ---------- silences ---------- */

async function loadSilences() {
  let list;
  try { list = listOf(await apiIf('/api/alerts/silences', '/api/alerts/silences'), 'silences'); } catch (e) { fail(els.silences, 'Silences', 'Silences', e); return; }
  if (!root) return;
  const mayAct = auth.can('operator');
  const devices = [...state.devices.keys()].sort();
  const form = h('form', { id: 'silence-form', class: 'row', onsubmit: e => { e.preventDefault(); addSilence(form); } },
    h('div', {}, h('label', { for: 'si-device' }, 'Device (empty: any)'),
      h('input', { id: 'si-device', name: 'device_id', list: 'si-devices', disabled: !mayAct, style: 'width:10rem' }),
      h('datalist', { id: 'si-devices' }, devices.map(d => h('option', { value: d })))),
    h('div', {}, h('label', { for: 'si-rule' }, 'Rule (empty: any)'), h('input', { id: 'si-rule', name: 'rule', disabled: !mayAct, style: 'width:10rem' })),
    h('div', {}, h('label', { for: 'si-minutes' }, 'Minutes'), h('input', { id: 'si-minutes', name: 'minutes', type: 'number', min: 1, max: 10080, value: 60, disabled: !mayAct, style: 'width:6rem' })),
    h('div', {}, h('label', { for: 'si-comment' }, 'Comment'), h('input', { id: 'si-comment', name: 'comment', maxlength: 500, disabled: !mayAct, style: 'width:12rem' })),
    h('div', {}, h('button', { type: 'submit', class: 'btn', disabled: !mayAct }, 'Silence')));
  els.silences.replaceChildren(h('h2', { id: 'si-title' }, 'Silences'),
    h('p', { class: 'small muted' }, 'A silence keeps matching alerts from notifying until it ends.'),
    list.length ? h('table', { id: 'silences-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'Device'), h('th', {}, 'Rule'), h('th', {}, 'Until'), h('th', {}, 'By'), h('th', {}, 'Comment'), h('th', {}, ''))),
      h('tbody', {}, list.map(s => h('tr', {},
        h('td', { class: 'mono' }, s.device_id || 'any'), h('td', {}, s.rule || 'any'), h('td', {}, when(s.until)), h('td', {}, s.created_by || ''), h('td', {}, s.comment || ''),
        h('td', {}, h('button', { type: 'button', class: 'btn btn-small', disabled: !mayAct, onclick: () => removeSilence(s) }, 'End'))))))
      : h('p', { class: 'empty' }, 'No active silences.'),
    form);
}

async function addSilence(form) {
  const minutes = Number(form.minutes.value);
  if (!Number.isInteger(minutes) || minutes < 1) { toast('Minutes must be a whole number ≥ 1', true); return; }
  const body = { duration_minutes: minutes };
  if (form.device_id.value.trim()) body.device_id = form.device_id.value.trim();
  if (form.rule.value.trim()) body.rule = form.rule.value.trim();
  if (form.comment.value.trim()) body.comment = form.comment.value.trim();
  if (!body.device_id && !body.rule) { toast('A silence needs a device, a rule or both.', true); return; }
  try {
    await apiIf('/api/alerts/silences', '/api/alerts/silences', { method: 'POST', body });
    toast('Silence added.');
    loadSilences();
  } catch (e) {
    toast('Silence not added: ' + e.message, true);
  }
}

async function removeSilence(s) {
  try {
    await apiIf('/api/alerts/silences/{id}', '/api/alerts/silences/' + encodeURIComponent(s.id), { method: 'DELETE' });
    toast('Silence ended.');
    loadSilences();
  } catch (e) {
    toast('Could not end the silence: ' + e.message, true);
  }
}

/* ---------- notifications ---------- */

function target(n) {
  const d = n.details || {};
  switch (n.kind) {
    case 'log': return 'server log';
    case 'hub': return 'live stream';
    case 'webhook': return (d.scheme || 'http') + '://' + (d.host || '?');
    case 'email': return (d.enabled === false ? 'disabled: ' : '') + (d.host || '?') + ':' + (d.port ?? '?')
      + (d.from ? ', from ' + d.from : '') + ', ' + (d.recipients ?? 0) + ' recipient' + (d.recipients === 1 ? '' : 's');
    default: return Object.entries(d).map(([k, v]) => k + ' ' + v).join(', ');
  }
}

async function loadNotifications() {
  const admin = auth.can('admin');
  // The list is for operators and admins (the server answers 403 to others): viewers are not even asked.
  let list = null, note = '';
  if (auth.can('operator')) {
    try { list = listOf(await apiIf('/api/notifications', '/api/notifications'), 'notifiers'); } catch (e) {
      if (e.status === 503) note = 'No alert manager is configured on this server, so nothing is notified.';
      else { fail(els.notify, 'Notifications', 'Notification settings', e); return; }
    }
  } else {
    note = 'Notifier details are shown to operators and admins.';
  }
  if (!root) return;
  const canTest = admin && list !== null && list.length > 0 && await supports('POST', '/api/notifications/test');
  const why = !admin ? 'Only admins can send test notifications.' : list === null ? 'There are no notifiers to test.'
    : !list.length ? 'No notifiers are configured.' : 'Sends a marked test message through the chosen notifiers; no alert is created.';
  const choice = h('select', { id: 'notify-target', 'aria-label': 'Notifier to test', disabled: !canTest },
    h('option', { value: '' }, 'All notifiers'), (list || []).map(n => h('option', { value: n.name }, n.name)));
  const results = h('div', { id: 'notify-results', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'btn btn-primary', id: 'notify-test', disabled: !canTest, title: why,
    onclick: () => sendTest(button, choice, results) }, 'Send test notification');
  els.notify.replaceChildren(h('h2', { id: 'no-title' }, 'Notifications'),
    list === null ? h('p', { class: 'small muted', id: 'notify-note' }, note)
      : list.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'notifiers-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Notifier'), h('th', {}, 'Kind'), h('th', {}, 'Target'), h('th', { class: 'num' }, 'Sent'), h('th', { class: 'num' }, 'Failed'))),
        h('tbody', {}, list.map(n => h('tr', { dataset: { notifier: n.name } },
          h('td', { class: 'mono' }, n.name), h('td', {}, n.kind), h('td', { class: 'small' }, target(n)),
          h('td', { class: 'num' }, n.sent ?? ''), h('td', { class: 'num' }, n.failed ?? ''))))))
      : h('p', { class: 'empty' }, 'No notifiers configured: alerts are only kept in the alert history.'),
    h('div', { class: 'row', style: 'margin-top:.5rem' }, choice, button),
    h('p', { class: 'small muted', id: 'notify-why' }, why),
    results);
}

async function sendTest(button, choice, results) {
  button.disabled = true;
  results.replaceChildren(h('p', { class: 'small' }, 'Sending… (waits up to 15 s for slow servers)'));
  try {
    const body = choice.value ? { notifier: choice.value } : {};
    const r = await apiIf('/api/notifications/test', '/api/notifications/test', { method: 'POST', body });
    if (!root) return;
    const rows = listOf(r, 'results');
    results.replaceChildren(h('p', { class: 'small' }, (r.sent ?? 0) + ' of ' + rows.length + ' sent.'),
      h('table', { id: 'notify-results-table' }, h('tbody', {}, rows.map(x => h('tr', { dataset: { notifier: x.notifier, outcome: x.outcome } },
        h('td', { class: 'mono' }, x.notifier),
        h('td', {}, badge(x.outcome, x.outcome === 'sent' ? 'st-normal' : x.outcome === 'failed' ? 'st-critical' : 'st-warning')),
        h('td', { class: 'small' + (x.error ? ' error' : '') }, x.error || (x.millis + ' ms')))))));
    toast('Test notification: ' + (r.sent ?? 0) + ' of ' + rows.length + ' sent.', (r.sent ?? 0) < rows.length);
  } catch (e) {
    results.replaceChildren(h('p', { class: 'small error' }, 'Test not sent: ' + e.message));
  } finally {
    button.disabled = false;
  }
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
  // Backend details are for operators and admins (the server answers 403 to others): not even asked for.
  const allowed = auth.can('operator');
  let info = null, note = '';
  if (allowed) {
    try { info = await apiIf('/api/storage', '/api/storage'); } catch (e) {
      if (!isMissing(e)) toast('Storage info: ' + e.message, true);
      note = isMissing(e) ? 'Backend and retention details are not available from this server.' : '';
    }
  } else {
    note = 'Backend and retention details are shown to operators and admins.';
  }
  if (!root) return;
  if (info) {
    add('Backend', info.backend + (info.implementation ? ' (' + info.implementation + ')' : ''));
    if (info.location) add('Location', h('span', { class: 'mono' }, info.location));
    add('Retention', typeof info.retention_days === 'number'
      ? fmt(info.retention_days, info.retention_days % 1 ? 2 : 0) + ' days' : 'not configured');
    if (info.last_reading) add('Newest reading', when(info.last_reading));
  }
  els.storage.dataset.backend = info ? info.backend : '';
  els.storage.replaceChildren(h('h2', { id: 'st-title' }, 'Data and storage'), h('table', { id: 'storage-table' }, h('tbody', {}, rows)),
    note ? h('p', { class: 'small muted', id: 'storage-note' }, note) : '');
}
