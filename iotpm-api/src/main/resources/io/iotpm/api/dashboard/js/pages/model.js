// Model: the current model card, a training form (admin), live progress with loss curves, and the
// evaluation (confusion matrix, precision/recall/F1, ROC) when a job ends.
import { api, apiIf, auth, isMissing } from '../api.js';
import { bus, listOf, state } from '../state.js';
import { h, toast, fmt, pct, when, missing } from '../ui.js';
import { chart, disposeAll, resizeAll, base } from '../charts.js';
import { mountRegistry, unmountRegistry } from './registry.js';
import { mountDrift, unmountDrift } from './drift.js';

let root, els = {}, charts = [], off = [], poll = null, job = null, lossChart = null, rocChart = null;

const FIELDS = [
  ['epochs', 'Epochs', 5, 1, 1000],
  ['hours', 'History to train on (hours)', 24, 1, 24 * 365],
];

export async function mount(view) {
  root = view;
  els = {};
  const admin = auth.can('admin');
  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Model')),
    h('div', { class: 'grid2' },
      els.card = h('section', { class: 'card', id: 'model-card', 'aria-labelledby': 'mc-title' },
        h('h2', { id: 'mc-title' }, 'Current model'), h('p', { class: 'empty' }, 'Loading…')),
      h('section', { class: 'card', 'aria-labelledby': 'tr-title' },
        h('h2', { id: 'tr-title' }, 'Train a model'),
        admin ? '' : h('p', { class: 'notice' }, 'Only admins can start training; you can follow jobs here.'),
        els.form = h('form', { id: 'train-form', onsubmit: e => { e.preventDefault(); start(); } },
          h('div', { class: 'row' }, FIELDS.map(([name, label, value, min, max]) => h('div', {},
            h('label', { for: 'tr-' + name }, label),
            h('input', { id: 'tr-' + name, name, type: 'number', value, min, max, step: 1, required: true, disabled: !admin, style: 'width:8rem' }))),
            h('div', {}, h('label', { for: 'tr-devices' }, 'Devices (none chosen: all)'),
              els.devices = h('select', { id: 'tr-devices', name: 'devices', multiple: true, size: 3, disabled: !admin, style: 'min-width:10rem' },
                [...state.devices.keys()].sort().map(d => h('option', { value: d }, d))))),
          h('div', { class: 'row', style: 'margin-top:.75rem' },
            els.startBtn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'train-start', disabled: !admin }, 'Start training'))),
        els.progress = h('div', { id: 'train-progress', style: 'margin-top:1rem' }))),
    h('section', { class: 'card', style: 'margin-top:1rem', 'aria-labelledby': 'loss-title' },
      h('h2', { id: 'loss-title' }, 'Loss curves'),
      els.loss = h('div', { class: 'chart tall', id: 'loss-chart', role: 'img', 'aria-label': 'Training and validation loss per epoch' })),
    els.evalBox = h('section', { class: 'card', style: 'margin-top:1rem', id: 'evaluation', 'aria-labelledby': 'ev-title' },
      h('h2', { id: 'ev-title' }, 'Evaluation'), h('p', { class: 'empty' }, 'Results appear when a training job ends.')),
    els.registry = h('section', { class: 'card', style: 'margin-top:1rem', id: 'registry-card', hidden: true }),
    els.drift = h('section', { class: 'card', style: 'margin-top:1rem', id: 'drift-card', hidden: true }));
  lossChart = chart(els.loss);
  charts.push(lossChart);
  drawLoss([]);
  off.push(bus.on('resize', resizeAll));
  off.push(bus.on('training', j => { if (!job || sameJob(j, job)) show(j); }));
  await Promise.all([loadCard(), loadLastJob(), loadDevices(), mountRegistry(els.registry), mountDrift(els.drift)]);
}

export function unmount() {
  unmountRegistry();
  unmountDrift();
  off.forEach(f => f());
  off = [];
  clearTimeout(poll);
  poll = null;
  disposeAll(charts);
  lossChart = rocChart = null;
  root = null;
  job = null;
}

async function loadDevices() {
  if (state.devices.size) return;
  try {
    const list = listOf(await api('/api/devices'), 'devices').map(d => d.device_id || d).sort();
    if (root) els.devices.replaceChildren(...list.map(d => h('option', { value: d }, d)));
  } catch (e) { /* the job then trains on every device, which the server chooses */ }
}

function pick(o, keys) {
  if (!o) return null;
  const out = {};
  for (const k of keys) if (typeof o[k] === 'number') out[k] = o[k];
  return out;
}

function jobId(j) { return j && String(j.id ?? j.job_id); }
function sameJob(a, b) { return jobId(a) === jobId(b); }
function status(j) { return String(j.status || j.state || '').toUpperCase(); }
function done(j) { return ['SUCCEEDED', 'COMPLETED', 'DONE', 'FINISHED', 'FAILED', 'CANCELLED', 'CANCELED', 'ERROR'].includes(status(j)); }

async function loadCard() {
  let m;
  try {
    m = await api('/api/model');
  } catch (e) {
    if (root) els.card.replaceChildren(h('h2', {}, 'Current model'), isMissing(e) ? missing('Model information') : h('p', { class: 'error' }, e.message));
    return;
  }
  // The model endpoint describes the served predictor; its training date and metrics come from the
  // newest successful training job, when this server runs jobs.
  let trained = null;
  try {
    const jobs = listOf(await apiIf('/api/model/jobs', '/api/model/jobs'), 'jobs');
    trained = jobs.filter(j => status(j) === 'SUCCEEDED').sort((a, b) => Number(b.id) - Number(a.id))[0] || null;
  } catch (e) { /* no jobs: the card shows what /api/model says */ }
  if (!root) return;
  const rows = [];
  const add = (k, v) => { if (v !== undefined && v !== null && v !== '') rows.push(h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v))); };
  const loaded = m.loaded !== false;
  add('Status', loaded ? 'loaded' : 'no model loaded');
  add('Type', m.type || m.model_type);
  add('Version', m.version || m.model_version);
  add('Schema', m.schema);
  add('Window', m.sequence_length !== undefined && m.sequence_length !== null ? m.sequence_length + ' steps' : undefined);
  if (typeof m.min_history === 'number' && m.min_history !== m.sequence_length) add('Shortest history', m.min_history + ' steps (padded)');
  add('Horizon', m.horizon !== undefined && m.horizon !== null ? m.horizon + ' steps' : undefined);
  add('Trained', m.trained_at ? when(m.trained_at) : trained && loaded ? when(trained.finished_at) + ' by ' + trained.requested_by + ' (job ' + trained.id + ')' : undefined);
  if (!(m.version || m.model_version) && trained && loaded && trained.model_version) add('Version', trained.model_version);
  add('Threshold', typeof m.threshold === 'number' ? fmt(m.threshold, 3) : undefined);
  const metrics = m.metrics || m.validation_metrics || (trained && loaded ? pick(trained.metrics, ['accuracy', 'precision', 'recall', 'f1', 'roc_auc']) : null);
  if (metrics && typeof metrics === 'object') {
    const ratio = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc'];
    for (const [k, v] of Object.entries(metrics)) {
      add(k.replace(/_/g, ' '), typeof v !== 'number' ? String(v) : ratio.includes(k) ? pct(v) : fmt(v, 3));
    }
  }
  const chs = m.channels || [];
  els.card.replaceChildren(h('h2', {}, 'Current model'),
    h('table', {}, h('tbody', {}, rows)),
    chs.length ? h('p', { class: 'small muted' }, 'Channels: ' + chs.map(c => typeof c === 'string' ? c : c.name).join(', ')) : '');
}

async function loadLastJob() {
  try {
    const jobs = listOf(await apiIf('/api/model/jobs', '/api/model/jobs'), 'jobs');
    if (jobs.length && root) {
      const last = jobs.reduce((a, b) => Number(b.id) > Number(a.id) ? b : a);
      show(last);
      if (!done(last)) follow(last);
    }
  } catch (e) {
    if (!root) return;
    if (isMissing(e)) {
      els.progress.replaceChildren(missing('Model training'));
      for (const el of els.form.elements) el.disabled = true;
    }
  }
}

async function start() {
  const v = {};
  for (const [name, label, , min, max] of FIELDS) {
    const n = Number(els.form[name].value);
    if (!Number.isInteger(n) || n < min || n > max) {
      toast(label + ' must be a whole number from ' + min + ' to ' + max + ', but was ' + els.form[name].value, true);
      els.form[name].focus();
      return;
    }
    v[name] = n;
  }
  const body = { epochs: v.epochs, from: new Date(Date.now() - v.hours * 3600e3).toISOString() };
  const devices = [...els.devices.selectedOptions].map(o => o.value);
  if (devices.length) body.device_ids = devices;
  els.startBtn.disabled = true;
  try {
    const j = await apiIf('/api/model/train', '/api/model/train', { method: 'POST', body });
    toast('Training job ' + jobId(j) + ' started.');
    show(j);
    follow(j);
  } catch (e) {
    els.startBtn.disabled = false;
    if (isMissing(e)) els.progress.replaceChildren(missing('Model training'));
    else toast('Could not start training: ' + e.message, true);
  }
}

function follow(j) {
  clearTimeout(poll);
  const tick = async () => {
    if (!root) return;
    try {
      const cur = await apiIf('/api/model/jobs/{id}', '/api/model/jobs/' + encodeURIComponent(jobId(j)));
      show(cur);
      if (done(cur)) {
        els.startBtn.disabled = !auth.can('admin');
        if (status(cur) !== 'FAILED') { state.model = null; loadCard(); }
        return;
      }
    } catch (e) {
      if (isMissing(e)) return;
    }
    poll = setTimeout(tick, 1000);
  };
  poll = setTimeout(tick, 500);
}

async function cancel(j) {
  try {
    show(await apiIf('/api/model/jobs/{id}/cancel', '/api/model/jobs/' + encodeURIComponent(jobId(j)) + '/cancel', { method: 'POST' }));
    toast('Cancelling job ' + jobId(j) + '…');
  } catch (e) {
    toast('Could not cancel: ' + e.message, true);
  }
}

function history(j) {
  const list = j.history || j.epoch_history || (Array.isArray(j.epochs) ? j.epochs : []) || [];
  return list.map(e => ({
    epoch: e.epoch,
    train: e.train_loss ?? e.loss,
    val: e.validation_loss ?? e.val_loss,
    metric: e.validation_metric,
  }));
}

function show(j) {
  if (!root || !j) return;
  job = j;
  const st = status(j);
  const hist = history(j);
  if (!done(j)) els.startBtn.disabled = true;
  const max = j.max_epochs ?? j.total_epochs ?? (typeof j.epochs === 'number' ? j.epochs : null) ?? (j.params && j.params.epochs);
  const epoch = j.epoch ?? j.current_epoch ?? (hist.length ? hist[hist.length - 1].epoch : 0);
  els.progress.replaceChildren(
    h('p', { id: 'job-status', dataset: { status: st, job: jobId(j) } },
      h('strong', {}, 'Job ' + jobId(j) + ': '), st.toLowerCase(),
      max ? ' · epoch ' + (epoch || 0) + ' of ' + max : '', j.stage && !done(j) ? ' · ' + j.stage : '',
      j.error || j.message ? h('span', { class: st === 'FAILED' ? 'error' : 'muted' }, ' · ' + (j.error || j.message)) : ''),
    max ? h('progress', { max, value: done(j) ? max : epoch, 'aria-label': 'Training progress' }) : '',
    !done(j) && auth.can('admin') ? h('button', { type: 'button', class: 'btn btn-small btn-danger', id: 'train-cancel',
      style: 'margin-top:.5rem', onclick: () => cancel(j) }, 'Cancel job') : '');
  drawLoss(hist);
  if (done(j)) renderEvaluation(j);
}

function drawLoss(hist) {
  if (!lossChart) return;
  els.loss.dataset.epochs = String(hist.length);
  lossChart.setOption({
    ...base, legend: { top: 0, right: 8 },
    graphic: [{ type: 'text', left: 'center', top: 'middle', invisible: hist.length > 0,
      style: { text: 'No training epochs yet', fill: '#8a93a3', fontSize: 14 } }],
    xAxis: { type: 'category', name: 'epoch', data: hist.map(e => e.epoch), nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'value', name: 'loss', scale: true },
    series: [
      { name: 'training', type: 'line', data: hist.map(e => e.train ?? null) },
      { name: 'validation', type: 'line', data: hist.map(e => (typeof e.val === 'number' && Number.isFinite(e.val)) ? e.val : null) },
    ],
  }, { replaceMerge: ['series'] });
}

function metricsOf(j) {
  const r = j.result || j.report || {};
  return { ...(r.validation_metrics || {}), ...(r.metrics || {}), ...(j.metrics || {}), ...(j.evaluation || {}), ...(r.evaluation || {}) };
}

function confusion(m) {
  if (Array.isArray(m.confusion_matrix)) return m.confusion_matrix;
  const tp = m.true_positives ?? m.tp, fp = m.false_positives ?? m.fp, tn = m.true_negatives ?? m.tn, fn = m.false_negatives ?? m.fn;
  return [tp, fp, tn, fn].every(v => typeof v === 'number') ? [[tn, fp], [fn, tp]] : null;
}

function rocPoints(m) {
  const r = m.roc || m.roc_curve;
  if (!r) return null;
  if (Array.isArray(r)) return r.map(p => Array.isArray(p) ? p : [p.fpr, p.tpr]);
  if (Array.isArray(r.fpr) && Array.isArray(r.tpr)) return r.fpr.map((f, i) => [f, r.tpr[i]]);
  return null;
}

function renderEvaluation(j) {
  if (rocChart) { disposeAll([rocChart]); charts = charts.filter(c => c !== rocChart); rocChart = null; }
  const m = metricsOf(j);
  const kids = [h('h2', { id: 'ev-title' }, 'Evaluation')];
  if (status(j) === 'FAILED') {
    els.evalBox.replaceChildren(...kids, h('p', { class: 'error' }, 'Training failed: ' + (j.error || j.message || 'no reason given')));
    return;
  }
  const names = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc', 'brier', 'threshold', 'rmse', 'mae', 'r2'];
  const present = names.filter(n => typeof m[n] === 'number');
  kids.push(present.length
    ? h('table', { id: 'eval-metrics', style: 'max-width: 520px' }, h('tbody', {}, present.map(n =>
        h('tr', {}, h('th', { scope: 'row' }, n.replace('_', '-').toUpperCase().replace('F1', 'F1')), h('td', { class: 'num' }, ['threshold', 'rmse', 'mae', 'r2', 'brier'].includes(n) ? fmt(m[n], n === 'brier' ? 4 : 3) : pct(m[n]))))))
    : h('p', { class: 'muted' }, 'The job reported no classification metrics.'));
  const others = Object.entries(m).filter(([k, x]) => !names.includes(k) && typeof x === 'number' && !/^(true|false)_/.test(k) && !['tp', 'fp', 'tn', 'fn'].includes(k));
  if (others.length) kids.push(h('p', { class: 'small muted', id: 'eval-other' }, others.map(([k, x]) => k.replace(/_/g, ' ') + ' ' + fmt(x, 3)).join(' · ')));
  if (j.model_version) kids.push(h('p', { class: 'small muted' }, 'Model ' + j.model_version + (j.finished_at ? ', trained ' + when(j.finished_at) : '') + (j.requested_by ? ' by ' + j.requested_by : '') + '.'));
  const rel = (j.evaluation && j.evaluation.reliability) || [];
  if (rel.length) {
    kids.push(h('h3', {}, 'Reliability (calibrated probability vs. observed failures)'),
      h('table', { id: 'reliability', class: 'small', style: 'max-width: 520px' },
        h('thead', {}, h('tr', {}, ['probability', 'windows', 'mean predicted', 'observed'].map(t => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rel.map(b => h('tr', {}, h('td', {}, fmt(b.from, 1) + '–' + fmt(b.to, 1)),
          h('td', { class: 'num' }, String(b.count)), h('td', { class: 'num' }, pct(b.mean_predicted)),
          h('td', { class: 'num' }, pct(b.observed_rate)))))));
  }
  const cm = confusion(m);
  const row = h('div', { class: 'grid2', style: 'margin-top:1rem' });
  if (cm) {
    const total = cm.flat().reduce((a, b) => a + b, 0) || 1;
    const cell = (v, good) => h('td', { style: 'background:' + (good ? 'rgba(27,135,63,' : 'rgba(198,40,40,') + (0.12 + 0.6 * v / total).toFixed(2) + ')' }, String(v));
    row.append(h('div', {}, h('h3', {}, 'Confusion matrix'),
      h('table', { class: 'cm', id: 'confusion-matrix' },
        h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { scope: 'col' }, 'predicted OK'), h('th', { scope: 'col' }, 'predicted failure'))),
        h('tbody', {},
          h('tr', {}, h('th', { scope: 'row' }, 'actual OK'), cell(cm[0][0], true), cell(cm[0][1], false)),
          h('tr', {}, h('th', { scope: 'row' }, 'actual failure'), cell(cm[1][0], false), cell(cm[1][1], true))))));
  }
  const roc = rocPoints(m);
  const rocBox = h('div', {}, h('h3', {}, 'ROC curve'));
  let rocEl = null;
  if (roc && roc.length) {
    rocEl = h('div', { class: 'chart tall', id: 'roc-chart', role: 'img', 'aria-label': 'ROC curve', dataset: { points: String(roc.length) } });
    rocBox.append(rocEl);
  } else {
    rocBox.append(h('p', { class: 'muted small' }, typeof m.roc_auc === 'number'
      ? 'ROC-AUC ' + fmt(m.roc_auc, 3) + '; the job reported no curve points.' : 'The job reported no ROC curve.'));
  }
  row.append(rocBox);
  kids.push(row);
  els.evalBox.replaceChildren(...kids);
  if (rocEl) {
    rocChart = chart(rocEl);
    charts.push(rocChart);
    rocChart.setOption({
      ...base, tooltip: { trigger: 'item' },
      xAxis: { type: 'value', min: 0, max: 1, name: 'false positive rate', nameLocation: 'middle', nameGap: 24 },
      yAxis: { type: 'value', min: 0, max: 1, name: 'true positive rate' },
      series: [
        { name: 'ROC', type: 'line', showSymbol: false, data: roc, areaStyle: { opacity: 0.08 } },
        { name: 'chance', type: 'line', showSymbol: false, data: [[0, 0], [1, 1]], lineStyle: { type: 'dashed', color: '#999' } },
      ],
    });
  }
}
