// Child processes of the harness: start with output to a log file, wait until a probe answers, stop by PID.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import dgram from 'node:dgram';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

export interface ManagedProcess {
  name: string;
  logFile: string;
  child: ChildProcess;
  /** Set once the process has exited (or failed to spawn). */
  exit: string | null;
  exited: Promise<void>;
  stop: StopOptions;
  ownSession: boolean;
}

/** How a server wants to be stopped, when SIGTERM alone is wrong or slow. */
export interface StopOptions {
  /** Default SIGTERM. PostgreSQL takes SIGINT ("fast": SIGTERM waits for every client to leave). */
  signal?: NodeJS.Signals;
  /**
   * SIGKILL the process's children this long after the signal. SOGo's watchdog waits about 15 s for an idle
   * worker that sits in a process group of its own; once the worker is gone, the watchdog exits at once.
   */
  killChildrenAfterMs?: number;
}

export interface SpawnOptions {
  logFile: string;
  cwd: string;
  env?: Record<string, string>;
  /**
   * Run as this system user (setpriv, when the harness runs as root): PostgreSQL refuses to run as root, and
   * the servers' own package users own their state. The process keeps its PID (setpriv execs).
   */
  user?: string;
  /**
   * A session and process group of its own (setsid), for servers that signal their whole process group when
   * they stop (cyrmaster, Apache's prefork parent), which would otherwise include the test runner. The group
   * is killed as one if the stop signal is not enough.
   */
  ownSession?: boolean;
  stop?: StopOptions;
}

/** Starts a server of the harness: the caller's spawnLogged with its log file chosen. */
export type Launch = (name: string, command: string, args: string[], opts: Omit<SpawnOptions, 'logFile'>) => ManagedProcess;

/**
 * Makes `path` (and everything under it) belong to a system user and its group, as the package would have
 * it under /var/lib; a no-op unless the harness runs as root (then everything runs as the caller anyway).
 */
export async function giveTo(user: string, path: string): Promise<void> {
  if (userInfo().uid !== 0) return;
  await promisify(execFile)('chown', ['-R', `${user}:`, path]);
}

/** The command line that runs `command` as `user` (only root can switch; anyone else runs it as themselves). */
function asUser(user: string | undefined, command: string, args: string[]): [string, string[]] {
  if (user === undefined || userInfo().uid !== 0) return [command, args];
  return ['/usr/bin/setpriv', [`--reuid=${user}`, `--regid=${user}`, '--init-groups', '--', command, ...args]];
}

export function spawnLogged(name: string, command: string, args: string[], opts: SpawnOptions): ManagedProcess {
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(...asUser(opts.user, command, args), {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    // Not detached unless asked: a Ctrl-C on the terminal reaches the servers too.
    detached: opts.ownSession === true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const proc: ManagedProcess = {
    name,
    logFile: opts.logFile,
    child,
    exit: null,
    exited: Promise.resolve(),
    stop: opts.stop ?? {},
    ownSession: opts.ownSession === true,
  };
  proc.exited = new Promise((resolve) => {
    child.once('error', (err) => {
      proc.exit ??= `could not be started (${command}: ${err.message}; is its package from .ci/apt-packages.txt installed?)`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      proc.exit ??= signal ? `exited on ${signal}` : `exited with code ${code}`;
      resolve();
    });
  });
  return proc;
}

/**
 * Runs a set-up command to its end (initdb, a schema script, saslpasswd2), output appended to logFile; throws
 * with the log's tail unless it exits 0.
 */
export function runLogged(
  command: string,
  args: string[],
  opts: { logFile: string; cwd: string; env?: Record<string, string>; user?: string; input?: string },
): Promise<void> {
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(...asUser(opts.user, command, args), {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', fd, fd],
  });
  closeSync(fd);
  child.stdin?.end(opts.input);
  return new Promise((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`${command} could not be started: ${err.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`${command} ${args.join(' ')} ${signal ? `died on ${signal}` : `exited with ${code}`}. Log ${opts.logFile}:\n${logTail(opts.logFile)}`),
        );
    });
  });
}

export function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls probe() until it succeeds; fails fast, naming the log, when the process dies first. */
export async function waitUntilReady(proc: ManagedProcess, what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exit !== null) {
      throw new Error(`${proc.name} ${proc.exit} before answering on ${what}. Log ${proc.logFile}:\n${logTail(proc.logFile)}`);
    }
    if (await probe()) return;
    if (Date.now() > deadline) {
      throw new Error(`${proc.name} did not answer on ${what} within ${timeoutMs / 1000} s. Log ${proc.logFile}:\n${logTail(proc.logFile)}`);
    }
    await sleep(50);
  }
}

export function tcpAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The PIDs of a process's direct children (Linux /proc). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * SIGKILL to the process (to its whole group when it has one of its own) and to its direct children, which
 * may sit in groups of their own (SOGo's worker) and would otherwise outlive it.
 */
export function killHard(proc: ManagedProcess): void {
  const pid = proc.child.pid;
  if (proc.exit !== null || pid === undefined) return;
  for (const child of childPids(pid)) kill(child, 'SIGKILL');
  kill(proc.ownSession ? -pid : pid, 'SIGKILL');
}

/** The process's stop signal (SIGTERM unless set), then SIGKILL after graceMs. Resolves once it is gone. */
export async function stopProcess(proc: ManagedProcess, graceMs = 5000): Promise<void> {
  if (proc.exit !== null) return;
  const pid = proc.child.pid;
  const children = pid === undefined ? [] : childPids(pid);
  proc.child.kill(proc.stop.signal ?? 'SIGTERM');
  const timers = [setTimeout(() => killHard(proc), graceMs)];
  if (proc.stop.killChildrenAfterMs !== undefined) {
    timers.push(setTimeout(() => children.forEach((child) => kill(child, 'SIGKILL')), proc.stop.killChildrenAfterMs));
  }
  await proc.exited;
  timers.forEach(clearTimeout);
}

export interface PortUse {
  host: string;
  port: number;
  proto: 'tcp' | 'udp';
  owner: string;
}

function canBind(use: PortUse): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    if (use.proto === 'tcp') {
      const server = net.createServer();
      server.once('error', (err: NodeJS.ErrnoException) => resolve(err));
      server.listen({ host: use.host, port: use.port, exclusive: true }, () => server.close(() => resolve(null)));
    } else {
      const socket = dgram.createSocket(use.host.includes(':') ? 'udp6' : 'udp4');
      socket.once('error', (err: NodeJS.ErrnoException) => {
        socket.close();
        resolve(err);
      });
      socket.bind({ address: use.host, port: use.port, exclusive: true }, () => socket.close(() => resolve(null)));
    }
  });
}

/** The harness uses fixed ports: fail with a clear message instead of killing whatever holds one. */
export async function assertPortsFree(uses: PortUse[]): Promise<void> {
  const results = await Promise.all(uses.map(async (use) => ({ use, err: await canBind(use) })));
  const taken = results.filter((r) => r.err !== null);
  if (taken.length === 0) return;
  const lines = taken.map(({ use, err }) => {
    const addr = use.host.includes(':') ? `[${use.host}]:${use.port}` : `${use.host}:${use.port}`;
    return `  ${addr}/${use.proto} (for ${use.owner}): ${err?.code ?? err?.message}`;
  });
  throw new Error(
    `Harness ports are not free:\n${lines.join('\n')}\n` + `A server from an earlier run may still be running: see \`ss -ltnup\` and stop it by its PID.`,
  );
}
