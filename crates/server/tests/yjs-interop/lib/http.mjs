// The HTTP side of a test: accounts, interviews, participants and candidate joins, through
// the public API with `fetch`. Each `Actor` keeps its own cookies by hand (fetch has no jar).

import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'

/** Password used for every test account. */
const PASSWORD = 'interop correct horse battery staple'

export class Actor {
  /**
   * @param {string} baseUrl
   * @param {string} name
   */
  constructor (baseUrl, name) {
    this.baseUrl = baseUrl
    this.name = name
    /** @type {Map<string, string>} cookie name -> value */
    this.cookies = new Map()
    /** @type {{id: string, email: string, name: string} | null} */
    this.user = null
  }

  /** The `Cookie` header value for this actor's session ('' when signed out). */
  get cookieHeader () {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  /**
   * Sends a JSON request and returns status and parsed body.
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @returns {Promise<{status: number, body: any}>}
   */
  async request (method, path, body) {
    /** @type {Record<string, string>} */
    const headers = {}
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (this.cookies.size) headers.cookie = this.cookieHeader
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000)
    })
    for (const setCookie of res.headers.getSetCookie()) {
      const [pair] = setCookie.split(';')
      const eq = pair.indexOf('=')
      const key = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (value === '' || /max-age=0/i.test(setCookie)) this.cookies.delete(key)
      else this.cookies.set(key, value)
    }
    const text = await res.text()
    let parsed = null
    try { parsed = text ? JSON.parse(text) : null } catch { parsed = text }
    return { status: res.status, body: parsed }
  }

  /**
   * Like `request`, but asserts the status and returns the body.
   * @param {number} expected
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   */
  async expect (expected, method, path, body) {
    const res = await this.request(method, path, body)
    assert.equal(res.status, expected, `${this.name}: ${method} ${path} -> ${res.status} ${JSON.stringify(res.body)}`)
    return res.body
  }
}

/**
 * Registers a new account (a unique email) and returns it signed in.
 * @param {string} baseUrl
 * @param {string} name display name
 */
export async function registerUser (baseUrl, name) {
  const actor = new Actor(baseUrl, name)
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${randomBytes(4).toString('hex')}@example.com`
  const body = await actor.expect(201, 'POST', '/api/auth/register', { email, name, password: PASSWORD })
  actor.user = body.user
  assert.ok(actor.cookies.has('codeview_session'), 'register sets the codeview_session cookie')
  return actor
}

/**
 * A personal API token for `actor`.
 * @param {Actor} actor
 * @returns {Promise<string>}
 */
export async function createToken (actor) {
  const body = await actor.expect(201, 'POST', '/api/auth/tokens', { name: `interop-${randomBytes(3).toString('hex')}` })
  assert.equal(typeof body.token, 'string')
  return body.token
}

/**
 * An interview hosted by `host`.
 * @param {Actor} host
 * @param {{language?: string, candidateName?: string}} [options]
 */
export async function createInterview (host, { language = 'python', candidateName = 'Casey Candidate' } = {}) {
  const body = await host.expect(201, 'POST', '/api/interviews', {
    title: 'Interop interview',
    language,
    candidate_name: candidateName
  })
  const invite = new URL(body.candidate_invite_url).searchParams.get('invite')
  assert.ok(invite, `invite secret in ${body.candidate_invite_url}`)
  return {
    id: /** @type {string} */ (body.interview.id),
    roomCode: /** @type {string} */ (body.interview.room_code),
    invite,
    language: body.interview.language
  }
}

/** @param {Actor} host @param {string} id */
export const startInterview = (host, id) => host.expect(200, 'POST', `/api/interviews/${id}/start`)
/** @param {Actor} host @param {string} id */
export const endInterview = (host, id) => host.expect(200, 'POST', `/api/interviews/${id}/end`)

/**
 * Makes a registered user a member of the interview's workspace (only members are added to
 * interviews), through an invite it accepts, unless it already is one.
 * @param {Actor} host
 * @param {string} id interview id
 * @param {Actor} who
 */
async function joinWorkspaceOf (host, id, who) {
  const { interview } = await host.expect(200, 'GET', `/api/interviews/${id}`)
  const workspace = interview.workspace_id
  const invited = await host.request('POST', `/api/workspaces/${workspace}/invites`, { email: who.user.email, role: 'member' })
  if (invited.status === 409) return
  assert.equal(invited.status, 201, `inviting ${who.user.email}: ${JSON.stringify(invited.body)}`)
  const token = new URL(invited.body.invite_url).pathname.split('/').pop()
  await who.expect(200, 'POST', `/api/workspace-invites/${token}/accept`)
}

/**
 * Adds a registered user to the interview (first to its workspace).
 * @param {Actor} host
 * @param {string} id interview id
 * @param {Actor} who
 * @param {'interviewer'|'observer'} role
 */
export async function addParticipant (host, id, who, role) {
  assert.ok(who.user, 'participant must be registered')
  await joinWorkspaceOf(host, id, who)
  const body = await host.expect(201, 'POST', `/api/interviews/${id}/participants`, { email: who.user.email, role })
  return body.participant
}

/**
 * Joins as the candidate through the invite (a candidate session, no account).
 * @param {string} baseUrl
 * @param {{roomCode: string, invite: string}} interview
 * @param {string} name
 */
export async function joinAsCandidate (baseUrl, interview, name) {
  const actor = new Actor(baseUrl, name)
  await actor.expect(200, 'POST', `/api/interviews/room/${interview.roomCode}/join`, { name, invite: interview.invite })
  assert.ok(actor.cookies.has('codeview_session'), 'joining sets a candidate session cookie')
  return actor
}

/**
 * The interview's participants as the host sees them.
 * @param {Actor} host
 * @param {string} id
 * @returns {Promise<Array<{id: string, user_id: string|null, name: string, role: string}>>}
 */
export async function participants (host, id) {
  const body = await host.expect(200, 'GET', `/api/interviews/${id}`)
  return body.participants
}

/**
 * A new interview with its people: a host, and on request an interviewer, an observer and
 * the candidate (joined through the invite). Started unless `start: false`.
 * @param {string} base the server's HTTP URL
 * @param {{ start?: boolean, interviewer?: boolean, observer?: boolean, candidate?: boolean, language?: string }} [options]
 */
export async function openRoom (base, { start = true, interviewer = false, observer = false, candidate = true, language = 'python' } = {}) {
  const host = await registerUser(base, 'Hana Host')
  const interview = await createInterview(host, { language })
  /** @type {{host: Actor, interview: typeof interview, interviewer?: Actor, observer?: Actor, candidate?: Actor}} */
  const room = { host, interview }
  if (interviewer) {
    room.interviewer = await registerUser(base, 'Ivan Interviewer')
    await addParticipant(host, interview.id, room.interviewer, 'interviewer')
  }
  if (observer) {
    room.observer = await registerUser(base, 'Olga Observer')
    await addParticipant(host, interview.id, room.observer, 'observer')
  }
  if (candidate) room.candidate = await joinAsCandidate(base, interview, 'Casey Candidate')
  if (start) await startInterview(host, interview.id)
  return room
}
