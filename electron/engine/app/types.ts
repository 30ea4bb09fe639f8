// What every host (Electron main via a utility process, the browser-mode server, tests) gets from the
// engine: the API contract, progress events, and a clean shutdown. Hosts supply where passwords live.
import type { DavlensApi, ProgressEvent } from '../../../shared/api.ts';

/**
 * Where a host keeps passwords. The store never holds one. Desktop: encrypted with Electron's safeStorage
 * in a file of its own in the profile. Browser mode without Electron: in memory, for the session only.
 */
export interface PasswordVault {
  get(accountId: string): Promise<string | null>;
  set(accountId: string, password: string): Promise<void>;
  delete(accountId: string): Promise<void>;
  /** A warning to show (e.g. safeStorage fell back to its plain-text backend on Linux), or null. */
  warning(): string | null;
}

export interface ServiceOptions {
  /** The profile directory (see profileDir()): the store lives here. */
  profileDir: string;
  vault: PasswordVault;
  /** Extra CA file content and DNS server for every account (tests, split-horizon setups). */
  ca?: string;
  dns?: string;
  /** Background sync interval; 0 disables it (tests). */
  syncIntervalMinutes?: number;
}

export interface DavlensService extends DavlensApi {
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  close(): Promise<void>;
}

/** A vault that forgets everything when the process ends (browser mode without Electron, tests). */
export function memoryVault(): PasswordVault {
  const m = new Map<string, string>();
  return {
    get: async (id) => m.get(id) ?? null,
    set: async (id, pw) => void m.set(id, pw),
    delete: async (id) => void m.delete(id),
    warning: () => null,
  };
}
