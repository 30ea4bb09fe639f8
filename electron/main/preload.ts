// The preload's entry (bundled to out/preload/preload.cjs; sandboxed preloads are one CommonJS file). It
// lives here because only electron/main may import 'electron'; what it exposes is electron/preload/bridge.ts.
import { contextBridge, ipcRenderer } from 'electron';
import { PRELOAD_GLOBAL } from '../../shared/api.ts';
import { createPreloadApi } from '../preload/bridge.ts';

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, createPreloadApi(ipcRenderer));
