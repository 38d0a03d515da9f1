// The Groups section: the groups with their permissions, and one form that creates a group or,
// once "Edit" is chosen, renames it, changes its permissions (checkboxes, one fieldset per
// resource) or deletes it.
import * as api from './api.js';
import {
  $, el, hiddenText, announce, showAlert, clearErrors, showErrors, checkbox, checked, pager,
} from './dom.js';

const view = { page: 1, permissions: [], editing: null, confirmDelete: false };

export async function showGroups() {
  try {
    view.permissions = await api.get('/api/admin/permissions/');
  } catch (error) {
    showAlert('groups-error', error.message);
    return;
  }
  if (!view.editing) fillForm(null);
  await loadGroups();
}

async function loadGroups() {
  showAlert('groups-error', '');
  let body;
  try {
    body = await api.get(api.withQuery('/api/admin/groups/', { page: view.page }));
  } catch (error) {
    showAlert('groups-error', error.message);
    return;
  }
  const rows = body.results.map((group) => el('tr', {},
    el('th', { scope: 'row' }, group.name),
    el('td', {}, group.permissions.length ? group.permissions.join(', ') : 'None'),
    el('td', {}, el('button', { type: 'button', onclick: () => editGroup(group) },
      'Edit', hiddenText(` group ${group.name}`)))));
  if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: '3' }, 'No groups yet.')));
  $('groups-rows').replaceChildren(...rows);
  $('groups-caption').textContent = `Groups: ${body.count}`;
  pager('groups', view.page, body);
}

/** The permission checkboxes, one fieldset per resource. */
function fillPermissions(selected) {
  const byResource = new Map();
  for (const p of view.permissions) {
    if (!byResource.has(p.resource)) byResource.set(p.resource, []);
    byResource.get(p.resource).push(p);
  }
  const sets = [...byResource].map(([resource, permissions]) => el('fieldset', { class: 'checks' },
    el('legend', {}, resource),
    permissions.map((p) => checkbox('perm', 'permissions', p.key, `${p.name} (${p.key})`, selected.includes(p.key)))));
  if (!sets.length) sets.push(el('p', {}, 'No permissions: the schema declares no resources.'));
  $('group-permissions-list').replaceChildren(...sets);
}

function fillForm(group) {
  view.editing = group;
  view.confirmDelete = false;
  clearErrors($('group-form'));
  $('group-name').value = group ? group.name : '';
  fillPermissions(group ? group.permissions : []);
  $('group-form-heading').textContent = group ? `Edit group ${group.name}` : 'Create a group';
  $('group-submit').textContent = group ? 'Save group' : 'Create group';
  $('group-cancel').hidden = !group;
  const remove = $('group-delete');
  remove.hidden = !group;
  remove.textContent = 'Delete group';
}

function editGroup(group) {
  fillForm(group);
  $('group-form-heading').focus();
}

async function submit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearErrors(form);
  const body = { name: $('group-name').value, permissions: checked($('group-permissions'), 'permissions') };
  const editing = view.editing;
  let group;
  try {
    group = editing
      ? await api.patch(`/api/admin/groups/${editing.id}/`, body)
      : await api.post('/api/admin/groups/', body);
  } catch (error) {
    showErrors(form, 'group-form-error', error);
    return;
  }
  if (editing) {
    fillForm(group);
    announce(`Saved group ${group.name}.`);
  } else {
    fillForm(null);
    announce(`Created group ${group.name}.`);
  }
  await loadGroups();
}

/** A first click asks, a second deletes. */
async function remove() {
  const group = view.editing;
  const button = $('group-delete');
  if (!view.confirmDelete) {
    view.confirmDelete = true;
    button.textContent = `Yes, delete group ${group.name}`;
    announce(`Press the button again to delete group ${group.name}.`);
    return;
  }
  try {
    await api.del(`/api/admin/groups/${group.id}/`);
  } catch (error) {
    showAlert('group-form-error', error.message);
    return;
  }
  fillForm(null);
  announce(`Deleted group ${group.name}.`);
  await loadGroups();
  $('group-form-heading').focus();
}

export function initGroups() {
  $('group-form').addEventListener('submit', submit);
  $('group-cancel').addEventListener('click', () => { fillForm(null); $('group-form-heading').focus(); });
  $('group-delete').addEventListener('click', remove);
  $('groups-prev').addEventListener('click', () => { view.page -= 1; loadGroups(); });
  $('groups-next').addEventListener('click', () => { view.page += 1; loadGroups(); });
}
