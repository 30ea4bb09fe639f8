// The wire between the Electron main process and the engine's utility process (structured-clone messages
// over Electron's parentPort). The engine does the heavy work (sync, parsing, expansion, SQLite) off the
// main thread; passwords stay with the main process, which owns safeStorage: the engine asks for them.
// Electron-free, so both sides are tested over a worker_threads MessageChannel.
import type { ApiMethod, ProgressEvent, Result } from '../../shared/api.ts';
import { API_METHODS, apiOver, callOn, fail } from '../../shared/api.ts';
import { davlensError } from '../../shared/errors.ts';
import type { DavlensService, PasswordVault, ServiceOptions } from '../engine/index.ts';

const CLOSE_TIMEOUT_MS = 5_000;

/** Either end of the wire: Electron's UtilityProcess / parentPort, or a worker_threads MessagePort. */
export interface Port {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
}

export type EngineInit = Omit<ServiceOptions, 'vault'>;

/** What Electron's UtilityProcess, its parentPort-less children and worker_threads' Worker and parentPort share. */
interface MessageTarget {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** The wire's Port over anything that posts and receives messages as plain values. */
export function portOf(target: MessageTarget): Port {
  return {
    post: (message) => target.postMessage(message),
    onMessage(listener) {
      target.on('message', listener);
      return () => void target.off('message', listener);
    },
  };
}

type VaultOp = 'get' | 'set' | 'delete';

/** Main -> engine. */
type ToEngine =
  | { kind: 'init'; options: EngineInit; vaultWarning: string | null }
  | { kind: 'call'; id: number; method: ApiMethod; arg: unknown }
  | { kind: 'vault-reply'; id: number; ok: boolean; value: string | null; message?: string }
  | { kind: 'close' };

/** Engine -> main. */
type FromEngine =
  | { kind: 'ready' }
  | { kind: 'init-failed'; message: string }
  | { kind: 'result'; id: number; result: Result<unknown> }
  | { kind: 'progress'; event: ProgressEvent }
  | { kind: 'vault'; id: number; op: VaultOp; accountId: string; password?: string }
  | { kind: 'closed' };

const internal = (message: string) => fail(davlensError('internal', message, 'input'));

// ---------------------------------------------------------------- engine side (utility process)

/** Runs in the utility process: builds the service on 'init' and answers calls. */
export function serveEngine(port: Port, create: (options: ServiceOptions) => Promise<DavlensService>): void {
  let service: Promise<DavlensService> | null = null;
  let vaultSeq = 0;
  const vaultWaiting = new Map<number, { resolve: (v: string | null) => void; reject: (e: Error) => void }>();
  const post = (m: FromEngine) => port.post(m);

  const askVault = (op: VaultOp, accountId: string, password?: string) =>
    new Promise<string | null>((resolve, reject) => {
      const id = ++vaultSeq;
      vaultWaiting.set(id, { resolve, reject });
      post({ kind: 'vault', id, op, accountId, ...(password === undefined ? {} : { password }) });
    });

  port.onMessage((raw) => {
    const m = raw as ToEngine;
    switch (m.kind) {
      case 'init': {
        const warning = m.vaultWarning;
        const vault: PasswordVault = {
          get: (id) => askVault('get', id),
          set: async (id, pw) => void (await askVault('set', id, pw)),
          delete: async (id) => void (await askVault('delete', id)),
          warning: () => warning,
        };
        service = create({ ...m.options, vault });
        service.then(
          (s) => {
            s.onProgress((event) => post({ kind: 'progress', event }));
            post({ kind: 'ready' });
          },
          (e: unknown) => post({ kind: 'init-failed', message: e instanceof Error ? e.message : String(e) }),
        );
        break;
      }
      case 'call': {
        const { id, method, arg } = m;
        void answer(method, arg).then((result) => post({ kind: 'result', id, result }));
        break;
      }
      case 'vault-reply': {
        const waiting = vaultWaiting.get(m.id);
        vaultWaiting.delete(m.id);
        if (m.ok) waiting?.resolve(m.value);
        else waiting?.reject(new Error(m.message ?? 'The password store failed.'));
        break;
      }
      case 'close':
        void (service ?? Promise.reject(new Error('never started')))
          .then((s) => s.close())
          .catch(() => undefined)
          .then(() => post({ kind: 'closed' }));
        break;
    }
  });

  async function answer(method: ApiMethod, arg: unknown): Promise<Result<unknown>> {
    if (!service) return internal('The engine was called before it was started.');
    if (!(API_METHODS as readonly string[]).includes(method)) return internal(`There is no API method named "${method}".`);
    try {
      const s = await service;
      return await callOn(s)(method, arg);
    } catch (e) {
      return internal(`${method} failed in the engine: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

// ---------------------------------------------------------------- main side

export interface EngineConnection extends DavlensService {
  /** Resolves when the service is up; rejects with the engine's reason when it could not start. */
  ready: Promise<void>;
  /** The process behind the port ended: pending and later calls answer with an error Result. */
  disconnected(reason: string): void;
  readonly alive: boolean;
}

/**
 * The main side's calls in flight, and whether the engine can still answer: once it cannot (it failed to
 * start, its process ended, it was closed), waiting and later calls answer with an error Result at once.
 */
class PendingCalls {
  private seq = 0;
  private readonly waiting = new Map<number, (r: Result<unknown>) => void>();
  private deadReason: string | null = null;
  private readonly post: (m: ToEngine) => void;

  constructor(post: (m: ToEngine) => void) {
    this.post = post;
  }

  get alive(): boolean {
    return this.deadReason === null;
  }

  call(method: ApiMethod, arg?: unknown): Promise<Result<unknown>> {
    if (this.deadReason !== null) return Promise.resolve(internal(this.deadReason));
    return new Promise((resolve) => {
      const id = ++this.seq;
      this.waiting.set(id, resolve);
      this.post({ kind: 'call', id, method, arg });
    });
  }

  answer(id: number, result: Result<unknown>): void {
    const answer = this.waiting.get(id);
    this.waiting.delete(id);
    answer?.(result);
  }

  end(reason: string): void {
    this.deadReason = reason;
    for (const [id, answer] of this.waiting) {
      this.waiting.delete(id);
      answer(internal(reason));
    }
  }
}

/** Answers the engine's request for the vault, which only the main process holds. */
function answerVault(vault: PasswordVault, m: Extract<FromEngine, { kind: 'vault' }>, post: (m: ToEngine) => void): void {
  const run = async (): Promise<string | null> => {
    if (m.op === 'get') return vault.get(m.accountId);
    if (m.op === 'set') await vault.set(m.accountId, m.password ?? '');
    else await vault.delete(m.accountId);
    return null;
  };
  void run().then(
    (value) => post({ kind: 'vault-reply', id: m.id, ok: true, value }),
    (e: unknown) => post({ kind: 'vault-reply', id: m.id, ok: false, value: null, message: e instanceof Error ? e.message : String(e) }),
  );
}

/** A promise settled from outside, already marked handled: callers see failures as Results. */
function readySignal(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const promise = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  promise.catch(() => undefined);
  return { promise, ...settle };
}

/** Runs in the main process: a DavlensService whose calls travel to the engine. */
export function connectEngine(port: Port, options: EngineInit, vault: PasswordVault): EngineConnection {
  const post = (m: ToEngine) => port.post(m);
  const calls = new PendingCalls(post);
  const ready = readySignal();
  const listeners = new Set<(event: ProgressEvent) => void>();
  let closed: (() => void) | null = null;

  const stopListening = port.onMessage((raw) => {
    const m = raw as FromEngine;
    if (m.kind === 'ready') ready.resolve();
    else if (m.kind === 'init-failed') {
      ready.reject(new Error(m.message));
      calls.end(`The engine could not start: ${m.message}`);
    } else if (m.kind === 'result') calls.answer(m.id, m.result);
    else if (m.kind === 'progress') for (const l of listeners) l(m.event);
    else if (m.kind === 'vault') answerVault(vault, m, post);
    else closed?.();
  });

  post({ kind: 'init', options, vaultWarning: vault.warning() });

  return {
    ...apiOver((method, arg) => calls.call(method, arg)),
    ready: ready.promise,
    get alive() {
      return calls.alive;
    },
    onProgress(listener: (event: ProgressEvent) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    disconnected(reason: string) {
      if (!calls.alive) return;
      calls.end(reason);
      ready.reject(new Error(reason));
      closed?.();
      stopListening();
    },
    close() {
      if (!calls.alive) return Promise.resolve();
      return new Promise<void>((resolve) => {
        closed = () => {
          closed = null;
          calls.end('The engine was closed.');
          resolve();
        };
        post({ kind: 'close' });
      });
    },
  };
}

// ---------------------------------------------------------------- supervision (either host)

/** One started engine: Electron's utility process (desktop) or a worker thread (browser mode). */
export interface EngineChild {
  port: Port;
  /** Calls `listener` once when the child ends, with its exit code. */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

/** The child as supervision sees it: its wire, its end, and how to stop it. */
export function engineChild(target: MessageTarget & { once(event: 'exit', listener: (code: number | null) => void): unknown }, kill: () => void): EngineChild {
  return { port: portOf(target), onExit: (listener) => void target.once('exit', listener), kill };
}

/**
 * A DavlensService whose engine runs in a child the host starts (`spawn`), so that no parse, expansion or
 * SQLite write ever blocks the host's own loop (the desktop's main process, the browser mode's HTTP server).
 * A child that died is started again on the next call; progress listeners survive a restart.
 */
export function superviseEngine(spawn: () => EngineChild, options: EngineInit, vault: PasswordVault): DavlensService & { ready(): Promise<void> } {
  const listeners = new Set<(event: ProgressEvent) => void>();
  let current: { connection: EngineConnection; kill: () => void } | null = null;

  function start() {
    const child = spawn();
    const connection = connectEngine(child.port, options, vault);
    child.onExit((code) => connection.disconnected(`The engine process stopped (exit code ${code}); the next action starts it again.`));
    connection.onProgress((event) => {
      for (const l of listeners) l(event);
    });
    return { connection, kill: () => child.kill() };
  }

  function engine(): EngineConnection {
    if (!current || !current.connection.alive) current = start();
    return current.connection;
  }

  // Start now, so the first window does not wait for the engine to boot.
  engine();
  return {
    // Each call goes to the engine running at that moment (started again if it died).
    ...apiOver((method, arg) => callOn(engine())(method, arg)),
    onProgress(listener: (event: ProgressEvent) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    /** Resolves when the current engine is up; rejects with its reason when it could not start. */
    ready: () => engine().ready,
    async close() {
      const running = current;
      current = null;
      if (!running) return;
      if (running.connection.alive) {
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
        await Promise.race([running.connection.close(), timeout]);
      }
      // Also a child whose engine never came up: it must not outlive the host.
      running.kill();
    },
  };
}
