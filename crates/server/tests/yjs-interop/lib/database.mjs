// A fresh database per test file: a temporary SQLite file, or a new PostgreSQL database
// created (and dropped afterwards) on the server named by `CODEVIEW_TEST_POSTGRES`.
//
// PostgreSQL is optional unless `CODEVIEW_REQUIRE_POSTGRES=1`; when it is not configured the
// PostgreSQL suites are reported as skipped (never silently left out).

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'

/**
 * @typedef {{ name: 'sqlite'|'postgres', skip: string|false }} Backend
 * @typedef {{ url: string, drop: () => Promise<void> }} Database
 */

/**
 * The backends to run every suite against.
 * @returns {Backend[]}
 */
export function backends () {
  const postgres = process.env.CODEVIEW_TEST_POSTGRES
  const required = process.env.CODEVIEW_REQUIRE_POSTGRES === '1'
  /** @type {string|false} */
  let skipPostgres = false
  if (!postgres && !required) {
    skipPostgres = 'PostgreSQL not configured: set CODEVIEW_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432 to run (CODEVIEW_REQUIRE_POSTGRES=1 makes it mandatory)'
  }
  return [{ name: 'sqlite', skip: false }, { name: 'postgres', skip: skipPostgres }]
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
  const base = process.env.CODEVIEW_TEST_POSTGRES
  if (!base) {
    throw new Error('CODEVIEW_REQUIRE_POSTGRES=1 but CODEVIEW_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432)')
  }
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
