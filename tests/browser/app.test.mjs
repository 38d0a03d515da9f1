// The web app at `/`, walked through in Chromium the way a screen reader user finds things:
// every element is located by its role and accessible name or by its label. A new user
// registers (and meets the password validators), logs in (the token lands in localStorage),
// writes, edits and deletes notes (a 201-character title is refused next to its field),
// searches, sorts, filters and pages through them, reloads (the session survives), is sent back
// to the login page when the token is revoked elsewhere, and logs out (the token is gone from
// storage and from the server). Every page passes an accessibility audit on the way.
// The pages' screenshots for the README are saved into docs/screenshots/ when missing, or on
// every run with PORTCULLIS_DOC_SCREENSHOTS=1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPortcullis, launchBrowser, userWithToken } from './harness.mjs';
import { accessibilityProblems, description, docScreenshot, isFocused, withScreenshot } from './page-helpers.mjs';

const API_PORT = 18410;
const PASSWORD = 'kV7#mountain-Lamp';
const STORAGE_KEY = 'portcullis.auth';

let api, browser, context, page;
const requests = [];
const pageErrors = [];

before(async () => {
  api = await startPortcullis(API_PORT, 'page_size = 5');
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1100, height: 800 }, locale: 'en-GB', timezoneId: 'UTC' });
  page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // Console errors other than the browser's note of each 4xx answer (a CSP violation, say).
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
      pageErrors.push(`console: ${m.text()}`);
    }
  });
});

after(async () => {
  await browser?.close();
  api?.stop();
});

/** One walk of the user; a screenshot on failure, and no script error in the page. */
function step(name, fn) {
  return withScreenshot(page, name, async () => {
    await fn();
    assert.deepEqual(pageErrors, [], 'errors in the page');
  });
}

const main = () => page.getByRole('main');
const h1 = (name) => page.getByRole('heading', { level: 1, name, exact: true });
const status = () => page.getByRole('status');
/** The list's section (a region named by its heading). */
const results = () => main().getByRole('region');
const notesList = () => main().getByRole('list', { name: 'Notes' });

async function storedSession() {
  const text = await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);
  return text === null ? null : JSON.parse(text);
}

async function apiCall(method, path, token, body) {
  const r = await fetch(`${api.base}${path}`, {
    method,
    headers: { Authorization: `Token ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: r.status === 204 ? null : await r.json() };
}

async function assertAccessible(what) {
  assert.deepEqual(await accessibilityProblems(page), [], `accessibility problems on ${what}`);
}

/** The titles of the notes on the current page, in order. */
async function listedTitles() {
  return notesList().getByRole('heading', { level: 3 }).allTextContents();
}

test('a new user registers, is told why a password is refused, then logs in; the token is in localStorage', () =>
  step('app-register-login', async () => {
    await page.goto(`${api.base}/`);
    await h1('Log in').waitFor();
    assert.equal(await storedSession(), null);
    await assertAccessible('the login page');
    await docScreenshot(page, 'app-login');

    await main().getByRole('link', { name: 'Create an account' }).click();
    await h1('Create an account').waitFor();
    assert.ok(await isFocused(h1('Create an account')), 'focus moves to the new page heading');
    await assertAccessible('the registration page');

    const password = page.getByLabel('Password');
    await page.getByLabel('Username').fill('ann');
    await page.getByLabel('Email address').fill('ann@example.com');
    await password.fill('12345');
    await page.getByRole('button', { name: 'Create account' }).click();

    const passwordError = main().getByText('This password is too short. It must contain at least 8 characters.');
    await passwordError.waitFor();
    assert.equal(await password.getAttribute('aria-invalid'), 'true');
    const described = await description(password);
    assert.match(described, /This password is too short/);
    assert.match(described, /This password is entirely numeric/);
    assert.ok(await isFocused(password), 'focus moves to the field in error');
    await main().getByRole('alert').getByText('Your account could not be created.').waitFor();
    assert.equal(await page.getByLabel('Username').getAttribute('aria-invalid'), null);
    await assertAccessible('the registration page with errors');
    await docScreenshot(page, 'app-register');

    await password.fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await h1('Log in').waitFor();
    await status().getByText('Account ann created.').waitFor();
    assert.equal(await page.getByLabel('Username').inputValue(), 'ann');
    assert.ok(await isFocused(page.getByLabel('Password')), 'focus is on the password after registering');

    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await main().getByRole('alert').getByText('Unable to log in with provided credentials.').waitFor();
    assert.equal(await storedSession(), null);

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await h1('Notes').waitFor();
    await status().getByText('Logged in as ann.').waitFor();
    await page.getByRole('navigation', { name: 'Account' }).getByText('Signed in as ann').waitFor();
    await results().getByText('No notes yet.').waitFor();

    const session = await storedSession();
    assert.match(session?.token ?? '', /^[0-9a-f]{40}$/);
    const me = await apiCall('GET', '/auth/users/me/', session.token);
    assert.equal(me.body.username, 'ann');
    await assertAccessible('the empty notes page');
  }));

test('a note is created, refused with a 201-character title (error next to the field), edited and deleted', () =>
  step('app-crud', async () => {
    const { token } = await storedSession();
    await main().getByRole('link', { name: 'New note' }).click();
    await h1('New note').waitFor();
    assert.ok(await isFocused(h1('New note')));
    await assertAccessible('the new note page');

    const title = page.getByLabel('Title');
    await title.fill('x'.repeat(201));
    await page.getByLabel('Text').fill('Too long a title.');
    await page.getByRole('button', { name: 'Create note' }).click();
    await main().getByText('Ensure this field has no more than 200 characters.').waitFor();
    assert.equal(await title.getAttribute('aria-invalid'), 'true');
    assert.match(await description(title), /Ensure this field has no more than 200 characters\./);
    assert.ok(await isFocused(title), 'focus moves to the title');
    await main().getByRole('alert').getByText('The note could not be created.').waitFor();
    await assertAccessible('the note form with an error');
    assert.equal((await apiCall('GET', '/api/notes/', token)).body.count, 0);

    await title.fill('Shopping list');
    assert.equal(await title.getAttribute('aria-invalid'), 'true', 'the error stays until the next answer');
    await page.getByLabel('Text').fill('Milk\nBread');
    await page.getByLabel('Public').check();
    await page.getByRole('button', { name: 'Create note' }).click();
    await h1('Notes').waitFor();
    await status().getByText('Note “Shopping list” created.').waitFor();
    assert.deepEqual(await listedTitles(), ['Shopping list']);
    const item = notesList().getByRole('listitem');
    await item.getByText('Public', { exact: true }).waitFor();
    await item.getByText('Milk').waitFor();
    assert.ok(await isFocused(notesList().getByRole('heading', { name: 'Shopping list' })), 'focus on the new note');

    await page.getByRole('link', { name: 'Edit Shopping list' }).click();
    await h1('Edit note').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).waitFor();
    assert.equal(await title.inputValue(), 'Shopping list');
    assert.equal(await page.getByLabel('Text').inputValue(), 'Milk\nBread');
    assert.ok(await page.getByLabel('Public').isChecked());
    await assertAccessible('the edit page');
    await title.fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await main().getByText('This field may not be blank.').waitFor();
    assert.ok(await isFocused(title));
    await docScreenshot(page, 'app-note-edit');

    await title.fill('Groceries');
    await page.getByLabel('Public').uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await status().getByText('Note “Groceries” saved.').waitFor();
    assert.deepEqual(await listedTitles(), ['Groceries']);
    await notesList().getByText('Private', { exact: true }).waitFor();
    const stored = (await apiCall('GET', '/api/notes/', token)).body.results[0];
    assert.equal(stored.title, 'Groceries');
    assert.equal(stored.body, 'Milk\nBread');
    assert.equal(stored.is_public, false);

    const deleteButton = page.getByRole('button', { name: 'Delete Groceries' });
    await deleteButton.click();
    const dialog = page.getByRole('dialog', { name: 'Delete this note?' });
    await dialog.waitFor();
    await dialog.getByText('“Groceries” will be deleted.').waitFor();
    await assertAccessible('the delete dialog');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.ok(await isFocused(deleteButton), 'focus returns to the Delete button');
    assert.equal((await apiCall('GET', '/api/notes/', token)).body.count, 1);

    await deleteButton.click();
    await dialog.getByRole('button', { name: 'Delete note' }).click();
    await dialog.waitFor({ state: 'detached' });
    await status().getByText('Note “Groceries” deleted.').waitFor();
    await results().getByText('No notes yet.').waitFor();
    assert.ok(await isFocused(main().getByRole('heading', { level: 2, name: 'All notes' })), 'focus on the list heading');
    assert.equal((await apiCall('GET', '/api/notes/', token)).body.count, 0);
  }));

test('notes are searched, sorted, filtered and paged, and the state is kept in the URL', () =>
  step('app-list', async () => {
    const { token } = await storedSession();
    const notes = [
      ['Alpha', 'Plant the kiwi seedlings.', false],
      ['Bravo', 'Book the train to Lyon.', true],
      ['Charlie', 'Call the plumber about the kitchen tap.', false],
      ['Delta', 'Kiwi jam: 1 kg kiwi, 600 g sugar.', true],
      ['Echo', 'Return the library books.', false],
      ['Foxtrot', 'Renew the passport before June.', false],
      ['Golf', 'Tee time on Saturday, 9:40.', false],
    ];
    for (const [title, body, isPublic] of notes) {
      const r = await apiCall('POST', '/api/notes/', token, { title, body, is_public: isPublic });
      assert.equal(r.status, 201);
    }
    const bob = await userWithToken(api.base, 'bob', PASSWORD);
    await apiCall('POST', '/api/notes/', bob, { title: 'Bob’s bread recipe', body: '500 g flour, 350 g water, salt.', is_public: true });
    await apiCall('POST', '/api/notes/', bob, { title: 'Bob’s secret', body: 'Not for ann.', is_public: false });

    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Notes' }).click();
    await page.reload();
    await h1('Notes').waitFor();
    await results().getByText('Showing 1–5 of 8 notes.').waitFor();
    assert.deepEqual(await listedTitles(), ['Bob’s bread recipe', 'Golf', 'Foxtrot', 'Echo', 'Delta']);
    const pagination = main().getByRole('navigation', { name: 'Pagination' });
    await pagination.getByText('Page 1 of 2').waitFor();
    assert.ok(await pagination.getByRole('button', { name: 'Previous page' }).isDisabled());
    const bobsNote = notesList().getByRole('listitem').filter({ hasText: 'Bob’s bread recipe' });
    await bobsNote.getByText('By bob').waitFor();
    assert.equal(await bobsNote.getByRole('button').count(), 0, 'no Delete on someone else’s note');
    assert.equal(await bobsNote.getByRole('link').count(), 0, 'no Edit on someone else’s note');
    await assertAccessible('the notes list');
    await docScreenshot(page, 'app-notes');

    await pagination.getByRole('button', { name: 'Next page' }).click();
    await pagination.getByText('Page 2 of 2').waitFor();
    await results().getByText('Showing 6–8 of 8 notes.').waitFor();
    assert.deepEqual(await listedTitles(), ['Charlie', 'Bravo', 'Alpha']);
    assert.ok(await isFocused(main().getByRole('heading', { level: 2 })), 'focus on the list heading after paging');
    assert.match(page.url(), /#\/notes\?page=2$/);

    await page.getByLabel('Sort by').selectOption({ label: 'Title, A to Z' });
    await pagination.getByText('Page 1 of 2').waitFor();
    assert.deepEqual(await listedTitles(), ['Alpha', 'Bob’s bread recipe', 'Bravo', 'Charlie', 'Delta']);
    assert.match(page.url(), /ordering=title/);
    await page.getByLabel('Sort by').selectOption({ label: 'Title, Z to A' });
    await notesList().getByRole('heading', { name: 'Golf' }).waitFor();
    assert.equal((await listedTitles())[0], 'Golf');

    await page.getByLabel('Search notes').fill('kiwi');
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await results().getByText('Showing 1–2 of 2 notes.').waitFor();
    assert.deepEqual(await listedTitles(), ['Delta', 'Alpha']);
    await status().getByText('Showing 1–2 of 2 notes.').waitFor();
    await main().getByRole('heading', { level: 2, name: 'All notes matching “kiwi”' }).waitFor();
    assert.equal(await pagination.isVisible(), false, 'one page: no pagination');

    await page.getByLabel('Show').selectOption({ label: 'Public notes' });
    await results().getByText('Showing 1–1 of 1 note.').waitFor();
    assert.deepEqual(await listedTitles(), ['Delta']);
    await page.getByLabel('Search notes').fill('');
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await results().getByText('Showing 1–3 of 3 notes.').waitFor();
    assert.deepEqual(await listedTitles(), ['Delta', 'Bravo', 'Bob’s bread recipe']);

    const listCalls = requests.filter((r) => r.startsWith('GET ') && r.includes('/api/notes/?'));
    for (const expected of ['page=2', 'search=kiwi', 'ordering=title', 'ordering=-title', 'is_public=true']) {
      assert.ok(listCalls.some((r) => r.includes(expected)), `a list request with ${expected}: ${listCalls.join('\n')}`);
    }

    // The list's state is in the URL: a reload (or a shared link) shows the same list.
    await page.reload();
    await results().getByText('Showing 1–3 of 3 notes.').waitFor();
    assert.equal(await page.getByLabel('Show').inputValue(), 'true');
    assert.equal(await page.getByLabel('Sort by').inputValue(), '-title');
    await page.goBack();
    await results().getByText('Showing 1–1 of 1 note.').waitFor();
    assert.equal(await page.getByLabel('Search notes').inputValue(), 'kiwi');
  }));

test('a reload keeps the session', () =>
  step('app-reload', async () => {
    const before = await storedSession();
    await page.goto(`${api.base}/`);
    await h1('Notes').waitFor();
    await page.getByRole('navigation', { name: 'Account' }).getByText('Signed in as ann').waitFor();
    await results().getByText('Showing 1–5 of 8 notes.').waitFor();
    assert.deepEqual(await storedSession(), before);
    assert.equal(await main().getAttribute('aria-busy'), 'false');
  }));

test('a token revoked elsewhere sends the user to the login page with a message, and storage is cleared', () =>
  step('app-revoked', async () => {
    const { token } = await storedSession();
    assert.equal((await apiCall('POST', '/auth/token/logout/', token)).status, 204);
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await h1('Log in').waitFor();
    await status().getByText('Your session has ended. Please log in again.').waitFor();
    assert.equal(await storedSession(), null);
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Log in' }).waitFor();

    // Logging in again brings the user back to the page asked for.
    await page.goto(`${api.base}/#/notes?ordering=title`);
    await h1('Log in').waitFor();
    await page.getByLabel('Username').fill('ann');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await h1('Notes').waitFor();
    await results().getByText('Showing 1–5 of 8 notes.').waitFor();
    assert.equal((await listedTitles())[0], 'Alpha');
    assert.notEqual((await storedSession()).token, token);
  }));

test('logging out removes the token from storage and from the server', () =>
  step('app-logout', async () => {
    const { token } = await storedSession();
    await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Log out', exact: true }).click();
    await h1('Log in').waitFor();
    await status().getByText('You have been logged out.').waitFor();
    assert.equal(await storedSession(), null);
    assert.equal((await apiCall('GET', '/auth/users/me/', token)).status, 401);

    await page.reload();
    await h1('Log in').waitFor();
    await main().getByRole('link', { name: 'Create an account' }).waitFor();
    await assertAccessible('the login page after logout');
  }));

test('log out everywhere revokes the sessions of every device', () =>
  step('app-logout-all', async () => {
    // Another device of ann's, logged in with a JWT.
    const other = await (await fetch(`${api.base}/auth/jwt/create/`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'ann', password: PASSWORD }),
    })).json();
    const otherDevice = () => fetch(`${api.base}/auth/users/me/`, { headers: { Authorization: `Bearer ${other.access}` } });
    assert.equal((await otherDevice()).status, 200);
    await page.getByLabel('Username').fill('ann');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await h1('Notes').waitFor();
    const { token } = await storedSession();
    await page.getByRole('button', { name: 'Log out everywhere' }).click();
    await h1('Log in').waitFor();
    await status().getByText('ann was logged out on every device.').waitFor();
    assert.equal(await storedSession(), null);
    assert.equal((await apiCall('GET', '/auth/users/me/', token)).status, 401);
    assert.equal((await otherDevice()).status, 401);
  }));
