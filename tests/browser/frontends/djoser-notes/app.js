// A notes frontend written the way Vue + djoser tutorials write one, without the build step:
// djoser mounted under /api/auth/ (users, token login and logout), the DRF token in localStorage
// sent as `Token <key>`, the notes of a DefaultRouter at /api/v1/ as DRF pages.
const API = '/api';
const message = document.getElementById('message');
const say = (text) => { message.textContent = text; };

async function request(method, path, body) {
  const headers = { 'Content-Type': 'application/json' };
  const token = localStorage.getItem('token');
  if (token) headers.Authorization = `Token ${token}`;
  const res = await fetch(`${API}${path}`, { method, headers, body: body && JSON.stringify(body) });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401) { localStorage.removeItem('token'); render(); }
  return { status: res.status, data };
}

const form = (el) => Object.fromEntries(new FormData(el));
const problems = (data) => Object.entries(data || {}).map(([k, v]) => `${k}: ${[].concat(v).join(' ')}`).join('; ');

async function loadBoard() {
  const me = await request('GET', '/auth/users/me/');
  if (me.status !== 200) return;
  document.getElementById('greeting').textContent = `Hello, ${me.data.username}`;
  const page = await request('GET', '/v1/notes/');
  document.getElementById('count').textContent = `${page.data.count} notes`;
  document.getElementById('notes').replaceChildren(...page.data.results.map((note) => {
    const li = document.createElement('li');
    li.textContent = `${note.title} `;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = `Remove ${note.title}`;
    remove.addEventListener('click', async () => {
      const res = await request('DELETE', `/v1/notes/${note.id}/`);
      say(res.status === 204 ? `Removed ${note.title}` : 'Could not remove the note');
      loadBoard();
    });
    li.append(remove);
    return li;
  }));
}

function render() {
  const signedIn = Boolean(localStorage.getItem('token'));
  document.getElementById('signup').hidden = signedIn;
  document.getElementById('signin').hidden = signedIn;
  document.getElementById('board').hidden = !signedIn;
  if (signedIn) loadBoard();
}

document.getElementById('signup').addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await request('POST', '/auth/users/', form(event.target));
  say(res.status === 201 ? `Welcome, ${res.data.username}! Sign in now.` : `Sign up failed: ${problems(res.data)}`);
});

document.getElementById('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await request('POST', '/auth/token/login/', form(event.target));
  if (res.status !== 200) { say(`Sign in failed: ${problems(res.data)}`); return; }
  localStorage.setItem('token', res.data.auth_token);
  say('Signed in');
  render();
});

document.getElementById('add').addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await request('POST', '/v1/notes/', form(event.target));
  say(res.status === 201 ? `Added ${res.data.title}` : `Could not add: ${problems(res.data)}`);
  if (res.status === 201) event.target.reset();
  loadBoard();
});

document.getElementById('signout').addEventListener('click', async () => {
  await request('POST', '/auth/token/logout/');
  localStorage.removeItem('token');
  say('Signed out');
  render();
});

render();
