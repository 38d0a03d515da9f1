// A notes frontend for a Django project whose users log in with their email
// (USERNAME_FIELD = "email"), written the way djoser + simplejwt tutorials write one, without a
// build step: djoser's registration at /auth/users/ (with re_password), a JWT pair from
// /auth/jwt/create/ posted as {email, password}, the access token in localStorage sent as
// `Authorization: JWT <access>` (SIMPLE_JWT's AUTH_HEADER_TYPES = ("JWT",)), and the notes of a
// DefaultRouter at /api/notes/ as a plain array whose rows carry `pk` (not `id`).
const message = document.getElementById('message');
const say = (text) => { message.textContent = text; };

async function request(method, path, body) {
  const headers = { 'Content-Type': 'application/json' };
  const access = localStorage.getItem('access');
  if (access) headers.Authorization = `JWT ${access}`;
  const res = await fetch(path, { method, headers, body: body && JSON.stringify(body) });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401 && access) { localStorage.removeItem('access'); render(); }
  return { status: res.status, data };
}

const form = (el) => Object.fromEntries(new FormData(el));
const problems = (data) => (Array.isArray(data) ? data.join(' ')
  : Object.entries(data || {}).map(([k, v]) => (k === 'detail' ? v : `${k}: ${[].concat(v).join(' ')}`)).join('; '));

async function loadBoard() {
  const me = await request('GET', '/auth/users/me/');
  if (me.status !== 200) return;
  document.getElementById('whoami').textContent = `Notes of ${me.data.email}`;
  const notes = await request('GET', '/api/notes/');
  document.getElementById('notes').replaceChildren(...notes.data.map((note) => {
    const li = document.createElement('li');
    li.dataset.pk = note.pk;
    const title = document.createElement('h3');
    title.textContent = note.title;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = `Delete ${note.title}`;
    remove.addEventListener('click', async () => {
      const res = await request('DELETE', `/api/notes/${note.pk}/`);
      say(res.status === 204 ? `Deleted note ${note.pk}` : `Could not delete: ${problems(res.data)}`);
      loadBoard();
    });
    li.append(title, remove);
    return li;
  }));
}

function render() {
  const signedIn = Boolean(localStorage.getItem('access'));
  document.getElementById('register').hidden = signedIn;
  document.getElementById('login').hidden = signedIn;
  document.getElementById('board').hidden = !signedIn;
  if (signedIn) loadBoard();
}

document.getElementById('register').addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await request('POST', '/auth/users/', form(event.target));
  say(res.status === 201 ? `Registered ${res.data.email}. Please log in.` : `Sign up failed: ${problems(res.data)}`);
});

document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await request('POST', '/auth/jwt/create/', form(event.target));
  if (res.status !== 200) { say(`Login failed: ${problems(res.data)}`); return; }
  localStorage.setItem('access', res.data.access);
  localStorage.setItem('refresh', res.data.refresh);
  say('Logged in');
  render();
});

document.getElementById('add').addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await request('POST', '/api/notes/', form(event.target));
  say(res.status === 201 ? `Saved note ${res.data.pk}` : `Could not save: ${problems(res.data)}`);
  if (res.status === 201) event.target.reset();
  loadBoard();
});

document.getElementById('logout').addEventListener('click', () => {
  localStorage.removeItem('access');
  localStorage.removeItem('refresh');
  say('Logged out');
  render();
});

render();
