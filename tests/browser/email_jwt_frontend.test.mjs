// A frontend for a Django project whose users log in with their email (tests/projects/email_login:
// USERNAME_FIELD = "email", djoser with USER_CREATE_PASSWORD_RETYPE, simplejwt's "JWT" header
// keyword, notes rendering `pk`), run unchanged against that Django project and against
// Portcullis configured as it: the same page, the same clicks, the same result on both.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  launchBrowser, screenshot, serveFrontend, startProjectDjango, startProjectPortcullis,
} from './harness.mjs';

const FRONTEND = fileURLToPath(new URL('./frontends/email-jwt-notes/', import.meta.url));
const PASSWORD = 'kV7#browser-Lamp-42';
let browser;
after(async () => { await browser?.close(); });

/** Sign up with an email, log in for a JWT pair, keep notes and delete one by its `pk`. */
async function emailJwtNotes(backend, port, label) {
  browser ??= await launchBrowser();
  const site = await serveFrontend(port, FRONTEND, backend.base, ['/api/', '/auth/']);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(site.base);
    const register = page.getByRole('form', { name: 'Create an account' });
    await register.getByLabel('Email').fill('ann@example.com');
    await register.getByLabel('First name').fill('Ann');
    await register.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await register.getByLabel('Repeat password').fill(`${PASSWORD}x`);
    await register.getByRole('button', { name: 'Create account' }).click();
    await page.getByText("Sign up failed: non_field_errors: The two password fields didn't match.").waitFor();
    await register.getByLabel('Repeat password').fill(PASSWORD);
    await register.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Registered ann@example.com. Please log in.').waitFor();
    await register.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Sign up failed: email: user with this email address already exists.').waitFor();

    const login = page.getByRole('form', { name: 'Log in' });
    await login.getByLabel('Email').fill('ann@example.com');
    await login.getByLabel('Password').fill('wrong password');
    await login.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Login failed: No active account found with the given credentials').waitFor();
    await login.getByLabel('Password').fill(PASSWORD);
    await login.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Notes of ann@example.com' }).waitFor();

    for (const title of ['Groceries', 'Ideas']) {
      await page.getByLabel('Title').fill(title);
      await page.getByRole('button', { name: 'Save note' }).click();
      await page.getByRole('heading', { name: title }).waitFor();
    }
    // Meta.ordering = ["-created_at", "-id"]: the newest first.
    assert.deepEqual(await page.locator('#notes h3').allTextContents(), ['Ideas', 'Groceries']);
    const pk = await page.locator('#notes li', { hasText: 'Groceries' }).getAttribute('data-pk');
    assert.match(pk, /^\d+$/);
    await page.getByRole('button', { name: 'Delete Groceries' }).click();
    await page.getByText(`Deleted note ${pk}`).waitFor();
    await page.getByRole('heading', { name: 'Groceries' }).waitFor({ state: 'detached' });
    assert.deepEqual(await page.locator('#notes h3').allTextContents(), ['Ideas']);

    // The access token outlives a reload; the project reads only the "JWT" keyword.
    await page.reload();
    await page.getByRole('heading', { name: 'Ideas' }).waitFor();
    const statuses = await page.evaluate(async () => {
      const access = localStorage.getItem('access');
      const get = (auth) => fetch('/api/notes/', { headers: { Authorization: auth } }).then((r) => r.status);
      return [await get(`JWT ${access}`), await get(`Bearer ${access}`)];
    });
    assert.deepEqual(statuses, [200, 401]);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('access')), null);
  } catch (error) {
    await screenshot(page, `email-jwt-notes-${label}`);
    throw error;
  } finally {
    await context.close();
    await site.close();
  }
}

test('the email + JWT frontend works against its Django project', async (t) => {
  const django = await startProjectDjango(18150, 'email_login');
  if (!django) { t.skip('the reference environment (../shared/oracle/setup.sh) is not set up'); return; }
  try { await emailJwtNotes(django, 18152, 'django'); } finally { django.stop(); }
});

test('the email + JWT frontend works unchanged against Portcullis configured as that project', async () => {
  const portcullis = await startProjectPortcullis(18151, 'email_login');
  try { await emailJwtNotes(portcullis, 18153, 'portcullis'); } finally { portcullis.stop(); }
});

test("the JavaScript client logs in with the email when told the project's username field", async () => {
  const portcullis = await startProjectPortcullis(18154, 'email_login');
  browser ??= await launchBrowser();
  const site = await serveFrontend(18155, FRONTEND, portcullis.base, ['/api/', '/auth/', '/client/']);
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(site.base);
    const seen = await page.evaluate(async (password) => {
      const { createClient } = await import('/client/portcullis.js');
      const api = createClient({ auth: 'jwt', jwtHeaderType: 'JWT', usernameField: 'email' });
      await api.register({ email: 'cy@example.com', password, re_password: password });
      await api.login('cy@example.com', password);
      const me = await api.me();
      const note = await api.resource('notes').create({ title: 'From the client' });
      return { email: me.email, pk: typeof note.pk, header: (await api.authorizationHeader()).split(' ')[0] };
    }, PASSWORD);
    assert.deepEqual(seen, { email: 'cy@example.com', pk: 'number', header: 'JWT' });
  } catch (error) {
    await screenshot(page, 'email-jwt-client');
    throw error;
  } finally {
    await context.close();
    await site.close();
    portcullis.stop();
  }
});
