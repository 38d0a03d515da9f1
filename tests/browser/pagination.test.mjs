// The web app and the JavaScript client against servers paginated as a Django project may be:
// no DEFAULT_PAGINATION_CLASS (a plain array: every note on one page, no page controls), and
// notes under CursorPagination (pages without a count, reached by their `next` links).
// LimitOffsetPagination is checked through the client: `list({page})` and `all()`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPortcullis, launchBrowser, userWithToken, screenshot } from './harness.mjs';
import { createClient } from '../../clients/js/portcullis.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NOTES = readFileSync(join(ROOT, 'crates/portcullis-server/src/resources/default_schema.toml'), 'utf8');
const STORAGE_KEY = 'portcullis.auth';

let browser;
const servers = [];

before(async () => { browser = await launchBrowser(); });
after(async () => {
  await browser?.close();
  for (const server of servers) server.stop();
});

/** A server with the notes schema changed by `edit`, and the configuration text `toml`. */
async function server(port, toml, edit = (s) => s) {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-pagination-'));
  const schema = join(dir, 'schema.toml');
  writeFileSync(schema, edit(NOTES));
  const api = await startPortcullis(port, `${toml}\nschema_file = "${schema}"`);
  servers.push(api);
  return api;
}

async function notesFor(api, username, count) {
  const token = await userWithToken(api.base, username);
  for (let i = 1; i <= count; i++) {
    const r = await fetch(`${api.base}/api/notes/`, {
      method: 'POST',
      headers: { Authorization: `Token ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: `Note ${String(i).padStart(2, '0')}` }),
    });
    assert.equal(r.status, 201);
  }
  return token;
}

/** The web app, logged in with `token` (stored as the app stores it), at the notes list. */
async function openNotes(api, token) {
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  await page.goto(`${api.base}/`);
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [STORAGE_KEY, JSON.stringify({ token })]);
  await page.goto(`${api.base}/#/notes`);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Notes', exact: true }).waitFor();
  return page;
}

const titles = (page) => page.getByRole('main').getByRole('list', { name: 'Notes' })
  .getByRole('heading', { level: 3 }).allTextContents();

test('without pagination the web app shows every note, with no page controls', async () => {
  const api = await server(18420, 'pagination = "none"\npage_size = 5');
  const token = await notesFor(api, 'ann', 7);
  const body = await (await fetch(`${api.base}/api/notes/`, { headers: { Authorization: `Token ${token}` } })).json();
  assert.ok(Array.isArray(body), 'the API answers a plain array');
  const page = await openNotes(api, token);
  try {
    await page.getByText('Showing 1–7 of 7 notes.').waitFor();
    assert.equal((await titles(page)).length, 7);
    assert.equal(await page.getByRole('navigation', { name: 'Pagination' }).count(), 0);
  } catch (error) {
    await screenshot(page, 'pagination-none');
    throw error;
  } finally {
    await page.context().close();
  }
});

test('under CursorPagination the web app pages forward and back by the cursor links', async () => {
  const api = await server(18421, 'pagination = "none"\npage_size = 5', (s) =>
    s.replace('public_flag = "is_public"\n', 'public_flag = "is_public"\npagination = "CursorPagination"\n'));
  const token = await notesFor(api, 'ann', 7);
  const page = await openNotes(api, token);
  try {
    await page.getByText('Showing 5 notes.').waitFor();
    assert.deepEqual(await titles(page), ['Note 07', 'Note 06', 'Note 05', 'Note 04', 'Note 03']);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByText('Showing 2 notes.').waitFor();
    assert.deepEqual(await titles(page), ['Note 02', 'Note 01']);
    assert.equal(await page.getByText('Page 2', { exact: true }).count(), 1);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByText('Showing 5 notes.').waitFor();
    assert.deepEqual((await titles(page))[0], 'Note 07');
  } catch (error) {
    await screenshot(page, 'pagination-cursor');
    throw error;
  } finally {
    await page.context().close();
  }
});

test('the client reads a limit/offset list by page number, and all() follows next', async () => {
  const api = await server(18422, 'pagination = "LimitOffsetPagination"\npage_size = 3');
  const token = await notesFor(api, 'ann', 7);
  const storage = new Map();
  const client = createClient({
    baseUrl: api.base,
    locks: false,
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => storage.set(k, v), removeItem: (k) => storage.delete(k) },
  });
  storage.set('portcullis.auth', JSON.stringify({ token }));
  const notes = client.resource('notes');
  const first = await notes.list();
  assert.equal(first.style, 'limit-offset');
  assert.equal(first.count, 7);
  const third = await notes.list({ page: 3 });
  assert.deepEqual(third.results.map((n) => n.title), ['Note 01']);
  assert.equal(third.next, null);
  const all = await notes.all({ ordering: 'title' });
  assert.deepEqual(all.map((n) => n.title), ['01', '02', '03', '04', '05', '06', '07'].map((n) => `Note ${n}`));
});
