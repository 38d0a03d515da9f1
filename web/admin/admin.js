// The staff console's entry point: log in with a username and password (a DRF token, kept in
// localStorage under the console's own key), refuse non-staff accounts clearly, then show one
// section at a time — Users, Groups, Resources, Audit log — chosen by the URL's fragment.
import * as api from './api.js';
import { $, announce, clearErrors, showErrors } from './dom.js';
import { initUsers, showUsers } from './users.js';
import { initGroups, showGroups } from './groups.js';
import { initResources, showResources } from './resources.js';
import { initAudit, showAudit } from './audit.js';

const SECTIONS = {
  users: { title: 'Users', show: () => showUsers(session.actor) },
  groups: { title: 'Groups', show: showGroups },
  resources: { title: 'Resources', show: showResources },
  audit: { title: 'Audit log', show: showAudit },
};
const PANELS = ['login-section', 'denied-section', 'users-section', 'groups-section', 'resources-section',
  'audit-section'];

/** The signed-in staff user, as the admin API shows it. */
const session = { actor: null };

function only(panelId) {
  for (const id of PANELS) $(id).hidden = id !== panelId;
}

function setSignedIn(signedIn) {
  $('sections-nav').hidden = !signedIn;
  $('account').hidden = !signedIn;
}

function showLogin(message = '') {
  session.actor = null;
  setSignedIn(false);
  only('login-section');
  document.title = 'Log in — Portcullis admin';
  clearErrors($('login-form'));
  $('login-error').textContent = message;
  $('login-username').focus();
}

function showDenied(username) {
  // The token stays valid for the user's other apps; the console just forgets it.
  api.forgetToken();
  session.actor = null;
  setSignedIn(false);
  only('denied-section');
  document.title = 'Staff only — Portcullis admin';
  $('denied-message').textContent = `${username ? `${username} is not a staff account. ` : ''}`
    + 'The admin console is open to staff users only; ask an administrator for access.';
  $('denied-heading').focus();
}

/** Show the section named by the URL's fragment (Users by default). */
async function route() {
  if (!session.actor) return;
  const name = location.hash.slice(1);
  const key = SECTIONS[name] ? name : 'users';
  for (const link of document.querySelectorAll('#sections-nav a')) {
    if (link.dataset.section === key) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  only(`${key}-section`);
  document.title = `${SECTIONS[key].title} — Portcullis admin`;
  await SECTIONS[key].show();
}

/** With a stored token: is it a staff user's? Then open the console. */
async function enter() {
  let me;
  try {
    me = await api.get('/auth/users/me/');
    // /auth/users/me/ does not say whether the user is staff; the admin API does, by answering.
    await api.get('/api/admin/users/?page=1');
  } catch (error) {
    if (error.status === 403) return showDenied(me?.username);
    if (error.status === 401) return; // whenUnauthorized showed the login form.
    return showLogin(error.message);
  }
  try {
    session.actor = await api.get(`/api/admin/users/${me.id}/`);
  } catch (error) {
    return showLogin(error.message);
  }
  $('signed-in-as').textContent = `Signed in as ${session.actor.username}`;
  setSignedIn(true);
  await route();
  const heading = document.querySelector('section.panel:not([hidden]) h1');
  heading?.focus();
}

async function login(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearErrors(form);
  // A stale token must not ride along: authentication would refuse the login itself.
  api.forgetToken();
  const username = $('login-username').value;
  let body;
  try {
    body = await api.post('/api-token-auth/', { username, password: $('login-password').value });
  } catch (error) {
    showErrors(form, 'login-error', error);
    return;
  }
  api.saveToken(body.token);
  $('login-password').value = '';
  await enter();
}

async function logout() {
  // Logging out deletes the token on the server, as the web app's logout does.
  try {
    await api.post('/auth/token/logout/');
  } catch {
    // Already gone: nothing left to revoke.
  }
  api.forgetToken();
  showLogin();
  announce('Logged out.');
}

function start() {
  initUsers();
  initGroups();
  initResources();
  initAudit();
  api.whenUnauthorized((body) => {
    api.forgetToken();
    showLogin(`Your session has ended (${body?.detail || 'the token was refused'}). Log in again.`);
  });
  $('login-form').addEventListener('submit', login);
  $('logout-button').addEventListener('click', logout);
  $('denied-login-button').addEventListener('click', () => showLogin());
  window.addEventListener('hashchange', async () => {
    await route();
    document.querySelector('section.panel:not([hidden]) h1')?.focus();
  });
  if (api.token()) enter();
  else showLogin();
}

start();
