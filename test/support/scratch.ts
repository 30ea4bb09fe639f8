// A scratch home for everything a test starts (the command line, the web host, Chromium, the peers): tests
// never touch the user's home or real profile. One folder per test process, removed when the process exits;
// test/harness/home-guard.ts checks after every run that the real home was left alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let home: string | undefined;

export function scratchHome(): string {
  if (home === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'davlens-test-home-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    home = dir;
  }
  return home;
}

/** HOME and the XDG base directories, all inside the scratch home. */
export function scratchHomeEnv(): Record<string, string> {
  const dir = scratchHome();
  return {
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, '.config'),
    XDG_DATA_HOME: join(dir, '.local', 'share'),
    XDG_CACHE_HOME: join(dir, '.cache'),
    XDG_STATE_HOME: join(dir, '.local', 'state'),
  };
}

/** A fresh, empty profile folder inside the scratch home. */
export function scratchProfile(): string {
  return mkdtempSync(join(scratchHome(), 'profile-'));
}
