// A notes frontend written the way the popular Django + React tutorial writes one, without the
// build step: JWT pair in localStorage under ACCESS_TOKEN / REFRESH_TOKEN, a refresh on a 401,
// registration at the project's own URL, lists as plain arrays, deletion through a
// DestroyAPIView at its own path. Nothing here knows which backend answers.
const ACCESS_TOKEN = 'access';
const REFRESH_TOKEN = 'refresh';

const status = document.getElementById('status');
const say = (text) => { status.textContent = text; };

async function api(method, path, body, retry = true) {
  const headers = { 'Content-Type': 'application/json' };
  const token = localStorage.getItem(ACCESS_TOKEN);
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers, body: body && JSON.stringify(body) });
  if (res.status === 401 && retry && localStorage.getItem(REFRESH_TOKEN)) {
    if (await refresh()) return api(method, path, body, false);
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  return { status: res.status, data };
}

async function refresh() {
  const res = await fetch('/api/token/refresh/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refresh: localStorage.getItem(REFRESH_TOKEN) }),
  });
  if (res.status !== 200) { logout(); return false; }
  localStorage.setItem(ACCESS_TOKEN, (await res.json()).access);
  return true;
}

function logout() {
  localStorage.removeItem(ACCESS_TOKEN);
  localStorage.removeItem(REFRESH_TOKEN);
  show();
}

function fields(form) { return Object.fromEntries(new FormData(form)); }

function errorsOf(data) {
  return Object.entries(data || {}).map(([k, v]) => `${k}: ${[].concat(v).join(' ')}`).join('; ');
}

async function getNotes() {
  const { status: code, data } = await api('GET', '/api/notes/');
  if (code !== 200) { say(`Could not load notes (${code})`); return; }
  const list = document.getElementById('note-list');
  list.replaceChildren(...data.map((note) => {
    const item = document.createElement('li');
    const title = document.createElement('h3');
    title.textContent = note.title;
    const content = document.createElement('p');
    content.textContent = note.content;
    const date = document.createElement('p');
    date.textContent = new Date(note.created_at).toLocaleDateString('en-US');
    const del = document.createElement('button');
    del.type = 'button';
    del.textContent = `Delete ${note.title}`;
    del.addEventListener('click', async () => {
      const res = await api('DELETE', `/api/notes/delete/${note.id}/`);
      say(res.status === 204 ? 'Note deleted!' : 'Failed to delete note.');
      getNotes();
    });
    item.append(title, content, date, del);
    return item;
  }));
}

function show() {
  const signedIn = Boolean(localStorage.getItem(ACCESS_TOKEN));
  document.getElementById('auth').hidden = signedIn;
  document.getElementById('notes').hidden = !signedIn;
  if (signedIn) getNotes();
}

document.getElementById('register').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { status: code, data } = await api('POST', '/api/user/register/', fields(event.target));
  say(code === 201 ? `Registered ${data.username}. Please log in.` : `Registration failed: ${errorsOf(data)}`);
});

document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { status: code, data } = await api('POST', '/api/token/', fields(event.target), false);
  if (code !== 200) { say(`Login failed: ${errorsOf(data)}`); return; }
  localStorage.setItem(ACCESS_TOKEN, data.access);
  localStorage.setItem(REFRESH_TOKEN, data.refresh);
  say('Logged in.');
  show();
});

document.getElementById('create').addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await api('POST', '/api/notes/', fields(event.target));
  say(res.status === 201 ? 'Note created!' : `Failed to make note: ${errorsOf(res.data)}`);
  if (res.status === 201) event.target.reset();
  getNotes();
});

document.getElementById('logout').addEventListener('click', logout);
show();
