// The web app with djoser's `send_activation_email` on, in Chromium, the mail really sent over
// SMTP to an aiosmtpd server the test starts (mail-sink.mjs). Signing up says to check the
// mail (the server says the setting at /client/settings.json) instead of offering a login that
// would be refused; the mailed link activates the account as it opens; opened again it says
// the account is already active, and the user logs in; a mangled link says it is invalid and
// offers the resend form, whose new link activates a second account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mailedLink } from './mail-sink.mjs';
import { assertAccessible, h1, main, startMailFlow } from './mail-flow.mjs';
import { docScreenshot, isFocused } from './page-helpers.mjs';

const API_PORT = 19233;
const SMTP_PORT = 19234;
const PASSWORD = 'kV7#meadow-Lamp';

let flow, api, sink, context, page, watch, step;

before(async () => {
  flow = await startMailFlow({ apiPort: API_PORT, smtpPort: SMTP_PORT,
    config: '[djoser]\nsend_activation_email = true\n\n' });
  ({ api, sink, context, page, watch, step } = flow);
});

after(async () => {
  await flow?.stop();
});

async function register(username, email) {
  await page.goto(`${api.base}/#/register`);
  await h1(page, 'Create an account').waitFor();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await h1(page, 'Check your email').waitFor();
}

let link;

test('signing up says to check the mail, and the activation mail arrives', () =>
  step('activation-sign-up', async () => {
    const settings = await (await fetch(`${api.base}/client/settings.json`)).json();
    assert.equal(settings.send_activation_email, true);
    await register('otto', 'otto@example.com');
    assert.ok(await isFocused(h1(page, 'Check your email')), 'focus moves to the heading');
    await main(page).getByText('We have sent an activation link to otto@example.com.').waitFor();
    await page.getByRole('status').getByText('Account otto created.').waitFor();
    await assertAccessible(page, 'the check-your-email page');

    const mail = await sink.mail(1);
    assert.deepEqual(mail.to, ['otto@example.com']);
    assert.equal(mail.subject, `Account activation on 127.0.0.1:${API_PORT}`);
    link = mailedLink(mail);
    assert.ok(link.startsWith(`${api.base}/#/activate/`), link);
  }));

test('the mailed link activates the account as it opens; opened again it says so; the user logs in', () =>
  step('activation-link', async () => {
    const tab = watch(await context.newPage());
    await tab.goto(link);
    await h1(tab, 'Log in').waitFor();
    await tab.getByRole('status').getByText('Your account is active. You can log in now.').waitFor();

    // Opened again before logging in (a login changes what the link was made from: it is then
    // refused as invalid, as the last test shows for a mangled one).
    await tab.goto(link);
    await h1(tab, 'Activate your account').waitFor();
    const alert = main(tab).getByRole('alert');
    await alert.getByText('This account is already active: this link has been used.').waitFor();
    await alert.getByText('Stale token for given user.').waitFor();
    assert.equal(await alert.textContent(), 'This account is already active: this link has been used.Stale token for given user.Log in.');
    assert.ok(await isFocused(alert), 'focus moves to the explanation');
    assert.equal(await main(tab).getByRole('button', { name: 'Activate account' }).count(), 0);
    await assertAccessible(tab, 'a used activation link');
    await alert.getByRole('link', { name: 'Log in' }).click();
    await h1(tab, 'Log in').waitFor();

    await tab.getByLabel('Username').fill('otto');
    await tab.getByLabel('Password').fill(PASSWORD);
    await tab.getByRole('button', { name: 'Log in' }).click();
    await h1(tab, 'Notes').waitFor();
    await tab.getByRole('button', { name: 'Log out', exact: true }).click();
    await h1(tab, 'Log in').waitFor();
    await tab.close();
  }));

test('a mangled link is refused; the resend form mails a new link that works', () =>
  step('activation-resend', async () => {
    await register('ute', 'ute@example.com');
    const first = mailedLink(await sink.mail(2));
    const tab = watch(await context.newPage());
    await tab.goto(first.replace(/\/[^/]+$/, '/not-a-token'));
    await h1(tab, 'Activate your account').waitFor();
    const alert = main(tab).getByRole('alert');
    await alert.getByText('This activation link is invalid or has expired.').waitFor();
    await alert.getByText('Invalid token for given user.').waitFor();
    assert.equal(await alert.first().textContent(), 'This activation link is invalid or has expired.Invalid token for given user.');
    await tab.getByRole('heading', { level: 2, name: 'Get a new activation link' }).waitFor();
    await assertAccessible(tab, 'a refused activation link');
    await docScreenshot(tab, 'app-activation-refused');

    await tab.getByLabel('Email address').fill('ute@example.com');
    await tab.getByRole('button', { name: 'Send activation link' }).click();
    await main(tab).getByText('If an account waiting for activation uses this email address').waitFor();
    const again = await sink.mail(3);
    assert.deepEqual(again.to, ['ute@example.com']);
    await tab.goto(mailedLink(again));
    await tab.getByRole('status').getByText('Your account is active. You can log in now.').waitFor();
    await tab.close();
  }));
