// Model page, drift card: per device group and channel, the PSI of the live readings against the model's
// training data (GET /api/drift), one bar per channel with the alert threshold marked.
import { apiIf, supports } from '../api.js';
import { h, fmt, badge } from '../ui.js';

const REFRESH_MS = 15000;
let card = null, timer = null;

/** Fills {@code section} with the drift bars, or leaves it hidden when the server has no drift monitor. */
export async function mountDrift(section) {
  card = section;
  if (!(await supports('GET', '/api/drift'))) return;
  section.hidden = false;
  await load();
}

export function unmountDrift() {
  clearTimeout(timer);
  timer = null;
  card = null;
}

async function load() {
  if (!card) return;
  try {
    render(await apiIf('/api/drift', '/api/drift'));
  } catch (e) {
    if (card) card.replaceChildren(h('h2', {}, 'Input drift'), h('p', { class: 'error' }, e.message));
  }
  if (card) timer = setTimeout(load, REFRESH_MS);
}

/** Sets one length through the CSSOM, which a strict style-src policy allows (a style attribute it does not). */
function sized(el, property, value) {
  el.style[property] = value;
  return el;
}

const LEVEL_CLASS = { NONE: 'st-normal', MODERATE: 'st-warning', MAJOR: 'st-critical' };

function render(body) {
  const threshold = Number(body.threshold) || 0.2;
  const channels = Array.isArray(body.channels) ? body.channels : [];
  // The bar's scale: at least twice the threshold, so the threshold mark sits mid-bar or left of it.
  const scale = Math.max(2 * threshold, ...channels.map(c => Number(c.psi) || 0));
  const width = v => Math.max(0, Math.min(100, (v / scale) * 100)).toFixed(1) + '%';
  const groups = [...new Set(channels.map(c => String(c.group)))];
  card.replaceChildren(
    h('h2', { id: 'drift-title' }, 'Input drift'),
    h('p', { class: 'muted' }, 'Population stability index of the last ', String(body.window), ' readings per group'
      + ' against the model\'s training data; the mark is the alert threshold ', fmt(threshold, 2),
      ' (below 0.1 no shift, 0.1–0.25 moderate, above 0.25 major).'),
    channels.length ? '' : h('p', { class: 'empty' }, 'No live readings yet.'),
    ...groups.map(g => h('div', { class: 'drift-group', 'data-group': g },
      groups.length > 1 ? h('h3', {}, g) : '',
      h('table', { class: 'table drift-table' },
        h('thead', {}, h('tr', {}, ['Channel', 'PSI', '', 'Level', 'Readings'].map(t => h('th', {}, t)))),
        h('tbody', {}, channels.filter(c => String(c.group) === g).map(c => h('tr',
          { 'data-channel': String(c.channel), class: c.drifting ? 'drifting' : '' },
          h('td', {}, String(c.channel)),
          h('td', { class: 'num' }, fmt(Number(c.psi), 3)),
          h('td', { class: 'drift-cell' }, h('div', { class: 'drift-bar', role: 'img',
            'aria-label': 'PSI ' + fmt(Number(c.psi), 3) + ' of threshold ' + fmt(threshold, 2) },
          sized(h('div', { class: 'drift-fill ' + (LEVEL_CLASS[c.level] || 'st-normal') }), 'width', width(Number(c.psi) || 0)),
          sized(h('div', { class: 'drift-mark' }), 'left', width(threshold)))),
          h('td', {}, c.ready ? badge(String(c.level).toLowerCase(), LEVEL_CLASS[c.level] || 'st-normal')
            : badge('warming up', 'st-unknown')),
          h('td', { class: 'num' }, String(c.count)))))))));
}
