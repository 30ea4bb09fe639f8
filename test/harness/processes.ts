// Child processes of the harness: start with output to a log file, wait until a probe answers, stop by PID.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import dgram from 'node:dgram';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ManagedProcess {
  name: string;
  logFile: string;
  child: ChildProcess;
  /** Set once the process has exited (or failed to spawn). */
  exit: string | null;
  exited: Promise<void>;
}

export function spawnLogged(
  name: string,
  command: string,
  args: string[],
  opts: { logFile: string; cwd: string; env?: Record<string, string> },
): ManagedProcess {
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    // Not detached: a Ctrl-C on the terminal reaches the servers too.
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const proc: ManagedProcess = { name, logFile: opts.logFile, child, exit: null, exited: Promise.resolve() };
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

export function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls probe() until it succeeds; fails fast, naming the log, when the process dies first. */
export async function waitUntilReady(
  proc: ManagedProcess,
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exit !== null) {
      throw new Error(`${proc.name} ${proc.exit} before answering on ${what}. Log ${proc.logFile}:\n${logTail(proc.logFile)}`);
    }
    if (await probe()) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${proc.name} did not answer on ${what} within ${timeoutMs / 1000} s. Log ${proc.logFile}:\n${logTail(proc.logFile)}`,
      );
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

/** SIGTERM, then SIGKILL after graceMs. Resolves once the process is gone. */
export async function stopProcess(proc: ManagedProcess, graceMs = 5000): Promise<void> {
  if (proc.exit !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
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
    `Harness ports are not free:\n${lines.join('\n')}\n` +
      `A server from an earlier run may still be running: see \`ss -ltnup\` and stop it by its PID.`,
  );
}
