// Several `codeview serve` instances for the cluster spec, started by the spec itself (the
// config's own server stays a single SQLite instance): one fresh PostgreSQL database (made and
// dropped with `psql`), one redis-server of the spec's own on a free port, and N servers on
// free ports sharing both, each with its own sandbox uid range. Everything is killed in
// `stop()` and, failing that, when the worker process exits.
//
// Needs: CODEVIEW_BIN (as the config), PostgreSQL at CODEVIEW_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/postgres) and redis-server (REDIS_SERVER_BIN, default
// /usr/bin/redis-server). A missing one skips the spec with the reason, or fails it when
// CODEVIEW_REQUIRE_POSTGRES=1 / CODEVIEW_REQUIRE_REDIS=1.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** How long a server may take to answer /api/health. */
const START_TIMEOUT_MS = 30_000;
/** Sandbox uid ranges, one per instance (each process running code needs its own). */
const UID_BASE = Number(process.env['CODEVIEW_E2E_CLUSTER_UID_BASE'] ?? 50_000);
const UID_STEP = 100;

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

const required = (name: string) => ['1', 'true'].includes(process.env[name] ?? '');
const postgresAdminUrl = () => process.env['CODEVIEW_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisServerBin = () => process.env['REDIS_SERVER_BIN'] ?? '/usr/bin/redis-server';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function codeviewBin(): string {
  const candidates = [
    process.env['CODEVIEW_BIN'],
    process.env['CARGO_TARGET_DIR'] && join(process.env['CARGO_TARGET_DIR'], 'release', 'codeview'),
    join(here, '..', '..', 'target', 'release', 'codeview'),
  ];
  const bin = candidates.find((c): c is string => Boolean(c) && existsSync(c as string));
  if (!bin) throw new Error('e2e: set CODEVIEW_BIN to the built codeview binary (make e2e does).');
  return bin;
}

/** Why the cluster spec cannot run here (to skip with), or null. Throws when a missing service is required. */
export function missingService(): string | null {
  try {
    execFileSync('psql', [postgresAdminUrl(), '-Atqc', 'SELECT 1'], { stdio: 'pipe', timeout: 5000 });
  } catch (err) {
    const reason = `PostgreSQL unreachable with psql (${(err as Error).message.split('\n')[0]}); set CODEVIEW_TEST_POSTGRES`;
    if (required('CODEVIEW_REQUIRE_POSTGRES'))
      throw new Error(`CODEVIEW_REQUIRE_POSTGRES=1 but ${reason}`, { cause: err });
    return reason;
  }
  if (!executable(redisServerBin())) {
    const reason = `redis-server not found at ${redisServerBin()} (set REDIS_SERVER_BIN)`;
    if (required('CODEVIEW_REQUIRE_REDIS')) throw new Error(`CODEVIEW_REQUIRE_REDIS=1 but ${reason}`);
    return reason;
  }
  return null;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });
}

function startChild(command: string, args: string[], env: NodeJS.ProcessEnv, log: string[]): ChildProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const keep = (chunk: Buffer) => {
    log.push(...chunk.toString().split('\n').filter(Boolean));
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

async function waitUntil(what: string, probe: () => Promise<boolean>, log: string[]): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not start within ${START_TIMEOUT_MS} ms:\n${log.slice(-30).join('\n')}`);
}

export interface Instance {
  name: string;
  baseURL: string;
  log: string[];
}

export class Cluster {
  readonly instances: Instance[] = [];
  private database = '';
  private readonly processes: ChildProcess[] = [];

  /** Starts Redis and `size` servers on a fresh database. */
  static async start(size: number): Promise<Cluster> {
    const cluster = new Cluster();
    try {
      await cluster.boot(size);
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  private async boot(size: number): Promise<void> {
    const bin = codeviewBin();
    const webDir = resolve(process.env['CODEVIEW_WEB_DIR'] ?? join(here, '..', 'dist'));
    this.database = `codeview_e2e_cluster_${randomBytes(5).toString('hex')}`;
    execFileSync('psql', [postgresAdminUrl(), '-qc', `CREATE DATABASE ${this.database}`], { stdio: 'pipe' });
    const databaseUrl = new URL(postgresAdminUrl());
    databaseUrl.pathname = `/${this.database}`;

    const redisPort = await freePort();
    const redisLog: string[] = [];
    this.processes.push(
      startChild(
        redisServerBin(),
        ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        process.env,
        redisLog,
      ),
    );
    await waitUntil('redis-server', () => tcpAnswers(redisPort), redisLog);

    for (let i = 0; i < size; i++) {
      const port = await freePort();
      const baseURL = `http://127.0.0.1:${port}`;
      const instance: Instance = { name: String.fromCharCode(65 + i), baseURL, log: [] };
      const args = ['serve', '--addr', `127.0.0.1:${port}`, '--database-url', databaseUrl.toString()];
      args.push('--redis-url', `redis://127.0.0.1:${redisPort}`, '--public-url', baseURL);
      const env = {
        ...process.env,
        CODEVIEW_WEB_DIR: webDir,
        CODEVIEW_PUBLIC_URL: baseURL,
        CODEVIEW_SLOT_UID_BASE: String(UID_BASE + i * UID_STEP),
        RUST_LOG: process.env['RUST_LOG'] ?? 'warn',
      };
      this.processes.push(startChild(bin, args, env, instance.log));
      // The first one migrates the fresh database before the others start.
      await waitUntil(`codeview ${instance.name}`, async () => (await fetch(`${baseURL}/api/health`)).ok, instance.log);
      this.instances.push(instance);
    }
  }

  /** Kills every process and drops the database. */
  async stop(): Promise<void> {
    await Promise.all(
      this.processes.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      ),
    );
    if (this.database) {
      execFileSync('psql', [postgresAdminUrl(), '-qc', `DROP DATABASE IF EXISTS ${this.database} WITH (FORCE)`], {
        stdio: 'pipe',
      });
    }
  }

  /** The last log lines of every instance, for failure messages. */
  logs(): string {
    return this.instances.map((i) => `--- ${i.name}\n${i.log.slice(-20).join('\n')}`).join('\n');
  }
}

function tcpAnswers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
