// A fresh database per test file: a temporary SQLite file, or a new PostgreSQL database
// created (and dropped afterwards) on the server named by `CODEVIEW_TEST_POSTGRES`.
//
// PostgreSQL (`CODEVIEW_TEST_POSTGRES`, default postgres://postgres@127.0.0.1:5432/postgres, as
// for the Rust tests) is used when it answers; when it does not, the PostgreSQL suites are
// reported as skipped with the reason (never silently left out), or fail when
// `CODEVIEW_REQUIRE_POSTGRES=1`.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'

/**
 * @typedef {{ name: 'sqlite'|'postgres', skip: string|false }} Backend
 * @typedef {{ url: string, drop: () => Promise<void> }} Database
 */

/** The PostgreSQL server to create test databases on (same default as the Rust tests). */
export const postgresAdminUrl = () => process.env.CODEVIEW_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/postgres'
const postgresRequired = () => ['1', 'true'].includes(process.env.CODEVIEW_REQUIRE_POSTGRES ?? '')

/** @type {Promise<Backend[]> | null} */
let probed = null

/**
 * The backends to run every suite against: SQLite always; PostgreSQL when its server answers,
 * else skipped with the reason (a failure when `CODEVIEW_REQUIRE_POSTGRES=1`).
 * @returns {Promise<Backend[]>}
 */
export function backends () {
  probed ??= (async () => {
    /** @type {string|false} */
    let skip = false
    if (!postgresRequired()) {
      const { default: pg } = await import('pg')
      const client = new pg.Client({ connectionString: postgresAdminUrl(), connectionTimeoutMillis: 3000 })
      try {
        await client.connect()
      } catch (err) {
        skip = `PostgreSQL unreachable at ${redact(postgresAdminUrl())} (${/** @type {Error} */ (err).message}); set CODEVIEW_TEST_POSTGRES, or CODEVIEW_REQUIRE_POSTGRES=1 to make this a failure`
      } finally {
        await client.end().catch(() => {})
      }
    }
    return [{ name: 'sqlite', skip: false }, { name: 'postgres', skip }]
  })()
  return probed
}

/** A URL without its password, for messages. @param {string} url */
function redact (url) {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparsable URL)'
  }
}

/**
 * Creates an empty database for `backend`.
 * @param {Backend['name']} backend
 * @returns {Promise<Database>}
 */
export async function createDatabase (backend) {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'codeview-interop-'))
    return {
      url: `sqlite://${path.join(dir, 'codeview.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true })
    }
  }
  const base = postgresAdminUrl()
  const { default: pg } = await import('pg')
  const name = `codeview_interop_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(base)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base, connectionTimeoutMillis: 5000 })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await client.end()
      }
    }
  }
}
