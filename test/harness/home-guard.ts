// The proof that `npm test` leaves $HOME alone: a global setup of the whole run that notes every entry of the
// runner's home to a few levels deep (names, types, sizes and modification times) before any test starts,
// and fails the run when anything there was added, removed or changed by the time the last test ended.
// Tests run the command line, the web host, Chromium and the peers in a scratch home (test/support/scratch.ts)
// with scratch profiles; this is what catches one that does not.
import { lstatSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';

/**
 * Written by the programs that run the tests, not by the tests: npm's cache and logs, and the API token
 * folder vitest itself makes at start-up.
 */
export const RUNNER_PATHS = ['.npm', '.local/share/vitest'];

/** Deep enough for $HOME/.local/share/davlens/davlens.sqlite and ~/.config/chromium/Crash Reports. */
const DEPTH = 4;

export type HomeSnapshot = Map<string, string>;

export function snapshotHome(home: string, ignored: readonly string[] = RUNNER_PATHS): HomeSnapshot {
  const out: HomeSnapshot = new Map();
  const walk = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const rel = relative(home, path);
      if (ignored.includes(rel)) continue;
      let st;
      try {
        st = lstatSync(path);
      } catch {
        continue;
      }
      // A folder's mtime changes when an entry is added to or removed from it, so deeper writes into a new
      // file still show one level up.
      out.set(rel, `${st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : 'file'} ${st.size} ${st.mtimeMs}`);
      if (st.isDirectory() && depth < DEPTH) walk(path, depth + 1);
    }
  };
  walk(home, 1);
  return out;
}

/** What differs between two snapshots, one line per path. */
export function homeChanges(before: HomeSnapshot, after: HomeSnapshot): string[] {
  const lines: string[] = [];
  for (const [path, was] of before) {
    const now = after.get(path);
    if (now === undefined) lines.push(`removed  ~/${path}`);
    else if (now !== was) lines.push(`changed  ~/${path}`);
  }
  for (const path of after.keys()) if (!before.has(path)) lines.push(`added    ~/${path}`);
  return lines.sort((a, b) => a.slice(9).localeCompare(b.slice(9)));
}

export default function setup(): () => void {
  const home = homedir();
  const before = snapshotHome(home);
  return () => {
    const changes = homeChanges(before, snapshotHome(home));
    if (changes.length > 0) {
      throw new Error(`The test run changed the runner's home (${home}); every test must use a scratch home and profile:\n${changes.join('\n')}`);
    }
  };
}
