// Swagger UI at /api/docs/ in Chromium, under the server's own Content-Security-Policy: the page
// loads its embedded files, fetches /api/schema/ and lists the operations, with no CSP
// violation and no error in the console.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortcullis, launchBrowser, screenshot } from './harness.mjs';

const PORT = 19210;

let api;
let browser;

before(async () => {
  api = await startPortcullis(PORT);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  api?.stop();
});

test('Swagger UI lists the operations without a CSP violation', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`); });
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) {
      problems.push(`console: ${m.text()}`);
    }
  });
  // Violations are also reported to the page itself, whether or not they reach the console.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  try {
    const response = await page.goto(`${api.base}/api/docs/`);
    assert.match(response.headers()['content-security-policy'], /script-src 'self'/);
    // One block per operation, with its method and path.
    const notes = page.locator('.opblock', { hasText: '/api/notes/{id}/' });
    await notes.first().waitFor({ timeout: 15000 });
    assert.ok(await page.locator('.opblock-summary-method', { hasText: 'PATCH' }).count() > 0);
    assert.ok(await page.locator('.opblock', { hasText: '/auth/token/login/' }).count() > 0);
    const operations = await page.locator('.opblock').count();
    assert.ok(operations >= 20, `only ${operations} operations shown`);
    // The "Authorize" button offers both schemes of the document.
    assert.ok(await page.locator('.btn.authorize').count() > 0);
    assert.deepEqual(problems, []);
  } catch (error) {
    const file = await screenshot(page, 'api-docs');
    error.message += `\n(screenshot: ${file})\n${problems.join('\n')}`;
    throw error;
  } finally {
    await page.close();
  }
});
