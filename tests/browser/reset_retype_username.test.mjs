// The mailed-link pages under other djoser settings, in Chromium, the mails sent over SMTP to
// aiosmtpd (mail-sink.mjs): with `password_reset_confirm_retype` the new password is asked
// for twice (the server's "didn't match" shown in the summary); "Forgot username?" mails a
// link whose page sets a new username (its errors next to the field); a link opened while
// logged in works without touching the session, the header showing the new name; and with
// `password_reset_show_email_not_found` an unknown address is refused (djoser's bare list).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mailedLink } from './mail-sink.mjs';
import { startMailFlow } from './mail-flow.mjs';
import { accessibilityProblems, isFocused } from './page-helpers.mjs';

const API_PORT = 19235;
const SMTP_PORT = 19236;
const PASSWORD = 'kV7#browser-Lamp-42';
const NEW_PASSWORD = 'Qz9!orchard-Kite';

let flow, api, sink, page, step;

before(async () => {
  flow = await startMailFlow({ apiPort: API_PORT, smtpPort: SMTP_PORT,
    config: '[djoser]\npassword_reset_confirm_retype = true\npassword_reset_show_email_not_found = true\n\n' });
  ({ api, sink, page, step } = flow);
  for (const name of ['vera', 'walt']) {
    const r = await fetch(`${api.base}/auth/users/`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: name, email: `${name}@example.com`, password: PASSWORD }),
    });
    assert.equal(r.status, 201);
  }
});

after(async () => {
  await flow?.stop();
});

const h1 = (name) => page.getByRole('heading', { level: 1, name, exact: true });
const main = () => page.getByRole('main');
const textbox = (name) => main().getByRole('textbox', { name, exact: true });

async function assertAccessible(what) {
  assert.deepEqual(await accessibilityProblems(page), [], `accessibility problems on ${what}`);
}

/** From the login page, follow `linkName`, ask for a link for `email`; the mail's link. */
async function mailedLinkFor(linkName, heading, button, email, count) {
  await page.goto(`${api.base}/#/login`);
  await h1('Log in').waitFor();
  await main().getByRole('link', { name: linkName }).click();
  await h1(heading).waitFor();
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: button }).click();
  await main().getByText('If an account uses this email address').waitFor();
  const mail = await sink.mail(count);
  assert.deepEqual(mail.to, [email]);
  return mailedLink(mail);
}

async function logIn(username, password) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await h1('Notes').waitFor();
}

test('with password_reset_confirm_retype the new password is asked for twice', () =>
  step('reset-retype', async () => {
    const link = await mailedLinkFor('Forgot password?', 'Reset your password', 'Send reset link', 'vera@example.com', 1);
    await page.goto(link);
    await h1('Choose a new password').waitFor();
    await textbox('New password').fill(NEW_PASSWORD);
    await textbox('Repeat new password').fill(`${NEW_PASSWORD}-typo`);
    await page.getByRole('button', { name: 'Set new password' }).click();
    const alert = main().getByRole('alert');
    await alert.getByText("The two password fields didn't match.").waitFor();
    assert.ok(await isFocused(alert), 'focus moves to the summary');
    await assertAccessible('the new password page, retyped wrong');
    await textbox('Repeat new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await h1('Log in').waitFor();
    await logIn('vera', NEW_PASSWORD);
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await h1('Log in').waitFor();
  }));

test('"Forgot username?" mails a link whose page sets a new username, its errors next to the field', () =>
  step('username-reset', async () => {
    const link = await mailedLinkFor('Forgot username?', 'Reset your username', 'Send link', 'walt@example.com', 2);
    assert.ok(link.startsWith(`${api.base}/#/username/reset/confirm/`), link);
    await page.goto(link);
    await h1('Choose a new username').waitFor();
    await assertAccessible('the new username page');
    const name = textbox('New username');
    await name.fill('walt the second');
    await page.getByRole('button', { name: 'Set new username' }).click();
    await main().getByText('Enter a valid username.', { exact: false }).waitFor();
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    assert.ok(await isFocused(name), 'focus moves to the field in error');
    await name.fill('walter');
    await page.getByRole('button', { name: 'Set new username' }).click();
    await h1('Log in').waitFor();
    await page.getByRole('status').getByText('Your username has been changed.').waitFor();
    await logIn('walter', PASSWORD);
  }));

test('a link opened while logged in works and keeps the session; the header shows the new name', () =>
  step('username-reset-logged-in', async () => {
    // Logged in as walter (the test above); a second link for the same account.
    const r = await fetch(`${api.base}/auth/users/reset_username/`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'walt@example.com' }),
    });
    assert.equal(r.status, 204);
    await page.goto(mailedLink(await sink.mail(3)));
    await h1('Choose a new username').waitFor();
    await textbox('New username').fill('walther');
    await page.getByRole('button', { name: 'Set new username' }).click();
    await h1('Notes').waitFor();
    await page.getByRole('navigation', { name: 'Account' }).getByText('Signed in as walther').waitFor();
  }));

test('with password_reset_show_email_not_found an unknown address is refused in the summary', () =>
  step('reset-email-not-found', async () => {
    await page.goto(`${api.base}/#/password/reset`);
    await h1('Reset your password').waitFor();
    await page.getByLabel('Email address').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    const alert = main().getByRole('alert');
    await alert.getByText('User with given email does not exist.').waitFor();
    assert.equal(await alert.textContent(), 'The reset link could not be sent.User with given email does not exist.');
    assert.ok(await isFocused(alert), 'focus moves to the summary');
    await assertAccessible('the reset request page, refused');
  }));
