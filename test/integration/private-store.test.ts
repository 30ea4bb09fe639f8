// Every file Davlens writes in a profile is 0600 and every folder 0700, whoever made the folder and whatever
// the umask (issue 13 item 5; on main an existing 0755 --profile left the calendars and contacts 0644).
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { card, event } from '../support/dav-fixtures.ts';
import { HOSTILE_EMAIL, startHostileAccount, type HostileAccount } from '../support/hostile-dav.ts';
import { scratchProfile } from '../support/scratch.ts';

let account: HostileAccount | null = null;
afterEach(async () => {
  await account?.server.close();
  account = null;
});

// The umask most systems give a login shell: without the fix, new files would be 0644 and folders 0755.
let umask = 0;
beforeAll(() => {
  umask = process.umask(0o022);
});
afterAll(() => {
  process.umask(umask);
});

/** Every path under `dir` (itself included) with its permission bits, as "path 0600". */
function modes(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    out.push(`${p.slice(dir.length) || '/'} ${(st.mode & 0o777).toString(8).padStart(4, '0')}`);
    if (st.isDirectory()) for (const name of readdirSync(p).sort()) walk(join(p, name));
  };
  walk(dir);
  return out;
}

function widen(dir: string): void {
  for (const line of modes(dir)) {
    const path = join(dir, line.split(' ')[0]!);
    chmodSync(path, statSync(path).isDirectory() ? 0o755 : 0o644);
  }
}

describe('a private profile', () => {
  it('an existing 0755 folder and a store written with wide modes end up 0700 and 0600 after a sync', async () => {
    account = await startHostileAccount({ plain: event('plain', 'Private meeting') }, { ada: card('ada', 'Ada Lovelace') });
    widen(account.profile);
    expect(modes(account.profile)).toContain('/ 0755');
    const sync = await runCli(['sync', HOSTILE_EMAIL, '--profile', account.profile], account.env);
    expect(sync.code, sync.stderr).toBe(0);
    const after = modes(account.profile);
    expect(after).toEqual(expect.arrayContaining(['/ 0700', '/davlens.sqlite 0600']));
    // The WAL and shared-memory files SQLite made beside it, if still there, carry the database's mode.
    for (const line of after) expect(line, line).toMatch(line.startsWith('/ ') ? / 0700$/ : / 0600$/);
  });

  it('a new store in a folder the user made (0755) is private from its first byte', async () => {
    const dir = join(scratchProfile(), 'mine');
    mkdirSync(dir, { mode: 0o755 });
    expect(modes(dir)).toEqual(['/ 0755']);
    // No such account: the command fails, but it has opened (and so created) the store.
    const run = await runCli(['calendars', 'nobody@example.test', '--profile', dir]);
    expect(run.code, run.stderr).not.toBe(0);
    const after = modes(dir);
    expect(after).toEqual(expect.arrayContaining(['/ 0700', '/davlens.sqlite 0600']));
    for (const line of after) expect(line, line).toMatch(line.startsWith('/ ') ? / 0700$/ : / 0600$/);
  });
});
