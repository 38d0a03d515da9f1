// The web app's "Forgot password?" flow in Chromium, with the mail really sent: Portcullis
// mails over SMTP (`[email] backend = "smtp"`) to an aiosmtpd server the test starts
// (mail-sink.mjs). A user registers and logs out, asks for a reset link, reads the mail, opens
// its link in a new tab (djoser's default `password_reset_confirm_url` on the address the
// request came to, which serves the web app), is told why a weak password is refused, sets a
// new one and logs in with it; the used link is then refused as such; and an address without
// an account gets the same answer as one with (the form busy, and a second press ignored,
// while its request is out). Elements are found by role, name and label, and
// every page passes the accessibility audit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mailedLink } from './mail-sink.mjs';
import { assertAccessible, h1, main, startMailFlow } from './mail-flow.mjs';
import { description, docScreenshot, isFocused } from './page-helpers.mjs';

const API_PORT = 19231;
const SMTP_PORT = 19232;
const PASSWORD = 'kV7#harbour-Lamp';
const NEW_PASSWORD = 'Qz9!orchard-Kite';
const SENT = 'If an account uses this email address, a mail with a link to choose a new password is on its way.';

let flow, api, sink, context, page, watch, step;

before(async () => {
  flow = await startMailFlow({ apiPort: API_PORT, smtpPort: SMTP_PORT });
  ({ api, sink, context, page, watch, step } = flow);
});

after(async () => {
  await flow?.stop();
});

/**
 * Ask for a reset link for `email` from the login page; returns the answer shown. `whileSent`
 * runs while the request is held on its way to the server (which then gets it unchanged).
 */
async function askForLink(email, whileSent = async () => {}) {
  await main(page).getByRole('link', { name: 'Forgot password?' }).click();
  await h1(page, 'Reset your password').waitFor();
  assert.ok(await isFocused(h1(page, 'Reset your password')), 'focus moves to the heading');
  await page.getByLabel('Email address').fill(email);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let requests = 0;
  const path = '**/auth/users/reset_password/';
  await page.route(path, async (route) => {
    requests += 1;
    await held;
    await route.continue();
  });
  const button = page.getByRole('button', { name: 'Send reset link' });
  await button.click();
  await page.waitForFunction(() => document.querySelector('main form')?.getAttribute('aria-busy') === 'true');
  await whileSent(button);
  release();
  const sent = main(page).getByText(SENT);
  await sent.waitFor();
  assert.ok(await isFocused(sent), 'focus moves to the answer');
  await page.unroute(path);
  assert.equal(requests, 1, 'one request per submission');
  return sent.textContent();
}

let link;
let answerForKnown;

test('a registered user who logged out asks for a reset link and gets it by mail', () =>
  step('reset-request', async () => {
    await page.goto(`${api.base}/#/register`);
    await h1(page, 'Create an account').waitFor();
    await page.getByLabel('Username').fill('rita');
    await page.getByLabel('Email address').fill('rita@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await h1(page, 'Log in').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await h1(page, 'Notes').waitFor();
    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await h1(page, 'Log in').waitFor();
    await assertAccessible(page, 'the login page');

    answerForKnown = await askForLink('rita@example.com');
    await assertAccessible(page, 'the reset request page, answered');
    await main(page).getByRole('link', { name: 'Back to log in' }).waitFor();

    const mail = await sink.mail(1);
    assert.deepEqual(mail.to, ['rita@example.com']);
    assert.equal(mail.subject, `Password reset on 127.0.0.1:${API_PORT}`);
    link = mailedLink(mail);
    assert.ok(link.startsWith(`${api.base}/#/password/reset/confirm/`), link);
  }));

test('the mailed link opens the web app: a weak password is refused next to its field, a good one is set', () =>
  step('reset-confirm', async () => {
    const tab = watch(await context.newPage());
    await tab.goto(link);
    await h1(tab, 'Choose a new password').waitFor();
    await assertAccessible(tab, 'the new password page');
    const password = tab.getByRole('textbox', { name: 'New password', exact: true });
    assert.equal(await password.getAttribute('autocomplete'), 'new-password');
    await password.fill('12345');
    const submit = tab.getByRole('button', { name: 'Set new password' });
    await submit.click();
    await main(tab).getByText('This password is too short. It must contain at least 8 characters.').waitFor();
    assert.equal(await password.getAttribute('aria-invalid'), 'true');
    assert.match(await description(password), /This password is entirely numeric/);
    assert.ok(await isFocused(password), 'focus moves to the field in error');
    await main(tab).getByRole('alert').getByText('Your password could not be changed.').waitFor();
    await assertAccessible(tab, 'the new password page with errors');
    await docScreenshot(tab, 'app-reset-password');

    await password.fill(NEW_PASSWORD);
    await submit.click();
    await h1(tab, 'Log in').waitFor();
    await tab.getByRole('status').getByText('Your password has been changed.').waitFor();
    await main(tab).getByLabel('Username').fill('rita');
    await main(tab).getByLabel('Password').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Log in' }).click();
    await main(tab).getByRole('alert').getByText('Unable to log in with provided credentials.').waitFor();
    await tab.getByLabel('Password').fill(NEW_PASSWORD);
    await tab.getByRole('button', { name: 'Log in' }).click();
    await h1(tab, 'Notes').waitFor();
    await tab.getByRole('button', { name: 'Log out', exact: true }).click();
    await h1(tab, 'Log in').waitFor();
    await tab.close();
  }));

test('the same link opened again says it is invalid or used, and offers a new one', () =>
  step('reset-used-link', async () => {
    const tab = watch(await context.newPage());
    await tab.goto(link);
    await h1(tab, 'Choose a new password').waitFor();
    await tab.getByRole('textbox', { name: 'New password', exact: true }).fill('Another#good-Pass-77');
    await tab.getByRole('button', { name: 'Set new password' }).click();
    const alert = main(tab).getByRole('alert');
    await alert.getByText('This reset link is invalid or has already been used.').waitFor();
    await alert.getByText('Invalid token for given user.').waitFor();
    assert.equal(await alert.textContent(),
      'This reset link is invalid or has already been used.Invalid token for given user.Ask for a new reset link.');
    assert.ok(await isFocused(alert), 'focus moves to the explanation');
    await assertAccessible(tab, 'the refused link');
    await alert.getByRole('link', { name: 'Ask for a new reset link' }).click();
    await h1(tab, 'Reset your password').waitFor();
    await tab.close();
    // The password set with the link still holds.
    const r = await fetch(`${api.base}/auth/token/login/`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'rita', password: NEW_PASSWORD }),
    });
    assert.equal(r.status, 200);
  }));

test('an address without an account gets the same answer, and no mail', () =>
  step('reset-unknown-address', async () => {
    await page.goto(`${api.base}/#/login`);
    await h1(page, 'Log in').waitFor();
    const answer = await askForLink('nobody@example.com', async (button) => {
      // While the request is out the button says it is unavailable and a second press sends
      // nothing more (counted by askForLink).
      assert.equal(await button.getAttribute('aria-disabled'), 'true');
      await button.evaluate((b) => /** @type {HTMLButtonElement} */ (b).click());
      await page.getByRole('status').getByText('Sending the reset link…').waitFor();
    });
    assert.equal(answer, answerForKnown);
    // A known address asked for after it: its mail is the next one, so none went to the other.
    await main(page).getByRole('link', { name: 'Back to log in' }).click();
    await h1(page, 'Log in').waitFor();
    await askForLink('rita@example.com');
    const second = await sink.mail(2);
    assert.deepEqual(second.to, ['rita@example.com']);
    assert.deepEqual(sink.mails().flatMap((m) => m.to), ['rita@example.com', 'rita@example.com']);
  }));
