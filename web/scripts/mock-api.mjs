// Development-only stand-in for `codeview serve`: an in-memory implementation of the HTTP API
// in docs/api.md (workspaces included, without their quotas, email or export details; set
// CODEVIEW_REGISTRATION=invite-only|closed to try the other registration modes) plus static
// serving of web/dist with SPA fallback. It exists so the UI can be
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
const workspaces = new Map(); // id -> {id,name,default_language,default_duration_minutes,default_rubric,runs_per_day,created_at,updated_at}
const memberships = []; // {workspace_id,user_id,role,joined_at}
const workspaceInvites = new Map(); // token -> {id,workspace_id,email,role,invited_by,created_at,expires_at,used}
const registration = process.env.CODEVIEW_REGISTRATION ?? 'open';

function seedQuestion(title, difficulty, category, tags, prompt) {
  const id = randomUUID();
  questions.set(id, {
    id, title, prompt, difficulty, category, tags,
    starter_code: { python: 'def solve():\n    pass\n' },
    test_cases: [
      { id: randomUUID(), input: '1 2\n', expected_output: '3\n', hidden: false },
      { id: randomUUID(), input: '5 7\n', expected_output: '12\n', hidden: true },
    ],
    builtin: true, workspace_id: null, created_at: now(), updated_at: now(),
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

// ---------- Workspaces (a small subset of the real rules: roles, membership, invites) ----------
const membership = (wsId, userId) => memberships.find((m) => m.workspace_id === wsId && m.user_id === userId);
const workspaceView = (ws, userId) => ({
  ...ws, my_role: membership(ws.id, userId)?.role ?? null,
  member_count: memberships.filter((m) => m.workspace_id === ws.id).length,
});
const myWorkspaces = (userId) => memberships.filter((m) => m.user_id === userId).map((m) => workspaces.get(m.workspace_id))
  .filter(Boolean).sort((a, b) => a.name.localeCompare(b.name));
function newWorkspace(name, userId) {
  const ws = { id: randomUUID(), name, default_language: 'python', default_duration_minutes: 60,
    default_rubric: [{ name: 'Problem solving', description: '' }, { name: 'Communication', description: '' }],
    runs_per_day: null, created_at: now(), updated_at: now() };
  workspaces.set(ws.id, ws);
  memberships.push({ workspace_id: ws.id, user_id: userId, role: 'owner', joined_at: now() });
  return ws;
}
const memberView = (m) => { const u = users.get(m.user_id); return { user_id: u.id, name: u.name, email: u.email, role: m.role, joined_at: m.joined_at }; };
const inviteView = ({ id, email, role, invited_by, created_at, expires_at }) => ({ id, email, role, invited_by, created_at, expires_at });
function openInvite(token) {
  const inv = workspaceInvites.get(token);
  if (!inv) return [404, 'not_found', 'This invitation does not exist'];
  if (inv.used) return [409, 'invite_used', 'This invitation has already been used'];
  if (Date.parse(inv.expires_at) < Date.now()) return [409, 'invite_expired', 'This invitation has expired'];
  return inv;
}
/** The workspace a create call goes to: the given one (if a member), or the only one. */
function targetWorkspace(b, userId) {
  const mine = myWorkspaces(userId);
  if (b.workspace_id) return mine.find((w) => w.id === b.workspace_id) ?? null;
  return mine.length === 1 ? mine[0] : null;
}

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
  if (path === '/api/auth/registration' && method === 'GET') return send(res, 200, { mode: registration });
  if (path === '/api/auth/register' && method === 'POST') {
    const b = await readJson(req);
    if (!b) return fail(res, 400, 'malformed_json', 'Malformed JSON');
    const firstAccount = users.size === 0;
    if (!firstAccount && (registration === 'closed' || (registration === 'invite-only' && !b.invite))) {
      return fail(res, 403, 'registration_closed', `Registration on this server is ${registration === 'closed' ? 'closed' : 'by invitation only'}.`);
    }
    let invitation = null;
    if (b.invite) {
      invitation = openInvite(b.invite);
      if (Array.isArray(invitation)) return fail(res, ...invitation);
      if (String(b.email ?? '').trim().toLowerCase() !== invitation.email) return fail(res, 422, 'validation_failed', 'Invalid', { email: 'must be the invited address' });
    }
    const fields = {};
    if (!b.name || !String(b.name).trim()) fields.name = 'must not be blank';
    if (!b.email || !/^[^\s@]+@[^\s@]+$/.test(b.email)) fields.email = 'must be a valid email address';
    const passwordChars = [...String(b.password ?? '')].length; // code points, as the server counts them
    if (passwordChars < 8) fields.password = 'must be at least 8 characters';
    else if (passwordChars > 256) fields.password = 'must be at most 256 characters';
    if (Object.keys(fields).length) return fail(res, 422, 'validation_failed', 'Some fields are invalid', fields);
    const email = b.email.trim().toLowerCase();
    if ([...users.values()].some((u) => u.email === email)) return fail(res, 409, 'email_taken', 'An account with this email already exists', { email: 'is already registered' });
    const u = { id: randomUUID(), email, name: b.name.trim(), password: b.password, created_at: now() };
    users.set(u.id, u);
    if (invitation) {
      invitation.used = true;
      memberships.push({ workspace_id: invitation.workspace_id, user_id: u.id, role: invitation.role, joined_at: now() });
    } else {
      newWorkspace(`${u.name}'s workspace`, u.id);
    }
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

  if ((m = /^\/api\/workspace-invites\/([^/]+)$/.exec(path)) && method === 'GET') {
    const inv = openInvite(m[1]);
    if (Array.isArray(inv)) return fail(res, ...inv);
    return send(res, 200, { invite: { workspace_name: workspaces.get(inv.workspace_id).name, email: inv.email, role: inv.role,
      invited_by: inv.invited_by, expires_at: inv.expires_at } });
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

  if ((m = /^\/api\/workspace-invites\/([^/]+)\/accept$/.exec(path)) && method === 'POST') {
    const inv = openInvite(m[1]);
    if (Array.isArray(inv)) return fail(res, ...inv);
    if (inv.email !== user.email) return fail(res, 403, 'invite_wrong_account', `This invitation is for ${inv.email}.`);
    if (membership(inv.workspace_id, user.id)) return fail(res, 409, 'already_member', 'You are already a member of this workspace.');
    inv.used = true;
    memberships.push({ workspace_id: inv.workspace_id, user_id: user.id, role: inv.role, joined_at: now() });
    return send(res, 200, { workspace: workspaceView(workspaces.get(inv.workspace_id), user.id) });
  }
  if (path === '/api/workspaces' && method === 'GET') {
    return send(res, 200, { workspaces: myWorkspaces(user.id).map((w) => workspaceView(w, user.id)) });
  }
  if (path === '/api/workspaces' && method === 'POST') {
    const b = (await readJson(req)) ?? {};
    if (!b.name || !String(b.name).trim()) return fail(res, 422, 'validation_failed', 'Invalid', { name: 'must not be blank' });
    return send(res, 201, { workspace: workspaceView(newWorkspace(String(b.name).trim(), user.id), user.id) });
  }
  if ((m = /^\/api\/workspaces\/([^/]+)(\/.*)?$/.exec(path))) {
    const ws = workspaces.get(m[1]);
    const me = ws && membership(ws.id, user.id);
    if (!me) return fail(res, 404, 'not_found', 'Workspace not found');
    const sub = m[2] ?? '';
    const manager = me.role === 'owner' || me.role === 'admin';
    if (sub === '' && method === 'GET') return send(res, 200, { workspace: workspaceView(ws, user.id) });
    if (sub === '/members' && method === 'GET') {
      return send(res, 200, { members: memberships.filter((x) => x.workspace_id === ws.id).map(memberView) });
    }
    let mm;
    if ((mm = /^\/members\/([^/]+)$/.exec(sub)) && method === 'DELETE' && mm[1] === user.id) {
      if (me.role === 'owner' && memberships.filter((x) => x.workspace_id === ws.id && x.role === 'owner').length === 1) {
        return fail(res, 409, 'last_owner', 'A workspace keeps at least one owner.');
      }
      memberships.splice(memberships.indexOf(me), 1);
      return send(res, 204);
    }
    if (!manager) return fail(res, 403, 'forbidden', 'Only owners and admins can do this.');
    if (sub === '' && method === 'PATCH') {
      const b = (await readJson(req)) ?? {};
      Object.assign(ws, b, { updated_at: now() });
      return send(res, 200, { workspace: workspaceView(ws, user.id) });
    }
    if (sub === '' && method === 'DELETE') {
      if (me.role !== 'owner') return fail(res, 403, 'forbidden', 'Only owners can delete a workspace.');
      workspaces.delete(ws.id);
      for (let i = memberships.length - 1; i >= 0; i -= 1) if (memberships[i].workspace_id === ws.id) memberships.splice(i, 1);
      return send(res, 204);
    }
    if (sub === '/export' && method === 'GET') {
      return send(res, 200, { format: 'codeview-workspace-export', version: 1, exported_at: now(), workspace: ws,
        members: memberships.filter((x) => x.workspace_id === ws.id).map(memberView),
        questions: [...questions.values()].filter((q) => q.workspace_id === ws.id).map((question) => ({ question, deleted: false })),
        interviews: [] }, { 'Content-Disposition': 'attachment' });
    }
    if ((mm = /^\/members\/([^/]+)$/.exec(sub))) {
      const target = membership(ws.id, mm[1]);
      if (!target) return fail(res, 404, 'not_found', 'Member not found');
      if (me.role === 'admin' && target.role === 'owner') return fail(res, 403, 'forbidden', 'Admins cannot change owners.');
      if (method === 'PATCH') {
        const b = (await readJson(req)) ?? {};
        target.role = b.role;
        return send(res, 200, { member: memberView(target) });
      }
      if (method === 'DELETE') { memberships.splice(memberships.indexOf(target), 1); return send(res, 204); }
    }
    if (sub === '/invites' && method === 'GET') {
      return send(res, 200, { invites: [...workspaceInvites.values()].filter((i) => i.workspace_id === ws.id && !i.used).map(inviteView) });
    }
    if (sub === '/invites' && method === 'POST') {
      const b = (await readJson(req)) ?? {};
      const email = String(b.email ?? '').trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) return fail(res, 422, 'validation_failed', 'Invalid', { email: 'must be a valid email address' });
      if (memberships.some((x) => x.workspace_id === ws.id && users.get(x.user_id)?.email === email)) {
        return fail(res, 409, 'already_member', 'That person is already a member of this workspace.');
      }
      for (const [t, i] of workspaceInvites) if (i.workspace_id === ws.id && i.email === email) workspaceInvites.delete(t);
      const token = randomBytes(16).toString('base64url');
      const inv = { id: randomUUID(), workspace_id: ws.id, email, role: b.role ?? 'member', invited_by: user.name,
        created_at: now(), expires_at: new Date(Date.now() + 7 * 864e5).toISOString().replace(/\.\d{3}Z$/, 'Z'), used: false };
      workspaceInvites.set(token, inv);
      return send(res, 201, { invite: inviteView(inv), invite_url: `${publicUrl}/invites/${token}`, email_sent: false });
    }
    if ((mm = /^\/invites\/([^/]+)$/.exec(sub)) && method === 'DELETE') {
      for (const [t, i] of workspaceInvites) if (i.id === mm[1]) workspaceInvites.delete(t);
      return send(res, 204);
    }
  }

  const mineIds = new Set(myWorkspaces(user.id).map((w) => w.id));
  const inBank = (q, wsId) => q.builtin || (wsId ? q.workspace_id === wsId : mineIds.has(q.workspace_id));
  if (path === '/api/questions/categories' && method === 'GET') {
    const counts = new Map();
    const wsId = url.searchParams.get('workspace');
    for (const q of questions.values()) if (inBank(q, wsId)) counts.set(q.category, (counts.get(q.category) ?? 0) + 1);
    return send(res, 200, { categories: [...counts].map(([name, count]) => ({ name, count })) });
  }
  if (path === '/api/questions' && method === 'GET') {
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const d = url.searchParams.get('difficulty');
    const c = url.searchParams.get('category');
    const t = url.searchParams.get('tag');
    const wsId = url.searchParams.get('workspace');
    const list = [...questions.values()].filter((x) => inBank(x, wsId) &&
      (!q || x.title.toLowerCase().includes(q) || x.prompt.toLowerCase().includes(q)) &&
      (!d || x.difficulty === d) && (!c || x.category === c) && (!t || x.tags.includes(t)));
    return send(res, 200, { questions: list });
  }
  if (path === '/api/questions' && method === 'POST') {
    const b = await readJson(req);
    if (!b) return fail(res, 400, 'malformed_json', 'Malformed JSON');
    const fields = validateQuestion(b, false);
    const ws = targetWorkspace(b, user.id);
    if (!ws) fields.workspace_id = 'choose one of your workspaces';
    if (Object.keys(fields).length) return fail(res, 422, 'validation_failed', 'Some fields are invalid', fields);
    const q = {
      id: randomUUID(), workspace_id: ws.id, title: b.title, prompt: b.prompt, difficulty: b.difficulty, category: b.category,
      tags: b.tags ?? [], starter_code: b.starter_code ?? {},
      test_cases: (b.test_cases ?? []).map((t) => ({ id: randomUUID(), ...t })),
      builtin: false, created_at: now(), updated_at: now(),
    };
    questions.set(q.id, q);
    return send(res, 201, { question: q });
  }
  if ((m = /^\/api\/questions\/([^/]+)\/duplicate$/.exec(path)) && method === 'POST') {
    const q = questions.get(m[1]);
    if (!q || !inBank(q, null)) return fail(res, 404, 'not_found', 'Question not found');
    const ws = targetWorkspace((await readJson(req)) ?? {}, user.id);
    if (!ws) return fail(res, 422, 'validation_failed', 'Invalid', { workspace_id: 'choose one of your workspaces' });
    const copy = { ...structuredClone(q), id: randomUUID(), workspace_id: ws.id, builtin: false, created_at: now(), updated_at: now() };
    questions.set(copy.id, copy);
    return send(res, 201, { question: copy });
  }
  if ((m = /^\/api\/questions\/([^/]+)$/.exec(path))) {
    const q = questions.get(m[1]);
    if (!q || !inBank(q, null)) return fail(res, 404, 'not_found', 'Question not found');
    if (q.builtin && method !== 'GET') return fail(res, 403, 'builtin_question', 'Questions of the starter library are read-only.');
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
    const wsId = url.searchParams.get('workspace');
    const list = [...interviews.values()]
      .map((e) => [e, roleOf(e, s)])
      .filter(([e, r]) => r && (!status || e.interview.status === status) && (!wsId || e.interview.workspace_id === wsId))
      .map(([e, r]) => interviewView(e, r));
    return send(res, 200, { interviews: list });
  }
  if (path === '/api/interviews' && method === 'POST') {
    const b = await readJson(req);
    if (!b) return fail(res, 400, 'malformed_json', 'Malformed JSON');
    if (!b.title || !String(b.title).trim()) return fail(res, 422, 'validation_failed', 'Invalid', { title: 'must not be blank' });
    const ws = targetWorkspace(b, user.id);
    if (!ws) return fail(res, 422, 'validation_failed', 'Invalid', { workspace_id: 'choose one of your workspaces' });
    const id = randomUUID();
    const interview = {
      id, workspace_id: ws.id, title: b.title, status: 'scheduled', room_code: randomBytes(3).toString('hex').toUpperCase(),
      language: b.language ?? ws.default_language, scheduled_at: b.scheduled_at ?? null,
      duration_minutes: b.duration_minutes ?? ws.default_duration_minutes,
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
      if (!u || !membership(entry.interview.workspace_id, u.id)) {
        return fail(res, 422, 'validation_failed', 'Invalid', { email: 'is not a member of this workspace' });
      }
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
