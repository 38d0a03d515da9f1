// What the account flows that work by mailed link share: the djoser URL each posts to, the
// "send me a link" form (the same answer whether the address has an account or not, as djoser
// answers), and the reading of a refused link (its uid or token) from DRF's errors.

import { h, field, errorSummary, clearErrors, showErrors, submitting, announce, focus } from './dom.js';

/**
 * @typedef {import('./app.js').AppContext} AppContext
 */

/**
 * POST one of djoser's account actions (`/auth/users/<action>/`), anonymously: a link opened
 * while logged in must not send (or lose, on a 401) the stored session.
 * @param {AppContext} app @param {string} action @param {Record<string, string>} body
 */
export function postAction(app, action, body) {
  return app.client.request('POST', `/auth/users/${action}/`, { body, auth: false });
}

/**
 * The error as `showErrors` reads it. djoser answers a refused address with a bare list
 * (`["User with given email does not exist."]`, with `*_show_email_not_found`) and a refused
 * resend_activation with an empty 400: both become messages for the summary.
 * @param {any} error an ApiError
 */
export function readable(error) {
  if (Array.isArray(error.body)) {
    return { ...error, message: error.message, nonFieldErrors: error.body.map(String), fieldErrors: {} };
  }
  if (error.status === 400 && (error.body === null || error.body === '')) {
    return { ...error, message: 'The server refused the request.', fieldErrors: {}, nonFieldErrors: [] };
  }
  return error;
}

/**
 * Whether DRF refused the link itself (its `uid` or `token`), rather than what was typed: the
 * page then says the link is invalid or used, and offers a new one.
 * @param {any} error an ApiError
 */
export function linkRefused(error) {
  const fields = error.fieldErrors ?? {};
  return error.status === 400 && ('uid' in fields || 'token' in fields);
}

/**
 * The summary's content for a refused link: what happened, DRF's own messages, and where to
 * ask for a new link. Focus goes to the summary, an alert, so it is read at once.
 * @param {HTMLElement} summary
 * @param {any} error
 * @param {{ what: string, href: string, linkText: string }} again
 */
export function showRefusedLink(summary, error, again) {
  const messages = ['uid', 'token'].flatMap((name) => error.fieldErrors?.[name] ?? []);
  summary.replaceChildren(
    h('p', { class: 'form-errors-title', text: again.what }),
    h('ul', {}, ...messages.map((m) => h('li', { text: m }))),
    h('p', {}, h('a', { href: again.href, text: again.linkText }), '.'));
  summary.focus();
}

/**
 * The values of a link's route: `#/<prefix>/{uid}/{token}` → `{uid, token}`, decoded.
 * @param {string[]} segments the route's path segments after the prefix
 */
export function linkParts(segments) {
  const [uid = '', token = ''] = segments.map((s) => {
    try { return decodeURIComponent(s); } catch { return s; }
  });
  return { uid, token };
}

/**
 * An email form that asks for a mailed link. Its answer does not depend on whether the address
 * has an account (djoser's 204 either way), and neither does the page's: the form gives way to
 * `done`, with a way back to the login.
 * @param {AppContext} app
 * @param {{ id: string, lead: string, action: string, button: string, busy: string,
 *   done: string, failed: string }} spec `id`: the heading that names the form
 */
export function requestLinkForm(app, spec) {
  const summary = errorSummary();
  const fields = [field({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', required: true })];
  const button = h('button', { type: 'submit', class: 'button primary', text: spec.button });
  const form = h('form', { novalidate: true, 'aria-labelledby': spec.id },
    summary, ...fields.map((f) => f.wrapper), h('div', { class: 'actions' }, button));
  const body = h('div', {}, h('p', { class: 'lead', text: spec.lead }), form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const email = fields[0].control.value.trim();
    await submitting(form, button, spec.busy, async () => {
      try {
        await postAction(app, spec.action, { email });
      } catch (error) {
        announce('');
        showErrors(readable(error), fields, summary, spec.failed);
        return;
      }
      clearErrors(fields, summary);
      const sent = h('p', { class: 'sent', text: spec.done });
      body.replaceChildren(sent, h('p', {}, h('a', { href: '#/login', text: 'Back to log in' })));
      // The form (and the focused button) is gone: focus the outcome, which is read out then
      // (the status region is emptied of "Sending…" rather than read out a second time).
      announce('');
      focus(sent);
    });
  });
  return body;
}

/**
 * A page made of a heading and a {@link requestLinkForm}.
 * @param {AppContext} app
 * @param {Parameters<typeof requestLinkForm>[1] & { title: string }} spec
 */
export function requestLinkView(app, spec) {
  app.show(spec.title, [h('h1', { id: spec.id, text: spec.title }), requestLinkForm(app, spec)]);
}
