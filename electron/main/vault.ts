// Desktop passwords: encrypted with Electron's safeStorage (Keychain, DPAPI, libsecret/KWallet) in a file
// of their own in the profile, so the store and its backups never hold one. On Linux without a keyring,
// safeStorage falls back to 'basic_text' (a fixed key): the vault still works but says so. Where nothing
// can encrypt, passwords live in memory for the session only rather than on disk in clear.
import { safeStorage } from 'electron';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PasswordVault } from '../engine/index.ts';

export const VAULT_FILE = 'passwords.json';

/** The part of Electron's safeStorage the vault uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend(): string;
}

interface VaultFile {
  format: 'davlens-passwords-1';
  /** accountId -> base64 of safeStorage.encryptString(password). */
  entries: Record<string, string>;
}

export const BASIC_TEXT_WARNING =
  'No system keyring (Secret Service or KWallet) was found, so saved passwords are only obfuscated: anyone who can read your profile folder can read them.';
export const NO_ENCRYPTION_WARNING = 'This system offers no way to encrypt passwords, so Davlens keeps them only until it quits and will ask again next time.';

export function safeStorageVault(file: string, storage: SafeStorageLike = safeStorage, platform: NodeJS.Platform = process.platform): PasswordVault {
  const sessionOnly = new Map<string, string>();
  let entries: Promise<Record<string, string>> | null = null;
  let writes: Promise<unknown> = Promise.resolve();

  const load = () =>
    (entries ??= readFile(file, 'utf8').then(
      (text) => {
        const parsed = JSON.parse(text) as Partial<VaultFile>;
        const entries: Record<string, string> = parsed.format === 'davlens-passwords-1' && parsed.entries ? { ...parsed.entries } : {};
        return entries;
      },
      (): Record<string, string> => ({}),
    ));

  // Writes are queued so two quick changes cannot interleave; tmp + rename so a crash never leaves half a file.
  const save = (all: Record<string, string>) => {
    const body: VaultFile = { format: 'davlens-passwords-1', entries: all };
    writes = writes.then(async () => {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 });
      await rename(tmp, file);
    });
    return writes;
  };

  return {
    async get(accountId) {
      if (sessionOnly.has(accountId)) return sessionOnly.get(accountId)!;
      const stored = (await load())[accountId];
      if (stored === undefined || !storage.isEncryptionAvailable()) return null;
      try {
        return storage.decryptString(Buffer.from(stored, 'base64'));
      } catch {
        // Keyring reset or profile copied from another machine: ask for the password again.
        return null;
      }
    },
    async set(accountId, password) {
      const all = await load();
      if (!storage.isEncryptionAvailable()) {
        sessionOnly.set(accountId, password);
        if (accountId in all) {
          delete all[accountId];
          await save(all);
        }
        return;
      }
      sessionOnly.delete(accountId);
      all[accountId] = storage.encryptString(password).toString('base64');
      await save(all);
    },
    async delete(accountId) {
      sessionOnly.delete(accountId);
      const all = await load();
      if (!(accountId in all)) return;
      delete all[accountId];
      await save(all);
    },
    warning() {
      if (!storage.isEncryptionAvailable()) return NO_ENCRYPTION_WARNING;
      if (platform === 'linux' && storage.getSelectedStorageBackend() === 'basic_text') return BASIC_TEXT_WARNING;
      return null;
    },
  };
}
