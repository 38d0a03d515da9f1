// The common set-up of the mailed-link browser tests (password reset, activation, username
// reset): a mail sink (mail-sink.mjs), Portcullis mailing to it over SMTP with the test's own
// extra configuration, and Chromium with one context whose pages report script errors and
// console errors (a CSP violation, say), 4xx answers aside, which every step then asserts absent.
import assert from 'node:assert/strict';
import { startPortcullis, launchBrowser } from './harness.mjs';
import { startMailSink } from './mail-sink.mjs';
import { accessibilityProblems, withScreenshot } from './page-helpers.mjs';

const FAILED_4XX = /^Failed to load resource: the server responded with a status of 4\d\d/;

/**
 * Start the three; `config` is TOML put before the `[email]` table. Returns `{ api, sink,
 * context, page, pageErrors, watch(page), step(name, fn), stop() }`.
 */
export async function startMailFlow({ apiPort, smtpPort, config = '' }) {
  const pageErrors = [];
  const sink = await startMailSink(smtpPort);
  const api = await startPortcullis(apiPort,
    `${config}[email]\nbackend = "smtp"\nsmtp_url = "${sink.url}"\n`);
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, locale: 'en-GB', timezoneId: 'UTC' });
  const watch = (p) => {
    p.setDefaultTimeout(10000);
    p.on('pageerror', (e) => pageErrors.push(e.message));
    p.on('console', (m) => {
      if (m.type() === 'error' && !FAILED_4XX.test(m.text())) pageErrors.push(`console: ${m.text()}`);
    });
    return p;
  };
  const page = watch(await context.newPage());
  /** Run a test step on the main page: a screenshot if it fails, and no page errors after it. */
  const step = (name, fn) => withScreenshot(page, name, async () => {
    await fn();
    assert.deepEqual(pageErrors, [], 'errors in the page');
  });
  const stop = async () => {
    await browser.close();
    api.stop();
    sink.stop();
  };
  return { api, sink, context, page, pageErrors, watch, step, stop };
}

/** The page's level-1 heading named exactly `name`. */
export const h1 = (p, name) => p.getByRole('heading', { level: 1, name, exact: true });
/** The page's main landmark. */
export const main = (p) => p.getByRole('main');

/** Fail with the audit's findings if the page has any (page-helpers.mjs). */
export async function assertAccessible(p, what) {
  assert.deepEqual(await accessibilityProblems(p), [], `accessibility problems on ${what}`);
}
