// The store across processes: a sync killed with SIGKILL at a random moment leaves every collection either
// as before or complete (never half-written), and a rerun completes it; the CLI reads the profile while
// another process syncs into it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../electron/engine/store/store.ts';
import { loadHarness } from '../harness/env.ts';
import { basicAuth, del, mkcalendar, put } from '../harness/seed.ts';
import { runCli } from '../support/cli.ts';
import { scratchHomeEnv } from '../support/scratch.ts';

const h = loadHarness();
const BIN = resolve(import.meta.dirname, '../../bin/davlens');
const auth = basicAuth(h.users.bob.username, h.users.bob.password);
const home = 'https://dav.example.test:8443/bob/';
const tag = Math.random().toString(36).slice(2, 8);
const CALENDARS = 3;
const PER_CALENDAR = 150;
const calUrl = (n: number) => `${home}kill-${tag}-${n}/`;
const env = { DAVLENS_PASSWORD: h.users.bob.password };
const flags = (profile: string) => ['--profile', profile, '--dns', h.dns, '--ca', h.caFile];

function ics(uid: string, n: number): string {
  const day = String((n % 28) + 1).padStart(2, '0');
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:202612${day}T090000Z\r\nDURATION:PT1H\r\nSUMMARY:Event ${n}\r\nDESCRIPTION:${'x'.repeat(2000)}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
}

beforeAll(async () => {
  for (let c = 0; c < CALENDARS; c++) {
    await mkcalendar(calUrl(c), auth, { displayName: `Kill ${tag} ${c}` });
    // A few uploads at a time: Radicale serialises writes and nginx times out a long queue.
    for (let i = 0; i < PER_CALENDAR; i += 5) {
      await Promise.all(
        [0, 1, 2, 3, 4]
          .filter((j) => i + j < PER_CALENDAR)
          .map((j) => put(`${calUrl(c)}e${i + j}`, auth, ics(`k${tag}-${c}-${i + j}`, i + j), 'text/calendar')),
      );
    }
  }
}, 180_000);

afterAll(async () => {
  for (let c = 0; c < CALENDARS; c++) await del(calUrl(c), auth).catch(() => undefined);
});

function ourCollections(store: Store) {
  return store.listCollections('bob@example.test', 'calendar').filter((c) => c.url.includes(`kill-${tag}`));
}

describe('store across processes', () => {
  it('a sync killed with SIGKILL leaves a consistent store; a rerun completes it', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'davlens-kill-'));
    try {
      expect((await runCli(['discover', h.users.bob.email, ...flags(profile), '--json'], env)).code).toBe(0);
      const completeAfterKill: number[] = [];
      for (const delayMs of [150, 400, 700, 1000, 1300]) {
        const child = spawn(BIN, ['sync', h.users.bob.email, ...flags(profile)], { env: { ...process.env, ...scratchHomeEnv(), ...env }, stdio: 'ignore' });
        const exited = new Promise((r) => child.once('exit', r));
        await new Promise((r) => setTimeout(r, delayMs));
        child.kill('SIGKILL');
        await exited;
        const store = Store.open(profile);
        try {
          expect((store.db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
          completeAfterKill.push(ourCollections(store).filter((c) => c.syncedAt !== null).length);
          for (const c of ourCollections(store)) {
            // All or nothing per collection: never a partial set of items.
            expect([0, PER_CALENDAR]).toContain(store.counts(c.id));
            expect(store.counts(c.id) === PER_CALENDAR).toBe(c.syncedAt !== null);
          }
        } finally {
          store.close();
        }
      }
      // The kills landed at different points: at least once before the sync was complete.
      console.log(`complete collections after each kill: ${completeAfterKill.join(', ')} of ${CALENDARS}`);
      expect(completeAfterKill.some((n) => n < CALENDARS)).toBe(true);
      expect((await runCli(['sync', h.users.bob.email, ...flags(profile), '--json'], env)).code).toBe(0);
      const store = Store.open(profile);
      try {
        const cols = ourCollections(store);
        expect(cols).toHaveLength(CALENDARS);
        for (const c of cols) expect(store.counts(c.id)).toBe(PER_CALENDAR);
      } finally {
        store.close();
      }
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });

  it('the CLI reads the profile while another process syncs into it', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'davlens-concurrent-'));
    try {
      expect((await runCli(['sync', h.users.bob.email, ...flags(profile), '--json'], env)).code).toBe(0);
      // Force a full resync in the background: every collection is rewritten while the reader runs.
      const store = Store.open(profile);
      store.db.exec("UPDATE collections SET sync_token = 'http://radicale.org/ns/sync/stale', ctag = NULL");
      store.close();
      const syncing = runCli(['sync', h.users.bob.email, ...flags(profile), '--json'], env);
      const reads = await Promise.all(
        [0, 1, 2, 3].map(() =>
          runCli(
            [
              'events',
              h.users.bob.email,
              '--from',
              '2026-12-01',
              '--to',
              '2027-01-01',
              '--tz',
              'UTC',
              '--calendar',
              `Kill ${tag} 1`,
              ...flags(profile),
              '--json',
            ],
            env,
          ),
        ),
      );
      for (const r of reads) {
        expect(r.code).toBe(0);
        expect((r.json as { events: unknown[] }).events).toHaveLength(PER_CALENDAR);
      }
      expect((await syncing).code).toBe(0);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
