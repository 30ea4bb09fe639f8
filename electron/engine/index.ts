// The engine's one entry point. The hosts (Electron's engine process, the browser mode's engine thread, the
// command line) import this module and nothing else under electron/engine/; a lint rule holds them to it.
// What lies behind it is in layers, each a folder (README, "Layout"): app/ -> remote/ -> dav/ -> net/, with
// formats/ and store/ beside them.
// The engine's modules load with the first engine or service opened: a host that needs only the profile
// helpers (Electron's main process, the browser mode's HTTP thread) does not load or run them.
import type { Engine } from './app/engine.ts';
import type { DavlensService, ServiceOptions } from './app/types.ts';

export type { AddedAccount, Engine } from './app/engine.ts';
export type { OccurrenceWindow } from './app/queries.ts';
export type { WindowAnswer } from './app/window.ts';
export type { SyncReport } from './app/sync.ts';
export type { StoredAccount, StoredSubscription } from './store/store.ts';
export { memoryVault, type DavlensService, type PasswordVault, type ServiceOptions } from './app/types.ts';
export { profileDir } from './store/profile.ts';
export { ensurePrivateDir, writePrivateFile } from './store/private-files.ts';

/** The application layer on the profile's store (the command line uses it directly). */
export async function openEngine(profileDir: string): Promise<Engine> {
  const { Engine } = await import('./app/engine.ts');
  return Engine.open(profileDir);
}

/** The engine behind the API contract, for the desktop's utility process and the browser mode's thread. */
export async function createDavlensService(opts: ServiceOptions & { demoDir?: string; readerWorker?: string }): Promise<DavlensService> {
  const service = await import('./app/service.ts');
  return service.createDavlensService(opts);
}
