// Frontends written the way tutorials write them, run unchanged against the Django project they
// were written for and against Portcullis configured as that project (tests/projects/NAME):
// the same page, the same clicks, the same result on both.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  launchBrowser, screenshot, serveFrontend, startProjectDjango, startProjectPortcullis,
} from './harness.mjs';

const FRONTENDS = fileURLToPath(new URL('./frontends/', import.meta.url));
const PASSWORD = 'kV7#browser-Lamp-42';
let browser;
after(async () => { await browser?.close(); });

/** The tutorial's notes app: register, JWT login, plain-array list, create, delete, refresh. */
async function notesTutorial(backend, label) {
  browser ??= await launchBrowser();
  const site = await serveFrontend(label === 'django' ? 5611 : 5612, join(FRONTENDS, 'tutorial-notes'), backend.base);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(site.base);
    const register = page.locator('#register');
    await register.getByLabel('Username').fill('ann');
    await register.getByLabel('Password').fill(PASSWORD);
    await register.getByRole('button', { name: 'Register' }).click();
    await page.getByText('Registered ann. Please log in.').waitFor();

    const login = page.locator('#login');
    await login.getByLabel('Username').fill('ann');
    await login.getByLabel('Password').fill('wrong password');
    await login.getByRole('button', { name: 'Login' }).click();
    await page.getByText('Login failed: detail: No active account found with the given credentials').waitFor();
    await login.getByLabel('Password').fill(PASSWORD);
    await login.getByRole('button', { name: 'Login' }).click();
    await page.getByRole('heading', { name: 'Your notes' }).waitFor();

    for (const [title, content] of [['Groceries', 'milk, eggs'], ['Ideas', 'a better mousetrap']]) {
      await page.getByLabel('Title').fill(title);
      await page.getByLabel('Content').fill(content);
      await page.getByRole('button', { name: 'Create' }).click();
      await page.getByRole('heading', { name: title }).waitFor();
    }
    assert.deepEqual(await page.locator('#note-list h3').allTextContents(), ['Groceries', 'Ideas']);

    await page.getByRole('button', { name: 'Delete Groceries' }).click();
    await page.getByText('Note deleted!').waitFor();
    await page.getByRole('heading', { name: 'Groceries' }).waitFor({ state: 'detached' });
    assert.deepEqual(await page.locator('#note-list h3').allTextContents(), ['Ideas']);

    // An access token the server refuses: the page refreshes it with the stored refresh token
    // and goes on, as the tutorial's interceptor does.
    await page.evaluate(() => localStorage.setItem('access', 'not-a-token'));
    await page.reload();
    await page.getByRole('heading', { name: 'Ideas' }).waitFor();
    assert.notEqual(await page.evaluate(() => localStorage.getItem('access')), 'not-a-token');

    await page.getByRole('button', { name: 'Logout' }).click();
    await page.getByRole('heading', { name: 'Login' }).waitFor();
  } catch (error) {
    await screenshot(page, `tutorial-notes-${label}`);
    throw error;
  } finally {
    await context.close();
    await site.close();
  }
}

test('the tutorial notes frontend works against its Django project', async (t) => {
  const django = await startProjectDjango(18611, 'generic_views');
  if (!django) { t.skip('the reference environment (../shared/oracle/setup.sh) is not set up'); return; }
  try { await notesTutorial(django, 'django'); } finally { django.stop(); }
});

test('the tutorial notes frontend works unchanged against Portcullis configured as that project', async () => {
  const portcullis = await startProjectPortcullis(18612, 'generic_views');
  try { await notesTutorial(portcullis, 'portcullis'); } finally { portcullis.stop(); }
});

/** A djoser frontend: djoser under /api/auth/, DRF token login, DRF pages at /api/v1/. */
async function djoserNotes(backend, port, label) {
  browser ??= await launchBrowser();
  const site = await serveFrontend(port, join(FRONTENDS, 'djoser-notes'), backend.base);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(site.base);
    const signup = page.getByRole('form', { name: 'Sign up' });
    await signup.getByLabel('Username').fill('bea');
    await signup.getByLabel('Email').fill('bea@example.com');
    await signup.getByLabel('Password').fill('short');
    await signup.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText(/Sign up failed: password: This password is too short/).waitFor();
    await signup.getByLabel('Password').fill(PASSWORD);
    await signup.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('Welcome, bea! Sign in now.').waitFor();

    const signin = page.getByRole('form', { name: 'Sign in' });
    await signin.getByLabel('Username').fill('bea');
    await signin.getByLabel('Password').fill(PASSWORD);
    await signin.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Hello, bea' }).waitFor();
    await page.getByText('0 notes').waitFor();

    await page.getByLabel('Title').fill('Call the plumber');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('1 notes').waitFor();
    await page.getByRole('button', { name: 'Remove Call the plumber' }).click();
    await page.getByText('Removed Call the plumber').waitFor();
    await page.getByText('0 notes').waitFor();

    // The token outlives a reload; signing out deletes it on the server.
    await page.reload();
    await page.getByRole('heading', { name: 'Hello, bea' }).waitFor();
    const token = await page.evaluate(() => localStorage.getItem('token'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Signed out').waitFor();
    const after = await fetch(`${backend.base}/api/auth/users/me/`, { headers: { Authorization: `Token ${token}` } });
    assert.equal(after.status, 401);
  } catch (error) {
    await screenshot(page, `djoser-notes-${label}`);
    throw error;
  } finally {
    await context.close();
    await site.close();
  }
}

test('the djoser frontend works against its Django project (djoser under /api/auth/)', async (t) => {
  const django = await startProjectDjango(18613, 'urls_layout');
  if (!django) { t.skip('the reference environment (../shared/oracle/setup.sh) is not set up'); return; }
  try { await djoserNotes(django, 5613, 'django'); } finally { django.stop(); }
});

test('the djoser frontend works unchanged against Portcullis configured as that project', async () => {
  const portcullis = await startProjectPortcullis(18614, 'urls_layout');
  try { await djoserNotes(portcullis, 5614, 'portcullis'); } finally { portcullis.stop(); }
});
