// CORS in a real browser: a page on an allowed origin calls the API on another port with an
// Authorization header (so Chromium sends a preflight) and reads the answer; the same page on an
// origin that is not allowed is stopped by the browser; an origin allowed by a regex works; and
// error responses carry the CORS headers so a frontend can read its errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortcullis, servePage, launchBrowser, screenshot, userWithToken } from './harness.mjs';

const API_PORT = 18401;
const ALLOWED = 'http://localhost:5173';
const REGEX_ALLOWED = 'http://127.0.0.1:5180';
const NOT_ALLOWED = 'http://localhost:5174';
const PAGE = '<!doctype html><html lang="en"><head><title>CORS probe</title></head>' +
  '<body><main><h1>CORS probe</h1></main></body></html>';

let api, pages = [], browser, token;

before(async () => {
  api = await startPortcullis(API_PORT, `
[cors]
allowed_origins = ["${ALLOWED}"]
allowed_origin_regexes = ['^http://127\\.0\\.0\\.1:51\\d\\d$']
urls_regex = '^/(api|auth|api-token-auth)/.*$'
`);
  token = await userWithToken(api.base, 'corsuser');
  for (const port of [5173, 5174, 5180]) pages.push(await servePage(port, PAGE));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const p of pages) await p.close();
  api?.stop();
});

/** Open `origin` in a fresh page and run a fetch to the API from it. */
async function fetchFrom(origin, name, { auth = `Token ${token}`, path = '/auth/users/me/' } = {}) {
  const page = await browser.newPage();
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  try {
    await page.goto(`${origin}/`);
    const result = await page.evaluate(async ({ url, auth }) => {
      try {
        const r = await fetch(url, { headers: { Authorization: auth, 'Content-Type': 'application/json' } });
        return { ok: true, status: r.status, body: await r.json() };
      } catch (e) {
        return { ok: false, error: String(e) };
      }
    }, { url: `${api.base}${path}`, auth });
    return { ...result, console: consoleLines };
  } catch (e) {
    await screenshot(page, `cors-${name}`);
    throw e;
  } finally {
    await page.close();
  }
}

test('a listed origin calls the API with an Authorization header (preflighted) and reads it', async () => {
  const r = await fetchFrom(ALLOWED, 'allowed');
  assert.equal(r.ok, true, r.error);
  assert.equal(r.status, 200);
  assert.equal(r.body.username, 'corsuser');
});

test('an origin matched by a regex is allowed too', async () => {
  const r = await fetchFrom(REGEX_ALLOWED, 'regex');
  assert.equal(r.ok, true, r.error);
  assert.equal(r.body.username, 'corsuser');
});

test('an origin that is not allowed is stopped by the browser', async () => {
  const r = await fetchFrom(NOT_ALLOWED, 'not-allowed');
  assert.equal(r.ok, false);
  assert.match(r.error, /Failed to fetch/);
  assert.ok(r.console.some((line) => /CORS policy/.test(line)), r.console.join('\n'));
});

test('a 401 carries the CORS headers, so the frontend can read its error', async () => {
  const r = await fetchFrom(ALLOWED, 'error', { auth: 'Token not-a-real-token' });
  assert.equal(r.ok, true, r.error);
  assert.equal(r.status, 401);
  assert.deepEqual(r.body, { detail: 'Invalid token.' });
});

test('a 404 under the API carries the CORS headers too', async () => {
  const r = await fetchFrom(ALLOWED, 'not-found', { path: '/api/notes/999999/' });
  assert.equal(r.ok, true, r.error);
  assert.equal(r.status, 404);
  assert.deepEqual(r.body, { detail: 'No Note matches the given query.' });
});
