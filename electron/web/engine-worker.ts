// Entry of browser mode's engine thread (engine-thread.ts starts it): the engine's side of the wire, as the
// desktop's utility process runs it (electron/main/engine-process.ts).
import { parentPort } from 'node:worker_threads';
import { createDavlensService } from '../engine/index.ts';
import { portOf, serveEngine } from '../main/engine-rpc.ts';

const parent = parentPort;
if (!parent) throw new Error('engine-worker: start this as a worker thread (engine-thread.ts).');

serveEngine(portOf(parent), createDavlensService);
