// Entry of the engine's utility process (utilityProcess.fork from the main process). Electron gives a
// utility process `process.parentPort`; everything else here is plain Node, as in the CLI.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDavlensService } from '../engine/index.ts';
import type { Port } from './engine-rpc.ts';
import { serveEngine } from './engine-rpc.ts';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  off(event: 'message', listener: (event: { data: unknown }) => void): void;
}

// Bundled to out/main/engine.mjs: the demo data and the reader's worker bundle (large local files and feeds) are found from
// there (the engine's own defaults are relative to its source files, which the bundle moves).
const here = dirname(fileURLToPath(import.meta.url));
const demoDir = join(here, '..', '..', 'assets', 'demo');
const readerWorker = join(here, 'reader-worker.mjs');

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('engine-process: run this through Electron utilityProcess.fork (no parentPort here).');
  process.exit(1);
}

const port: Port = {
  post: (message) => parentPort.postMessage(message),
  onMessage(listener) {
    const handler = (event: { data: unknown }) => listener(event.data);
    parentPort.on('message', handler);
    return () => parentPort.off('message', handler);
  },
};

serveEngine(port, (options) => createDavlensService({ ...options, demoDir, readerWorker }));
