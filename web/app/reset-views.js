// "Forgot password?" and "Forgot username?": the pages that ask djoser to mail a reset link,
// and the pages its links open (`[djoser] password_reset_confirm_url` and
// `username_reset_confirm_url`, by default `#/password/reset/confirm/{uid}/{token}` and
// `#/username/reset/confirm/{uid}/{token}` on the server's own address, which serves this app).

import { h, field, errorSummary, clearErrors, showErrors, submitting, announce } from './dom.js';
import { postAction, readable, linkRefused, showRefusedLink, linkParts, requestLinkView } from './account-links.js';

/**
 * @typedef {import('./app.js').AppContext} AppContext
 */

/** Where a user who is (or is not) logged in goes once the new password or name is set. */
async function afterReset(app, message) {
  if (!app.user) {
    app.navigate('#/login', { message, kind: 'success' });
    return;
  }
  // A link opened while logged in may have renamed this very user: the header shows the name.
  try {
    app.user = await app.client.me();
  } catch { /* a 401 has already ended the session */ }
  app.navigate('#/notes', { message, kind: 'success' });
}

/**
 * A page a mailed link opens: a form for the new value, posted with the link's uid and token.
 * DRF's errors on the typed fields appear next to them; a refused uid or token (a link used,
 * expired or mangled) says so in the summary, with a link to ask for a new one.
 * @param {AppContext} app
 * @param {{ uid: string, token: string }} link
 * @param {{ id: string, title: string, lead: string, fields: Parameters<typeof field>[0][],
 *   action: string, button: string, busy: string, failed: string, done: string,
 *   refused: { what: string, href: string, linkText: string } }} spec
 */
function confirmLinkView(app, link, spec) {
  const summary = errorSummary();
  const fields = spec.fields.map(field);
  const button = h('button', { type: 'submit', class: 'button primary', text: spec.button });
  const form = h('form', { novalidate: true, 'aria-labelledby': spec.id },
    summary, ...fields.map((f) => f.wrapper), h('div', { class: 'actions' }, button));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(fields.map((f) => [f.name, f.control.value]));
    await submitting(form, button, spec.busy, async () => {
      try {
        await postAction(app, spec.action, { uid: link.uid, token: link.token, ...values });
      } catch (error) {
        announce('');
        if (linkRefused(error)) {
          clearErrors(fields, summary);
          showRefusedLink(summary, error, spec.refused);
        } else {
          showErrors(readable(error), fields, summary, spec.failed);
        }
        return;
      }
      await afterReset(app, spec.done);
    });
  });

  app.show(spec.title, [
    h('h1', { id: spec.id, text: spec.title }),
    h('p', { class: 'lead', text: spec.lead }),
    form,
  ]);
}

/** The settings' djoser URL segment for the username: `reset_email` when the model logs in with it. */
function usernameAction(app) {
  return `reset_${app.settings.username_field}`;
}

/** `#/password/reset`: ask for a reset link. @param {AppContext} app */
export function forgotPasswordView(app) {
  requestLinkView(app, {
    id: 'forgot-password-heading',
    title: 'Reset your password',
    lead: 'Enter the email address of your account, and we will mail you a link to choose a new password.',
    action: 'reset_password',
    button: 'Send reset link',
    busy: 'Sending the reset link…',
    done: 'If an account uses this email address, a mail with a link to choose a new password is on its way. '
      + 'The link works once.',
    failed: 'The reset link could not be sent.',
  });
}

/** `#/password/reset/confirm/{uid}/{token}`. @param {AppContext} app @param {string[]} segments */
export function resetPasswordConfirmView(app, segments) {
  const like = app.settings.username_field === 'email' ? 'your email address' : 'your username';
  const fields = [{
    name: 'new_password', label: 'New password', type: 'password', autocomplete: 'new-password', required: true,
    hint: `At least 8 characters, not entirely numeric, not a common password and not like ${like}.`,
  }];
  // djoser's PASSWORD_RESET_CONFIRM_RETYPE: the server then compares the two.
  if (app.settings.password_reset_confirm_retype) {
    fields.push({ name: 're_new_password', label: 'Repeat new password', type: 'password', autocomplete: 'new-password', required: true });
  }
  confirmLinkView(app, linkParts(segments), {
    id: 'reset-password-heading',
    title: 'Choose a new password',
    lead: 'Choose the password you will log in with from now on.',
    fields,
    action: 'reset_password_confirm',
    button: 'Set new password',
    busy: 'Setting your new password…',
    failed: 'Your password could not be changed.',
    done: 'Your password has been changed. Log in with your new password.',
    refused: {
      what: 'This reset link is invalid or has already been used.',
      href: '#/password/reset',
      linkText: 'Ask for a new reset link',
    },
  });
}

/** `#/username/reset`: ask for a link to choose a new username. @param {AppContext} app */
export function forgotUsernameView(app) {
  const byEmail = app.settings.username_field === 'email';
  requestLinkView(app, {
    id: 'forgot-username-heading',
    title: byEmail ? 'Change your email address' : 'Reset your username',
    lead: `Enter the email address of your account, and we will mail you a link to choose a new ${byEmail ? 'email address' : 'username'}.`,
    action: usernameAction(app),
    button: 'Send link',
    busy: 'Sending the link…',
    done: 'If an account uses this email address, a mail with a link is on its way. The link works once.',
    failed: 'The link could not be sent.',
  });
}

/** `#/username/reset/confirm/{uid}/{token}`. @param {AppContext} app @param {string[]} segments */
export function resetUsernameConfirmView(app, segments) {
  const byEmail = app.settings.username_field === 'email';
  // djoser's URL is named for USERNAME_FIELD, its body key for LOGIN_FIELD (the same, or the
  // server refuses to change the login field this way).
  const name = `new_${app.settings.login_field}`;
  confirmLinkView(app, linkParts(segments), {
    id: 'reset-username-heading',
    title: byEmail ? 'Choose a new email address' : 'Choose a new username',
    lead: `Choose the ${byEmail ? 'email address' : 'username'} you will log in with from now on.`,
    fields: [byEmail
      ? { name, label: 'New email address', type: 'email', autocomplete: 'email', required: true }
      : { name, label: 'New username', autocomplete: 'username', required: true, hint: '150 characters or fewer: letters, digits and @ . + - _ only.' }],
    action: `${usernameAction(app)}_confirm`,
    button: byEmail ? 'Set new email address' : 'Set new username',
    busy: 'Saving…',
    failed: byEmail ? 'Your email address could not be changed.' : 'Your username could not be changed.',
    done: byEmail ? 'Your email address has been changed. Log in with it.' : 'Your username has been changed. Log in with it.',
    refused: { what: 'This link is invalid or has already been used.', href: '#/username/reset', linkText: 'Ask for a new link' },
  });
}
