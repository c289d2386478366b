// The dashboard's only door to the server: the REST API under /api and its SSE stream.
// Tokens live in sessionStorage (per tab, gone when the tab closes), never in localStorage or cookies.

const KEY = 'iotpm.session';
const ROLES = ['viewer', 'operator', 'admin'];

/** An HTTP error with the API's JSON error body ({"error": code, "message": ...}). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || ('HTTP ' + status));
    this.status = status;
    this.code = code;
  }
}

function decodeJwt(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(part),
      c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''));
    return JSON.parse(json);
  } catch (e) {
    return {};
  }
}

let session = null;
try { session = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { session = null; }
const expiredListeners = [];
let refreshing = null;

function store(s) {
  session = s;
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s)); else sessionStorage.removeItem(KEY);
}

function sessionFrom(body, fallbackUser) {
  const access = body.access_token || body.token;
  if (!access) throw new ApiError(500, 'bad_response', 'login response carries no token');
  const claims = decodeJwt(access);
  return {
    access,
    refresh: body.refresh_token || null,
    user: claims.sub || body.username || fallbackUser,
    role: String(claims.role || body.role || 'viewer').toLowerCase(),
    exp: claims.exp ? claims.exp * 1000 : Date.now() + 1000 * (body.expires_in || body.expires_in_seconds || 900),
  };
}

export const auth = {
  get session() { return session; },
  get loggedIn() { return !!session && (session.exp > Date.now() || !!session.refresh); },
  get role() { return session ? session.role : null; },
  /** Whether the current user has at least role {@code min} (viewer < operator < admin). */
  can(min) { return !!session && ROLES.indexOf(session.role) >= ROLES.indexOf(min); },
  async login(username, password) {
    const res = await fetch('/api/auth/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = await parse(res);
    if (!res.ok) throw errorOf(res, body);
    store(sessionFrom(body, username));
    return session;
  },
  async logout() {
    const s = session;
    store(null);
    if (s && s.refresh) {
      // Best effort: revoke the refresh token so a copy of it is useless.
      try {
        await fetch('/api/auth/logout', {
          method: 'POST', headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + s.access },
          body: JSON.stringify({ refresh_token: s.refresh }),
        });
      } catch (e) { /* offline: the token expires on its own */ }
    }
  },
  onExpired(fn) { expiredListeners.push(fn); },
  /** Returns a valid access token, refreshing it first when it is about to expire. */
  async token() {
    if (!session) throw expired('not logged in');
    if (session.exp - Date.now() > 15000) return session.access;
    return refresh();
  },
};

function expired(message) {
  store(null);
  expiredListeners.forEach(fn => fn(message));
  return new ApiError(401, 'unauthorized', message);
}

async function refresh() {
  if (!session || !session.refresh) throw expired('session expired, please log in again');
  if (!refreshing) {
    const s = session;
    refreshing = (async () => {
      try {
        const res = await fetch('/api/auth/refresh', {
          method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
          body: JSON.stringify({ refresh_token: s.refresh }),
        });
        const body = await parse(res);
        if (!res.ok) throw expired('session expired, please log in again');
        store(sessionFrom(body, s.user));
        return session.access;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

async function parse(res) {
  const type = res.headers.get('Content-Type') || '';
  if (res.status === 204) return null;
  if (type.includes('json')) {
    try { return await res.json(); } catch (e) { return null; }
  }
  return await res.text();
}

function errorOf(res, body) {
  if (body && typeof body === 'object') return new ApiError(res.status, body.error, body.message || body.error);
  return new ApiError(res.status, 'http_' + res.status, (typeof body === 'string' && body.length < 200 && body) || res.statusText || ('HTTP ' + res.status));
}

/**
 * Calls the API with the bearer token. A 401 triggers one refresh and retry; a second 401 ends the session.
 * @returns the parsed JSON body (or text)
 */
export async function api(path, { method = 'GET', body, query, raw = false, accept = 'application/json' } = {}) {
  let url = path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v)) v.forEach(x => q.append(k, x)); else q.append(k, v);
    }
    const s = q.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  for (let attempt = 0; ; attempt++) {
    const token = await auth.token();
    const headers = { 'Authorization': 'Bearer ' + token, 'Accept': accept };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 401 && attempt === 0 && session && session.refresh) {
      session.exp = 0; // force the refresh path
      continue;
    }
    if (res.status === 401) throw expired('session expired, please log in again');
    if (raw && res.ok) return res;
    const parsed = await parse(res);
    if (!res.ok) throw errorOf(res, parsed);
    return parsed;
  }
}

/** Whether an error means "this endpoint is not there (yet)": the page then shows a notice instead of failing. */
export function isMissing(e) {
  return e instanceof ApiError && (e.status === 404 || e.status === 405 || e.status === 501);
}

/**
 * Server-Sent Events over fetch, so the bearer token travels in a header (EventSource cannot send one).
 * Reconnects with back-off; {@code onState} sees 'connecting' | 'open' | 'closed'.
 */
export function openStream(path, { onEvent, onState }) {
  let stopped = false;
  let controller = null;
  let delay = 1000;

  async function run() {
    while (!stopped) {
      onState('connecting');
      controller = new AbortController();
      try {
        const token = await auth.token();
        const res = await fetch(path, {
          headers: { 'Authorization': 'Bearer ' + token, 'Accept': 'text/event-stream' },
          signal: controller.signal, cache: 'no-store',
        });
        if (res.status === 401) {
          session && (session.exp = 0);
          await auth.token(); // refreshes or ends the session
          continue;
        }
        if (!res.ok || !res.body) throw new Error('stream HTTP ' + res.status);
        onState('open');
        delay = 1000;
        await pump(res.body.getReader(), onEvent);
      } catch (e) {
        if (stopped || (e instanceof ApiError && e.status === 401)) break;
      }
      if (stopped) break;
      onState('closed');
      await new Promise(r => setTimeout(r, delay));
      delay = Math.min(delay * 2, 15000);
    }
    onState('closed');
  }

  run();
  return {
    close() {
      stopped = true;
      if (controller) controller.abort();
    },
  };
}

async function pump(reader, onEvent) {
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += decoder.decode(value, { stream: true });
    let idx;
    while ((idx = buf.search(/\r?\n\r?\n/)) >= 0) {
      const block = buf.slice(0, idx);
      buf = buf.slice(idx + (buf[idx] === '\r' ? 4 : 2));
      let event = 'message';
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (!data.length) continue;
      let payload = data.join('\n');
      try { payload = JSON.parse(payload); } catch (e) { /* plain text event */ }
      try { onEvent(event, payload); } catch (e) { console.warn('stream handler failed', e); }
    }
  }
}

let routes = null;

/**
 * The API's routes from its OpenAPI document (which the API's own tests keep equal to its real routes),
 * as "METHOD /path/{}" strings. Pages ask {@link supports} before calling an optional endpoint, so a
 * server without it shows a notice instead of a failed request and a console error.
 */
export function loadRoutes() {
  if (!routes) {
    routes = fetch('/api/openapi.json', { headers: { 'Accept': 'application/json' } })
      .then(r => r.ok ? r.json() : null)
      .then(doc => {
        const paths = doc && doc.paths ? Object.entries(doc.paths) : [];
        const set = new Set();
        for (const [p, ops] of paths) {
          for (const m of Object.keys(ops)) set.add(m.toUpperCase() + ' ' + p.replace(/\{[^}]+\}/g, '{}'));
        }
        return set;
      })
      .catch(() => null);
  }
  return routes;
}

/** Whether the server offers {@code method path} (path with {param} placeholders). */
export async function supports(method, path) {
  const set = await loadRoutes();
  return !!set && set.has(method.toUpperCase() + ' ' + path.replace(/\{[^}]+\}/g, '{}'));
}

/**
 * Calls an optional endpoint: when the OpenAPI document says the server lacks {@code method template},
 * fails with a 404 {@link ApiError} without sending a request (so the console stays clean).
 */
export async function apiIf(template, path, opts = {}) {
  const method = opts.method || 'GET';
  if (!(await supports(method, template))) {
    throw new ApiError(404, 'not_supported', method + ' ' + template + ' is not offered by this server');
  }
  return api(path, opts);
}
