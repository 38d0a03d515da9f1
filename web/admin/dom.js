// Small DOM helpers shared by the console's sections: building elements without HTML strings
// (so no value from the server is ever parsed as markup), announcing outcomes in the live
// region, and showing DRF's validation errors next to the fields they belong to.

export const $ = (id) => document.getElementById(id);

/** `el('button', {type: 'button', onclick}, 'Edit')`: attributes, listeners, children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Text for assistive technology only. */
export const hiddenText = (text) => el('span', { class: 'visually-hidden' }, text);

/** Say something in the polite live region (cleared first so a repeat is announced again). */
export function announce(message) {
  const status = $('status');
  status.textContent = '';
  window.setTimeout(() => { status.textContent = message; }, 50);
}

/** Put a message in a role=alert element (empty hides it). */
export function showAlert(id, message) {
  const node = $(id);
  node.textContent = message || '';
}

export function clearErrors(form) {
  for (const node of form.querySelectorAll('.field-error, .form-error')) node.textContent = '';
  for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
}

/**
 * Show an ApiError on a form: each field's messages in the element its input (or fieldset)
 * names in aria-describedby, with aria-invalid set; the rest, and a summary of everything, in
 * the form's role=alert element so it is announced. Focus goes to the first invalid field.
 */
export function showErrors(form, alertId, error) {
  clearErrors(form);
  const body = error.body;
  const leftover = [];
  const summary = [];
  let first = null;
  if (body && typeof body === 'object' && !Array.isArray(body) && typeof body.detail !== 'string') {
    for (const [name, messages] of Object.entries(body)) {
      const text = [].concat(messages).map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
      const target = form.querySelector(`[name="${CSS.escape(name)}"]:not([type=checkbox][data-item]), fieldset[data-name="${CSS.escape(name)}"]`);
      const errorId = target?.getAttribute('aria-describedby');
      const errorNode = errorId && document.getElementById(errorId);
      if (target && errorNode) {
        errorNode.textContent = text;
        target.setAttribute('aria-invalid', 'true');
        first ??= target;
        const label = target.tagName === 'FIELDSET'
          ? target.querySelector('legend')?.textContent
          : form.querySelector(`label[for="${CSS.escape(target.id)}"]`)?.textContent;
        summary.push(`${label || name}: ${text}`);
      } else {
        leftover.push(text);
      }
    }
  } else {
    leftover.push(error.message);
  }
  const parts = [...leftover];
  if (summary.length) parts.push(`Please correct: ${summary.join(' ')}`);
  showAlert(alertId, parts.join(' '));
  if (first) (first.tagName === 'FIELDSET' ? first.querySelector('input') || first : first).focus();
}

/** A date as the reader's locale shows it, or a dash. */
export function when(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export const yesNo = (flag) => (flag ? 'Yes' : 'No');

/** A checkbox with its label, for lists built at run time. */
export function checkbox(idPrefix, name, value, labelText, checked) {
  const id = `${idPrefix}-${String(value).replace(/[^a-z0-9_-]/gi, '-')}`;
  return el('div', { class: 'check' },
    el('input', { type: 'checkbox', id, name, value: String(value), checked, 'data-item': true }),
    el('label', { for: id }, labelText));
}

/** The values of the checked boxes named `name` inside `root`. */
export function checked(root, name) {
  return [...root.querySelectorAll(`input[type=checkbox][name="${CSS.escape(name)}"]:checked`)]
    .map((box) => box.value);
}

/**
 * Previous/next buttons and "Page N of M" for a paginated DRF list: a page with a `next` link
 * is full, so its length is the page size.
 */
export function pager(prefix, page, body) {
  const known = body.count !== undefined;
  const pages = body.next && known ? Math.ceil(body.count / body.results.length) : page;
  $(`${prefix}-page`).textContent = known ? `Page ${page} of ${pages}` : `Page ${page}`;
  $(`${prefix}-prev`).disabled = !body.previous;
  $(`${prefix}-next`).disabled = !body.next;
  return pages;
}
