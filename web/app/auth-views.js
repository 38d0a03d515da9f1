// The login and registration pages.

import { h, field, errorSummary, clearErrors, showErrors, submitting, announce } from './dom.js';

/**
 * @typedef {import('./app.js').AppContext} AppContext
 */

/**
 * Log in. After success the app shows the page the user asked for (or the notes).
 * @param {AppContext} app
 * @param {{ username?: string, focusPassword?: boolean }} [options]
 */
export function loginView(app, { username = '', focusPassword = false } = {}) {
  const summary = errorSummary();
  const fields = [
    field({ name: 'username', label: 'Username', autocomplete: 'username', required: true, value: username }),
    field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true }),
  ];
  const button = h('button', { type: 'submit', class: 'button primary', text: 'Log in' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'login-heading' },
    summary, ...fields.map((f) => f.wrapper), h('div', { class: 'actions' }, button));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const [user, pass] = fields.map((f) => f.control.value);
    await submitting(form, button, 'Logging in…', async () => {
      try {
        await app.client.login(user, pass);
        clearErrors(fields, summary);
        await app.signedIn();
      } catch (error) {
        announce('');
        showErrors(error, fields, summary, 'You could not be logged in.');
      }
    });
  });

  app.show('Log in', [
    h('h1', { id: 'login-heading', text: 'Log in' }),
    h('p', { class: 'lead', text: 'Log in to read and write your notes.' }),
    form,
    h('p', {}, 'No account yet? ', h('a', { href: '#/register', text: 'Create an account' })),
  ], focusPassword ? fields[1].control : undefined);
}

/**
 * Create an account, then log in with it.
 * @param {AppContext} app
 */
export function registerView(app) {
  const summary = errorSummary();
  const fields = [
    field({
      name: 'username', label: 'Username', autocomplete: 'username', required: true,
      hint: '150 characters or fewer: letters, digits and @ . + - _ only.',
    }),
    field({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', hint: 'Optional.' }),
    field({
      name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', required: true,
      hint: 'At least 8 characters, not entirely numeric, not a common password and not like your username.',
    }),
  ];
  const button = h('button', { type: 'submit', class: 'button primary', text: 'Create account' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'register-heading' },
    summary, ...fields.map((f) => f.wrapper), h('div', { class: 'actions' }, button));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const [username, email, password] = fields.map((f) => f.control.value);
    await submitting(form, button, 'Creating your account…', async () => {
      try {
        await app.client.register({ username, email, password });
      } catch (error) {
        announce('');
        showErrors(error, fields, summary, 'Your account could not be created.');
        return;
      }
      app.navigate('#/login', {
        username,
        focusPassword: true,
        message: `Account ${username} created. Enter your password to log in.`,
      });
    });
  });

  app.show('Create an account', [
    h('h1', { id: 'register-heading', text: 'Create an account' }),
    form,
    h('p', {}, 'Already registered? ', h('a', { href: '#/login', text: 'Log in' })),
  ]);
}
