// A private PostgreSQL cluster for DAViCal and SOGo: initdb into the harness temp dir, trust authentication,
// a socket in that dir and 127.0.0.1 only; nothing of the system's cluster (if any) is touched.
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Launch } from './processes.ts';
import { giveTo, runLogged, waitUntilReady } from './processes.ts';

export interface Postgres {
  /** The folder holding the server's socket (libpq's PGHOST for a socket). */
  socketDir: string;
  port: number;
  /** libpq environment reaching the cluster as its superuser over the socket. */
  env: Record<string, string>;
  /** Runs SQL through psql as `user` in `database`; throws with psql's output on any error. */
  sql(database: string, user: string, statements: string): Promise<void>;
}

/** Debian installs each major version under /usr/lib/postgresql/<major>/bin; take the newest. */
async function binDir(): Promise<string> {
  const majors = (await readdir('/usr/lib/postgresql').catch(() => [])).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  if (!majors[0]) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql/*/bin): see .ci/apt-packages.txt');
  return `/usr/lib/postgresql/${majors[0]}/bin`;
}

export async function startPostgres(dir: string, port: number, launch: Launch, logFile: (name: string) => string): Promise<Postgres> {
  const bin = await binDir();
  const data = join(dir, 'data');
  const socketDir = join(dir, 'socket');
  await mkdir(data, { mode: 0o700 });
  await mkdir(socketDir);
  await giveTo('postgres', dir);
  // PostgreSQL refuses to run as root: initdb and the server run as the package's postgres user.
  await runLogged(`${bin}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8'], {
    logFile: logFile('initdb'),
    cwd: dir,
    user: 'postgres',
  });
  const proc = launch(
    'postgres',
    `${bin}/postgres`,
    [
      '-D',
      data,
      '-k',
      socketDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      // Test data: durability is not wanted, speed is.
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'synchronous_commit=off',
    ],
    { cwd: dir, user: 'postgres', stop: { signal: 'SIGINT' } },
  );
  const env = { PGHOST: socketDir, PGPORT: String(port), PGUSER: 'postgres' };
  const ready = () =>
    runLogged(`${bin}/pg_isready`, ['-q'], { logFile: logFile('pg_isready'), cwd: dir, env }).then(
      () => true,
      () => false,
    );
  await waitUntilReady(proc, `${socketDir} port ${port}`, ready);
  return {
    socketDir,
    port,
    env,
    sql: (database, user, statements) =>
      runLogged('/usr/bin/psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-d', database, '-U', user], {
        logFile: logFile('psql'),
        cwd: dir,
        env,
        input: statements,
      }),
  };
}
