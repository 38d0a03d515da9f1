// The console's Audit log page in Chromium, found by roles, names and labels: staff see the
// authentication events in a table with column headers (a failed login with the name tried and
// the client's user agent, never the password), narrow them with labelled filters, and see a
// refused filter next to its field. A non-staff user never gets the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, startPortcullis, launchBrowser, screenshot, userWithToken } from './harness.mjs';
import { accessibilityProblems } from './page-helpers.mjs';

const PORT = 19470;
const ADMIN = 'auditor';
const ADMIN_PASSWORD = 'kV7#audit-Console-42';
const WRONG = 'not-anns-password-77';
const AGENT = 'AuditBrowserTest/1.0';

let api;
let browser;

const ownEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PORTCULLIS_')));

before(async () => {
  api = await startPortcullis(PORT);
  const made = spawnSync(BIN, ['--config', api.config, 'createsuperuser', '--noinput',
    '--username', ADMIN, '--email', 'auditor@example.com'], {
    env: { ...ownEnv(), PORTCULLIS_SUPERUSER_PASSWORD: ADMIN_PASSWORD },
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, `createsuperuser: ${made.stderr}`);
  await userWithToken(api.base, 'ann');
  // A failed login from a client with its own user agent.
  const r = await fetch(`${api.base}/auth/token/login/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'User-Agent': AGENT },
    body: JSON.stringify({ username: 'ann', password: WRONG }),
  });
  assert.equal(r.status, 400);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  api?.stop();
});

async function withPage(name, body) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  try {
    await body(page);
  } catch (error) {
    const file = await screenshot(page, `admin-audit-${name}`);
    error.message += `\n(screenshot: ${file})\n${problems.join('\n')}`;
    throw error;
  } finally {
    await page.close();
  }
}

async function openAudit(page, username, password) {
  await page.goto(`${api.base}/admin/`);
  const form = page.getByRole('region', { name: 'Log in to the admin console' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
}

test('staff read the audit log in a table and filter it by event', async () => {
  await withPage('table', async (page) => {
    await openAudit(page, ADMIN, ADMIN_PASSWORD);
    const table = page.getByRole('table', { name: /^Audit log: \d+ events$/ });
    await table.waitFor();
    for (const header of ['Time', 'Event', 'User', 'Client address', 'User agent', 'Details']) {
      await table.getByRole('columnheader', { name: header, exact: true }).waitFor();
    }
    const failed = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'login_failed' }) });
    await failed.first().waitFor();
    const text = await failed.first().textContent();
    assert.match(text, /ann \(unknown\)/);
    assert.match(text, /AuditBrowserTest\/1\.0/);
    assert.match(text, /via: token_login/);
    assert.doesNotMatch(await page.content(), new RegExp(WRONG));
    // The console's own login is there too.
    await table.getByRole('rowheader', { name: 'login', exact: true }).first().waitFor();

    await page.getByLabel('Event').selectOption('login_failed');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByRole('table', { name: 'Audit log: 1 events' }).waitFor();
    const headers = await table.getByRole('rowheader').allTextContents();
    assert.deepEqual(headers, ['login_failed']);
    assert.deepEqual(await accessibilityProblems(page), []);
  });
});

test('a refused filter is shown next to its field', async () => {
  await withPage('bad-filter', async (page) => {
    await openAudit(page, ADMIN, ADMIN_PASSWORD);
    const user = page.getByLabel('User id');
    await user.fill('abc');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByText('Enter a number.', { exact: true }).waitFor();
    assert.equal(await user.getAttribute('aria-invalid'), 'true');
    await page.getByRole('alert').filter({ hasText: 'User id: Enter a number.' }).waitFor();
  });
});

test('the log is not open to a non-staff user', async () => {
  const token = await userWithToken(api.base, 'visitor');
  const r = await fetch(`${api.base}/api/admin/audit/`, { headers: { Authorization: `Token ${token}` } });
  assert.equal(r.status, 403);
  const anonymous = await fetch(`${api.base}/api/admin/audit/`);
  assert.equal(anonymous.status, 401);
});
