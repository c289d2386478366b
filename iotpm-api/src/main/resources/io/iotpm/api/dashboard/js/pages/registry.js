// Model page, registry card: the stored models of the server's schema (GET /api/models), the active one
// marked, and for admins activate / roll back, which switch the model predictions come from at once.
import { apiIf, auth, supports } from '../api.js';
import { h, toast, fmt, when, badge } from '../ui.js';

let card = null;

/** Fills {@code section} with the registry, or leaves it hidden when the server keeps none. */
export async function mountRegistry(section) {
  card = section;
  if (!(await supports('GET', '/api/models'))) return;
  section.hidden = false;
  await load();
}

export function unmountRegistry() {
  card = null;
}

async function load() {
  if (!card) return;
  try {
    const body = await apiIf('/api/models', '/api/models');
    render(body.models || []);
  } catch (e) {
    if (card) card.replaceChildren(h('h2', {}, 'Model registry'), h('p', { class: 'error' }, e.message));
  }
}

function render(models) {
  const admin = auth.can('admin');
  const rows = models.slice().reverse().map(m => h('tr', { 'data-version': m.version },
    h('td', {}, m.version, ' ', m.active ? badge('active', 'st-normal') : ''),
    h('td', {}, m.kind),
    h('td', {}, m.registered_by),
    h('td', {}, when(m.registered_at)),
    h('td', {}, m.metrics && typeof m.metrics.roc_auc === 'number' ? fmt(m.metrics.roc_auc, 3) : '–'),
    h('td', {}, admin && !m.active ? h('button', { class: 'btn', id: 'activate-' + m.version,
      onclick: () => change('/api/models/{id}/activate', '/api/models/' + encodeURIComponent(m.version) + '/activate') },
    'Activate') : '')));
  card.replaceChildren(
    h('h2', { id: 'rg-title' }, 'Model registry'),
    models.length ? h('table', { class: 'table', id: 'registry-table' },
      h('thead', {}, h('tr', {}, ['Version', 'Kind', 'Registered by', 'When', 'ROC-AUC', ''].map(t => h('th', {}, t)))),
      h('tbody', {}, rows)) : h('p', { class: 'empty' }, 'No model stored yet.'),
    admin ? h('div', { class: 'row', style: 'margin-top:.75rem' },
      h('button', { class: 'btn', id: 'registry-rollback', onclick: () => change('/api/models/rollback', '/api/models/rollback') },
        'Roll back to the previous model')) : '');
}

async function change(template, path) {
  try {
    const e = await apiIf(template, path, { method: 'POST' });
    toast('Model ' + e.version + ' is now active');
  } catch (err) {
    toast(err.message, true);
  }
  await load();
}
