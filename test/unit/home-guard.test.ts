// The home guard (test/harness/home-guard.ts) sees what a test could leave in a home: a new profile several
// levels down, a changed file, a removed one; and not what the runners themselves write.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { homeChanges, snapshotHome } from '../harness/home-guard.ts';

const home = mkdtempSync(join(tmpdir(), 'davlens-guard-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('home guard', () => {
  it('names a profile written four levels down, a changed file and a removed one; ignores the runners', () => {
    mkdirSync(join(home, '.local', 'share'), { recursive: true });
    mkdirSync(join(home, '.npm'));
    writeFileSync(join(home, '.bashrc'), 'a');
    writeFileSync(join(home, 'notes.txt'), 'x');
    const past = new Date(Date.now() - 60_000);
    for (const p of ['.local/share', '.local', '.bashrc', 'notes.txt', '.npm']) utimesSync(join(home, p), past, past);
    const before = snapshotHome(home);
    expect(homeChanges(before, snapshotHome(home))).toEqual([]);

    mkdirSync(join(home, '.local', 'share', 'davlens'));
    writeFileSync(join(home, '.local', 'share', 'davlens', 'davlens.sqlite'), 'db');
    writeFileSync(join(home, '.bashrc'), 'ab');
    rmSync(join(home, 'notes.txt'));
    writeFileSync(join(home, '.npm', 'debug.log'), 'npm writes its logs here');

    expect(homeChanges(before, snapshotHome(home))).toEqual([
      'changed  ~/.bashrc',
      'changed  ~/.local/share',
      'added    ~/.local/share/davlens',
      'added    ~/.local/share/davlens/davlens.sqlite',
      'removed  ~/notes.txt',
    ]);
  });
});
