// The built-in web app against a project whose user model logs in with its email
// (`[user_model] username_field = "email"`, first and last names in REQUIRED_FIELDS, djoser's
// USER_CREATE_PASSWORD_RETYPE), authenticated by JWTs only (`JWT` header keyword), with lists
// unpaginated: the settings of tests/projects/email_login. The app reads them from
// /client/settings.json: it asks for the email (no username), the names and the repeated
// password at sign-up, logs in for a JWT pair, and keeps notes. Then Django's own User with
// djoser's LOGIN_FIELD = "email" (`[djoser] login_field`): the log-in asks for the email.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startPortcullis, launchBrowser, BIN } from './harness.mjs';
import { accessibilityProblems, isFocused, withScreenshot } from './page-helpers.mjs';

const API_PORT = 18741;
const PASSWORD = 'kV7#mountain-Lamp';
const CONFIG = `
pagination = "none"
authentication_classes = ["rest_framework_simplejwt.authentication.JWTAuthentication"]

[user_model]
username_field = "email"
required_fields = ["first_name", "last_name"]

[djoser]
user_create_password_retype = true

[jwt]
auth_header_types = ["JWT"]

[[urls]]
path = "auth/"
include = "djoser.urls"
[[urls]]
path = "auth/"
include = "djoser.urls.jwt"
[[urls]]
path = "api/"
router = "DefaultRouter"
`;

let api, browser, page;
const pageErrors = [];

before(async () => {
  api = await startPortcullis(API_PORT, CONFIG);
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
  page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await browser?.close();
  api?.stop();
});

const main = () => page.getByRole('main');
const h1 = (name) => page.getByRole('heading', { level: 1, name, exact: true });
const status = () => page.getByRole('status');

function step(name, fn) {
  return withScreenshot(page, name, async () => {
    await fn();
    assert.deepEqual(pageErrors, [], 'errors in the page');
  });
}

test('the server describes its settings at /client/settings.json', async () => {
  const r = await fetch(`${api.base}/client/settings.json`);
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), {
    auth: 'jwt',
    jwt_header_type: 'JWT',
    username_field: 'email',
    login_field: 'email',
    required_fields: ['first_name', 'last_name'],
    user_create_password_retype: true,
    send_activation_email: false,
    password_reset_confirm_retype: false,
  });
});

test('a user signs up with an email, names and a repeated password, logs in with a JWT, and keeps notes', () =>
  step('app-email-user', async () => {
    await page.goto(`${api.base}/`);
    await h1('Log in').waitFor();
    const loginEmail = main().getByLabel('Email address');
    assert.equal(await loginEmail.getAttribute('type'), 'email');
    assert.equal(await loginEmail.getAttribute('autocomplete'), 'username');
    assert.equal(await main().getByLabel('Username').count(), 0, 'no username on the login form');

    await main().getByRole('link', { name: 'Create an account' }).click();
    await h1('Create an account').waitFor();
    assert.equal(await main().getByLabel('Username').count(), 0, 'no username at sign-up');
    const email = main().getByLabel('Email address');
    assert.equal(await email.getAttribute('type'), 'email');
    assert.equal(await email.getAttribute('autocomplete'), 'email');
    assert.equal(await main().getByLabel('First name').getAttribute('autocomplete'), 'given-name');
    assert.equal(await main().getByLabel('Last name').getAttribute('autocomplete'), 'family-name');
    assert.deepEqual(await accessibilityProblems(page), [], 'accessibility problems on the sign-up page');

    await email.fill('not an email');
    await main().getByLabel('First name').fill('Ann');
    await main().getByLabel('Last name').fill('Lee');
    await main().getByLabel(/^Password/).fill(PASSWORD);
    await main().getByLabel('Repeat password').fill(`${PASSWORD}x`);
    await page.getByRole('button', { name: 'Create account' }).click();
    // The server's error sits next to the email field and is announced.
    await main().getByText('Enter a valid email address.').waitFor();
    assert.equal(await email.getAttribute('aria-invalid'), 'true');
    assert.ok(await isFocused(email), 'focus moves to the field in error');
    await main().getByRole('alert').getByText('Your account could not be created.').waitFor();

    await email.fill('ann@example.com');
    await page.getByRole('button', { name: 'Create account' }).click();
    await main().getByRole('alert').getByText("The two password fields didn't match.").waitFor();
    await main().getByLabel('Repeat password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();

    await h1('Log in').waitFor();
    await status().getByText('Account ann@example.com created.').waitFor();
    assert.equal(await main().getByLabel('Email address').inputValue(), 'ann@example.com');
    await main().getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await main().getByRole('alert').getByText('No active account found with the given credentials').waitFor();
    await main().getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await h1('Notes').waitFor();
    await status().getByText('Logged in as ann@example.com.').waitFor();
    await page.getByRole('navigation', { name: 'Account' }).getByText('Signed in as ann@example.com').waitFor();

    const session = JSON.parse(await page.evaluate(() => localStorage.getItem('portcullis.auth')));
    assert.ok(session.access && session.refresh, 'a JWT pair is stored');
    const me = await fetch(`${api.base}/auth/users/me/`, { headers: { Authorization: `JWT ${session.access}` } });
    assert.deepEqual(await me.json(), { first_name: 'Ann', last_name: 'Lee', id: 1, email: 'ann@example.com' });

    for (const title of ['Groceries', 'Ideas']) {
      await main().getByRole('link', { name: 'New note' }).click();
      await h1('New note').waitFor();
      await page.getByLabel('Title').fill(title);
      await page.getByRole('button', { name: 'Create note' }).click();
      await status().getByText(`Note “${title}” created.`).waitFor();
    }
    const list = main().getByRole('list', { name: 'Notes' });
    assert.deepEqual(await list.getByRole('heading', { level: 3 }).allTextContents(), ['Ideas', 'Groceries']);
    // The notes' owner is the email: the app knows them as the user's own.
    await page.getByRole('link', { name: 'Edit Groceries' }).waitFor();
    assert.deepEqual(await accessibilityProblems(page), [], 'accessibility problems on the notes page');
  }));

test('with djoser\'s LOGIN_FIELD = "email" the log-in form asks for the email, and a DRF token comes back', async () => {
  const server = await startPortcullis(18743, '[djoser]\nlogin_field = "email"\n');
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
  const other = await context.newPage();
  other.setDefaultTimeout(10000);
  try {
    // Registration fails on such a project (djoser's serializer has no username to fill):
    // the user comes from the command line, as `manage.py createsuperuser` would make it.
    const made = spawnSync(BIN, ['--config', server.config, 'createsuperuser', '--noinput',
      '--username', 'bob', '--email', 'bob@example.com'], {
      env: { PATH: process.env.PATH, PORTCULLIS_SUPERUSER_PASSWORD: PASSWORD },
    });
    assert.equal(made.status, 0, String(made.stderr));
    await withScreenshot(other, 'app-login-field', async () => {
      await other.goto(`${server.base}/`);
      await other.getByRole('heading', { level: 1, name: 'Log in' }).waitFor();
      const email = other.getByRole('main').getByLabel('Email address');
      assert.equal(await email.getAttribute('type'), 'email');
      assert.equal(await email.getAttribute('name'), 'email');
      await email.fill('bob@example.com');
      await other.getByRole('main').getByLabel('Password').fill(PASSWORD);
      await other.getByRole('button', { name: 'Log in' }).click();
      await other.getByRole('heading', { level: 1, name: 'Notes' }).waitFor();
      await other.getByRole('status').getByText('Logged in as bob@example.com.').waitFor();
      const session = JSON.parse(await other.evaluate(() => localStorage.getItem('portcullis.auth')));
      assert.match(session.token, /^[0-9a-f]{40}$/);
    });
  } finally {
    await context.close();
    server.stop();
  }
});
