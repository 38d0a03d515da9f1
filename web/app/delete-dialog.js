// A modal dialog that asks before deleting a note, and deletes it. A native <dialog> opened
// with showModal(): it keeps focus inside, closes on Escape, and gives focus back on close.

import { h, whileBusy } from './dom.js';

/** @typedef {import('./app.js').AppContext} AppContext */

/**
 * Ask, then delete. Resolves to true once the note is deleted, false when the user cancels.
 * @param {AppContext} app
 * @param {import('/client/portcullis.js').Note} note
 * @returns {Promise<boolean>}
 */
export function confirmDelete(app, note) {
  return new Promise((resolve) => {
    let deleted = false;
    const problem = h('div', { class: 'form-errors', role: 'alert' });
    const cancel = h('button', { type: 'button', class: 'button', text: 'Cancel', autofocus: true });
    const confirm = h('button', { type: 'button', class: 'button danger', text: 'Delete note' });
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'delete-heading', 'aria-describedby': 'delete-description' },
      h('h2', { id: 'delete-heading', text: 'Delete this note?' }),
      h('p', { id: 'delete-description', text: `“${note.title}” will be deleted. This cannot be undone.` }),
      problem,
      h('div', { class: 'actions' }, confirm, cancel));

    cancel.addEventListener('click', () => dialog.close());
    confirm.addEventListener('click', async () => {
      if (dialog.getAttribute('aria-busy') === 'true') return;
      problem.replaceChildren();
      confirm.setAttribute('aria-disabled', 'true');
      try {
        await whileBusy(dialog, () => app.client.resource('notes').delete(note.id));
        deleted = true;
        dialog.close();
      } catch (error) {
        confirm.removeAttribute('aria-disabled');
        if (error.status === 401) { dialog.close(); return; }
        if (error.status === 404) {
          // Already gone (deleted in another tab): that is what the user wanted.
          deleted = true;
          dialog.close();
          return;
        }
        problem.append(h('p', { text: `The note could not be deleted: ${error.message}` }));
      }
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(deleted);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
