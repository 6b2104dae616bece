// Failure diagnostics: what the server hands out compared with what the clients hold.
// Asks the server twice, along its two answer paths: a joiner with an empty state vector
// (served from the room's cached state) and a joiner with a non-empty one (a computed diff).

import * as Y from 'yjs'
import { YClient } from './yclient.mjs'

/**
 * @param {{ wsUrl: string, interviewId: string, auth: import('./yclient.mjs').Auth, reference: YClient }} options
 *   `auth` must be read-only on the code (an observer), so the probe's own marker never lands.
 * @returns {Promise<string>}
 */
export async function diagnoseServerState ({ wsUrl, interviewId, auth, reference }) {
  const lines = []
  const refText = reference.toString()
  const refSv = Y.decodeStateVector(Y.encodeStateVector(reference.doc))
  for (const kind of ['empty state vector (cached joiner path)', 'non-empty state vector (computed diff path)']) {
    const probe = new YClient({ wsUrl, interviewId, auth, label: 'probe', connect: false })
    // A local-only change outside `code`: the state vector is no longer empty.
    if (kind.startsWith('non-empty')) probe.doc.getMap('probe').set('x', 1)
    probe.connect()
    const deadline = Date.now() + 5000
    while (!probe.synced && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 10))
    await new Promise(resolve => setTimeout(resolve, 200))
    const text = probe.toString()
    const sv = Y.decodeStateVector(Y.encodeStateVector(probe.doc))
    const behind = [...refSv].filter(([client, clock]) => (sv.get(client) ?? 0) < clock)
      .map(([client, clock]) => `${client}: ${sv.get(client) ?? 0} < ${clock}`)
    const pending = probe.doc.store.pendingStructs !== null || probe.doc.store.pendingDs !== null
    lines.push(`server via ${kind}: synced=${probe.synced} same text=${text === refText} (${text.length} vs ${refText.length} chars)` +
      ` pending=${pending} clients behind the reference: ${behind.length ? behind.join(', ') : 'none'}`)
    probe.destroy()
  }
  return lines.join('\n')
}
