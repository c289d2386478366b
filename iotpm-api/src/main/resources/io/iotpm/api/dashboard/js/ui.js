// Small DOM helpers shared by the pages.

/** Creates an element: h('div', {class: 'x', onclick: fn}, child, 'text', ...). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/**
 * Escapes text for the few places that render HTML: ECharts tooltip formatter strings. Every server
 * string (alert messages, event details, channel names) goes through it there; elsewhere pages build
 * DOM nodes with h(), whose text is never parsed as HTML.
 */
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

export function toast(message, error = false) {
  const box = document.getElementById('toasts');
  const t = h('div', { class: 'toast' + (error ? ' err' : '') }, message);
  box.append(t);
  setTimeout(() => t.remove(), error ? 8000 : 4000);
}

export function fmt(v, digits = 2) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (typeof v !== 'number') return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(digits);
}

export function pct(v) {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : (v * 100).toFixed(1) + ' %';
}

export function when(ts) {
  if (!ts) return '–';
  const d = new Date(ts);
  return isNaN(d) ? String(ts) : d.toLocaleString();
}

export function statusClass(status) {
  const s = String(status || 'unknown').toLowerCase();
  return 'st-' + (['normal', 'warning', 'critical', 'failed'].includes(s) ? s : 'unknown');
}

export function badge(text, cls) {
  return h('span', { class: 'badge ' + cls }, text);
}

/** A notice shown where an API endpoint is missing, so a page degrades instead of failing. */
export function missing(what) {
  return h('p', { class: 'notice warn' }, 'Not available from this server: ' + what + ' (the API offers no endpoint for it).');
}

/** Triggers a browser download of text content. */
export function download(name, text, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
