// The login and registration pages. Both follow the project's user model and djoser settings
// (app.settings, read from the server): a project that logs in with the email asks for the
// email, a project whose REQUIRED_FIELDS list the names asks for them at sign-up, and
// USER_CREATE_PASSWORD_RETYPE adds the repeated password.

import { h, field, errorSummary, clearErrors, showErrors, submitting, announce } from './dom.js';

/**
 * @typedef {import('./app.js').AppContext} AppContext
 */

/** The profile fields of AbstractUser that REQUIRED_FIELDS may list, as the form asks for them. */
const PROFILE_FIELDS = {
  email: { label: 'Email address', type: 'email', autocomplete: 'email' },
  first_name: { label: 'First name', autocomplete: 'given-name' },
  last_name: { label: 'Last name', autocomplete: 'family-name' },
};

/**
 * The key the login request carries the identifier under: simplejwt's view reads the model's
 * USERNAME_FIELD, djoser's token login its LOGIN_FIELD (server errors come back under it).
 * @param {AppContext} app
 */
function loginKey(app) {
  return app.settings.auth === 'jwt' ? app.settings.username_field : app.settings.login_field;
}

/**
 * Log in. After success the app shows the page the user asked for (or the notes).
 * @param {AppContext} app
 * @param {{ username?: string, focusPassword?: boolean }} [options]
 */
export function loginView(app, { username = '', focusPassword = false } = {}) {
  const summary = errorSummary();
  const byEmail = app.settings.login_field === 'email';
  const fields = [
    // `autocomplete="username"` even for an email: it is the token password managers pair
    // with `current-password` to fill a login, whatever the identifier looks like.
    field(byEmail
      ? { name: loginKey(app), label: 'Email address', type: 'email', autocomplete: 'username', required: true, value: username }
      : { name: loginKey(app), label: 'Username', autocomplete: 'username', required: true, value: username }),
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
    h('p', {}, h('a', { href: '#/password/reset', text: 'Forgot password?' }),
      app.settings.login_field === 'email' ? null : ' · ',
      app.settings.login_field === 'email' ? null : h('a', { href: '#/username/reset', text: 'Forgot username?' })),
    h('p', {}, 'No account yet? ', h('a', { href: '#/register', text: 'Create an account' })),
  ], focusPassword ? fields[1].control : undefined);
}

/**
 * The registration form's fields, in djoser's order: the username field, REQUIRED_FIELDS, the
 * password (and its repetition with USER_CREATE_PASSWORD_RETYPE).
 * @param {AppContext} app
 */
function registerFields(app) {
  const { username_field: usernameField, required_fields: required } = app.settings;
  const specs = [];
  if (usernameField === 'email') {
    specs.push({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'email', required: true });
  } else {
    specs.push({
      name: 'username', label: 'Username', autocomplete: 'username', required: true,
      hint: '150 characters or fewer: letters, digits and @ . + - _ only.',
    });
  }
  for (const name of required) {
    const spec = PROFILE_FIELDS[name];
    // AbstractUser's profile fields may be blank, whatever REQUIRED_FIELDS says.
    if (spec && name !== usernameField) specs.push({ name, ...spec, hint: 'Optional.' });
  }
  const like = usernameField === 'email' ? 'your email address' : 'your username';
  specs.push({
    name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', required: true,
    hint: `At least 8 characters, not entirely numeric, not a common password and not like ${like}.`,
  });
  if (app.settings.user_create_password_retype) {
    specs.push({ name: 're_password', label: 'Repeat password', type: 'password', autocomplete: 'new-password', required: true });
  }
  return specs.map(field);
}

/**
 * Create an account, then log in with it.
 * @param {AppContext} app
 */
export function registerView(app) {
  const summary = errorSummary();
  const fields = registerFields(app);
  const button = h('button', { type: 'submit', class: 'button primary', text: 'Create account' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'register-heading' },
    summary, ...fields.map((f) => f.wrapper), h('div', { class: 'actions' }, button));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(fields.map((f) => [f.name, f.control.value]));
    await submitting(form, button, 'Creating your account…', async () => {
      try {
        await app.client.register(values);
      } catch (error) {
        announce('');
        showErrors(error, fields, summary, 'Your account could not be created.');
        return;
      }
      // The login form asks for djoser's LOGIN_FIELD: the email when the project logs in with it.
      const login = values[app.settings.login_field] ?? values.username;
      if (app.settings.send_activation_email) {
        // The new user is inactive until the mailed link is opened: a login would be refused.
        app.navigate('#/register/done', { login, email: values.email, message: `Account ${login} created.` });
        return;
      }
      app.navigate('#/login', {
        username: login,
        focusPassword: true,
        message: `Account ${login} created. Enter your password to log in.`,
      });
    });
  });

  app.show('Create an account', [
    h('h1', { id: 'register-heading', text: 'Create an account' }),
    form,
    h('p', {}, 'Already registered? ', h('a', { href: '#/login', text: 'Log in' })),
  ]);
}
