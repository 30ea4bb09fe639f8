// Browser mode runs the engine as the desktop app does, off the host's loop: here in a worker thread (the
// desktop uses a utility process), over the same wire (electron/main/engine-rpc.ts). A slow parse or a sync
// then never holds up the HTTP server: pages, the event stream and the gate answer at once.
import { Worker } from 'node:worker_threads';
import type { PasswordVault } from '../engine/index.ts';
import type { EngineInit } from '../main/engine-rpc.ts';
import { engineChild, superviseEngine } from '../main/engine-rpc.ts';
import type { WebHostService } from './server.ts';

const ENGINE = new URL('./engine-worker.ts', import.meta.url);

export function startEngineThread(options: EngineInit, vault: PasswordVault): WebHostService & { close(): Promise<void>; ready(): Promise<void> } {
  return superviseEngine(
    () => {
      // The heap limit the CLI and the desktop engine run with (--max-old-space-size=1024).
      const worker = new Worker(ENGINE, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
      return engineChild(worker, () => void worker.terminate());
    },
    options,
    vault,
  );
}
