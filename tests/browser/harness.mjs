// Shared pieces of the browser tests: a Portcullis server on a fresh SQLite file, small static
// page servers on chosen origins, and Debian's Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.PORTCULLIS_BIN || join(ROOT, 'target', 'debug', 'portcullis');
export const ARTIFACTS = process.env.BROWSER_ARTIFACTS || join(ROOT, 'target', 'browser-artifacts');

/**
 * Start `portcullis serve` with the given TOML configuration text; resolves when it answers.
 * Lists page by number (the built-in profile's pagination) unless the text sets `pagination`: a
 * configuration file that leaves it out would get Django's default, plain arrays.
 */
export async function startPortcullis(port, configToml = '') {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-browser-'));
  const config = join(dir, 'portcullis.toml');
  const pagination = /^pagination\s*=/m.test(configToml) ? '' : 'pagination = "PageNumberPagination"\n';
  writeFileSync(config, `bind = "127.0.0.1:${port}"\ndatabase_url = "sqlite://${dir}/db.sqlite3"\n` +
    `secret_key = "browser-test-secret-browser-test-secret-01"\n${pagination}${configToml}\n`);
  // The server's configuration is the file written here: no PORTCULLIS_* variable of the
  // caller's environment (PORTCULLIS_BIN, a developer's PORTCULLIS_DATABASE_URL) reaches it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PORTCULLIS_')));
  const child = spawn(BIN, ['--config', config, 'serve'], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`portcullis exited: ${log}`);
    try {
      await fetch(`${base}/api-token-auth/`, { method: 'OPTIONS' });
      return { base, dir, config, stop: () => child.kill('SIGTERM'), log: () => log };
    } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  child.kill();
  throw new Error(`portcullis did not start: ${log}`);
}

/** Serve `html` at `/` (and `files` by path) on 127.0.0.1:port. */
export async function servePage(port, html, files = {}) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const body = path === '/' ? html : files[path];
    if (body === undefined) { res.writeHead(404); res.end(); return; }
    const type = path.endsWith('.js') || path.endsWith('.mjs') ? 'text/javascript' : 'text/html';
    res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8` });
    res.end(body);
  });
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(port, '127.0.0.1', ok); });
  return { close: () => new Promise((ok) => server.close(ok)) };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run'],
  });
}

/** Save a screenshot of `page` under the artifacts folder (for failures). */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name.replace(/[^a-z0-9_-]+/gi, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => {});
  return file;
}

/** Register a user and return its DRF token (server-side calls: no CORS involved). */
export async function userWithToken(base, username, password = 'kV7#browser-Lamp-42') {
  const headers = { 'Content-Type': 'application/json' };
  let r = await fetch(`${base}/auth/users/`, { method: 'POST', headers, body: JSON.stringify({ username, password }) });
  if (r.status !== 201) throw new Error(`register ${username}: ${r.status} ${await r.text()}`);
  r = await fetch(`${base}/api-token-auth/`, { method: 'POST', headers, body: JSON.stringify({ username, password }) });
  return (await r.json()).token;
}

/**
 * Serve a frontend folder at `/` on 127.0.0.1:port and pass every other `/api…` request (or
 * every request under one of `prefixes`) to `backend`, as a tutorial's dev server proxy does:
 * the page and the API share one origin, so the same frontend runs unchanged against Django and
 * against Portcullis.
 */
export async function serveFrontend(port, folder, backend, prefixes = ['/api']) {
  const { readFileSync, existsSync } = await import('node:fs');
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (prefixes.some((prefix) => path.startsWith(prefix))) {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const headers = { ...req.headers, host: new URL(backend).host };
      const answer = await fetch(`${backend}${req.url}`, {
        method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined,
        redirect: 'manual',
      });
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
      return;
    }
    const file = join(folder, path === '/' ? 'index.html' : path);
    if (!file.startsWith(folder) || !existsSync(file)) { res.writeHead(404); res.end(); return; }
    const type = file.endsWith('.js') ? 'text/javascript' : 'text/html';
    res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8` });
    res.end(readFileSync(file));
  });
  await new Promise((ok, fail) => { server.once('error', fail); server.listen(port, '127.0.0.1', ok); });
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Wait until `base` answers HTTP (any status). */
async function answering(base, child, log) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`exited: ${log()}`);
    try { await fetch(base); return; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  child.kill();
  throw new Error(`did not start: ${log()}`);
}

/** Portcullis configured as the reference project tests/projects/NAME, on a fresh database. */
export async function startProjectPortcullis(port, name) {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-browser-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PORTCULLIS_')));
  env.PORTCULLIS_BIND = `127.0.0.1:${port}`;
  env.PORTCULLIS_DATABASE_URL = `sqlite://${dir}/db.sqlite3`;
  const config = join(ROOT, 'tests', 'projects', name, 'portcullis.toml');
  const child = spawn(BIN, ['--config', config, 'serve'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  await answering(base, child, () => log);
  return { base, stop: () => child.kill('SIGTERM') };
}

/**
 * The reference Django project tests/projects/NAME in the oracle's virtual environment, or
 * `null` when that environment is not set up here (then the Django half of a test is skipped).
 */
export async function startProjectDjango(port, name) {
  const shared = process.env.SHARED || join(ROOT, '..', 'shared');
  const candidates = [process.env.ORACLE_VENV, join(shared, 'oracle', '.venv'),
    join(process.env.TMPDIR || tmpdir(), 'portcullis-oracle', '.venv')].filter(Boolean);
  const { existsSync } = await import('node:fs');
  if (!candidates.some((venv) => existsSync(join(venv, 'bin', 'gunicorn')))) return null;
  const child = spawn(join(ROOT, 'scripts', 'serve-django-project.sh'), [name, String(port)],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SHARED: shared }, detached: true });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  await answering(base, child, () => log);
  return { base, stop: () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } } };
}
