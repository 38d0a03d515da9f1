// Portcullis JavaScript client: one ES module, no dependencies.
//
// Talks to a Portcullis (or Django REST Framework + djoser + simplejwt) backend: registration,
// login with DRF tokens or JWTs, the current user, password changes, logout (here or
// everywhere), and CRUD on DRF ModelViewSet resources with pagination, search, ordering and
// filters.
//
// The credential lives in a storage object (localStorage by default) under one key, so a page
// reload keeps the session and every tab of the origin shares it. Storage is the single source
// of truth: the client reads it before every request and keeps no copy of its own.
//
// With JWTs, the access token is refreshed shortly before it expires (its `exp` claim is read
// from the payload). One refresh is shared by all tabs: it runs under a Web Lock (or, without
// Web Locks, a lease kept in storage), and a tab that waited re-reads storage and uses the pair
// the winner stored. With refresh token rotation the server blacklists the old refresh token,
// so a tab that sent it anyway (it lost a race no lock prevented) waits for the winner's pair to
// appear in storage instead of logging the user out.

/**
 * @typedef {{ getItem(key: string): string | null, setItem(key: string, value: string): void,
 *   removeItem(key: string): void }} StorageLike
 * @typedef {{ token: string }} TokenSession
 * @typedef {{ access: string, refresh: string, obtainedAt?: number }} JwtSession
 * @typedef {TokenSession | JwtSession} Session
 * @typedef {{ type: 'login' | 'logout' | 'refresh' | 'unauthorized' | 'storage',
 *   authenticated: boolean }} SessionChange
 * @typedef {{ request(name: string, optionsOrCallback: any, callback?: any): Promise<any> }} LockManagerLike
 * @typedef {{
 *   baseUrl?: string, storage?: StorageLike, storageKey?: string, auth?: 'token' | 'jwt',
 *   onUnauthorized?: (error: ApiError) => void, apiPrefix?: string,
 *   fetch?: typeof fetch, locks?: LockManagerLike | 'storage' | false,
 *   refreshMargin?: number,
 * }} ClientOptions
 * @typedef {'none' | 'page-number' | 'limit-offset' | 'cursor'} PageStyle
 * @typedef {{ count: number | null, next: string | null, previous: string | null, results: any[],
 *   page: number, style: PageStyle }} Page
 * @typedef {{ page?: number, search?: string, ordering?: string | string[],
 *   filters?: Record<string, string | number | boolean | null | undefined |
 *     Array<string | number | boolean>> }} ListOptions
 */

/** An error answer of the API (or a network failure, with status 0), in DRF's terms. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the server could not be reached
   * @param {any} body the parsed JSON body (or the text, when it is not JSON)
   * @param {string} [fallback] the message when the body carries none
   */
  constructor(status, body, fallback) {
    const detail = body && typeof body === 'object' && !Array.isArray(body) &&
      typeof body.detail === 'string' ? body.detail : null;
    // `nonFieldErrors` is the name a server with djangorestframework-camel-case gives it.
    const nonField = body && typeof body === 'object' && !Array.isArray(body)
      ? body.non_field_errors ?? body.nonFieldErrors : undefined;
    const nonFieldErrors = Array.isArray(nonField) ? nonField.map(asText) : [];
    /** @type {Record<string, string[]>} */
    const fieldErrors = {};
    if (detail === null && body && typeof body === 'object' && !Array.isArray(body)) {
      for (const [field, value] of Object.entries(body)) {
        if (field === 'non_field_errors' || field === 'nonFieldErrors') continue;
        fieldErrors[field] = Array.isArray(value) ? value.map(asText) : [asText(value)];
      }
    }
    const first = Object.entries(fieldErrors)[0];
    const message = detail ?? nonFieldErrors[0] ??
      (first ? `${first[0]}: ${first[1][0]}` : fallback ?? `Request failed with status ${status}`);
    super(message);
    this.name = 'ApiError';
    /** HTTP status, 0 for a network failure. */
    this.status = status;
    /** DRF's `{"detail": "..."}`, or null. */
    this.detail = detail;
    /** simplejwt's `code` (e.g. "token_not_valid"), or null. */
    this.code = body && typeof body === 'object' && typeof body.code === 'string' ? body.code : null;
    /** Validation errors by field: `{"title": ["This field is required."]}`. */
    this.fieldErrors = fieldErrors;
    /** DRF's `non_field_errors` (`nonFieldErrors` from a camelCase server). */
    this.nonFieldErrors = nonFieldErrors;
    /** The raw body. */
    this.body = body;
  }
}

/** @param {unknown} value */
function asText(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A storage kept in memory (used when localStorage is unavailable). @returns {StorageLike} */
function memoryStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => { items.set(key, String(value)); },
    removeItem: (key) => { items.delete(key); },
  };
}

/** @returns {StorageLike} */
function defaultStorage() {
  try {
    // Reading `localStorage` throws in sandboxed frames and some private modes.
    const storage = globalThis.localStorage;
    if (storage) return storage;
  } catch { /* fall through */ }
  return memoryStorage();
}

/**
 * The payload of a JWT, or null when it is not one.
 * @param {string} token
 * @returns {{ exp?: number, iat?: number, [claim: string]: unknown } | null}
 */
export function decodeJwtPayload(token) {
  const part = typeof token === 'string' ? token.split('.')[1] : undefined;
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Create a client.
 * @param {ClientOptions} [options]
 */
export function createClient(options = {}) {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const storage = options.storage ?? defaultStorage();
  const storageKey = options.storageKey ?? 'portcullis.auth';
  const mode = options.auth ?? 'token';
  if (mode !== 'token' && mode !== 'jwt') throw new TypeError(`auth must be 'token' or 'jwt', not ${mode}`);
  const apiPrefix = `/${(options.apiPrefix ?? '/api/').replace(/^\/+|\/+$/g, '')}/`;
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const onUnauthorized = options.onUnauthorized;
  const refreshMargin = options.refreshMargin ?? 30;
  // simplejwt's AUTH_HEADER_TYPES[0]: `JWT` in projects set up as djoser's documentation shows.
  const jwtHeaderType = options.jwtHeaderType ?? 'Bearer';
  // The user model's USERNAME_FIELD (`email` for a model that logs in with it), which the JWT
  // login reads, and djoser's LOGIN_FIELD (by default the same), which its token login reads.
  const usernameField = options.usernameField ?? 'username';
  const loginField = options.loginField ?? usernameField;
  const locks = options.locks === undefined
    ? (globalThis.navigator?.locks ?? 'storage')
    : options.locks;
  const lockName = `portcullis-refresh:${storageKey}`;
  /** @type {Set<(change: SessionChange) => void>} */
  const listeners = new Set();
  /** @type {Promise<Session> | null} the refresh this tab is running, shared by its requests */
  let refreshing = null;

  // ---- the stored session ----

  /** @returns {Session | null} */
  function readSession() {
    let text = null;
    try { text = storage.getItem(storageKey); } catch { return null; }
    if (!text) return null;
    try {
      const session = JSON.parse(text);
      if (session && typeof session.token === 'string') return { token: session.token };
      if (session && typeof session.access === 'string' && typeof session.refresh === 'string') return session;
    } catch { /* a foreign value: no session */ }
    return null;
  }

  /** @param {Session | null} session @param {SessionChange['type']} type */
  function writeSession(session, type) {
    try {
      if (session) storage.setItem(storageKey, JSON.stringify(session));
      else storage.removeItem(storageKey);
    } catch { /* storage full or unavailable: the session lasts as long as the call */ }
    emit({ type, authenticated: session !== null });
  }

  /** @param {SessionChange} change */
  function emit(change) {
    for (const listener of [...listeners]) {
      try { listener(change); } catch (e) { setTimeout(() => { throw e; }); }
    }
  }

  // Another tab logged in or out (or refreshed): tell this tab's listeners.
  if (typeof globalThis.addEventListener === 'function') {
    globalThis.addEventListener('storage', (event) => {
      if (event.key !== storageKey && event.key !== null) return;
      if (event.storageArea && event.storageArea !== storage) return;
      emit({ type: 'storage', authenticated: readSession() !== null });
    });
  }

  /**
   * Forget the session if it is still the one `used` for the refused request (not one another
   * tab stored since, nor one stored while a request without credentials was under way).
   * @param {Session | null} used
   */
  function dropSession(used) {
    const current = readSession();
    if (current && (!used || !sameSession(current, used))) return;
    if (current) writeSession(null, 'unauthorized');
    else emit({ type: 'unauthorized', authenticated: false });
  }

  /** @param {Session} a @param {Session} b */
  function sameSession(a, b) {
    return 'token' in a ? 'token' in b && a.token === b.token
      : 'access' in b && a.access === b.access && a.refresh === b.refresh;
  }

  // ---- JWT expiry and the shared refresh ----

  /** Milliseconds (client clock) at which the access token of `session` expires. */
  function accessExpiresAt(session) {
    const payload = decodeJwtPayload(session.access);
    if (!payload || typeof payload.exp !== 'number') return 0;
    // Measured from when this browser received the pair, the lifetime is immune to a wrong
    // client clock. Less one second: `iat` and `exp` are whole seconds (truncated), so the token
    // may expire up to a second sooner than `exp - iat` after it was received. Without
    // `obtainedAt` (a session stored by other means), compare `exp` with the clock.
    if (typeof payload.iat === 'number' && typeof session.obtainedAt === 'number') {
      return session.obtainedAt + (payload.exp - payload.iat - 1) * 1000;
    }
    return payload.exp * 1000;
  }

  /** Whether the access token expires within the margin (a fifth of its lifetime at most). */
  function expiresSoon(session) {
    const payload = decodeJwtPayload(session.access);
    const lifetime = payload && typeof payload.exp === 'number' && typeof payload.iat === 'number'
      ? payload.exp - payload.iat : refreshMargin * 5;
    const margin = Math.min(refreshMargin, lifetime / 5) * 1000;
    return accessExpiresAt(session) - margin <= Date.now();
  }

  /**
   * Run `fn(waited)` while holding the cross-tab refresh lock; `waited` tells whether another
   * tab held it first (and so has probably just stored a new pair).
   * @template T @param {(waited: boolean) => Promise<T>} fn @returns {Promise<T>}
   */
  async function withLock(fn) {
    if (locks === false) return fn(false);
    if (locks === 'storage') return withStorageLease(fn);
    const first = await locks.request(lockName, { ifAvailable: true },
      async (lock) => (lock ? { value: await fn(false) } : null));
    if (first) return first.value;
    return locks.request(lockName, () => fn(true));
  }

  /** A lease in storage, for browsers without Web Locks (e.g. pages not served over HTTPS). */
  async function withStorageLease(fn) {
    const leaseKey = `${storageKey}.refresh-lease`;
    const me = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const readLease = () => {
      try { return JSON.parse(storage.getItem(leaseKey) || 'null'); } catch { return null; }
    };
    const giveUpAt = Date.now() + 10000;
    let waited = false;
    while (Date.now() < giveUpAt) {
      const lease = readLease();
      if (!lease || lease.until < Date.now()) {
        try { storage.setItem(leaseKey, JSON.stringify({ owner: me, until: Date.now() + 5000 })); } catch { break; }
        await sleep(30); // let other tabs' writes land, then see who won
        if (readLease()?.owner === me) break;
      }
      waited = true;
      await sleep(40);
    }
    try {
      return await fn(waited);
    } finally {
      if (readLease()?.owner === me) {
        try { storage.removeItem(leaseKey); } catch { /* ignore */ }
      }
    }
  }

  /**
   * A usable pair instead of `stale` (whose access token expires soon or was refused): the one
   * another tab stored meanwhile, or a new one from the server. One refresh per tab at a time.
   * @param {JwtSession} stale
   * @returns {Promise<Session>}
   */
  function refreshSession(stale) {
    if (!refreshing) {
      refreshing = withLock((waited) => refreshUnderLock(stale, waited)).finally(() => { refreshing = null; });
    }
    return refreshing;
  }

  /** @param {JwtSession} stale @param {boolean} waited another tab held the lock first */
  async function refreshUnderLock(stale, waited) {
    let current = readSession();
    // Another tab refreshed while this one waited for the lock: use its pair. Its write to
    // storage may reach this tab a moment after the lock does, so after waiting give it time.
    if (current && 'access' in current && current.access === stale.access && waited) {
      current = await waitForOtherPair(current, 1000) ?? readSession();
    }
    if (!current) return loggedOutMeanwhile();
    if ('token' in current) return current; // another tab logged in with a DRF token
    if (current.access !== stale.access && !expiresSoon(current)) return current;

    const response = await call('POST', '/auth/jwt/refresh/', { refresh: current.refresh });
    if (response.ok) {
      const now = readSession();
      if (!now) return loggedOutMeanwhile();
      /** @type {JwtSession} */
      const next = {
        access: response.body.access,
        refresh: typeof response.body.refresh === 'string' ? response.body.refresh : current.refresh,
        obtainedAt: Date.now(),
      };
      writeSession(next, 'refresh');
      return next;
    }
    const error = new ApiError(response.status, response.body);
    if (response.status !== 400 && response.status !== 401) throw error;
    // The refresh token was refused. If another tab rotated it without this one knowing (no
    // lock, or its write had not reached this tab), its new pair is in storage or about to
    // be: wait for it rather than log out.
    const replacement = await waitForOtherPair(current, 3000);
    if (replacement) return replacement;
    unauthorized(error, current);
    throw error;
  }

  /** The session was removed (logged out in another tab) during a refresh. @returns {never} */
  function loggedOutMeanwhile() {
    const error = new ApiError(401, { detail: 'Authentication credentials were not provided.' });
    unauthorized(error, null);
    throw error;
  }

  /**
   * A session other than `used` once one appears in storage (within `ms`), else null; null at
   * once when the session is removed.
   * @param {JwtSession} used @param {number} ms @returns {Promise<Session | null>}
   */
  async function waitForOtherPair(used, ms) {
    const until = Date.now() + ms;
    for (;;) {
      const now = readSession();
      if (!now) return null;
      if ('token' in now || now.refresh !== used.refresh) return now;
      if (Date.now() >= until) return null;
      await sleep(25);
    }
  }

  /** The stored session, JWT refreshed first when it is about to expire. */
  async function usableSession() {
    const session = readSession();
    if (session && 'access' in session && expiresSoon(session)) return refreshSession(session);
    return session;
  }

  /** @param {Session} session */
  function authorization(session) {
    return 'token' in session ? `Token ${session.token}` : `${jwtHeaderType} ${session.access}`;
  }

  /** @param {ApiError} error @param {Session | null} used */
  function unauthorized(error, used) {
    dropSession(used);
    if (onUnauthorized) {
      try { onUnauthorized(error); } catch (e) { setTimeout(() => { throw e; }); }
    }
  }

  // ---- HTTP ----

  /**
   * One HTTP exchange; never throws for an HTTP status.
   * @param {string} method @param {string} path @param {unknown} [body]
   * @param {string | null} [auth] the Authorization header
   * @returns {Promise<{ ok: boolean, status: number, body: any }>}
   */
  async function call(method, path, body, auth = null) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth) headers.Authorization = auth;
    let response;
    try {
      response = await fetchImpl(/^https?:\/\//.test(path) ? path : baseUrl + path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (cause) {
      const error = new ApiError(0, null, 'The server could not be reached.');
      error.cause = cause;
      throw error;
    }
    const text = await response.text();
    let parsed = null;
    if (text) {
      try { parsed = JSON.parse(text); } catch { parsed = text; }
    }
    return { ok: response.ok, status: response.status, body: parsed };
  }

  /**
   * A request to the API. `auth` sends the stored credential and handles 401s: a JWT is
   * refreshed once and the request retried; otherwise the session is forgotten and the app told.
   * @param {string} method @param {string} path
   * @param {{ body?: unknown, auth?: boolean }} [options]
   */
  async function request(method, path, { body, auth = true } = {}) {
    let session = auth ? await usableSession() : null;
    let response = await call(method, path, body, session ? authorization(session) : null);
    if (response.status === 401 && session && 'access' in session) {
      // The access token was refused before its time (a clock off, a revoked epoch): a new pair
      // may still be granted; if not, refreshSession has already ended the session.
      session = await refreshSession(session);
      response = await call(method, path, body, authorization(session));
    }
    if (response.ok) return response.body;
    const error = new ApiError(response.status, response.body);
    if (response.status === 401 && auth) unauthorized(error, session);
    throw error;
  }

  /** @param {ListOptions} [options] */
  function listQuery({ page, search, ordering, filters } = {}) {
    const query = new URLSearchParams();
    if (page !== undefined && page !== null) query.set('page', String(page));
    if (search) query.set('search', search);
    if (ordering && ordering.length) query.set('ordering', Array.isArray(ordering) ? ordering.join(',') : ordering);
    for (const [name, value] of Object.entries(filters ?? {})) {
      if (value === undefined || value === null || value === '') continue;
      for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
    }
    const text = query.toString();
    return text ? `?${text}` : '';
  }

  /**
   * The pagination style each resource answered with (learned from its first list), and for
   * limit/offset the page size (the `limit` its links carry).
   * @type {Map<string, { style: PageStyle, limit?: number }>}
   */
  const styles = new Map();
  /** Cursor links seen, so that page N of a cursor list is one request: `query|N` → URL. */
  const cursorLinks = new Map();

  /**
   * A list body in any of DRF's shapes as a {@link Page}: a plain array (no pagination),
   * `{count, next, previous, results}` (page number or limit/offset, told apart by the
   * `limit` parameter of their links) or `{next, previous, results}` (cursor).
   * @param {any} body @param {number | null} number @returns {Page}
   */
  function asPage(body, number) {
    if (Array.isArray(body)) {
      return { count: body.length, next: null, previous: null, results: body, page: 1, style: 'none' };
    }
    const links = `${body.next ?? ''} ${body.previous ?? ''}`;
    /** @type {PageStyle} */
    let style = 'page-number';
    if (!('count' in body)) style = 'cursor';
    else if (/[?&]limit=/.test(links)) style = 'limit-offset';
    return { ...body, count: style === 'cursor' ? null : body.count, page: number ?? 1, style };
  }

  /** @param {string} name @param {Page} page */
  function learn(name, page) {
    if (page.style === 'page-number' && !page.next && !page.previous) return; // one page: unknown yet
    const limit = Number(new URL(page.next ?? page.previous ?? '', 'http://x/').searchParams.get('limit'));
    styles.set(name, { style: page.style, limit: limit || page.results.length || undefined });
  }

  /** @param {string} query @param {number | undefined} limit @param {number} number */
  function withWindow(query, limit, number) {
    const params = new URLSearchParams(query.replace(/^\?/, ''));
    params.set('limit', String(limit ?? 1));
    params.set('offset', String((number - 1) * (limit ?? 1)));
    return `?${params}`;
  }

  /**
   * Page `number` of a cursor list: the cursor links have no numbers, so walk `next` from the
   * nearest page seen before.
   * @param {string} name @param {string} base @param {string} query @param {number} number
   */
  async function cursorPage(name, base, query, number) {
    let at = number;
    while (at > 1 && !cursorLinks.has(`${name}${query}|${at}`)) at -= 1;
    let page = asPage(await request('GET', at > 1 ? cursorLinks.get(`${name}${query}|${at}`) : base + query), at);
    while (page.page < number && page.next) {
      cursorLinks.set(`${name}${query}|${page.page + 1}`, page.next);
      page = asPage(await request('GET', page.next), page.page + 1);
    }
    if (page.next) cursorLinks.set(`${name}${query}|${page.page + 1}`, page.next);
    if (page.page < number) throw new ApiError(404, { detail: 'Invalid page.' });
    return page;
  }

  /** @param {string} name */
  function resource(name) {
    const base = `${apiPrefix}${encodeURIComponent(name)}/`;
    /** @param {string | number} id */
    const item = (id) => `${base}${encodeURIComponent(String(id))}/`;
    return {
      /**
       * One page, whatever pagination class the server uses for this resource (DRF's
       * DEFAULT_PAGINATION_CLASS or the view's): `page` is a page number in every style.
       * @param {ListOptions} [options] @returns {Promise<Page>}
       */
      async list(options = {}) {
        const number = options.page ?? 1;
        const query = listQuery({ ...options, page: undefined });
        const known = styles.get(name);
        if (known?.style === 'limit-offset' && number > 1) {
          return asPage(await request('GET', base + withWindow(query, known.limit, number)), number);
        }
        if (known?.style === 'cursor' && number > 1) return cursorPage(name, base, query, number);
        if (known?.style !== 'page-number' && known) {
          return asPage(await request('GET', base + query), 1);
        }
        const body = await request('GET', base + listQuery(options));
        const page = asPage(body, number);
        learn(name, page);
        // A server that ignored `?page=` (limit/offset or cursor): ask again in its terms.
        if (number > 1 && page.style === 'limit-offset') {
          return asPage(await request('GET', base + withWindow(query, styles.get(name)?.limit, number)), number);
        }
        if (number > 1 && page.style === 'cursor') return cursorPage(name, base, query, number);
        return page;
      },
      /**
       * Every row: the pages one after the other, following `next` (or the plain array).
       * @param {ListOptions} [options] @returns {Promise<any[]>}
       */
      async all(options = {}) {
        let page = asPage(await request('GET', base + listQuery({ ...options, page: undefined })), 1);
        const rows = [...page.results];
        while (page.next) {
          page = asPage(await request('GET', page.next), page.page + 1);
          rows.push(...page.results);
        }
        return rows;
      },
      /** Follow a page's `next` or `previous` link. @param {string} url @returns {Promise<Page>} */
      follow: async (url) => asPage(await request('GET', url), null),
      get: (id) => request('GET', item(id)),
      create: (data) => request('POST', base, { body: data }),
      update: (id, data) => request('PUT', item(id), { body: data }),
      patch: (id, data) => request('PATCH', item(id), { body: data }),
      delete: (id) => request('DELETE', item(id)),
    };
  }

  return {
    /** 'token' or 'jwt': how `login` obtains a credential. */
    auth: mode,

    /** The storage key holding the session. */
    storageKey,

    /** djoser registration: `{username, password, email?, ...}` → the new user. */
    register: (fields) => request('POST', '/auth/users/', { body: fields, auth: false }),

    /** Log in (with the username, or the email: see `usernameField`) and store the credential. */
    async login(username, password) {
      if (mode === 'jwt') {
        const body = { [usernameField]: username, password };
        const pair = await request('POST', '/auth/jwt/create/', { body, auth: false });
        const session = { access: pair.access, refresh: pair.refresh, obtainedAt: Date.now() };
        writeSession(session, 'login');
        return session;
      }
      const body = { [loginField]: username, password };
      const answer = await request('POST', '/auth/token/login/', { body, auth: false });
      // `authToken` from a camelCase server (djangorestframework-camel-case).
      const token = answer.auth_token ?? answer.authToken;
      writeSession({ token }, 'login');
      return { token };
    },

    /**
     * Log out: the server deletes the token (djoser's token logout) or blacklists the refresh
     * token (simplejwt's blacklist; the access token lives on until its `exp`), and the stored
     * session is removed in any case. Throws (after removing it) when the server could not be
     * told; a credential the server no longer knows is not an error here.
     */
    async logout() {
      const session = readSession();
      let failure = null;
      if (session) {
        try {
          const response = 'token' in session
            ? await call('POST', '/auth/token/logout/', undefined, authorization(session))
            : await call('POST', '/api/token/blacklist/', { refresh: session.refresh });
          if (!response.ok && response.status !== 401) failure = new ApiError(response.status, response.body);
        } catch (error) {
          failure = error;
        }
      }
      writeSession(null, 'logout');
      if (failure) throw failure;
    },

    /** Revoke every token and JWT of the user, on every device, then forget the session. */
    async logoutAll() {
      await request('POST', '/auth/logout_all/');
      writeSession(null, 'logout');
    },

    /** The current user (`/auth/users/me/`). */
    me: () => request('GET', '/auth/users/me/'),

    /** djoser's set_password. */
    changePassword: (currentPassword, newPassword) => request('POST', '/auth/users/set_password/', {
      body: { current_password: currentPassword, new_password: newPassword },
    }),

    /** A DRF ModelViewSet under the API prefix: `resource('notes')` → `/api/notes/`. */
    resource,

    /** Any other endpoint, with the same authentication and errors. */
    request: (method, path, options) => request(method.toUpperCase(), path, options),

    /** Whether a session is stored (it may still turn out to be revoked). */
    isAuthenticated: () => readSession() !== null,

    /** The stored session, as kept in storage. */
    getSession: readSession,

    /** Store a session obtained elsewhere (`{token}` or `{access, refresh}`); null clears it. */
    setSession(session) {
      writeSession(session, session ? 'login' : 'logout');
    },

    /** The `Authorization` header value for a request made by other means (JWT refreshed first). */
    async authorizationHeader() {
      const session = await usableSession();
      return session ? authorization(session) : null;
    },

    /** Listen to session changes (login, logout, refresh, 401, other tabs); returns the unsubscriber. */
    onSessionChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
