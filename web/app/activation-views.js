// Activation (djoser's `SEND_ACTIVATION_EMAIL`): the page a new user sees after signing up,
// the page the mailed link opens (`[djoser] activation_url`, by default
// `#/activate/{uid}/{token}` on the server's own address, which serves this app), and the form
// that mails a new link.

import { h, errorSummary, showErrors, submitting, announce, focus } from './dom.js';
import { postAction, readable, linkRefused, linkParts, requestLinkForm, requestLinkView } from './account-links.js';

/**
 * @typedef {import('./app.js').AppContext} AppContext
 */

/** The resend form's wording, on its own page and under a refused link. */
const RESEND = {
  lead: 'Enter the email address you signed up with, and we will mail you a new activation link.',
  action: 'resend_activation',
  button: 'Send activation link',
  busy: 'Sending the activation link…',
  done: 'If an account waiting for activation uses this email address, a mail with a new activation link is on its way.',
  failed: 'The activation link could not be sent.',
};

/** `#/activate`: mail a new activation link. @param {AppContext} app */
export function resendActivationView(app) {
  requestLinkView(app, { ...RESEND, id: 'resend-heading', title: 'Resend the activation link' });
}

/**
 * `#/register/done`: a new account waits for activation, so the app says to read the mail
 * rather than offering a login that would be refused.
 * @param {AppContext} app
 * @param {{ login?: string, email?: string }} options what registration submitted (none after a reload)
 */
export function checkEmailView(app, { login, email } = {}) {
  const created = login ? `Your account ${login} has been created. ` : '';
  const where = email ? ` to ${email}` : '';
  app.show('Check your email', [
    h('h1', { text: 'Check your email' }),
    h('p', { class: 'lead', text: `${created}We have sent an activation link${where}. Open it to activate your account, then log in.` }),
    h('p', {}, 'No mail after a few minutes? ', h('a', { href: '#/activate', text: 'Send a new activation link' }), '.'),
    h('p', {}, 'Already activated? ', h('a', { href: '#/login', text: 'Log in' }), '.'),
  ]);
}

/**
 * What a failed activation shows in the summary, and whether a new link should be offered.
 * djoser answers 403 "Stale token for given user." for an account already active, and 400 on
 * the uid or token for a link that is mangled, expired or from before a password change.
 * @param {HTMLElement} summary @param {any} error
 * @returns {'active' | 'refused' | 'failed'}
 */
function showFailure(summary, error) {
  const kind = error.status === 403 ? 'active' : linkRefused(error) ? 'refused' : 'failed';
  if (kind === 'failed') {
    showErrors(readable(error), [], summary, 'Your account could not be activated.');
    return kind;
  }
  const messages = kind === 'active' ? [error.detail ?? error.message]
    : ['uid', 'token'].flatMap((name) => error.fieldErrors?.[name] ?? []);
  summary.replaceChildren(
    h('p', { class: 'form-errors-title', text: kind === 'active'
      ? 'This account is already active: this link has been used.'
      : 'This activation link is invalid or has expired.' }),
    h('ul', {}, ...messages.map((m) => h('li', { text: m }))));
  if (kind === 'active') summary.append(h('p', {}, h('a', { href: '#/login', text: 'Log in' }), '.'));
  focus(summary);
  return kind;
}

/**
 * `#/activate/{uid}/{token}`: activates on open; the button does it again after a failure the
 * link is not to blame for (the server unreachable). A refused link brings the resend form.
 * @param {AppContext} app @param {string[]} segments
 */
export function activateView(app, segments) {
  const link = linkParts(segments);
  const summary = errorSummary();
  const lead = h('p', { class: 'lead', text: 'Your activation link has been opened: your account is being activated.' });
  const button = h('button', { type: 'button', class: 'button primary', text: 'Activate account' });
  const actions = h('div', { class: 'actions' }, button);
  const panel = h('div', {}, summary, actions);
  const resend = h('section', { 'aria-labelledby': 'resend-heading', hidden: true },
    h('h2', { id: 'resend-heading', text: 'Get a new activation link' }),
    requestLinkForm(app, { ...RESEND, id: 'resend-heading' }));

  const activate = () => submitting(panel, button, 'Activating your account…', async () => {
    try {
      await postAction(app, 'activation', link);
    } catch (error) {
      announce('');
      const kind = showFailure(summary, error);
      if (kind !== 'failed') {
        actions.hidden = true;
        lead.textContent = 'Your account could not be activated with this link.';
      }
      resend.hidden = kind !== 'refused';
      return;
    }
    app.navigate('#/login', { message: 'Your account is active. You can log in now.', kind: 'success' });
  });
  button.addEventListener('click', activate);

  app.show('Activate your account', [h('h1', { text: 'Activate your account' }), lead, panel, resend]);
  activate();
}
