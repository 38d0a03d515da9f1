// Helpers for tests that walk through pages: an accessibility audit of the rendered DOM, the
// accessible description of a control, screenshots for the documentation, and a wrapper that
// saves a screenshot when a test step fails.
import { existsSync, mkdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { screenshot } from './harness.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DOC_SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

/**
 * Save a screenshot of the page for the README (docs/screenshots/<name>.png). Written when the
 * file is missing or PORTCULLIS_DOC_SCREENSHOTS=1 (as the admin console's test does), so that
 * ordinary runs leave the committed images alone.
 */
export async function docScreenshot(page, name) {
  const file = join(DOC_SCREENSHOTS, `${name}.png`);
  if (existsSync(file) && process.env.PORTCULLIS_DOC_SCREENSHOTS !== '1') return null;
  mkdirSync(DOC_SCREENSHOTS, { recursive: true });
  // No caret, no spinner frames, no focus ring on a heading: the same picture on every run.
  await page.evaluate(() => document.activeElement?.blur?.());
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
  return file;
}

/** Run `fn`; on failure save a screenshot of `page` (target/browser-artifacts) and rethrow. */
export async function withScreenshot(page, name, fn) {
  try {
    return await fn();
  } catch (error) {
    const file = await screenshot(page, name);
    error.message += `\n(screenshot: ${file})`;
    throw error;
  }
}

/** The text of the elements a control's aria-describedby names, joined by spaces. */
export async function description(locator) {
  return locator.evaluate((el) => (el.getAttribute('aria-describedby') ?? '')
    .split(/\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent?.trim() ?? `<missing #${id}>`)
    .join(' '));
}

/** Whether `locator` is the focused element. */
export async function isFocused(locator) {
  return locator.evaluate((el) => el === document.activeElement);
}

/**
 * What a screen reader user would trip over on the current page: controls without a label,
 * buttons and links without a name, missing landmarks, not exactly one h1, skipped heading
 * levels, aria references to missing ids, duplicate ids. Returns a list of problems.
 */
export async function accessibilityProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const visible = (el) => !el.closest('[hidden], [aria-hidden="true"]') &&
      getComputedStyle(el).display !== 'none' && getComputedStyle(el).visibility !== 'hidden';
    const describe = (el) => el.outerHTML.slice(0, 120);
    const name = (el) => (el.getAttribute('aria-label') ||
      (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent ?? '').join(' ') ||
      el.textContent || el.getAttribute('title') || '').trim();
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
      if (!visible(el)) continue;
      const labelled = [...(el.labels ?? [])].some((l) => l.textContent.trim() && visible(l));
      if (!labelled) problems.push(`no visible <label>: ${describe(el)}`);
    }
    for (const el of document.querySelectorAll('button, a[href], [role=button]')) {
      if (visible(el) && !name(el)) problems.push(`no accessible name: ${describe(el)}`);
    }
    for (const el of document.querySelectorAll('img')) {
      if (!el.hasAttribute('alt')) problems.push(`img without alt: ${describe(el)}`);
    }
    for (const [selector, what] of [['header', 'banner'], ['nav', 'navigation'], ['main', 'main']]) {
      if (!document.querySelector(selector)) problems.push(`no ${what} landmark`);
    }
    const h1s = [...document.querySelectorAll('h1')].filter(visible);
    if (h1s.length !== 1) problems.push(`${h1s.length} visible h1 elements`);
    let last = 0;
    for (const heading of [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(visible)) {
      const level = Number(heading.tagName[1]);
      if (level > last + 1) problems.push(`heading level skipped: h${last} → ${describe(heading)}`);
      last = level;
    }
    for (const el of document.querySelectorAll('[aria-describedby], [aria-labelledby], [for]')) {
      for (const attr of ['aria-describedby', 'aria-labelledby', 'for']) {
        for (const id of (el.getAttribute(attr) ?? '').split(/\s+/).filter(Boolean)) {
          if (!document.getElementById(id)) problems.push(`${attr} names missing #${id}: ${describe(el)}`);
        }
      }
    }
    const seen = new Set();
    for (const el of document.querySelectorAll('[id]')) {
      if (seen.has(el.id)) problems.push(`duplicate id #${el.id}`);
      seen.add(el.id);
    }
    if (!document.documentElement.lang) problems.push('no lang on <html>');
    if (!document.title.trim()) problems.push('empty <title>');
    return problems;
  });
}
