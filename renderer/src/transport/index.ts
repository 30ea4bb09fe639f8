// The UI's one way to reach the engine. It picks the transport once, at start: the desktop preload's
// object when it exists (Electron IPC), HTTP + server-sent events otherwise (browser mode). Nothing else in
// the UI knows which host it runs in; both give the same Results.
import type { DavlensClient } from '../../../shared/api.ts';
import { PRELOAD_GLOBAL } from '../../../shared/api.ts';
import type { HostEventSource } from '../../../shared/host-events.ts';
import { createHttpClient } from './http.ts';

export type { HostEventSource } from '../../../shared/host-events.ts';

export type UiClient = DavlensClient & HostEventSource;

export function createClient(): UiClient {
  const preload = Reflect.get(globalThis, PRELOAD_GLOBAL) as UiClient | undefined;
  if (preload && typeof preload.listAccounts === 'function') return preload;
  return createHttpClient();
}
