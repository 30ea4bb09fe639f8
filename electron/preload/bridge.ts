// What the preload exposes to the page: exactly the contract (one ipcRenderer.invoke per method), the
// progress subscription and the native-menu subscription, nothing else. No ipcRenderer, no event objects
// (an IpcRendererEvent would hand the page `sender`). Electron-free so it is tested without Electron;
// electron/main/preload.ts is the entry that passes Electron's ipcRenderer in.
import type { DavlensClient, ProgressEvent, Result } from '../../shared/api.ts';
import { apiOver } from '../../shared/api.ts';
import type { HostEvent, HostEventSource } from '../../shared/host-events.ts';
import { apiChannel, HOST_EVENT_CHANNEL, PROGRESS_CHANNEL } from './channels.ts';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export type PreloadApi = DavlensClient & HostEventSource;

export function createPreloadApi(ipc: IpcRendererLike): PreloadApi {
  const subscribe = <T>(channel: string, listener: (payload: T) => void): (() => void) => {
    const handler = (_event: unknown, payload: unknown) => listener(payload as T);
    ipc.on(channel, handler);
    return () => void ipc.removeListener(channel, handler);
  };
  return {
    ...apiOver((method, arg) => ipc.invoke(apiChannel(method), arg) as Promise<Result<unknown>>),
    onProgress: (listener: (event: ProgressEvent) => void) => subscribe(PROGRESS_CHANNEL, listener),
    onHostEvent: (listener: (event: HostEvent) => void) => subscribe(HOST_EVENT_CHANNEL, listener),
  };
}
