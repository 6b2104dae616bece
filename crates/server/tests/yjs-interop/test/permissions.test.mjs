// Who may open and write which document, with the real client: observers' writes never land,
// the notes stay the interviewers', the candidate only writes while the interview is live,
// and bad credentials, foreign origins and unknown documents are refused before the upgrade.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { suite } from '../lib/env.mjs'
import { createInterview, createToken, endInterview, participants, registerUser, startInterview } from '../lib/http.mjs'
import { probeUpgrade, sleep, waitFor, waitForConvergence } from '../lib/yclient.mjs'

await suite('permissions', env => {
  /** @param {string} path @param {{headers?: Record<string,string>, origin?: string}} [options] */
  const probe = (path, options = {}) => probeUpgrade({ wsUrl: env.server.wsUrl, path, ...options })
  /** @param {{cookieHeader: string}} actor */
  const cookie = actor => ({ cookie: actor.cookieHeader })

  test('an observer reads the code but its writes never land', async () => {
    const { host, observer, interview } = await env.room({ observer: true })
    assert.ok(observer)
    const a = env.client(host, interview.id)
    const o = env.client(observer, interview.id)
    await Promise.all([a.waitSynced(), o.waitSynced()])
    a.insert(0, 'shared\n')
    await waitFor(() => o.toString() === 'shared\n', { what: 'observer to read the host edit', detail: () => o.toString() })

    o.insert(0, 'OBSERVER-WAS-HERE\n')
    o.meta.set('language', 'observer-lang')
    // A later host edit reaching the observer shows the observer's frames were handled first.
    await sleep(100)
    a.insert(a.text.length, 'after\n')
    await waitFor(() => o.toString().includes('after\n'), { what: 'observer to receive a later host edit', detail: () => o.toString() })
    await sleep(200)
    assert.equal(a.toString(), 'shared\nafter\n', 'the host never sees the observer edit')
    assert.equal(a.meta.get('language'), 'python', 'nor its meta change')

    // The observer reconnecting offers its edit again (sync step 2): still dropped.
    o.disconnect()
    o.connect()
    await o.waitSynced()
    await sleep(300)
    assert.equal(a.toString(), 'shared\nafter\n')

    const fresh = env.client(host, interview.id, { label: 'fresh' })
    await fresh.waitSynced()
    assert.equal(fresh.toString(), 'shared\nafter\n', 'the server state holds no observer edit')
    assert.equal(fresh.meta.get('language'), 'python')
  })

  test('a question\'s own text (code:{question_id}) is kept by the server; another root type closes the writer', async () => {
    const { host, candidate, interview } = await env.room()
    assert.ok(candidate)
    const question = randomUUID()
    const a = env.client(host, interview.id)
    const c = env.client(candidate, interview.id)
    await Promise.all([a.waitSynced(), c.waitSynced()])
    a.doc.getText(`code:${question}`).insert(0, 'second question\n')
    a.insert(0, 'first question\n')
    await waitFor(() => c.doc.getText(`code:${question}`).toString() === 'second question\n', {
      what: 'the candidate to read the second question\'s text',
      detail: () => c.doc.getText(`code:${question}`).toString()
    })
    const fresh = env.client(host, interview.id, { label: 'fresh' })
    await fresh.waitSynced()
    assert.equal(fresh.doc.getText(`code:${question}`).toString(), 'second question\n', 'the server holds it')
    assert.equal(fresh.toString(), 'first question\n')

    // A root the code document may not hold: the writer is closed (1008), nobody gets it.
    c.doc.getText('scratch').insert(0, 'junk')
    await waitFor(() => c.closeCodes.includes(1008), { what: 'the writer of another root to be closed', detail: () => String(c.closeCodes) })
    c.destroy()
    const later = env.client(host, interview.id, { label: 'later' })
    await later.waitSynced()
    assert.equal(later.doc.getText('scratch').toString(), '', 'the server never took the other root')
    assert.equal(later.doc.getText(`code:${question}`).toString(), 'second question\n')
  })

  test('the notes document: interviewers write it, the candidate and observers are refused with 403', async () => {
    const { host, interviewer, observer, candidate, interview } = await env.room({ interviewer: true, observer: true })
    assert.ok(interviewer && observer && candidate)
    const notes = `/ws/yjs/${interview.id}/notes`
    assert.equal((await probe(notes, { headers: cookie(candidate) })).status, 403, 'candidate opening notes')
    assert.equal((await probe(notes, { headers: cookie(observer) })).status, 403, 'observer opening notes')
    assert.equal((await probe(notes, { headers: cookie(host) })).status, 101, 'host opening notes')

    const a = env.client(host, interview.id, { doc: 'notes' })
    const b = env.client(interviewer, interview.id, { doc: 'notes' })
    await Promise.all([a.waitSynced(), b.waitSynced()])
    a.insert(0, 'strong hire?')
    await waitFor(() => b.toString() === 'strong hire?', { what: 'interviewer to read the notes', detail: () => b.toString() })
    b.insert(b.text.length, ' yes')
    assert.equal(await waitForConvergence([a, b]), 'strong hire? yes')

    // The notes never leak into the code document.
    const code = env.client(candidate, interview.id)
    await code.waitSynced()
    assert.ok(!code.toString().includes('hire'), code.toString())
  })

  test('the candidate is refused before the start, writes while live, is closed and refused after the end', async () => {
    const { host, candidate, interview } = await env.room({ start: false })
    assert.ok(candidate)
    const code = `/ws/yjs/${interview.id}/code`
    assert.equal((await probe(code, { headers: cookie(candidate) })).status, 403, 'candidate before the start')

    await startInterview(host, interview.id)
    assert.equal((await probe(code, { headers: cookie(candidate) })).status, 101, 'candidate while live')
    const a = env.client(host, interview.id)
    const c = env.client(candidate, interview.id)
    await Promise.all([a.waitSynced(), c.waitSynced()])
    c.insert(0, 'print(1)\n')
    await waitFor(() => a.toString() === 'print(1)\n', { what: 'host to see the candidate edit', detail: () => a.toString() })

    c.awareness.setLocalState({ cursor: { anchor: 1 } })
    await waitFor(() => a.awareness.getStates().has(c.clientId), { what: 'host to see the candidate cursor' })

    await endInterview(host, interview.id)
    await waitFor(() => !a.awareness.getStates().has(c.clientId), { timeout: 5000, what: 'the closed candidate\'s cursor to disappear' })
    // The live candidate socket is closed with a permanent close code: the stock client stops.
    await waitFor(() => c.closedEvents.length > 0, {
      what: 'the candidate socket to be closed for good (4400-4499)',
      detail: () => `connected=${c.connected} closed=${JSON.stringify(c.closedEvents)}`
    })
    assert.equal(c.closedEvents[0].code, 4403)
    const after = await probe(code, { headers: cookie(candidate) })
    assert.ok(after.status === 401 || after.status === 403, `candidate after the end: ${after.status} ${after.body}`)

    // The code is read-only for everyone now, the host's open socket included.
    a.insert(a.text.length, 'host-after-end\n')
    await sleep(300)
    const fresh = env.client(host, interview.id, { label: 'fresh' })
    await fresh.waitSynced()
    assert.equal(fresh.toString(), 'print(1)\n', 'no write lands after the end')
  })

  test('a removed interviewer is refused afterwards and its open socket no longer writes', async () => {
    const { host, interviewer, interview } = await env.room({ interviewer: true, candidate: false })
    assert.ok(interviewer)
    const a = env.client(host, interview.id)
    const i = env.client(interviewer, interview.id)
    await Promise.all([a.waitSynced(), i.waitSynced()])
    i.insert(0, 'before removal\n')
    await waitFor(() => a.toString() === 'before removal\n', { what: 'host to see the interviewer edit' })

    const removed = (await participants(host, interview.id)).find(p => p.role === 'interviewer')
    assert.ok(removed)
    await host.expect(204, 'DELETE', `/api/interviews/${interview.id}/participants/${removed.id}`)
    const status = (await probe(`/ws/yjs/${interview.id}/code`, { headers: cookie(interviewer) })).status
    assert.ok(status === 403 || status === 404, `a removed interviewer opening the code: ${status}`)
    assert.equal((await probe(`/ws/yjs/${interview.id}/notes`, { headers: cookie(interviewer) })).status === 101, false, 'nor the notes')

    // The socket opened before the removal must not keep its write permission.
    i.insert(i.text.length, 'after removal\n')
    await sleep(300)
    const fresh = env.client(host, interview.id, { label: 'fresh' })
    await fresh.waitSynced()
    assert.equal(fresh.toString(), 'before removal\n', 'an edit sent after the removal must not land')
  })

  test('missing or wrong credentials get 401, strangers 403/404, unknown interviews and documents 404', async () => {
    const { host, interview } = await env.room({ candidate: false })
    const code = `/ws/yjs/${interview.id}/code`
    assert.equal((await probe(code)).status, 401, 'no credentials')
    assert.equal((await probe(code, { headers: { cookie: 'codeview_session=forged-session-value' } })).status, 401, 'forged cookie')
    assert.equal((await probe(`${code}?token=not-a-real-token`)).status, 401, 'wrong token')
    assert.equal((await probe(`${code}?token=${await createToken(host)}`)).status, 101, 'a valid token')

    const stranger = await registerUser(env.server.httpUrl, 'Stan Stranger')
    const strangerStatus = (await probe(code, { headers: cookie(stranger) })).status
    assert.ok(strangerStatus === 403 || strangerStatus === 404, `a signed-in stranger: ${strangerStatus}`)

    assert.equal((await probe(`/ws/yjs/${randomUUID()}/code`, { headers: cookie(host) })).status, 404, 'unknown interview')
    assert.equal((await probe(`/ws/yjs/${interview.id}/secrets`, { headers: cookie(host) })).status, 404, 'unknown document name')

    // After logout the cookie is dead for sockets too.
    const leaving = await registerUser(env.server.httpUrl, 'Lea Leaving')
    const leavingInterview = await createInterview(leaving)
    const leavingCookie = leaving.cookieHeader
    await leaving.expect(204, 'POST', '/api/auth/logout')
    assert.equal((await probe(`/ws/yjs/${leavingInterview.id}/code`, { headers: { cookie: leavingCookie } })).status, 401, 'cookie after logout')
  })

  test('a foreign Origin is refused with 403; the server\'s own origin is accepted', async () => {
    const { host, interview } = await env.room({ candidate: false })
    const code = `/ws/yjs/${interview.id}/code`
    const refused = await probe(code, { headers: cookie(host), origin: 'https://evil.example' })
    assert.equal(refused.status, 403, 'foreign origin')
    assert.match(refused.body, /bad_origin/)
    assert.equal((await probe(code, { headers: cookie(host), origin: 'http://127.0.0.1:1' })).status, 403, 'same host, other port')
    assert.equal((await probe(code, { headers: cookie(host), origin: env.server.httpUrl })).status, 101, 'own origin')
  })
})
