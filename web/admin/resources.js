// The Resources section: pick a declared resource, page through its rows with the resource's
// own `/api/<name>/` endpoint (staff see every row there), and open one row as JSON.
import * as api from './api.js';
import { $, el, hiddenText, showAlert, pager, when } from './dom.js';

const view = { resources: [], resource: null, page: 1 };

export async function showResources() {
  showAlert('resources-error', '');
  try {
    view.resources = await api.get('/api/admin/resources/');
  } catch (error) {
    showAlert('resources-error', error.message);
    return;
  }
  const select = $('resource-select');
  const previous = view.resource?.name;
  select.replaceChildren(...view.resources.map((r) => el('option', { value: r.name }, `${r.label} (${r.name})`)));
  if (!view.resources.length) {
    showAlert('resources-error', 'The schema declares no resources.');
    return;
  }
  if (previous && view.resources.some((r) => r.name === previous)) select.value = previous;
  await choose(select.value, view.page);
}

/** The columns a row shows: every field but write-only ones. */
const columns = (resource) => resource.fields.filter((f) => !f.write_only);

function cellText(field, value) {
  if (value === null || value === undefined) return '—';
  if (field.type === 'datetime') return when(value);
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Page `page` of a resource list in whichever pagination style the server uses for it (DRF's
 * pagination classes): page numbers are asked for; a plain array is one page; limit/offset and
 * cursor pages are reached by following `next` from the first.
 */
async function listPage(name, page) {
  const first = await api.get(api.withQuery(`/api/${name}/`, { page }));
  if (Array.isArray(first)) return { count: first.length, next: null, previous: null, results: first };
  const pageNumbers = 'count' in first && !/[?&](limit|offset)=/.test(`${first.next} ${first.previous}`);
  if (pageNumbers || page <= 1) return first;
  let body = first;
  for (let at = 1; at < page && body.next; at += 1) body = await api.get(body.next);
  return body;
}

async function choose(name, page) {
  const resource = view.resources.find((r) => r.name === name);
  if (!resource) return;
  if (view.resource?.name !== name) $('row-detail').hidden = true;
  view.resource = resource;
  view.page = page;
  showAlert('resources-error', '');
  let body;
  try {
    body = await listPage(resource.name, page);
  } catch (error) {
    showAlert('resources-error', error.message);
    return;
  }
  const fields = columns(resource);
  $('rows-head').replaceChildren(
    ...fields.map((f) => el('th', { scope: 'col' }, f.label)),
    el('th', { scope: 'col' }, 'Actions'));
  const rows = body.results.map((row) => {
    const id = row[resource.id_field ?? 'id'];
    return el('tr', {},
      fields.map((f) => el('td', {}, cellText(f, row[f.name]))),
      el('td', {}, el('button', { type: 'button', onclick: () => openRow(resource, id) },
        'View JSON', hiddenText(` of ${resource.label} ${id}`))));
  });
  if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: String(fields.length + 1) }, 'No rows.')));
  $('rows-body').replaceChildren(...rows);
  const pages = pager('rows', page, body);
  // Shown only once it has headers and rows, never as an empty grid.
  $('rows-view').hidden = false;
  $('rows-pager').hidden = false;
  const total = body.count === undefined ? '' : `${body.count} in all, `;
  $('rows-caption').textContent = `${resource.label} rows: ${total}page ${page} of ${pages}`;
}

async function openRow(resource, id) {
  let row;
  try {
    row = await api.get(`/api/${resource.name}/${id}/`);
  } catch (error) {
    showAlert('resources-error', error.message);
    return;
  }
  $('row-detail-heading').textContent = `${resource.label} ${id}`;
  $('row-json').textContent = JSON.stringify(row, null, 2);
  $('row-detail').hidden = false;
  $('row-detail-heading').focus();
}

export function initResources() {
  $('resource-form').addEventListener('submit', (event) => {
    event.preventDefault();
    choose($('resource-select').value, 1);
  });
  $('rows-prev').addEventListener('click', () => choose(view.resource.name, view.page - 1));
  $('rows-next').addEventListener('click', () => choose(view.resource.name, view.page + 1));
  $('row-detail-close').addEventListener('click', () => {
    $('row-detail').hidden = true;
    $('resources-heading').focus();
  });
}
