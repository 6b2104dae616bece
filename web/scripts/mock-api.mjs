// Development-only stand-in for `codeview serve`: an in-memory implementation of the HTTP API
// in docs/api.md plus static serving of web/dist with SPA fallback. It exists so the UI can be
// developed, screenshotted and e2e-tested before (or without) the Rust server; the real e2e
// run uses the real binary (CODEVIEW_BIN). Usage: node scripts/mock-api.mjs [port]
import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
const webDir = process.env.CODEVIEW_WEB_DIR ?? fileURLToPath(new URL('../dist', import.meta.url));
const publicUrl = process.env.CODEVIEW_PUBLIC_URL ?? `http://127.0.0.1:${port}`;
const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

const users = new Map(); // id -> {id,email,name,password,created_at}
const sessions = new Map(); // sid -> {userId} | {candidate:{interview_id,name,participant_id}}
const questions = new Map();
const interviews = new Map(); // id -> {interview, participants, invite}

function seedQuestion(title, difficulty, category, tags, prompt) {
  const id = randomUUID();
  questions.set(id, {
    id, title, prompt, difficulty, category, tags,
    starter_code: { python: 'def solve():\n    pass\n' },
    test_cases: [
      { id: randomUUID(), input: '1 2\n', expected_output: '3\n', hidden: false },
      { id: randomUUID(), input: '5 7\n', expected_output: '12\n', hidden: true },
    ],
    builtin: true, created_at: now(), updated_at: now(),
  });
}
seedQuestion('Two Sum', 'easy', 'Arrays', ['hash-map'], 'Given an array of integers `nums` and a target, return the indices of the two numbers that add up to the target.\n\n```\nInput: 2 7 11 15\nTarget: 9\nOutput: 0 1\n```');
seedQuestion('Longest Substring Without Repeats', 'medium', 'Strings', ['sliding-window'], 'Find the length of the longest substring without repeating characters.');
seedQuestion('Course Schedule', 'hard', 'Graphs', ['topological-sort', 'bfs'], 'Given `n` courses and prerequisite pairs, decide whether all courses can be finished.');

const send = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
};
const fail = (res, status, code, message, fields) =>
  send(res, status, { error: fields ? { code, message, fields } : { code, message } });

function readJson(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      if (!data) return resolve({});
      try { resolve(JSON.parse(data)); } catch { resolve(undefined); }
    });
  });
}

function sessionOf(req) {
  const m = /codeview_session=([^;]+)/.exec(req.headers.cookie ?? '');
  return m ? { sid: m[1], data: sessions.get(m[1]) } : { sid: null, data: undefined };
}
function newSession(data) {
  const sid = randomBytes(16).toString('hex');
  sessions.set(sid, data);
  return { 'Set-Cookie': `codeview_session=${sid}; Path=/; HttpOnly; SameSite=Lax` };
}
const publicUser = (u) => ({ id: u.id, email: u.email, name: u.name, created_at: u.created_at });

function roleOf(entry, s) {
  if (!s) return null;
  if (s.candidate) return s.candidate.interview_id === entry.interview.id ? 'candidate' : null;
  const p = entry.participants.find((x) => x.user_id === s.userId);
  return p ? p.role : null;
}
function interviewView(entry, role) {
  return { ...entry.interview, my_role: role };
}
function detailView(entry, role) {
  const qs = entry.interview.question_ids.map((id) => questions.get(id)).filter(Boolean)
    .map((q) => (role === 'candidate' ? { ...q, test_cases: q.test_cases.filter((t) => !t.hidden) } : q));
  const out = { interview: interviewView(entry, role), participants: entry.participants, questions: qs };
  if (role === 'host' || role === 'interviewer') out.candidate_invite_url = inviteUrl(entry);
  return out;
}
const inviteUrl = (e) => `${publicUrl}/join/${e.interview.room_code}?invite=${e.invite}`;

function validateQuestion(b, partial) {
  const fields = {};
  if (!partial || 'title' in b) if (!b.title || !String(b.title).trim()) fields.title = 'must not be blank';
  if (!partial || 'prompt' in b) if (!b.prompt || !String(b.prompt).trim()) fields.prompt = 'must not be blank';
  if (!partial || 'difficulty' in b) if (!['easy', 'medium', 'hard'].includes(b.difficulty)) fields.difficulty = 'must be easy, medium or hard';
  if (!partial || 'category' in b) if (!b.category || !String(b.category).trim()) fields.category = 'must not be blank';
  return fields;
}

async function api(req, res, url) {
  const path = url.pathname;
  const method = req.method;
  const { sid, data: s } = sessionOf(req);
  const user = s?.userId ? users.get(s.userId) : undefined;
  let m;

  if (path === '/api/health') return send(res, 200, { status: 'ok', db: 'ok' });
  if (path === '/api/auth/register' && method === 'POST') {
    const b = await readJson(req);
    if (!b) return fail(res, 400, 'malformed_json', 'Malformed JSON');
    const fields = {};
    if (!b.name || !String(b.name).trim()) fields.name = 'must not be blank';
    if (!b.email || !/^[^\s@]+@[^\s@]+$/.test(b.email)) fields.email = 'must be a valid email address';
    if (!b.password || b.password.length < 8) fields.password = 'must be at least 8 characters';
    if (Object.keys(fields).length) return fail(res, 422, 'validation_failed', 'Some fields are invalid', fields);
    const email = b.email.trim().toLowerCase();
    if ([...users.values()].some((u) => u.email === email)) return fail(res, 409, 'email_taken', 'An account with this email already exists', { email: 'is already registered' });
    const u = { id: randomUUID(), email, name: b.name.trim(), password: b.password, created_at: now() };
    users.set(u.id, u);
    return send(res, 201, { user: publicUser(u) }, newSession({ userId: u.id }));
  }
  if (path === '/api/auth/login' && method === 'POST') {
    const b = (await readJson(req)) ?? {};
    const u = [...users.values()].find((x) => x.email === String(b.email ?? '').trim().toLowerCase());
    if (!u || u.password !== b.password) return fail(res, 401, 'invalid_credentials', 'Invalid email or password');
    if (sid) sessions.delete(sid);
    return send(res, 200, { user: publicUser(u) }, newSession({ userId: u.id }));
  }
  if (path === '/api/auth/me' && method === 'GET') {
    if (user) return send(res, 200, { user: publicUser(user) });
    if (s?.candidate) {
      const entry = interviews.get(s.candidate.interview_id);
      if (!entry || entry.interview.status === 'ended') return fail(res, 401, 'unauthorized', 'Not signed in');
      return send(res, 200, { user: null, candidate: { interview_id: s.candidate.interview_id, name: s.candidate.name } });
    }
    return fail(res, 401, 'unauthorized', 'Not signed in');
  }
  if (path === '/api/auth/logout' && method === 'POST') {
    if (sid) sessions.delete(sid);
    return send(res, 204, undefined, { 'Set-Cookie': 'codeview_session=; Path=/; Max-Age=0' });
  }

  // Public room lookup and join.
  if ((m = /^\/api\/interviews\/room\/([^/]+)$/.exec(path)) && method === 'GET') {
    const entry = [...interviews.values()].find((e) => e.interview.room_code === m[1]);
    if (!entry) return fail(res, 404, 'not_found', 'No interview with that code');
    if (!roleOf(entry, s) && url.searchParams.get('invite') !== entry.invite) return fail(res, 403, 'invalid_invite', 'This invite link is not valid.');
    const i = entry.interview;
    return send(res, 200, { room: { interview_id: i.id, title: i.title, status: i.status, room_code: i.room_code,
      scheduled_at: i.scheduled_at, duration_minutes: i.duration_minutes, candidate_name: i.candidate_name } });
  }
  if ((m = /^\/api\/interviews\/room\/([^/]+)\/join$/.exec(path)) && method === 'POST') {
    const b = (await readJson(req)) ?? {};
    const entry = [...interviews.values()].find((e) => e.interview.room_code === m[1]);
    if (!entry) return fail(res, 404, 'not_found', 'No interview with that code');
    if (b.invite !== entry.invite) return fail(res, 403, 'invalid_invite', 'This invite link is not valid.');
    if (entry.interview.status === 'ended') return fail(res, 403, 'interview_ended', 'This interview has ended');
    if (!b.name || !String(b.name).trim()) return fail(res, 422, 'validation_failed', 'Invalid', { name: 'must not be blank' });
    let p = entry.participants.find((x) => x.role === 'candidate');
    if (!p) {
      p = { id: randomUUID(), user_id: null, name: b.name.trim(), email: entry.interview.candidate_email, role: 'candidate' };
      entry.participants.push(p);
    }
    return send(res, 200, { interview: interviewView(entry, 'candidate'), participant: p },
      newSession({ candidate: { interview_id: entry.interview.id, name: p.name, participant_id: p.id } }));
  }

  // Interview detail is also readable by its candidate.
  if ((m = /^\/api\/interviews\/([^/]+)$/.exec(path)) && method === 'GET' && s?.candidate) {
    const entry = interviews.get(m[1]);
    const role = entry && roleOf(entry, s);
    if (!role) return fail(res, 404, 'not_found', 'Not found');
    if (entry.interview.status === 'ended') return fail(res, 403, 'interview_ended', 'This interview has ended');
    return send(res, 200, detailView(entry, role));
  }

  if (!user) return fail(res, 401, 'unauthorized', 'Not signed in');

  if (path === '/api/questions/categories' && method === 'GET') {
    const counts = new Map();
    for (const q of questions.values()) counts.set(q.category, (counts.get(q.category) ?? 0) + 1);
    return send(res, 200, { categories: [...counts].map(([name, count]) => ({ name, count })) });
  }
  if (path === '/api/questions' && method === 'GET') {
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const d = url.searchParams.get('difficulty');
    const c = url.searchParams.get('category');
    const t = url.searchParams.get('tag');
    const list = [...questions.values()].filter((x) =>
      (!q || x.title.toLowerCase().includes(q) || x.prompt.toLowerCase().includes(q)) &&
      (!d || x.difficulty === d) && (!c || x.category === c) && (!t || x.tags.includes(t)));
    return send(res, 200, { questions: list });
  }
  if (path === '/api/questions' && method === 'POST') {
    const b = await readJson(req);
    if (!b) return fail(res, 400, 'malformed_json', 'Malformed JSON');
    const fields = validateQuestion(b, false);
    if (Object.keys(fields).length) return fail(res, 422, 'validation_failed', 'Some fields are invalid', fields);
    const q = {
      id: randomUUID(), title: b.title, prompt: b.prompt, difficulty: b.difficulty, category: b.category,
      tags: b.tags ?? [], starter_code: b.starter_code ?? {},
      test_cases: (b.test_cases ?? []).map((t) => ({ id: randomUUID(), ...t })),
      builtin: false, created_at: now(), updated_at: now(),
    };
    questions.set(q.id, q);
    return send(res, 201, { question: q });
  }
  if ((m = /^\/api\/questions\/([^/]+)$/.exec(path))) {
    const q = questions.get(m[1]);
    if (!q) return fail(res, 404, 'not_found', 'Question not found');
    if (method === 'GET') return send(res, 200, { question: q });
    if (method === 'DELETE') { questions.delete(q.id); return send(res, 204); }
    if (method === 'PATCH') {
      const b = await readJson(req);
      const fields = validateQuestion(b, true);
      if (Object.keys(fields).length) return fail(res, 422, 'validation_failed', 'Some fields are invalid', fields);
      Object.assign(q, b, { updated_at: now() });
      if (b.test_cases) q.test_cases = b.test_cases.map((t) => ({ id: randomUUID(), ...t }));
      return send(res, 200, { question: q });
    }
  }

  if (path === '/api/interviews' && method === 'GET') {
    const status = url.searchParams.get('status');
    const list = [...interviews.values()]
      .map((e) => [e, roleOf(e, s)]).filter(([e, r]) => r && (!status || e.interview.status === status))
      .map(([e, r]) => interviewView(e, r));
    return send(res, 200, { interviews: list });
  }
  if (path === '/api/interviews' && method === 'POST') {
    const b = await readJson(req);
    if (!b) return fail(res, 400, 'malformed_json', 'Malformed JSON');
    if (!b.title || !String(b.title).trim()) return fail(res, 422, 'validation_failed', 'Invalid', { title: 'must not be blank' });
    const id = randomUUID();
    const interview = {
      id, title: b.title, status: 'scheduled', room_code: randomBytes(3).toString('hex').toUpperCase(),
      language: b.language ?? 'python', scheduled_at: b.scheduled_at ?? null, duration_minutes: b.duration_minutes ?? null,
      question_ids: b.question_ids ?? [], candidate_name: b.candidate_name ?? null, candidate_email: b.candidate_email ?? null,
      created_by: user.id, created_at: now(), started_at: null, ended_at: null,
    };
    const entry = { interview, invite: randomBytes(16).toString('base64url'),
      participants: [{ id: randomUUID(), user_id: user.id, name: user.name, email: user.email, role: 'host' }] };
    interviews.set(id, entry);
    return send(res, 201, { interview: interviewView(entry, 'host'), candidate_invite_url: inviteUrl(entry) });
  }
  if ((m = /^\/api\/interviews\/([^/]+)(\/.*)?$/.exec(path))) {
    const entry = interviews.get(m[1]);
    const role = entry && roleOf(entry, s);
    if (!role) return fail(res, 404, 'not_found', 'Interview not found');
    const sub = m[2] ?? '';
    const canRun = role === 'host' || role === 'interviewer';
    if (sub === '' && method === 'GET') return send(res, 200, detailView(entry, role));
    if (!canRun) return fail(res, 403, 'forbidden', 'Not allowed');
    if (sub === '' && method === 'PATCH') {
      const b = await readJson(req);
      Object.assign(entry.interview, b);
      return send(res, 200, { interview: interviewView(entry, role) });
    }
    if (sub === '' && method === 'DELETE') { interviews.delete(entry.interview.id); return send(res, 204); }
    if (sub === '/start' && method === 'POST') {
      if (entry.interview.status !== 'scheduled') return fail(res, 409, 'conflict', 'Interview is not scheduled');
      Object.assign(entry.interview, { status: 'live', started_at: now() });
      return send(res, 200, { interview: interviewView(entry, role) });
    }
    if (sub === '/end' && method === 'POST') {
      if (entry.interview.status !== 'live') return fail(res, 409, 'conflict', 'Interview is not live');
      Object.assign(entry.interview, { status: 'ended', ended_at: now() });
      return send(res, 200, { interview: interviewView(entry, role) });
    }
    if (sub === '/participants' && method === 'POST') {
      const b = (await readJson(req)) ?? {};
      const u = [...users.values()].find((x) => x.email === String(b.email ?? '').toLowerCase());
      if (!u) return fail(res, 404, 'user_not_found', 'No user with that email');
      if (entry.participants.some((p) => p.user_id === u.id)) return fail(res, 409, 'already_participant', 'Already a participant');
      const p = { id: randomUUID(), user_id: u.id, name: u.name, email: u.email, role: b.role };
      entry.participants.push(p);
      return send(res, 201, { participant: p });
    }
    if ((m = /^\/participants\/([^/]+)$/.exec(sub)) && method === 'DELETE') {
      entry.participants = entry.participants.filter((p) => p.id !== m[1]);
      return send(res, 204);
    }
  }
  return fail(res, 404, 'not_found', 'No such route');
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };
function serveStatic(res, pathname) {
  const safe = normalize(pathname).replace(/^(\.\.[/\\])+/, '');
  let file = join(webDir, safe);
  if (!file.startsWith(webDir) || !existsSync(file) || statSync(file).isDirectory()) file = join(webDir, 'index.html');
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname.startsWith('/api/')) {
    api(req, res, url).catch((e) => fail(res, 500, 'internal', String(e)));
  } else {
    serveStatic(res, url.pathname);
  }
}).listen(port, '127.0.0.1', () => console.log(`mock codeview API on http://127.0.0.1:${port} (web: ${webDir})`));
