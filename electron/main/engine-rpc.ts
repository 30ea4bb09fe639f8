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

/** Runs in the main process: a DavlensService whose calls travel to the engine. */
export function connectEngine(port: Port, options: EngineInit, vault: PasswordVault): EngineConnection {
  let seq = 0;
  let alive = true;
  let deadReason = '';
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Set<(event: ProgressEvent) => void>();
  let closed: (() => void) | null = null;
  let settleReady!: { resolve: () => void; reject: (e: Error) => void };
  const ready = new Promise<void>((resolve, reject) => (settleReady = { resolve, reject }));
  // Callers see failures as Results; only whoever awaits `ready` directly sees the rejection.
  ready.catch(() => undefined);

  const post = (m: ToEngine) => port.post(m);

  const stopListening = port.onMessage((raw) => {
    const m = raw as FromEngine;
    switch (m.kind) {
      case 'ready':
        settleReady.resolve();
        break;
      case 'init-failed':
        settleReady.reject(new Error(m.message));
        deadReason = `The engine could not start: ${m.message}`;
        alive = false;
        for (const [id, answer] of pending) {
          pending.delete(id);
          answer(internal(deadReason));
        }
        break;
      case 'result': {
        const answer = pending.get(m.id);
        pending.delete(m.id);
        answer?.(m.result);
        break;
      }
      case 'progress':
        for (const l of listeners) l(m.event);
        break;
      case 'vault':
        void vaultOp(m.op, m.accountId, m.password).then(
          (value) => post({ kind: 'vault-reply', id: m.id, ok: true, value }),
          (e: unknown) => post({ kind: 'vault-reply', id: m.id, ok: false, value: null, message: e instanceof Error ? e.message : String(e) }),
        );
        break;
      case 'closed':
        closed?.();
        break;
    }
  });

  async function vaultOp(op: VaultOp, accountId: string, password?: string): Promise<string | null> {
    if (op === 'get') return vault.get(accountId);
    if (op === 'set') await vault.set(accountId, password ?? '');
    else await vault.delete(accountId);
    return null;
  }

  function call(method: ApiMethod, arg?: unknown): Promise<Result<unknown>> {
    if (!alive) return Promise.resolve(internal(deadReason));
    return new Promise((resolve) => {
      const id = ++seq;
      pending.set(id, resolve);
      post({ kind: 'call', id, method, arg });
    });
  }

  post({ kind: 'init', options, vaultWarning: vault.warning() });

  const connection: EngineConnection = {
    ...apiOver(call),
    ready,
    get alive() {
      return alive;
    },
    onProgress(listener: (event: ProgressEvent) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    disconnected(reason: string) {
      if (!alive) return;
      alive = false;
      deadReason = reason;
      settleReady.reject(new Error(reason));
      for (const [id, answer] of pending) {
        pending.delete(id);
        answer(internal(reason));
      }
      closed?.();
      stopListening();
    },
    close() {
      if (!alive) return Promise.resolve();
      return new Promise<void>((resolve) => {
        closed = () => {
          closed = null;
          alive = false;
          deadReason = 'The engine was closed.';
          resolve();
        };
        post({ kind: 'close' });
      });
    },
  };
  return connection;
}

// ---------------------------------------------------------------- supervision (either host)

/** One started engine: Electron's utility process (desktop) or a worker thread (browser mode). */
export interface EngineChild {
  port: Port;
  /** Calls `listener` once when the child ends, with its exit code. */
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
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
