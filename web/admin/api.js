// The console's HTTP client: JSON requests to this origin with the console's own DRF token
// (kept in localStorage under its own key, apart from the web app's), and DRF's error bodies
// turned into an ApiError the forms can show field by field.

const TOKEN_KEY = 'portcullis.admin.token';

let onUnauthorized = null;

/** Call `handler(body)` whenever the stored token is refused (revoked, user deactivated). */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(ApiError.summary(status, body));
    this.status = status;
    this.body = body;
  }

  /** One sentence for an error body: its `detail`, or its messages joined. */
  static summary(status, body) {
    if (body && typeof body.detail === 'string') return body.detail;
    if (Array.isArray(body)) return body.join(' ');
    if (body && typeof body === 'object') {
      return Object.entries(body)
        .map(([field, messages]) => `${field}: ${[].concat(messages).join(' ')}`)
        .join(' ');
    }
    return `The server answered ${status}.`;
  }
}

export function token() {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function saveToken(key) {
  localStorage.setItem(TOKEN_KEY, key);
}

export function forgetToken() {
  localStorage.removeItem(TOKEN_KEY);
}

/** Send a request; resolves to the parsed body (null for 204), rejects with ApiError. */
export async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  const key = token();
  if (key) headers.Authorization = `Token ${key}`;
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, { detail: 'The server could not be reached. Check the connection and try again.' });
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text };
    }
  }
  if (response.status === 401 && key && onUnauthorized) onUnauthorized(data);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const patch = (path, body) => request('PATCH', path, body);
export const del = (path) => request('DELETE', path);

/** A path with query parameters (empty ones left out). */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Every item of a paginated list, page after page. */
export async function all(path) {
  const items = [];
  let page = 1;
  for (;;) {
    const body = await get(withQuery(path, { page }));
    items.push(...body.results);
    if (!body.next) return items;
    page += 1;
  }
}
