// A profile holds calendars, contacts and (in the desktop app) the password vault: nobody but its owner may
// read it, whoever made the folder and whatever the umask. Folders are 0700 and files 0600, set on every open,
// not only on creation: a user's existing 0755 --profile folder used to leave the database world-readable.
// (On Windows the modes mean little; the profile lives under the user's own AppData.)
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Makes the folder (and its missing parents) and narrows the folder itself to its owner. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * The file exists (empty when new) with owner-only modes, so that whatever opens it next (SQLite, which also
 * gives its -wal and -shm files the database's mode) never creates it with the umask's.
 */
export function ensurePrivateFile(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  chmodSync(file, PRIVATE_FILE_MODE);
}

/** Narrows existing files (a database's -wal and -shm, say) to their owner; missing ones are skipped. */
export function narrowIfPresent(...files: string[]): void {
  for (const f of files) if (existsSync(f)) chmodSync(f, PRIVATE_FILE_MODE);
}

/** writeFileSync with owner-only modes, also when the file already existed with wider ones. */
export function writePrivateFile(file: string, content: string): void {
  writeFileSync(file, content, { mode: PRIVATE_FILE_MODE });
  chmodSync(file, PRIVATE_FILE_MODE);
}
