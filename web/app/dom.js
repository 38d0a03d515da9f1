// Small DOM helpers shared by the views: building elements, form fields with their hints and
// errors, the status region, busy states and focus.

/**
 * Build an element. `attrs`: `class`, `text`, `on<event>` handlers, boolean attributes as
 * true/false, anything else as an attribute; null/undefined/false leave it out.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [attrs]
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') element.textContent = value;
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** Text hidden on screen and read by screen readers. */
export function hidden(text) {
  return h('span', { class: 'visually-hidden', text });
}

let pendingAnnouncement = 0;

/**
 * Say something in the page's status region (visible, and read by screen readers).
 * @param {string} message empty to clear
 * @param {'info' | 'success' | 'error'} [kind]
 */
export function announce(message, kind = 'info') {
  const status = document.getElementById('status');
  if (!status) return;
  clearTimeout(pendingAnnouncement);
  status.className = `status status-${kind}`;
  // Clear first, fill a moment later: the same message twice is then announced twice.
  status.textContent = '';
  if (message) pendingAnnouncement = setTimeout(() => { status.textContent = message; }, 30);
}

/** Move focus to `element` (made focusable by script when it is not already). */
export function focus(element) {
  if (!element) return;
  if (!element.matches('a[href], button, input, select, textarea, [tabindex]')) {
    element.setAttribute('tabindex', '-1');
  }
  element.focus();
}

/** Mark `element` busy (aria-busy) while `work` runs. */
export async function whileBusy(element, work) {
  element.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    element.setAttribute('aria-busy', 'false');
  }
}

let fieldCount = 0;

/**
 * A labelled form control with an optional hint and a slot for its error message, tied
 * together with aria-describedby.
 * @param {{ name: string, label: string, type?: string, value?: string | boolean,
 *   hint?: string, required?: boolean, autocomplete?: string, multiline?: boolean }} spec
 */
export function field(spec) {
  const id = `field-${spec.name}-${++fieldCount}`;
  const hintId = spec.hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const checkbox = spec.type === 'checkbox';
  /** @type {HTMLInputElement & HTMLTextAreaElement} */
  const control = /** @type {any} */ (spec.multiline
    ? h('textarea', { id, name: spec.name, rows: 8 })
    : h('input', {
      id,
      name: spec.name,
      type: spec.type ?? 'text',
      autocomplete: spec.autocomplete,
      required: spec.required,
      spellcheck: spec.type === 'password' || spec.type === 'email' || spec.name === 'username' ? 'false' : null,
      autocapitalize: spec.type === 'email' || spec.name === 'username' ? 'none' : null,
    }));
  if (checkbox) control.checked = Boolean(spec.value);
  else if (spec.value !== undefined) control.value = String(spec.value);
  if (hintId) control.setAttribute('aria-describedby', hintId);
  const label = h('label', { for: id }, spec.label,
    spec.required ? h('span', { class: 'required', 'aria-hidden': 'true', text: ' (required)' }) : null);
  const hint = spec.hint ? h('p', { class: 'hint', id: hintId, text: spec.hint }) : null;
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const wrapper = checkbox
    ? h('div', { class: 'field field-checkbox' }, control, label, hint, error)
    : h('div', { class: 'field' }, label, hint, control, error);
  return { wrapper, control, error, errorId, hintId, name: spec.name };
}

/** A form's error summary: a live region that stays in the page, empty until needed. */
export function errorSummary() {
  return h('div', { class: 'form-errors', role: 'alert', tabindex: '-1' });
}

/** Remove every error shown in a form built from `fields` and `summary`. */
export function clearErrors(fields, summary) {
  summary.replaceChildren();
  for (const f of fields) {
    f.error.hidden = true;
    f.error.replaceChildren();
    f.control.removeAttribute('aria-invalid');
    f.control.setAttribute('aria-describedby', f.hintId ?? '');
    if (!f.hintId) f.control.removeAttribute('aria-describedby');
  }
}

/**
 * Show an API error in a form: each field's messages under it (aria-invalid, described by
 * them), the rest in the summary; then focus the first invalid field, or the summary.
 * @param {{ message: string, fieldErrors?: Record<string, string[]>, nonFieldErrors?: string[],
 *   detail?: string | null }} error an ApiError (or any Error)
 * @param {ReturnType<typeof field>[]} fields
 * @param {HTMLElement} summary
 * @param {string} [what] what failed, for the summary ("The note could not be saved.")
 */
export function showErrors(error, fields, summary, what = 'That did not work.') {
  clearErrors(fields, summary);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const general = [];
  let firstInvalid = null;
  const fieldErrors = error.fieldErrors ?? {};
  for (const [name, messages] of Object.entries(fieldErrors)) {
    const f = byName.get(name);
    if (!f) {
      general.push(...messages.map((m) => `${name}: ${m}`));
      continue;
    }
    f.error.replaceChildren(hidden('Error: '), ...messages.map((m) => h('span', { class: 'error-line', text: `${m} ` })));
    f.error.hidden = false;
    f.control.setAttribute('aria-invalid', 'true');
    f.control.setAttribute('aria-describedby', [f.hintId, f.errorId].filter(Boolean).join(' '));
    firstInvalid ??= f.control;
  }
  general.push(...(error.nonFieldErrors ?? []));
  if (error.detail) general.push(error.detail);
  if (!general.length && !firstInvalid) general.push(error.message);
  const invalidCount = Object.keys(fieldErrors).filter((n) => byName.has(n)).length;
  summary.append(h('p', { class: 'form-errors-title', text: what }));
  if (general.length) {
    summary.append(h('ul', {}, ...general.map((m) => h('li', { text: m }))));
  }
  if (invalidCount) {
    summary.append(h('p', { text: invalidCount === 1 ? 'Please correct the field marked below.'
      : `Please correct the ${invalidCount} fields marked below.` }));
  }
  focus(firstInvalid ?? summary);
}

/** Disable a form's submit button while `work` runs, with a visible and announced busy state. */
export async function submitting(form, button, busyText, work) {
  if (form.getAttribute('aria-busy') === 'true') return undefined;
  button.setAttribute('aria-disabled', 'true');
  button.classList.add('is-busy');
  announce(busyText);
  try {
    return await whileBusy(form, work);
  } finally {
    button.removeAttribute('aria-disabled');
    button.classList.remove('is-busy');
  }
}

/** Format an ISO timestamp for people, in a <time> element. */
export function time(iso) {
  const date = new Date(iso);
  const text = Number.isNaN(date.getTime()) ? iso
    : new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  return h('time', { datetime: iso, text });
}
