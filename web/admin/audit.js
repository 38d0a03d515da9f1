// The Audit log section: authentication events, newest first, a page at a time, filtered by
// event, user id and dates (the admin API's filters; its refusals shown next to their field).
import * as api from './api.js';
import { $, el, announce, clearErrors, showErrors, when, pager } from './dom.js';

// The events the server records (GET /api/admin/audit/'s `event` filter accepts these).
const EVENTS = [
  'login', 'login_failed', 'logout', 'logout_all', 'token_created', 'token_revoked',
  'password_changed', 'username_changed', 'user_activated', 'user_deactivated',
  'staff_changed', 'superuser_changed', 'groups_changed', 'permissions_changed',
  'session_ended', 'user_created', 'user_deleted', 'django_imported',
];

const view = { page: 1, filters: {} };

/** The details object as short text: `via: token_login, actor: 1`. */
function details(detail) {
  const parts = Object.entries(detail || {}).map(([key, value]) =>
    `${key}: ${typeof value === 'object' ? JSON.stringify(value) : value}`);
  return parts.length ? parts.join(', ') : '—';
}

function userCell(entry) {
  if (entry.user === null) return entry.username ? `${entry.username} (unknown)` : '—';
  return entry.username ? `${entry.username} (#${entry.user})` : `#${entry.user}`;
}

async function loadEvents() {
  const form = $('audit-filter-form');
  clearErrors(form);
  let body;
  try {
    body = await api.get(api.withQuery('/api/admin/audit/', { ...view.filters, page: view.page }));
  } catch (error) {
    showErrors(form, 'audit-error', error);
    return false;
  }
  const rows = body.results.map((entry) => el('tr', {},
    el('td', {}, when(entry.at)),
    el('th', { scope: 'row' }, entry.event),
    el('td', {}, userCell(entry)),
    el('td', {}, entry.client_addr || '—'),
    el('td', {}, entry.user_agent || '—'),
    el('td', {}, details(entry.detail))));
  if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: '6' }, 'No events match.')));
  $('audit-rows').replaceChildren(...rows);
  $('audit-caption').textContent = `Audit log: ${body.count} events`;
  pager('audit', view.page, body);
  return true;
}

export async function showAudit() {
  await loadEvents();
}

async function filter(event) {
  event.preventDefault();
  const filters = {};
  for (const name of ['event', 'user', 'since', 'until']) {
    const value = $(`audit-${name}`).value.trim();
    if (value) filters[name] = value;
  }
  view.filters = filters;
  view.page = 1;
  if (await loadEvents()) announce($('audit-caption').textContent);
}

export function initAudit() {
  $('audit-event').append(...EVENTS.map((name) => el('option', { value: name }, name)));
  $('audit-filter-form').addEventListener('submit', filter);
  $('audit-prev').addEventListener('click', async () => { view.page -= 1; await loadEvents(); });
  $('audit-next').addEventListener('click', async () => { view.page += 1; await loadEvents(); });
}
