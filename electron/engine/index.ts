// The engine's one entry point. The hosts (Electron's engine process, the browser mode's engine thread, the
// command line) import this module and nothing else under electron/engine/; a lint rule holds them to it.
// What lies behind it is in layers, each a folder (README, "Layout"): app/ -> remote/ -> dav/ -> net/, with
// formats/ and store/ beside them.
export { createDavlensService } from './app/service.ts';
export { Engine, type AddedAccount } from './app/engine.ts';
export type { SyncReport } from './app/sync.ts';
export type { StoredAccount } from './store/store.ts';
export { memoryVault, type DavlensService, type PasswordVault, type ServiceOptions } from './app/types.ts';
export { profileDir } from './store/profile.ts';
export { ensurePrivateDir, writePrivateFile } from './store/private-files.ts';
