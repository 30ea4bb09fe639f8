// The main process's handle on the engine: a utility process it forks, restarted on the next call if it
// died. Callers get a DavlensService; progress listeners survive a restart.
import { utilityProcess } from 'electron';
import type { ProgressEvent } from '../../shared/api.ts';
import { API_METHODS } from '../../shared/api.ts';
import type { DavlensService, PasswordVault } from '../engine/service/types.ts';
import type { EngineConnection, EngineInit } from './engine-rpc.ts';
import { connectEngine } from './engine-rpc.ts';

const CLOSE_TIMEOUT_MS = 5_000;

export function startEngineHost(enginePath: string, options: EngineInit, vault: PasswordVault): DavlensService {
  const listeners = new Set<(event: ProgressEvent) => void>();
  let current: { connection: EngineConnection; kill: () => void } | null = null;

  function spawn() {
    // The heap flags keep a sync's peak memory down (see bin/davlens).
    const child = utilityProcess.fork(enginePath, [], { serviceName: 'Davlens engine', stdio: 'inherit', execArgv: ['--max-semi-space-size=4', '--max-old-space-size=1024'] });
    const connection = connectEngine(
      {
        post: (message) => child.postMessage(message),
        onMessage(listener) {
          child.on('message', listener);
          return () => void child.off('message', listener);
        },
      },
      options,
      vault,
    );
    child.once('exit', (code) => connection.disconnected(`The engine process stopped (exit code ${code}); the next action starts it again.`));
    connection.onProgress((event) => {
      for (const l of listeners) l(event);
    });
    return { connection, kill: () => void child.kill() };
  }

  function engine(): EngineConnection {
    if (!current || !current.connection.alive) current = spawn();
    return current.connection;
  }

  const service: Record<string, unknown> = {};
  for (const method of API_METHODS) {
    service[method] = (arg?: unknown) => (engine()[method] as (arg: unknown) => Promise<unknown>)(arg);
  }
  service.onProgress = (listener: (event: ProgressEvent) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  service.close = async () => {
    const running = current;
    current = null;
    if (!running?.connection.alive) return;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
    await Promise.race([running.connection.close(), timeout]);
    running.kill();
  };
  // Start now, so the first window does not wait for the engine to boot.
  engine();
  return service as unknown as DavlensService;
}
