// The Portcullis web app: the shell (header navigation, status region), the router over the
// URL's hash, and the session. Pages live in their own modules; all API calls go through the
// JavaScript client, served by Portcullis at /client/portcullis.js.

import { createClient } from '/client/portcullis.js';
import { h, announce, focus, whileBusy } from './dom.js';
import { loginView, registerView } from './auth-views.js';
import { notesView } from './notes-view.js';
import { noteFormView } from './note-form.js';
import { forgotPasswordView, resetPasswordConfirmView, forgotUsernameView, resetUsernameConfirmView } from './reset-views.js';
import { activateView, resendActivationView, checkEmailView } from './activation-views.js';

/**
 * The project's settings the app follows, as the server describes them at
 * /client/settings.json: which login (a DRF token or a JWT pair) and header keyword, the user
 * model's USERNAME_FIELD, djoser's LOGIN_FIELD, the REQUIRED_FIELDS registration carries and
 * USER_CREATE_PASSWORD_RETYPE.
 * @typedef {{
 *   auth: 'token' | 'jwt' | null,
 *   jwt_header_type: string,
 *   username_field: 'username' | 'email',
 *   login_field: 'username' | 'email',
 *   required_fields: string[],
 *   user_create_password_retype: boolean,
 *   send_activation_email: boolean,
 *   password_reset_confirm_retype: boolean,
 * }} ServerSettings
 */

/**
 * What the pages share.
 * @typedef {{
 *   client: import('/client/portcullis.js').Client,
 *   settings: ServerSettings,
 *   user: import('/client/portcullis.js').User | null,
 *   userName(): string,
 *   owns(owner: unknown): boolean,
 *   firstRender: boolean,
 *   lastListHash: string,
 *   show(title: string, children: Node[], focusTarget?: HTMLElement): void,
 *   navigate(hash: string, options?: Record<string, any>): void,
 *   signedIn(): Promise<void>,
 * }} AppContext
 */

const view = /** @type {HTMLElement} */ (document.getElementById('view'));
const nav = /** @type {HTMLElement} */ (document.getElementById('account-nav'));
const main = /** @type {HTMLElement} */ (document.getElementById('main'));

/** Options for the page the next route change shows (set by navigate). */
let pending = null;
/** Where to go after logging in (a page asked for while logged out). */
let returnTo = null;
/** True until the stored session has been checked and the first page shown. */
let booting = true;

/** The built-in profile's settings: what the app assumes when the server cannot say. */
const DEFAULT_SETTINGS = /** @type {ServerSettings} */ ({
  auth: 'token',
  jwt_header_type: 'Bearer',
  username_field: 'username',
  login_field: 'username',
  required_fields: ['email'],
  user_create_password_retype: false,
  send_activation_email: false,
  password_reset_confirm_retype: false,
});

/** @type {AppContext} */
const app = {
  // Replaced in start(), once the server's settings are known.
  client: /** @type {any} */ (null),
  settings: DEFAULT_SETTINGS,
  user: null,

  /** The signed-in user's name as the server shows it: djoser's login field (the email when
   * the project logs in with it), which is also what a note's owner renders. */
  userName() {
    const user = /** @type {Record<string, any> | null} */ (app.user);
    return user?.[app.settings.login_field] ?? user?.username ?? user?.email ?? '';
  },

  /** Whether a note's `owner` (its username, email or id, as the serializer renders it) is
   * the signed-in user. djoser's serializers carry no username under LOGIN_FIELD = "email":
   * an owner rendered as the username is then not recognised (the README says so). */
  owns(owner) {
    const user = /** @type {Record<string, any> | null} */ (app.user);
    if (!user || owner === null || owner === undefined) return false;
    return [user.username, user.email, user.id].some((mine) => mine !== undefined && mine === owner);
  },
  firstRender: true,
  lastListHash: '#/notes',

  show(title, children, focusTarget) {
    document.title = `${title} · Portcullis`;
    view.replaceChildren(...children);
    // Move focus to the new page's heading, as a page load would put a screen reader at the
    // top; not on the first render, where the browser's own start of page is right.
    if (focusTarget) focus(focusTarget);
    else if (!app.firstRender) focus(view.querySelector('h1'));
  },

  navigate(hash, options = {}) {
    pending = options;
    if (location.hash === hash) route();
    else location.hash = hash;
  },

  async signedIn() {
    app.user = await app.client.me();
    renderNav();
    const target = returnTo ?? '#/notes';
    returnTo = null;
    app.navigate(target, { message: `Logged in as ${app.userName()}.` });
  },
};

/** The session is gone (401, or logged out in another tab): back to the login page. */
function sessionEnded(message) {
  if (booting || (!app.user && location.hash.startsWith('#/login'))) return;
  app.user = null;
  renderNav();
  app.navigate('#/login', { message, kind: 'error' });
}

async function logOut(everywhere) {
  const name = app.userName();
  let message = everywhere ? `${name} was logged out on every device.` : 'You have been logged out.';
  try {
    announce(everywhere ? 'Logging out everywhere…' : 'Logging out…');
    await whileBusy(nav, () => (everywhere ? app.client.logoutAll() : app.client.logout()));
  } catch (error) {
    if (error.status === 401) return; // sessionEnded has taken over
    if (everywhere) {
      announce(`You could not be logged out everywhere: ${error.message}`, 'error');
      return;
    }
    message = `You are logged out here, but the server could not be told: ${error.message}`;
  }
  app.user = null;
  renderNav();
  app.navigate('#/login', { message, kind: 'success' });
}

function navLink(href, text) {
  const current = location.hash.split('?')[0] === href.split('?')[0];
  return h('li', {}, h('a', { href, 'aria-current': current ? 'page' : null, text }));
}

function renderNav() {
  if (app.user) {
    nav.replaceChildren(h('ul', {},
      navLink('#/notes', 'Notes'),
      h('li', { class: 'signed-in' }, 'Signed in as ', h('strong', { text: app.userName() })),
      h('li', {}, h('button', { type: 'button', class: 'button', text: 'Log out', onclick: () => logOut(false) })),
      h('li', {}, h('button', { type: 'button', class: 'button', text: 'Log out everywhere', onclick: () => logOut(true) }))));
  } else {
    nav.replaceChildren(h('ul', {}, navLink('#/login', 'Log in'), navLink('#/register', 'Create an account')));
  }
}

function notFoundView() {
  app.show('Page not found', [
    h('h1', { text: 'Page not found' }),
    h('p', {}, 'There is no page at this address. ', h('a', { href: '#/notes', text: 'Go to your notes' }), '.'),
  ]);
}

/**
 * The account pages, shown logged in or not: a mailed link may be opened in a browser where
 * someone is logged in. Returns whether `path` was one of them.
 */
function accountRoute(path, options) {
  const [, first, second, third, ...link] = path.split('/');
  const confirm = third === 'confirm' && link.length === 2;
  if (first === 'password' && second === 'reset' && third === undefined) forgotPasswordView(app);
  else if (first === 'password' && second === 'reset' && confirm) resetPasswordConfirmView(app, link);
  else if (first === 'username' && second === 'reset' && third === undefined) forgotUsernameView(app);
  else if (first === 'username' && second === 'reset' && confirm) resetUsernameConfirmView(app, link);
  else if (path === '/activate') resendActivationView(app);
  else if (first === 'activate' && second && third && !link.length) activateView(app, [second, third]);
  else if (path === '/register/done') checkEmailView(app, options);
  else return false;
  return true;
}

/** Show the page the URL's hash names. */
function route() {
  const options = pending ?? {};
  pending = null;
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  if (accountRoute(path, options)) {
    // An account page, the same logged in or not.
  } else if (!app.user) {
    if (path === '/register') {
      registerView(app);
    } else {
      if (path !== '/login' && path !== '' && path !== '/') returnTo = location.hash;
      if (path !== '/login') history.replaceState(null, '', '#/login');
      loginView(app, options);
    }
  } else if (path === '' || path === '/' || path === '/login' || path === '/register') {
    history.replaceState(null, '', '#/notes');
    notesView(app, new URLSearchParams(), options);
  } else if (path === '/notes') {
    notesView(app, new URLSearchParams(query), options);
  } else if (path === '/notes/new') {
    noteFormView(app, null);
  } else if (/^\/notes\/\d+\/edit$/.test(path)) {
    noteFormView(app, Number(path.split('/')[2]));
  } else {
    notFoundView();
  }
  renderNav();
  announce(options.message ?? '', options.kind ?? 'success');
  app.firstRender = false;
}

/** The server's settings (see ServerSettings); the built-in profile's when it cannot say. */
async function loadSettings() {
  try {
    const response = await fetch('/client/settings.json', { headers: { Accept: 'application/json' } });
    if (response.ok) return { ...DEFAULT_SETTINGS, ...(await response.json()) };
  } catch { /* unreachable: the first API request will say so */ }
  return DEFAULT_SETTINGS;
}

/** A page saying that the server offers no login this app can use, and what it needs. */
function noLoginView() {
  app.show('No login available', [
    h('h1', { text: 'This server offers no login the web app can use' }),
    h('div', { class: 'form-errors', role: 'alert' }, h('p', {
      text: 'The web app logs in with djoser\'s token login (auth/token/login/ with TokenAuthentication) '
        + 'or its JWT views (auth/jwt/create/ with JWTAuthentication); this server\'s configuration has neither.',
    })),
  ]);
}

/** Start: read the server's settings, pick up a stored session (a reload keeps the user
 * logged in), then route. */
async function start() {
  app.settings = await loadSettings();
  if (!app.settings.auth) {
    noLoginView();
    return;
  }
  app.client = createClient({
    auth: app.settings.auth,
    jwtHeaderType: app.settings.jwt_header_type ?? 'Bearer',
    usernameField: app.settings.username_field,
    loginField: app.settings.login_field,
    onUnauthorized: () => sessionEnded('Your session has ended. Please log in again.'),
  });
  window.addEventListener('hashchange', route);
  // The skip link moves focus without touching the hash (the hash is the router's).
  document.querySelector('.skip-link')?.addEventListener('click', (event) => {
    event.preventDefault();
    focus(main);
  });
  app.client.onSessionChange(async (change) => {
    if (change.type !== 'storage') return;
    if (!change.authenticated && app.user) {
      sessionEnded('You were logged out in another tab.');
    } else if (change.authenticated && !app.user) {
      try {
        await app.signedIn();
      } catch { /* a 401 has already ended it */ }
    }
  });
  if (app.client.isAuthenticated()) {
    try {
      app.user = await whileBusy(main, () => app.client.me());
    } catch (error) {
      if (error.status !== 401) {
        app.show('Portcullis is unreachable', [
          h('h1', { text: 'Portcullis could not be reached' }),
          h('div', { class: 'form-errors', role: 'alert' }, h('p', { text: error.message })),
          h('button', { type: 'button', class: 'button primary', text: 'Try again', onclick: () => location.reload() }),
        ]);
        return;
      }
      pending = { message: 'Your session has ended. Please log in again.', kind: 'error' };
    }
  }
  route();
  booting = false;
}

start();
