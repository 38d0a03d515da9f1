// The staff console in Chromium, found the way a screen reader finds things (roles, names,
// labels): a non-staff user cannot open it; staff finds a user by search and deactivates it,
// after which that user's token is refused on the very next request; staff creates a group
// with a permission; the resource browser shows every note. Each test saves a screenshot when
// it fails; with PORTCULLIS_DOC_SCREENSHOTS=1 the run also refreshes docs/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, startPortcullis, launchBrowser, screenshot, userWithToken } from './harness.mjs';

const PORT = 18601;
const ADMIN = 'admin';
const ADMIN_PASSWORD = 'kV7#admin-Console-42';
const USER_PASSWORD = 'kV7#browser-Lamp-42';
const TOKEN_KEY = 'portcullis.admin.token';
const DOCS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');

let api;
let browser;

/** The environment without the tests' own PORTCULLIS_* variables (read as configuration). */
const ownEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PORTCULLIS_')));

before(async () => {
  api = await startPortcullis(PORT);
  // The staff user comes from the command line, as an operator creates it.
  const made = spawnSync(BIN, ['--config', api.config, 'createsuperuser', '--noinput',
    '--username', ADMIN, '--email', 'a@example.com'], {
    env: { ...ownEnv(), PORTCULLIS_SUPERUSER_PASSWORD: ADMIN_PASSWORD },
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, `createsuperuser: ${made.stderr}`);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  api?.stop();
});

/** Run `body(page)` in a fresh page; on failure, save a screenshot and say where. */
async function withPage(name, body) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  try {
    await body(page);
  } catch (error) {
    const file = await screenshot(page, `admin-${name}`);
    error.message += `\n(screenshot: ${file})\n${problems.join('\n')}`;
    throw error;
  } finally {
    await page.close();
  }
}

async function docShot(page, name) {
  if (process.env.PORTCULLIS_DOC_SCREENSHOTS !== '1') return;
  mkdirSync(DOCS, { recursive: true });
  await page.screenshot({ path: join(DOCS, `${name}.png`), fullPage: true });
}

async function logIn(page, username, password) {
  await page.goto(`${api.base}/admin/`);
  const form = page.getByRole('region', { name: 'Log in to the admin console' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Log in', exact: true }).click();
}

async function staffLogIn(page) {
  await logIn(page, ADMIN, ADMIN_PASSWORD);
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
}

/** A token for server-side calls (node's fetch: no browser involved). */
async function tokenOf(username, password) {
  const r = await fetch(`${api.base}/api-token-auth/`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  assert.equal(r.status, 200, await r.clone().text());
  return (await r.json()).token;
}

const asToken = (token) => ({ headers: { Authorization: `Token ${token}`, 'Content-Type': 'application/json' } });

test('a non-staff user cannot open the console', async () => {
  const token = await userWithToken(api.base, 'visitor', USER_PASSWORD);
  await withPage('non-staff', async (page) => {
    await logIn(page, 'visitor', USER_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Staff only' }).waitFor();
    const alert = page.getByRole('alert').filter({ hasText: 'not a staff account' });
    await alert.waitFor();
    assert.match(await alert.textContent(), /visitor is not a staff account/);
    assert.equal(await page.getByRole('heading', { name: 'Users' }).count(), 0);
    assert.equal(await page.getByRole('navigation', { name: 'Sections' }).count(), 0);
    // The console does not keep a token it cannot use…
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), TOKEN_KEY), null);
    // …and one planted in its storage gets the same refusal.
    await page.evaluate(([k, t]) => localStorage.setItem(k, t), [TOKEN_KEY, token]);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Staff only' }).waitFor();
    await docShot(page, 'admin-staff-only');
  });
  // The API behind it says the same.
  const r = await fetch(`${api.base}/api/admin/users/`, asToken(token));
  assert.equal(r.status, 403);
});

test('a wrong password is announced and tied to the form', async () => {
  await withPage('wrong-password', async (page) => {
    await logIn(page, ADMIN, 'not-the-password');
    const alert = page.getByRole('alert').filter({ hasText: 'Unable to log in with provided credentials.' });
    await alert.waitFor();
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
  });
});

test('staff finds a user by search and deactivates it; its token fails on the next request', async () => {
  const token = await userWithToken(api.base, 'victim', USER_PASSWORD);
  await userWithToken(api.base, 'bystander', USER_PASSWORD);
  let r = await fetch(`${api.base}/auth/users/me/`, asToken(token));
  assert.equal(r.status, 200);
  await withPage('deactivate', async (page) => {
    await staffLogIn(page);
    await page.getByRole('searchbox', { name: 'Search by username or email' }).fill('victim');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const table = page.getByRole('table', { name: /Users matching “victim”: 1 user/ });
    await table.waitFor();
    assert.equal(await table.getByRole('row', { name: /bystander/ }).count(), 0);
    await page.getByRole('button', { name: 'Edit victim', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'User victim' }).waitFor();
    await page.getByRole('heading', { level: 3, name: 'Sessions' }).waitFor();
    await page.getByText('API token: issued').waitFor();
    await docShot(page, 'admin-users');
    await page.getByRole('button', { name: 'Deactivate victim', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'victim is deactivated' }).waitFor();
    await page.getByRole('button', { name: 'Activate victim', exact: true }).waitFor();
    const row = page.getByRole('row', { name: /victim/ });
    assert.deepEqual(await row.getByRole('cell').allTextContents(),
      ['—', 'No', 'No', 'No', 'Edit victim']);
    await page.getByText('API token: none').waitFor();
  });
  // The very next request with the old token is refused.
  r = await fetch(`${api.base}/auth/users/me/`, asToken(token));
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('www-authenticate'), 'Token');
});

test('staff creates a group with a permission', async () => {
  await withPage('group', async (page) => {
    await staffLogIn(page);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    // A missing name is reported on the field and announced.
    await page.getByRole('button', { name: 'Create group', exact: true }).click();
    const name = page.getByLabel('Group name');
    await page.getByRole('alert').filter({ hasText: 'Group name: This field may not be blank.' }).waitFor();
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    const describedBy = await name.getAttribute('aria-describedby');
    assert.equal(await page.locator(`#${describedBy}`).textContent(), 'This field may not be blank.');

    await name.fill('editors');
    await page.getByRole('checkbox', { name: 'Can add note (notes.add)' }).check();
    await page.getByRole('checkbox', { name: 'Can change note (notes.change)' }).check();
    await page.getByRole('button', { name: 'Create group', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Created group editors.' }).waitFor();
    const row = page.getByRole('row', { name: /editors/ });
    await row.waitFor();
    assert.equal(await row.getByRole('cell').first().textContent(), 'notes.add, notes.change');
    await docShot(page, 'admin-groups');
  });
  const admin = await tokenOf(ADMIN, ADMIN_PASSWORD);
  const r = await fetch(`${api.base}/api/admin/groups/`, asToken(admin));
  const body = await r.json();
  const group = body.results.find((g) => g.name === 'editors');
  assert.deepEqual(group?.permissions, ['notes.add', 'notes.change']);
});

test('the resource browser shows every note, private ones included', async () => {
  const token = await userWithToken(api.base, 'author', USER_PASSWORD);
  const r = await fetch(`${api.base}/api/notes/`, {
    method: 'POST', ...asToken(token), body: JSON.stringify({ title: 'Private plans', body: 'only mine' }),
  });
  assert.equal(r.status, 201, await r.clone().text());
  const note = await r.json();
  await withPage('resources', async (page) => {
    await staffLogIn(page);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Resources' }).click();
    await page.getByRole('heading', { level: 1, name: 'Resources' }).waitFor();
    const select = page.getByRole('combobox', { name: 'Resource' });
    // The resource list arrives after the heading: wait for it rather than race it.
    await select.locator('option[value="notes"]').waitFor({ state: 'attached' });
    await page.waitForFunction(() => document.querySelector('#resource-select')?.value === 'notes');
    assert.equal(await select.inputValue(), 'notes');
    const table = page.getByRole('table', { name: /Note rows: 1 in all/ });
    await table.waitFor();
    for (const header of ['ID', 'Title', 'Body', 'Is public', 'Owner', 'Created at']) {
      await table.getByRole('columnheader', { name: header, exact: true }).waitFor();
    }
    await table.getByRole('cell', { name: 'Private plans' }).waitFor();
    await table.getByRole('cell', { name: 'author' }).waitFor();
    await docShot(page, 'admin-resources');
    await page.getByRole('button', { name: `View JSON of Note ${note.id}`, exact: true }).click();
    await page.getByRole('heading', { level: 2, name: `Note ${note.id}` }).waitFor();
    const json = JSON.parse(await page.locator('#row-json').textContent());
    assert.equal(json.title, 'Private plans');
    assert.equal(json.owner, 'author');
  });
});

test('every control has a name, every field a label, every table headers', async () => {
  await withPage('a11y', async (page) => {
    await staffLogIn(page);
    await page.getByRole('button', { name: /^Edit / }).first().click();
    await page.getByRole('heading', { level: 3, name: 'Sessions' }).waitFor();
    for (const section of ['Users', 'Groups', 'Resources']) {
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section }).click();
      await page.getByRole('heading', { level: 1, name: section }).waitFor();
      const link = page.getByRole('link', { name: section });
      assert.equal(await link.getAttribute('aria-current'), 'page');
      await page.waitForLoadState('networkidle');
      if (section === 'Resources') await page.getByRole('table', { name: /Note rows:/ }).waitFor();
      const problems = await page.evaluate(() => {
        const shown = (e) => e.getClientRects().length > 0;
        const out = [];
        for (const e of document.querySelectorAll('input, select, textarea')) {
          if (shown(e) && e.labels.length === 0 && !e.getAttribute('aria-label')) out.push(`unlabelled ${e.outerHTML}`);
        }
        for (const b of document.querySelectorAll('button')) {
          if (shown(b) && !(b.textContent.trim() || b.getAttribute('aria-label'))) out.push(`nameless ${b.outerHTML}`);
        }
        for (const t of document.querySelectorAll('table')) {
          if (shown(t) && (!t.querySelector('th') || !t.caption?.textContent.trim())) out.push(`table ${t.id}`);
        }
        for (const id of new Set([...document.querySelectorAll('[aria-describedby]')].map((e) => e.getAttribute('aria-describedby')))) {
          if (!document.getElementById(id)) out.push(`dangling aria-describedby ${id}`);
        }
        const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
        if (new Set(ids).size !== ids.length) out.push('duplicate ids');
        if (!document.querySelector('main') || !document.querySelector('header')) out.push('landmarks');
        if (document.querySelectorAll('h1:not([hidden] h1)').length < 1) out.push('no h1');
        return out;
      });
      assert.deepEqual(problems, [], section);
    }
  });
});
