// The Users section: search and page through users, create one, and edit one — details,
// flags, groups, password, sessions (revoke), activate/deactivate and delete.
import * as api from './api.js';
import {
  $, el, hiddenText, announce, showAlert, clearErrors, showErrors, when, yesNo, checkbox, checked, pager,
} from './dom.js';

const view = { page: 1, search: '', user: null, groups: [], actor: null };

/** Open the section for the signed-in staff user `actor` (a user as the admin API shows it). */
export async function showUsers(actor) {
  view.actor = actor;
  await Promise.all([loadUsers(), loadGroups()]);
}

async function loadGroups() {
  try {
    view.groups = await api.all('/api/admin/groups/');
  } catch (error) {
    showAlert('users-error', error.message);
    return;
  }
  fillGroupChecks('create-groups-list', 'create-group', []);
  if (view.user) fillGroupChecks('edit-groups-list', 'edit-group', view.user.groups);
}

function fillGroupChecks(listId, idPrefix, selected) {
  const list = $(listId);
  list.replaceChildren();
  if (!view.groups.length) {
    list.append(el('p', {}, 'No groups yet. Create them in the Groups section.'));
    return;
  }
  for (const group of view.groups) {
    list.append(checkbox(idPrefix, 'groups', group.id, group.name, selected.includes(group.id)));
  }
}

async function loadUsers() {
  showAlert('users-error', '');
  let body;
  try {
    body = await api.get(api.withQuery('/api/admin/users/', { page: view.page, search: view.search }));
  } catch (error) {
    showAlert('users-error', error.message);
    return;
  }
  const rows = body.results.map((user) => el('tr', {},
    el('th', { scope: 'row' }, user.username),
    el('td', {}, user.email || '—'),
    el('td', {}, yesNo(user.is_active)),
    el('td', {}, yesNo(user.is_staff)),
    el('td', {}, yesNo(user.is_superuser)),
    el('td', {}, el('button', { type: 'button', onclick: () => openUser(user.id) },
      'Edit', hiddenText(` ${user.username}`)))));
  if (!rows.length) {
    rows.push(el('tr', {}, el('td', { colspan: '6' }, 'No user matches.')));
  }
  $('users-rows').replaceChildren(...rows);
  const found = `${body.count} user${body.count === 1 ? '' : 's'}`;
  $('users-caption').textContent = view.search ? `Users matching “${view.search}”: ${found}` : `Users: ${found}`;
  pager('users', view.page, body);
}

async function openUser(id) {
  let user;
  try {
    user = await api.get(`/api/admin/users/${id}/`);
  } catch (error) {
    showAlert('users-error', error.message);
    return;
  }
  fillEditor(user);
  $('user-editor').hidden = false;
  $('user-editor-heading').focus();
  await loadSessions();
}

function fillEditor(user) {
  view.user = user;
  const self = view.actor && user.id === view.actor.id;
  $('user-editor-heading').textContent = `User ${user.username}`;
  $('user-editor-summary').textContent = `Joined ${when(user.date_joined)}. Last login: ${when(user.last_login)}. `
    + `${user.is_active ? 'Active' : 'Inactive'}${user.is_staff ? ', staff' : ''}${user.is_superuser ? ', superuser' : ''}.`;
  for (const form of [$('user-edit-form'), $('user-password-form')]) clearErrors(form);
  showAlert('user-actions-error', '');
  $('edit-email').value = user.email;
  $('edit-first-name').value = user.first_name;
  $('edit-last-name').value = user.last_name;
  $('edit-is-active').checked = user.is_active;
  $('edit-is-staff').checked = user.is_staff;
  $('edit-is-superuser').checked = user.is_superuser;
  // Only a superuser may change the flag; nobody may lock their own account out.
  $('edit-is-superuser').disabled = !view.actor?.is_superuser;
  $('edit-is-active').disabled = self;
  $('edit-is-staff').disabled = self;
  fillGroupChecks('edit-groups-list', 'edit-group', user.groups);
  const toggle = $('user-toggle-active');
  toggle.textContent = user.is_active ? `Deactivate ${user.username}` : `Activate ${user.username}`;
  toggle.disabled = self;
  $('user-delete').disabled = self;
  $('user-delete-confirm').hidden = true;
  $('set-password').value = '';
}

async function loadSessions() {
  const user = view.user;
  showAlert('sessions-error', '');
  let sessions;
  try {
    sessions = await api.get(`/api/admin/users/${user.id}/sessions/`);
  } catch (error) {
    showAlert('sessions-error', error.message);
    return;
  }
  showSessions(sessions);
}

function showSessions(sessions) {
  $('sessions-token').textContent = sessions.token.exists
    ? `API token: issued ${when(sessions.token.created)}.`
    : 'API token: none (the user has logged out or was signed out).';
  $('sessions-epoch').textContent = `JWT revocations so far: ${sessions.jwt.epoch}.`;
  const rows = sessions.jwt.refresh_tokens.map((t) => el('tr', {},
    el('td', {}, el('code', {}, t.jti)),
    el('td', {}, when(t.created)),
    el('td', {}, when(t.expires)),
    el('td', {}, t.blacklisted ? when(t.blacklisted) : 'No')));
  if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: '4' }, 'None.')));
  $('sessions-rows').replaceChildren(...rows);
}

async function saveUser(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const user = view.user;
  clearErrors(form);
  const body = {
    email: $('edit-email').value.trim(),
    first_name: $('edit-first-name').value,
    last_name: $('edit-last-name').value,
    is_active: $('edit-is-active').checked,
    is_staff: $('edit-is-staff').checked,
    groups: checked($('edit-groups'), 'groups').map(Number),
  };
  if (view.actor?.is_superuser) body.is_superuser = $('edit-is-superuser').checked;
  try {
    fillEditor(await api.patch(`/api/admin/users/${user.id}/`, body));
  } catch (error) {
    showErrors(form, 'user-edit-error', error);
    return;
  }
  announce(`Saved ${user.username}.`);
  await Promise.all([loadUsers(), loadSessions()]);
}

async function toggleActive() {
  const user = view.user;
  const active = !user.is_active;
  try {
    fillEditor(await api.patch(`/api/admin/users/${user.id}/`, { is_active: active }));
  } catch (error) {
    showAlert('user-actions-error', error.message);
    return;
  }
  announce(active
    ? `${user.username} is active again and may log in.`
    : `${user.username} is deactivated: their tokens and sessions no longer work.`);
  await Promise.all([loadUsers(), loadSessions()]);
  $('user-toggle-active').focus();
}

function askDelete() {
  const confirm = $('user-delete-confirm');
  confirm.textContent = `Yes, delete ${view.user.username} for good`;
  confirm.hidden = false;
  confirm.focus();
}

async function deleteUser() {
  const user = view.user;
  try {
    await api.del(`/api/admin/users/${user.id}/`);
  } catch (error) {
    showAlert('user-actions-error', error.message);
    return;
  }
  closeEditor();
  announce(`Deleted ${user.username}.`);
  await loadUsers();
}

function closeEditor() {
  view.user = null;
  $('user-editor').hidden = true;
  $('users-heading').focus();
}

async function setPassword(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const user = view.user;
  clearErrors(form);
  try {
    await api.post(`/api/admin/users/${user.id}/set_password/`, { password: $('set-password').value });
  } catch (error) {
    showErrors(form, 'user-password-error', error);
    return;
  }
  $('set-password').value = '';
  announce(`Password set for ${user.username}.`);
  await loadSessions();
}

async function revoke() {
  const user = view.user;
  showAlert('sessions-error', '');
  try {
    showSessions(await api.post(`/api/admin/users/${user.id}/revoke/`));
  } catch (error) {
    showAlert('sessions-error', error.message);
    return;
  }
  announce(`Every session of ${user.username} is revoked.`);
}

async function createUser(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearErrors(form);
  const body = {
    username: $('create-username').value.trim(),
    email: $('create-email').value.trim(),
    password: $('create-password').value,
    is_active: $('create-is-active').checked,
    is_staff: $('create-is-staff').checked,
    groups: checked($('create-groups'), 'groups').map(Number),
  };
  let user;
  try {
    user = await api.post('/api/admin/users/', body);
  } catch (error) {
    showErrors(form, 'user-create-error', error);
    return;
  }
  form.reset();
  announce(`Created ${user.username}.`);
  await loadUsers();
}

/** Wire the section's controls once. */
export function initUsers() {
  $('user-search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    view.search = $('user-search').value.trim();
    view.page = 1;
    loadUsers();
  });
  $('users-prev').addEventListener('click', () => { view.page -= 1; loadUsers(); });
  $('users-next').addEventListener('click', () => { view.page += 1; loadUsers(); });
  $('user-edit-form').addEventListener('submit', saveUser);
  $('user-password-form').addEventListener('submit', setPassword);
  $('user-toggle-active').addEventListener('click', toggleActive);
  $('user-delete').addEventListener('click', askDelete);
  $('user-delete-confirm').addEventListener('click', deleteUser);
  $('user-editor-close').addEventListener('click', closeEditor);
  $('sessions-revoke').addEventListener('click', revoke);
  $('user-create-form').addEventListener('submit', createUser);
}
