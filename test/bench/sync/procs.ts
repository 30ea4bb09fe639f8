// Processes of the sync benchmark: its own Radicale, a byte-counting TCP relay, and measured child runs.
// Everything binds 127.0.0.1 on a port the kernel picks (never the integration harness's fixed ports).
// Every child is registered, so stopAll() ends exactly the processes started here, by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const live = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

// Even when the process dies of an uncaught exception, its children go with it (synchronously, by PID).
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** SIGTERM every child still running (SIGKILL after 5 s); resolves when all have exited. */
export async function stopAll(): Promise<void> {
  const waits = [...live].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  );
  await Promise.all(waits);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Radicale {
  port: number;
  url: string;
  logFile: string;
  /** Byte offset of the log's end: a mark to count requests from. */
  mark(): number;
  /** Requests Radicale logged since a mark, the sum of its own per-request handling times, one line per answer. */
  since(mark: number): { requests: number; serverMs: number; lines: string[] };
}

/**
 * Radicale 3.1 on plain http: htpasswd plain, no delay after a failed login, owner_only rights,
 * filesystem storage in `storage` (already seeded), request lines logged at level info.
 */
export async function startRadicale(dir: string, storage: string, users: Record<string, string>): Promise<Radicale> {
  const port = await freePort();
  const usersFile = join(dir, 'users');
  writeFileSync(
    usersFile,
    Object.entries(users)
      .map(([u, p]) => `${u}:${p}\n`)
      .join(''),
  );
  const config = join(dir, 'radicale.conf');
  writeFileSync(
    config,
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${usersFile}`,
      'htpasswd_encryption = plain',
      'delay = 0',
      '[rights]',
      'type = owner_only',
      '[storage]',
      `filesystem_folder = ${storage}`,
      '[web]',
      'type = none',
      '[logging]',
      'level = info',
      'mask_passwords = True',
      '',
    ].join('\n'),
  );
  const logFile = join(dir, 'radicale.log');
  const fd = openSync(logFile, 'a');
  const child = track(spawn('radicale', ['--config', config], { cwd: dir, stdio: ['ignore', fd, fd] }));
  closeSync(fd);
  let exit: string | null = null;
  child.once('exit', (code, signal) => (exit = signal ? `exited on ${signal}` : `exited with code ${code}`));
  child.once('error', (e) => (exit = `could not be started (${e.message}; Debian package radicale)`));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exit) throw new Error(`Radicale ${exit}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    if (await canConnect(port)) break;
    if (Date.now() > deadline) throw new Error(`Radicale did not listen on 127.0.0.1:${port} within 20 s`);
    await sleep(50);
  }
  const request = / request for '/;
  const response = /\] (\w+) response status for '([^']*)'(?: with depth '(\w+)')? in ([\d.]+) seconds: (\d+)/;
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    logFile,
    mark: () => statSync(logFile).size,
    since(mark: number) {
      const lines = readFileSync(logFile).subarray(mark).toString('utf8').split('\n');
      let requests = 0;
      let serverMs = 0;
      const kept: string[] = [];
      for (const l of lines) {
        if (request.test(l)) requests += 1;
        const m = response.exec(l);
        if (m) {
          serverMs += Number(m[4]) * 1000;
          kept.push(`${m[1]} ${m[2]}${m[3] ? ` (Depth ${m[3]})` : ''} ${m[5]} in ${Number(m[4]).toFixed(2)} s`);
        }
      }
      return { requests, serverMs, lines: kept };
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export interface Relay {
  port: number;
  url: string;
  /** Bytes sent by the server to clients so far (HTTP headers and bodies, as on the wire). */
  received(): number;
  /** TCP connections so far. */
  connections(): number;
  /** When (performance.now()) a client first sent bytes at or after `since`, or null. */
  firstRequestSince(since: number): number | null;
  /** When (performance.now()) the server last sent bytes to a client, or null. */
  lastAnswerAt(): number | null;
  /**
   * While on, new connections do not pass the server's FIN on to the client: the client sees a complete
   * Content-Length response on an open socket and closes it itself (as with a keep-alive server). The FIN
   * follows after 5 s at the latest, so a client waiting for EOF is slowed, never hung (counted by lateFins).
   */
  holdFin(on: boolean): void;
  lateFins(): number;
  close(): Promise<void>;
}

/** A transparent TCP relay in front of `targetPort` that counts the bytes flowing back to the client. */
export async function startRelay(targetPort: number): Promise<Relay> {
  let received = 0;
  // When clients sent bytes (a sync sends a few dozen chunks) and when the server last answered.
  const clientSends: number[] = [];
  let lastAnswer: number | null = null;
  let connections = 0;
  let hold = false;
  let lateFins = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections += 1;
    const holding = hold;
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', () => clientSends.push(performance.now()));
    upstream.on('data', (b: Buffer) => {
      lastAnswer = performance.now();
      received += b.length;
    });
    client.pipe(upstream);
    upstream.pipe(client, { end: !holding });
    let timer: NodeJS.Timeout | null = null;
    const end = () => {
      if (timer) clearTimeout(timer);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    if (holding) {
      upstream.once('end', () => {
        timer = setTimeout(() => {
          lateFins += 1;
          client.end();
        }, 5000);
      });
      // The client closes first: drop the server side too.
      client.on('end', end);
    }
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    if (!holding) upstream.on('close', end);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
  return {
    port,
    url: `http://127.0.0.1:${port}/`,
    received: () => received,
    firstRequestSince: (since: number) => clientSends.find((t) => t >= since) ?? null,
    lastAnswerAt: () => lastAnswer,
    connections: () => connections,
    holdFin: (on: boolean) => {
      hold = on;
    },
    lateFins: () => lateFins,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set size of the command in KiB, from GNU time (%M). */
  peakRssKb: number;
  /** CPU time of the command (user + system, children included), in ms, from GNU time (%U + %S). */
  cpuMs: number;
}

/**
 * Runs a command under /usr/bin/time (Debian package `time`) for its peak RSS; wall time is taken here,
 * from spawn to exit.
 */
export async function runMeasured(
  command: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; rssFile: string },
): Promise<Measured> {
  const started = performance.now();
  const child = track(
    spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', opts.rssFile, command, ...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    }),
  );
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  child.stderr!.on('data', (b: Buffer) => err.push(b));
  if (opts.input !== undefined) {
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(opts.input);
  }
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (e) => reject(new Error(`${command}: ${e.message} (is Debian's \`time\` installed?)`)));
    child.once('close', (c) => resolve(c));
  });
  const ms = performance.now() - started;
  let peakRssKb = NaN;
  let cpuMs = NaN;
  try {
    // GNU time writes "Command exited with non-zero status N" before the figures when the command failed.
    const [rss, user, sys] = readFileSync(opts.rssFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    peakRssKb = rss!;
    cpuMs = (user! + sys!) * 1000;
  } catch {
    // Reported as NaN.
  }
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms, peakRssKb, cpuMs };
}
