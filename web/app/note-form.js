// Writing a new note, or editing one of the user's notes.

import { h, field, errorSummary, showErrors, submitting, announce, whileBusy, time } from './dom.js';

/** @typedef {import('./app.js').AppContext} AppContext */

/**
 * @param {AppContext} app
 * @param {number | null} id the note to edit; null for a new note
 */
export async function noteFormView(app, id) {
  const editing = id !== null;
  const heading = editing ? 'Edit note' : 'New note';
  const summary = errorSummary();
  const fields = [
    field({ name: 'title', label: 'Title', required: true, hint: 'At most 200 characters.' }),
    field({ name: 'body', label: 'Text', multiline: true }),
    field({ name: 'is_public', label: 'Public', type: 'checkbox', hint: 'Other signed-in people can read a public note, but only you can change it.' }),
  ];
  const [title, body, isPublic] = fields.map((f) => f.control);
  const button = h('button', { type: 'submit', class: 'button primary', text: editing ? 'Save changes' : 'Create note' });
  const meta = h('p', { class: 'note-meta' });
  const form = h('form', { class: 'note-form', novalidate: true, 'aria-labelledby': 'note-form-heading' },
    summary, ...fields.map((f) => f.wrapper),
    h('div', { class: 'actions' }, button, h('a', { class: 'button', href: app.lastListHash, text: 'Cancel' })));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = { title: title.value, body: body.value, is_public: isPublic.checked };
    await submitting(form, button, editing ? 'Saving the note…' : 'Creating the note…', async () => {
      let saved;
      try {
        const notes = app.client.resource('notes');
        saved = editing ? await notes.update(id, data) : await notes.create(data);
      } catch (error) {
        if (error.status === 401) return;
        announce('');
        showErrors(error, fields, summary, editing ? 'The note could not be saved.' : 'The note could not be created.');
        return;
      }
      app.navigate(app.lastListHash, {
        focusNoteId: saved.id,
        message: editing ? `Note “${saved.title}” saved.` : `Note “${saved.title}” created.`,
      });
    });
  });

  const h1 = h('h1', { id: 'note-form-heading', text: heading });
  if (!editing) {
    app.show(heading, [h1, form]);
    return;
  }
  const loading = h('p', { class: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), 'Loading the note…');
  const section = h('div', { 'aria-busy': 'true' }, loading);
  app.show(heading, [h1, section]);
  let note;
  try {
    note = await whileBusy(section, () => app.client.resource('notes').get(id));
  } catch (error) {
    if (error.status === 401) return;
    section.replaceChildren(h('div', { class: 'form-errors', role: 'alert' },
      h('p', { text: error.status === 404 || error.status === 403
        ? 'This note does not exist, or it is not yours to edit.'
        : `The note could not be loaded: ${error.message}` })),
    h('p', {}, h('a', { href: app.lastListHash, text: 'Back to the notes' })));
    return;
  }
  if (!section.isConnected) return; // the user went elsewhere meanwhile
  title.value = note.title;
  body.value = note.body ?? '';
  isPublic.checked = Boolean(note.is_public);
  meta.append('Created ', time(note.created_at), ', last changed ', time(note.updated_at), '.');
  section.replaceChildren(meta, form);
}
