// The JavaScript client in Chromium, imported as an ES module from Portcullis
// (/client/portcullis.js) by a page on another origin, as a separate frontend would (CORS lets
// it through): DRF errors as ApiError objects, CRUD, the list parameters, a 401 clearing the
// stored token and telling the app, pluggable storage, logout and logout everywhere; then JWT
// mode with a 4-second access lifetime and refresh token rotation: an expired access token is
// refreshed before the request without the user noticing, once for two tabs, and a tab that
// loses the refresh race (no lock) picks up the winner's pair instead of logging out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortcullis, servePage, launchBrowser, screenshot, userWithToken } from './harness.mjs';

const API_PORT = 18411;
const PAGE_PORT = 5511;
const ORIGIN = `http://localhost:${PAGE_PORT}`;
const ACCESS_LIFETIME = 4;
const PASSWORD = 'kV7#browser-Lamp-42';
const KEY = 'portcullis.auth';

let api, pageServer, browser;

before(async () => {
  api = await startPortcullis(API_PORT, `
page_size = 2

[cors]
allowed_origins = ["${ORIGIN}"]

[jwt]
access_token_lifetime = ${ACCESS_LIFETIME}
rotate_refresh_tokens = true
blacklist_after_rotation = true
`);
  pageServer = await servePage(PAGE_PORT, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Client test page</title>
<script type="module">
  import * as portcullis from '${api.base}/client/portcullis.js';
  window.portcullis = portcullis;
</script></head>
<body><main><h1>A separate frontend</h1></main></body></html>`);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await pageServer?.close();
  api?.stop();
});

/** A page of the frontend with the client module loaded, and errors collected. */
async function openPage(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => window.portcullis !== undefined, null, { timeout: 10000 });
  return page;
}

/**
 * Create `window.client` in the page; `window.unauthorized` collects onUnauthorized calls and
 * `window.changes` the session changes.
 */
async function installClient(page, options = {}) {
  await page.evaluate(({ baseUrl, options }) => {
    window.unauthorized = [];
    window.changes = [];
    window.client = window.portcullis.createClient({
      baseUrl,
      ...options,
      onUnauthorized: (error) => window.unauthorized.push({ status: error.status, detail: error.detail }),
    });
    window.client.onSessionChange((change) => window.changes.push(change.type));
  }, { baseUrl: api.base, options });
}

/** Run a test with a fresh browser context (its own localStorage); screenshots on failure. */
function withContext(name, fn) {
  return async () => {
    const context = await browser.newContext();
    const pages = [];
    const open = async () => { const p = await openPage(context); pages.push(p); return p; };
    try {
      await fn({ context, open });
      for (const p of pages) assert.deepEqual(p.errors, [], 'errors in the page');
    } catch (error) {
      for (const [i, p] of pages.entries()) await screenshot(p, `client-${name}-${i}`);
      throw error;
    } finally {
      await context.close();
    }
  };
}

const stored = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), KEY);

async function register(username) {
  const r = await fetch(`${api.base}/auth/users/`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(r.status, 201);
}

async function serverCall(method, path, auth, body) {
  const r = await fetch(`${api.base}${path}`, {
    method,
    headers: { ...(auth ? { Authorization: auth } : {}), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: r.status === 204 ? null : await r.json() };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('Portcullis serves the client as an ES module with its type declarations', async () => {
  const js = await fetch(`${api.base}/client/portcullis.js`, { headers: { Origin: ORIGIN } });
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  assert.equal(js.headers.get('access-control-allow-origin'), ORIGIN);
  assert.match(await js.text(), /export function createClient/);
  const dts = await fetch(`${api.base}/client/portcullis.d.ts`);
  assert.equal(dts.status, 200);
  assert.match(await dts.text(), /export declare function createClient|export function createClient/);
});

test('errors are ApiError objects with DRF field errors, non-field errors and detail', withContext('errors', async ({ open }) => {
  await register('erin');
  const page = await open();
  await installClient(page);
  const result = await page.evaluate(async () => {
    const { ApiError } = window.portcullis;
    const caught = async (promise) => {
      try { await promise; return null; } catch (e) {
        return { isApiError: e instanceof ApiError, isError: e instanceof Error, name: e.name, status: e.status,
          detail: e.detail, fieldErrors: e.fieldErrors, nonFieldErrors: e.nonFieldErrors, body: e.body, message: e.message };
      }
    };
    const client = window.client;
    const out = {};
    out.register = await caught(client.register({ username: '', password: '' }));
    out.login = await caught(client.login('erin', 'wrong password'));
    out.session = await client.login('erin', 'kV7#browser-Lamp-42');
    out.title = await caught(client.resource('notes').create({ title: 'x'.repeat(201) }));
    out.missing = await caught(client.resource('notes').get(999999));
    const offline = window.portcullis.createClient({ baseUrl: 'http://127.0.0.1:9' });
    out.offline = await caught(offline.register({ username: 'x', password: 'y' }));
    return out;
  });
  assert.deepEqual(result.register, {
    isApiError: true, isError: true, name: 'ApiError', status: 400, detail: null,
    fieldErrors: { username: ['This field may not be blank.'], password: ['This field may not be blank.'] },
    nonFieldErrors: [],
    body: { username: ['This field may not be blank.'], password: ['This field may not be blank.'] },
    message: result.register.message,
  });
  assert.match(result.register.message, /^(username|password): This field may not be blank\.$/);
  assert.equal(result.login.status, 400);
  assert.deepEqual(result.login.nonFieldErrors, ['Unable to log in with provided credentials.']);
  assert.deepEqual(result.login.fieldErrors, {});
  assert.equal(result.login.message, 'Unable to log in with provided credentials.');
  assert.match(result.session.token, /^[0-9a-f]{40}$/);
  assert.deepEqual(result.title.fieldErrors, { title: ['Ensure this field has no more than 200 characters.'] });
  assert.equal(result.missing.status, 404);
  assert.equal(result.missing.detail, 'No Note matches the given query.');
  assert.equal(result.offline.status, 0);
  assert.equal(result.offline.message, 'The server could not be reached.');
  assert.deepEqual(await page.evaluate(() => window.unauthorized), []);
}));

test('register, login (token in localStorage), me, changePassword and CRUD through resource()', withContext('crud', async ({ open }) => {
  const page = await open();
  await installClient(page);
  const r = await page.evaluate(async () => {
    const client = window.client;
    const notes = client.resource('notes');
    const out = {};
    out.registered = await client.register({ username: 'carl', password: 'kV7#browser-Lamp-42', email: 'carl@example.com' });
    await client.login('carl', 'kV7#browser-Lamp-42');
    out.authenticated = client.isAuthenticated();
    out.me = await client.me();
    out.created = await notes.create({ title: 'First', body: 'one' });
    out.got = await notes.get(out.created.id);
    out.updated = await notes.update(out.created.id, { title: 'First, renamed', body: 'two', is_public: true });
    out.patched = await notes.patch(out.created.id, { body: 'three' });
    out.deleted = await notes.delete(out.created.id);
    try { await notes.get(out.created.id); } catch (e) { out.afterDelete = e.status; }
    out.passwordChanged = await client.changePassword('kV7#browser-Lamp-42', 'New#browser-Lamp-43');
    out.meAfter = (await client.me()).username;
    out.header = await client.authorizationHeader();
    return out;
  });
  assert.deepEqual(r.registered, { email: 'carl@example.com', id: r.registered.id, username: 'carl' });
  assert.equal(r.authenticated, true);
  assert.equal(r.me.username, 'carl');
  assert.equal(r.created.owner, 'carl');
  assert.deepEqual(r.got, r.created);
  assert.equal(r.updated.title, 'First, renamed');
  assert.equal(r.updated.is_public, true);
  assert.equal(r.patched.body, 'three');
  assert.equal(r.patched.title, 'First, renamed');
  assert.equal(r.deleted, null);
  assert.equal(r.afterDelete, 404);
  assert.equal(r.passwordChanged, null);
  assert.equal(r.meAfter, 'carl');
  const session = await stored(page);
  assert.match(session.token, /^[0-9a-f]{40}$/);
  assert.equal(r.header, `Token ${session.token}`);
  assert.equal((await serverCall('GET', '/auth/users/me/', `Token ${session.token}`)).body.username, 'carl');
  assert.deepEqual(await page.evaluate(() => window.changes), ['login']);
}));

test('list() sends page, search, ordering and filters and returns DRF pages', withContext('list', async ({ open }) => {
  const token = await userWithToken(api.base, 'lisa', PASSWORD);
  for (const [title, body, isPublic] of [['Apple', 'kiwi', true], ['Banana', 'kiwi', false],
    ['Cherry', 'plum', true], ['Damson', 'kiwi', true], ['Elder', 'plum', false]]) {
    await serverCall('POST', '/api/notes/', `Token ${token}`, { title, body, is_public: isPublic });
  }
  const page = await open();
  await installClient(page);
  await page.evaluate((token) => window.client.setSession({ token }), token);
  const urls = [];
  page.on('request', (r) => { if (r.method() === 'GET' && r.url().includes('/api/notes/')) urls.push(r.url()); });
  const r = await page.evaluate(async () => {
    const notes = window.client.resource('notes');
    const titles = (page) => page.results.map((n) => n.title);
    const first = await notes.list({ ordering: 'title' });
    const third = await notes.list({ ordering: 'title', page: 3 });
    const search = await notes.list({ search: 'kiwi', ordering: '-title' });
    const filtered = await notes.list({ filters: { is_public: true }, ordering: 'title', page: 2 });
    const combined = await notes.list({ page: 1, search: 'plum', ordering: ['-created_at'], filters: { is_public: false, empty: '' } });
    let invalid;
    try { await notes.list({ page: 9 }); } catch (e) { invalid = { status: e.status, detail: e.detail }; }
    return {
      first: { count: first.count, page: first.page, next: first.next, previous: first.previous, titles: titles(first) },
      third: { page: third.page, next: third.next, previous: third.previous, titles: titles(third) },
      search: { count: search.count, titles: titles(search) },
      filtered: { count: filtered.count, titles: titles(filtered) },
      combined: { count: combined.count, titles: titles(combined) },
      invalid,
    };
  });
  assert.equal(r.first.count, 5);
  assert.equal(r.first.page, 1);
  assert.deepEqual(r.first.titles, ['Apple', 'Banana']);
  assert.match(r.first.next, /page=2/);
  assert.equal(r.first.previous, null);
  assert.deepEqual(r.third, { page: 3, next: null, previous: r.third.previous, titles: ['Elder'] });
  assert.match(r.third.previous, /page=2/);
  assert.deepEqual(r.search, { count: 3, titles: ['Damson', 'Banana'] });
  assert.deepEqual(r.filtered, { count: 3, titles: ['Damson'] });
  assert.deepEqual(r.combined, { count: 1, titles: ['Elder'] });
  assert.deepEqual(r.invalid, { status: 404, detail: 'Invalid page.' });
  const queries = urls.map((u) => new URL(u).search);
  assert.deepEqual(queries, [
    '?ordering=title',
    '?page=3&ordering=title',
    '?search=kiwi&ordering=-title',
    '?page=2&ordering=title&is_public=true',
    '?page=1&search=plum&ordering=-created_at&is_public=false',
    '?page=9',
  ]);
}));

test('a 401 clears the stored token and calls onUnauthorized', withContext('unauthorized', async ({ open }) => {
  await register('uma');
  const page = await open();
  await installClient(page);
  await page.evaluate(() => window.client.login('uma', 'kV7#browser-Lamp-42'));
  const { token } = await stored(page);
  // The token is deleted elsewhere (another tab's logout, an admin, logout everywhere).
  assert.equal((await serverCall('POST', '/auth/token/logout/', `Token ${token}`)).status, 204);
  const r = await page.evaluate(async () => {
    try { await window.client.resource('notes').list(); return null; } catch (e) {
      return { status: e.status, detail: e.detail, isApiError: e instanceof window.portcullis.ApiError,
        authenticated: window.client.isAuthenticated() };
    }
  });
  assert.deepEqual(r, { status: 401, detail: 'Invalid token.', isApiError: true, authenticated: false });
  assert.equal(await stored(page), null);
  assert.deepEqual(await page.evaluate(() => window.unauthorized), [{ status: 401, detail: 'Invalid token.' }]);
  assert.deepEqual(await page.evaluate(() => window.changes), ['login', 'unauthorized']);
}));

test('storage is pluggable: any object with getItem, setItem and removeItem', withContext('storage', async ({ open }) => {
  await register('sam');
  const page = await open();
  const r = await page.evaluate(async (baseUrl) => {
    const items = new Map();
    const storage = {
      getItem: (k) => (items.has(k) ? items.get(k) : null),
      setItem: (k, v) => items.set(k, v),
      removeItem: (k) => items.delete(k),
    };
    const client = window.portcullis.createClient({ baseUrl, storage, storageKey: 'my-app' });
    await client.login('sam', 'kV7#browser-Lamp-42');
    const me = await client.me();
    const kept = JSON.parse(items.get('my-app'));
    await client.logout();
    return { me: me.username, kept, after: items.get('my-app') ?? null, local: localStorage.length };
  }, api.base);
  assert.equal(r.me, 'sam');
  assert.match(r.kept.token, /^[0-9a-f]{40}$/);
  assert.equal(r.after, null);
  assert.equal(r.local, 0, 'localStorage untouched');
  assert.equal((await serverCall('GET', '/auth/users/me/', `Token ${r.kept.token}`)).status, 401, 'logout deleted the token');
}));

test('logout deletes the token; logoutAll revokes every token and JWT of the user', withContext('logout', async ({ open }) => {
  await register('lou');
  const page = await open();
  await installClient(page);
  await page.evaluate(() => window.client.login('lou', 'kV7#browser-Lamp-42'));
  const first = (await stored(page)).token;
  await page.evaluate(() => window.client.logout());
  assert.equal(await stored(page), null);
  assert.equal((await serverCall('GET', '/auth/users/me/', `Token ${first}`)).status, 401);

  // Another device holds a JWT pair.
  const pair = (await serverCall('POST', '/auth/jwt/create/', null, { username: 'lou', password: PASSWORD })).body;
  await page.evaluate(() => window.client.login('lou', 'kV7#browser-Lamp-42'));
  const second = (await stored(page)).token;
  await page.evaluate(() => window.client.logoutAll());
  assert.equal(await stored(page), null);
  assert.equal((await serverCall('GET', '/auth/users/me/', `Token ${second}`)).status, 401);
  assert.equal((await serverCall('GET', '/auth/users/me/', `Bearer ${pair.access}`)).status, 401);
  assert.equal((await serverCall('POST', '/auth/jwt/refresh/', null, { refresh: pair.refresh })).status, 401);
  assert.deepEqual(await page.evaluate(() => window.unauthorized), []);
}));

// ---- JWT mode (the [jwt] table: 4-second access tokens, rotation with blacklisting) ----

/** Log in with JWTs in `page`; returns the stored pair. */
async function jwtLogin(page, username) {
  await page.evaluate((username) => window.client.login(username, 'kV7#browser-Lamp-42'), username);
  return stored(page);
}

/** When (ms) the access token of `session` expires. */
const expiry = (session) => JSON.parse(Buffer.from(session.access.split('.')[1], 'base64url').toString()).exp * 1000;

/** Wait until `offset` ms after the access token expires (negative: before). */
async function waitForExpiry(session, offset = 300) {
  const wait = expiry(session) - Date.now() + offset;
  if (wait > 0) await sleep(wait);
}

/** Collect the POSTs to the refresh endpoint made by `context`, with their answers' statuses. */
function refreshLog(context) {
  const log = [];
  context.on('requestfinished', async (request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/auth/jwt/refresh/')) return;
    const response = await request.response();
    log.push({ status: response?.status(), refresh: JSON.parse(request.postData() ?? '{}').refresh, at: sent });
  });
  context.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/auth/jwt/refresh/')) sent = Date.now();
  });
  let sent = 0;
  return log;
}

const listInPage = (page) => page.evaluate(async () => {
  try { return { ok: Array.isArray((await window.client.resource('notes').list()).results) }; } catch (e) { return { error: e.status, detail: e.detail }; }
});

test('JWT: login stores the pair; the access token is refreshed before it expires, without the user noticing', withContext('jwt-refresh', async ({ context, open }) => {
  await register('jill');
  const log = refreshLog(context);
  const page = await open();
  await installClient(page, { auth: 'jwt' });
  const session = await jwtLogin(page, 'jill');
  const payload = await page.evaluate((access) => window.portcullis.decodeJwtPayload(access), session.access);
  assert.equal(payload.exp - payload.iat, ACCESS_LIFETIME);
  assert.equal(payload.token_type, 'access');
  assert.equal(typeof session.refresh, 'string');
  assert.equal(await page.evaluate(() => window.client.authorizationHeader()), `Bearer ${session.access}`);
  assert.deepEqual(await listInPage(page), { ok: true });
  assert.equal(log.length, 0, 'a fresh access token is not refreshed');

  // Shortly before it expires (within a fifth of its lifetime), the next request refreshes it first.
  await waitForExpiry(session, -500);
  assert.equal(await page.evaluate(async () => (await window.client.me()).username), 'jill');
  assert.equal(log.length, 1);
  assert.equal(log[0].status, 200);
  assert.ok(log[0].at < expiry(session), 'refreshed before the access token expired');
  const next = await stored(page);
  assert.notEqual(next.access, session.access);
  assert.notEqual(next.refresh, session.refresh, 'rotation: a new refresh token');
  const old = await serverCall('POST', '/auth/jwt/refresh/', null, { refresh: session.refresh });
  assert.deepEqual([old.status, old.body.detail], [401, 'Token is blacklisted']);

  // Long after it expired (a tab left idle), the same: refresh first, then the request.
  await waitForExpiry(next, 1000);
  assert.equal((await serverCall('GET', '/auth/users/me/', `Bearer ${next.access}`)).status, 401, 'the access token is expired');
  assert.deepEqual(await listInPage(page), { ok: true });
  assert.equal(log.length, 2);
  assert.equal(log[1].refresh, next.refresh);
  assert.deepEqual(await page.evaluate(() => window.unauthorized), []);
  assert.deepEqual(await page.evaluate(() => window.changes), ['login', 'refresh', 'refresh']);
}));

test('JWT: two tabs with an expired access token share one refresh (Web Locks), and neither is logged out', withContext('jwt-two-tabs', async ({ context, open }) => {
  await register('tess');
  const log = refreshLog(context);
  const tabA = await open();
  const tabB = await open();
  await installClient(tabA, { auth: 'jwt' });
  await installClient(tabB, { auth: 'jwt' });
  assert.equal(await tabB.evaluate(() => typeof navigator.locks?.request), 'function');
  const session = await jwtLogin(tabA, 'tess');
  assert.equal(await tabB.evaluate(async () => (await window.client.me()).username), 'tess', 'tab B shares the session');

  await waitForExpiry(session);
  const [a, b] = await Promise.all([listInPage(tabA), listInPage(tabB)]);
  assert.deepEqual([a, b], [{ ok: true }, { ok: true }]);
  assert.equal(log.length, 1, `one refresh for both tabs: ${JSON.stringify(log)}`);
  assert.equal(log[0].status, 200);
  const shared = await stored(tabB);
  assert.notEqual(shared.refresh, session.refresh);

  // Next time only tab B is busy: it refreshes, and tab A then uses B's pair as it is.
  await waitForExpiry(shared);
  assert.deepEqual(await listInPage(tabB), { ok: true });
  const fromB = await stored(tabB);
  await tabA.waitForFunction(({ key, refresh }) => JSON.parse(localStorage.getItem(key)).refresh === refresh,
    { key: KEY, refresh: fromB.refresh });
  assert.deepEqual(await listInPage(tabA), { ok: true });
  assert.equal(log.length, 2);
  assert.equal(log[1].refresh, shared.refresh);
  for (const tab of [tabA, tabB]) {
    assert.deepEqual(await tab.evaluate(() => window.unauthorized), []);
    assert.equal(await tab.evaluate(() => window.client.isAuthenticated()), true);
  }
}));

test('JWT without Web Locks: tabs coordinate through a lease in storage and stay logged in', withContext('jwt-lease', async ({ context, open }) => {
  await register('lena');
  await context.addInitScript(() => { delete Navigator.prototype.locks; });
  const log = refreshLog(context);
  const tabA = await open();
  const tabB = await open();
  assert.equal(await tabA.evaluate(() => navigator.locks), undefined);
  await installClient(tabA, { auth: 'jwt' });
  await installClient(tabB, { auth: 'jwt' });
  const session = await jwtLogin(tabA, 'lena');
  await waitForExpiry(session);
  const [a, b] = await Promise.all([listInPage(tabA), listInPage(tabB)]);
  assert.deepEqual([a, b], [{ ok: true }, { ok: true }]);
  assert.ok(log.length >= 1 && log[0].status === 200, JSON.stringify(log));
  for (const tab of [tabA, tabB]) assert.deepEqual(await tab.evaluate(() => window.unauthorized), []);
  assert.notEqual((await stored(tabA)).refresh, session.refresh);
  assert.equal(await tabA.evaluate((key) => localStorage.getItem(`${key}.refresh-lease`), KEY), null, 'the lease is released');
}));

test('JWT: a tab that lost the refresh race picks up the new pair from storage instead of logging out', withContext('jwt-race', async ({ context, open }) => {
  await register('rory');
  const log = refreshLog(context);
  const tabA = await open();
  const tabB = await open();
  // No lock at all, so both tabs send the same refresh token.
  await installClient(tabA, { auth: 'jwt', locks: false });
  await installClient(tabB, { auth: 'jwt', locks: false });
  const session = await jwtLogin(tabA, 'rory');
  await waitForExpiry(session);
  // Hold tab B's refresh until tab A has rotated the pair and stored it: B's refresh token is
  // then blacklisted when it reaches the server.
  const aStored = tabA.waitForFunction(({ key, old }) =>
    JSON.parse(localStorage.getItem(key) ?? 'null')?.refresh !== old, { key: KEY, old: session.refresh });
  await tabB.route('**/auth/jwt/refresh/', async (route) => {
    if (route.request().method() === 'POST') await aStored;
    await route.continue();
  });
  const [a, b] = await Promise.all([listInPage(tabA), listInPage(tabB)]);
  assert.deepEqual([a, b], [{ ok: true }, { ok: true }]);
  assert.deepEqual(log.map((e) => e.status).sort(), [200, 401], JSON.stringify(log));
  assert.ok(log.every((e) => e.refresh === session.refresh), 'both tabs sent the same refresh token');
  for (const tab of [tabA, tabB]) {
    assert.deepEqual(await tab.evaluate(() => window.unauthorized), []);
    assert.equal(await tab.evaluate(() => window.client.isAuthenticated()), true);
  }
  assert.deepEqual(await stored(tabB), await stored(tabA));
}));

test('JWT: when the refresh token is refused too (logout everywhere), the session ends and the app is told', withContext('jwt-revoked', async ({ open }) => {
  await register('reva');
  const page = await open();
  await installClient(page, { auth: 'jwt' });
  const session = await jwtLogin(page, 'reva');
  assert.equal((await serverCall('POST', '/auth/logout_all/', `Bearer ${session.access}`)).status, 204);
  const r = await listInPage(page);
  assert.equal(r.error, 401);
  assert.equal(await stored(page), null);
  const unauthorized = await page.evaluate(() => window.unauthorized);
  assert.equal(unauthorized.length, 1);
  assert.equal(unauthorized[0].status, 401);

  // Logging out in JWT mode blacklists the refresh token.
  const again = await jwtLogin(page, 'reva');
  await page.evaluate(() => window.client.logout());
  assert.equal(await stored(page), null);
  assert.equal((await serverCall('POST', '/auth/jwt/refresh/', null, { refresh: again.refresh })).status, 401);
}));
