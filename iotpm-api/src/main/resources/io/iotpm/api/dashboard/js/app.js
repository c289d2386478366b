// Shell of the single-page dashboard: login, hash router, live stream, shared device state.
import { auth, ApiError, openStream, supports } from './api.js';
import { state, bus, ingestReading, ingestPrediction, ingestAlert, resetState } from './state.js';
import { toast } from './ui.js';
import * as live from './pages/live.js';
import * as analysis from './pages/analysis.js';
import * as model from './pages/model.js';
import * as settings from './pages/settings.js';

const pages = { live, analysis, model, settings };
const view = document.getElementById('view');
const topbar = document.getElementById('topbar');
const conn = document.getElementById('conn');
let current = null;
let stream = null;

// Uncaught errors are shown, not swallowed: the browser test fails on any console error.
window.addEventListener('unhandledrejection', e => {
  const err = e.reason;
  if (err instanceof ApiError && err.status === 401) { e.preventDefault(); return; }
  toast(String(err && err.message || err), true);
});

auth.onExpired(message => {
  stopStream();
  resetState();
  showLogin(message);
});

document.getElementById('logout').addEventListener('click', async () => {
  stopStream();
  resetState();
  await auth.logout();
  showLogin('Logged out.');
});

window.addEventListener('hashchange', route);
window.addEventListener('resize', () => bus.emit('resize'));

function setConn(s) {
  state.connection = s;
  conn.className = 'conn ' + (s === 'open' ? 'conn-on' : s === 'connecting' ? 'conn-wait' : 'conn-off');
  conn.textContent = s === 'open' ? 'live' : s === 'connecting' ? 'connecting' : s === 'none' ? 'no live stream' : 'offline';
  bus.emit('connection', s);
}

async function startStream() {
  if (stream) return;
  stream = {};
  if (!(await supports('GET', '/api/stream'))) {
    setConn('none');
    return;
  }
  if (!stream) return; // logged out meanwhile
  stream = openStream('/api/stream', {
    onState: setConn,
    onEvent(type, data) {
      // Event names are the stream's topics; a payload may be one item or an array of them.
      const each = fn => (Array.isArray(data) ? data : [data]).forEach(fn);
      if (type === 'readings' || type === 'reading') each(ingestReading);
      else if (type === 'predictions' || type === 'prediction') each(ingestPrediction);
      else if (type === 'alerts' || type === 'alert') each(ingestAlert);
      else if (type === 'training' || type === 'jobs') each(j => bus.emit('training', j));
      else if (type === 'dropped') bus.emit('dropped', data);
    },
  });
}

function stopStream() {
  if (stream && stream.close) stream.close();
  stream = null;
  setConn('closed');
}

function showLogin(message) {
  if (current && current.unmount) current.unmount();
  current = null;
  topbar.hidden = true;
  view.replaceChildren(document.getElementById('tpl-login').content.cloneNode(true));
  const form = document.getElementById('login-form');
  const err = document.getElementById('login-error');
  if (message) { err.textContent = message; err.hidden = false; }
  if (location.hash !== '#/login') history.replaceState(null, '', '#/login');
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const btn = document.getElementById('login-submit');
    btn.disabled = true;
    err.hidden = true;
    try {
      await auth.login(form.username.value.trim(), form.password.value);
      location.hash = state.afterLogin || '#/live';
      route();
    } catch (e) {
      err.textContent = e.status === 429 ? 'Too many attempts: ' + e.message
        : e.status === 401 ? 'Wrong username or password.' : e.message;
      err.hidden = false;
      form.password.value = '';
      form.password.focus();
    } finally {
      btn.disabled = false;
    }
  });
  document.getElementById('login-user').focus();
}

async function route() {
  if (!auth.loggedIn) {
    const h = location.hash;
    if (h && h !== '#/login') state.afterLogin = h;
    showLogin();
    return;
  }
  const name = (location.hash.match(/^#\/(\w+)/) || [])[1];
  if (!pages[name]) { location.replace('#/live'); return; }
  topbar.hidden = false;
  const s = auth.session;
  document.getElementById('who').textContent = s.user + ' · ' + s.role;
  document.body.dataset.role = s.role;
  for (const a of document.querySelectorAll('.topbar nav a')) {
    if (a.dataset.page === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  if (current && current.unmount) current.unmount();
  view.replaceChildren();
  current = pages[name];
  document.title = 'iotpm · ' + name;
  startStream();
  try {
    await current.mount(view);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) toast('Could not load the page: ' + e.message, true);
  }
  view.focus({ preventScroll: true });
}

route();
