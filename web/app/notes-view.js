// The notes page: search, sort and filter, one page of notes as a list, pagination, and
// deleting a note after confirming in a dialog. The list's state lives in the URL
// (#/notes?page=2&search=milk&ordering=title&public=true), so reloads and links keep it.

import { h, hidden, announce, focus, time } from './dom.js';
import { confirmDelete } from './delete-dialog.js';

/** @typedef {import('./app.js').AppContext} AppContext */
/** @typedef {import('/client/portcullis.js').Note} Note */

/** @type {[string, string][]} */
const ORDERINGS = [
  ['-created_at', 'Newest first'],
  ['created_at', 'Oldest first'],
  ['title', 'Title, A to Z'],
  ['-title', 'Title, Z to A'],
];
/** @type {[string, string][]} */
const VISIBILITIES = [
  ['', 'All notes'],
  ['true', 'Public notes'],
  ['false', 'Private notes'],
];

/** The list's state from the URL's query. */
export function listQuery(params) {
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  const ordering = params.get('ordering') ?? '';
  const visibility = params.get('public') ?? '';
  return {
    page: Number.isFinite(page) && page > 0 ? page : 1,
    search: params.get('search') ?? '',
    ordering: ORDERINGS.some(([value]) => value === ordering) ? ordering : ORDERINGS[0][0],
    visibility: VISIBILITIES.some(([value]) => value === visibility) ? visibility : '',
  };
}

/** The URL of a list state. */
export function listHash(q) {
  const params = new URLSearchParams();
  if (q.page > 1) params.set('page', String(q.page));
  if (q.search) params.set('search', q.search);
  if (q.ordering !== ORDERINGS[0][0]) params.set('ordering', q.ordering);
  if (q.visibility) params.set('public', q.visibility);
  const text = params.toString();
  return text ? `#/notes?${text}` : '#/notes';
}

/** @param {string} id @param {string} label @param {[string, string][]} options @param {string} value */
function select(id, label, options, value) {
  const control = h('select', { id, name: id },
    ...options.map(([v, text]) => h('option', { value: v, selected: v === value, text })));
  return { control, wrapper: h('div', { class: 'field' }, h('label', { for: id, text: label }), control) };
}

/**
 * @param {AppContext} app
 * @param {URLSearchParams} params
 * @param {{ focusNoteId?: number }} [options]
 */
export function notesView(app, params, { focusNoteId } = {}) {
  let q = listQuery(params);
  let loadTicket = 0;
  /** @type {import('/client/portcullis.js').Resource<Note>} */
  const notes = /** @type {any} */ (app.client.resource('notes'));

  const search = h('input', { id: 'notes-search', name: 'search', type: 'search', value: q.search });
  const ordering = select('notes-ordering', 'Sort by', ORDERINGS, q.ordering);
  const visibility = select('notes-visibility', 'Show', VISIBILITIES, q.visibility);
  const toolbar = h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Notes' },
    h('div', { class: 'field field-search' }, h('label', { for: 'notes-search', text: 'Search notes' }), search),
    ordering.wrapper, visibility.wrapper,
    h('div', { class: 'field field-button' }, h('button', { type: 'submit', class: 'button', text: 'Search' })));

  const resultsHeading = h('h2', { id: 'results-heading', tabindex: '-1' });
  const summary = h('p', { class: 'results-summary' });
  const loading = h('p', { class: 'loading', hidden: true }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading notes…');
  const problem = h('div', { class: 'form-errors', role: 'alert' });
  const list = h('ul', { class: 'note-list', 'aria-label': 'Notes' });
  const previous = h('button', { type: 'button', class: 'button', text: 'Previous page' });
  const next = h('button', { type: 'button', class: 'button', text: 'Next page' });
  const pageLabel = h('p', { class: 'page-label' });
  const pagination = h('nav', { class: 'pagination', 'aria-label': 'Pagination', hidden: true }, previous, pageLabel, next);
  const results = h('section', { class: 'results', 'aria-labelledby': 'results-heading', 'aria-busy': 'false' },
    resultsHeading, loading, problem, summary, list, pagination);

  /** Apply a new list state: record it in the URL (a history entry) and load it. */
  function change(update, how) {
    q = { ...q, ...update };
    history.pushState(null, '', listHash(q));
    app.lastListHash = listHash(q);
    load(how);
  }

  toolbar.addEventListener('submit', (event) => {
    event.preventDefault();
    change({ search: search.value.trim(), page: 1 }, { announceCount: true });
  });
  ordering.control.addEventListener('change', () => change({ ordering: ordering.control.value, page: 1 }, { announceCount: true }));
  visibility.control.addEventListener('change', () => change({ visibility: visibility.control.value, page: 1 }, { announceCount: true }));
  previous.addEventListener('click', () => change({ page: q.page - 1 }, { focusHeading: true }));
  next.addEventListener('click', () => change({ page: q.page + 1 }, { focusHeading: true }));

  /** @param {Note} note */
  function noteItem(note) {
    const titleId = `note-${note.id}-title`;
    const mine = app.owns(note.owner);
    const actions = mine ? h('div', { class: 'note-actions' },
      h('a', { class: 'button', href: `#/notes/${note.id}/edit` }, 'Edit', hidden(` ${note.title}`)),
      h('button', {
        type: 'button',
        class: 'button danger',
        onclick: () => remove(note),
      }, 'Delete', hidden(` ${note.title}`))) : null;
    return h('li', { class: 'note', 'data-note-id': note.id },
      h('article', { 'aria-labelledby': titleId },
        h('h3', { id: titleId, class: 'note-title', tabindex: '-1', text: note.title }),
        h('p', { class: 'note-meta' },
          h('span', { class: note.is_public ? 'badge badge-public' : 'badge', text: note.is_public ? 'Public' : 'Private' }),
          mine ? ' Yours' : ` By ${note.owner}`, ', updated ', time(note.updated_at)),
        note.body ? h('p', { class: 'note-body', text: note.body }) : null,
        actions));
  }

  /** @param {Note} note */
  async function remove(note) {
    const deleted = await confirmDelete(app, note);
    if (!deleted) return;
    // The last note of a later page: show the page before it.
    const page = list.children.length === 1 && q.page > 1 ? q.page - 1 : q.page;
    if (page !== q.page) change({ page }, { focusHeading: true, message: `Note “${note.title}” deleted.` });
    else await load({ focusHeading: true, message: `Note “${note.title}” deleted.` });
  }

  function describe() {
    const kind = VISIBILITIES.find(([v]) => v === q.visibility)?.[1] ?? 'All notes';
    return q.search ? `${kind} matching “${q.search}”` : kind;
  }

  /**
   * Load the current page and show it.
   * @param {{ announceCount?: boolean, focusHeading?: boolean, focusNoteId?: number, message?: string }} [how]
   */
  async function load(how = {}) {
    const ticket = ++loadTicket;
    results.setAttribute('aria-busy', 'true');
    loading.hidden = false;
    problem.replaceChildren();
    resultsHeading.textContent = describe();
    let page;
    try {
      page = await notes.list({
        page: q.page,
        search: q.search,
        ordering: q.ordering,
        filters: { is_public: q.visibility },
      });
    } catch (error) {
      if (ticket !== loadTicket) return;
      results.setAttribute('aria-busy', 'false');
      loading.hidden = true;
      if (error.status === 401) return; // the app shows the login page
      list.replaceChildren();
      pagination.hidden = true;
      summary.textContent = '';
      if (error.status === 404 && q.page > 1) {
        problem.append(h('p', {}, `There is no page ${q.page} of these notes. `,
          h('a', { href: listHash({ ...q, page: 1 }), text: 'Go to the first page' })));
      } else {
        problem.append(h('p', { text: `The notes could not be loaded: ${error.message}` }),
          h('button', { type: 'button', class: 'button', text: 'Try again', onclick: () => load({ focusHeading: true }) }));
      }
      return;
    }
    if (ticket !== loadTicket) return;
    render(page);
    results.setAttribute('aria-busy', 'false');
    loading.hidden = true;
    if (how.message) announce(`${how.message} ${summary.textContent}`, 'success');
    else if (how.announceCount) announce(summary.textContent);
    const target = how.focusNoteId !== undefined
      ? list.querySelector(`[data-note-id="${how.focusNoteId}"] h3`) : null;
    if (target) focus(target);
    else if (how.focusHeading) focus(resultsHeading);
  }

  /** @param {import('/client/portcullis.js').Page<Note>} page */
  function render(page) {
    const { count, results: items } = page;
    list.replaceChildren(...items.map(noteItem));
    if (count === 0 || (count === null && items.length === 0 && !page.previous)) {
      const filtered = q.search || q.visibility;
      summary.replaceChildren(filtered ? 'No notes match.'
        : h('span', {}, 'No notes yet. ', h('a', { href: '#/notes/new', text: 'Write your first note' }), '.'));
    } else if (count === null) {
      // A cursor page (DRF's CursorPagination) tells no total.
      summary.textContent = `Showing ${items.length} ${items.length === 1 ? 'note' : 'notes'}.`;
    } else {
      // DRF sends no page size: a page followed by another is full; the last one holds the rest.
      const pageSize = page.next ? items.length : null;
      const first = pageSize ? (q.page - 1) * pageSize + 1 : count - items.length + 1;
      summary.textContent = `Showing ${first}–${first + items.length - 1} of ${count} ${count === 1 ? 'note' : 'notes'}.`;
    }
    // A plain array (no pagination) is one page: no page controls.
    const pages = count !== null && page.next ? Math.ceil(count / items.length) : q.page;
    pagination.hidden = !page.next && !page.previous;
    pageLabel.textContent = count === null ? `Page ${q.page}` : `Page ${q.page} of ${pages}`;
    previous.disabled = !page.previous;
    next.disabled = !page.next;
  }

  app.lastListHash = listHash(q);
  app.show('Notes', [
    h('div', { class: 'page-heading' },
      h('h1', { text: 'Notes' }),
      h('a', { class: 'button primary', href: '#/notes/new', text: 'New note' })),
    h('p', { class: 'lead', text: 'Your notes, and the notes other people made public.' }),
    toolbar,
    results,
  ]);
  return load({ focusNoteId });
}
