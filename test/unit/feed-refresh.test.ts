// A subscription's refresh in the engine, against a feed server of the test's own on loopback (node:http): how a
// feed that names itself nothing is named and coloured, how far redirects are followed, that what a copy breaks is
// kept with the subscription (across a 304, a failed read and a restart), and that the background runs refresh a
// feed only once its interval has passed, on a clock the test moves.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProgressEvent } from '../../shared/api.ts';
import { Engine } from '../../electron/engine/app/engine.ts';
import { backgroundSync } from '../../electron/engine/app/background-sync.ts';
import { memoryVault } from '../../electron/engine/app/types.ts';
import { FIXTURES } from '../support/peers.ts';
import { scratchProfile } from '../support/scratch.ts';

/** A calendar with the given header lines and one all-day event. */
const feed = (header: string[]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Davlens tests//feed-refresh//EN',
    ...header,
    'BEGIN:VEVENT',
    'UID:shift@feed.test',
    'DTSTAMP:20261201T000000Z',
    'DTSTART;VALUE=DATE:20261214',
    'SUMMARY:Shift',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

/** What /notes.ics serves now: a copy with defects (no-uid.ics), the same answered 304, a clean copy, or an HTML page. */
let notesFeed: 'defects' | 'clean' | 'html' = 'defects';
/** The background test's clock, in ms; each request is logged with it. */
let clock = 0;
const hits: { path: string; at: number }[] = [];
const hitsOf = (path: string) => hits.filter((h) => h.path === path);

let server: Server;
let base = '';

beforeAll(async () => {
  const defects = readFileSync(join(FIXTURES, 'feeds', 'no-uid.ics'), 'utf8');
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.push({ path, at: clock });
    const ics = (body: string, headers: Record<string, string> = {}) => res.writeHead(200, { 'Content-Type': 'text/calendar', ...headers }).end(body);
    // /chain/N/i: redirects to /chain/N/i+1 until i is N, which serves the calendar.
    const chain = /^\/chain\/(\d+)\/(\d+)$/.exec(path);
    if (chain) {
      const [total, at] = [Number(chain[1]), Number(chain[2])];
      if (at < total) return void res.writeHead(302, { Location: `/chain/${total}/${at + 1}` }).end();
      return void ics(feed(['X-WR-CALNAME:End of the chain']));
    }
    switch (path) {
      case '/notes.ics': {
        if (notesFeed === 'html') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><p>Sign in</p>');
        const etag = `"${notesFeed}"`;
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag }).end();
        return void ics(notesFeed === 'defects' ? defects : feed(['X-WR-CALNAME:Club fixtures']), { ETag: etag });
      }
      case '/every-30-minutes.ics':
      case '/mine-every-10.ics':
        // REFRESH-INTERVAL wins over X-PUBLISHED-TTL.
        return void ics(feed(['REFRESH-INTERVAL;VALUE=DURATION:PT30M', 'X-PUBLISHED-TTL:PT5H']));
      case '/ttl-2-hours.ics':
        return void ics(feed(['X-PUBLISHED-TTL:PT2H']));
      case '/every-minute.ics':
        return void ics(feed(['REFRESH-INTERVAL;VALUE=DURATION:PT1M']));
      default:
        // Any other path: a feed that names itself nothing and has no colour.
        return void ics(feed([]));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const engines: Engine[] = [];
const openEngine = (profile = scratchProfile()) => {
  const engine = Engine.open(profile);
  engines.push(engine);
  return engine;
};

afterEach(() => {
  for (const e of engines.splice(0)) e.close();
  vi.useRealTimers();
});

describe('a feed that names itself nothing', () => {
  it("is named from its URL's last segment, percent-decoded, without a calendar file's extension", async () => {
    const engine = openEngine();
    const names: string[] = [];
    for (const path of ['/rotas/My%20Rota.ics', '/Team%20Plan.ICAL', '/busy/free-busy.ifb', '/H%C3%B6hen.ics', '/feeds/calendar', '/export.ics.txt']) {
      const out = await engine.subscribe({ url: `${base}${path}`, insecureHttp: true }, undefined, {});
      expect(out.errors).toEqual([]);
      names.push(engine.subscriptionView(out.subscription!).name);
    }
    expect(names).toEqual(['My Rota', 'Team Plan', 'free-busy', 'Höhen', 'calendar', 'export.ics.txt']);
    // Its calendar is listed, and its events shown, under that name.
    const rota = engine.subscriptionAt(`${base}/rotas/My%20Rota.ics`)!;
    expect(engine.subscriptionCalendars(rota).map((c) => c.displayName)).toEqual(['My Rota']);
  });

  it('gets a colour chosen from its URL: a #rrggbb, the same in another profile and after a new copy', async () => {
    const url = `${base}/colourless.ics`;
    const first = openEngine();
    const a = (await first.subscribe({ url, insecureHttp: true }, undefined, {})).subscription!;
    const colour = first.subscriptionView(a).color;
    expect(colour).toMatch(/^#[0-9a-f]{6}$/);
    expect(first.subscriptionCalendars(a)[0]!.color).toBe(colour);
    // The feed answers 200 again (no validators): a new copy, the same colour.
    const again = await first.refreshSubscription(a, undefined, {});
    expect(again.counts).toEqual({ added: 0, changed: 0, deleted: 0 });
    expect(first.subscriptionView(again.subscription!).color).toBe(colour);
    const second = openEngine();
    const b = (await second.subscribe({ url, insecureHttp: true }, undefined, {})).subscription!;
    expect(second.subscriptionView(b).color).toBe(colour);
  });
});

describe('redirects of a feed', () => {
  it('follows 10 hops; the 11th is refused as for an account (redirect-loop), and nothing is stored', async () => {
    const engine = openEngine();
    const ten = await engine.subscribe({ url: `${base}/chain/10/0`, insecureHttp: true }, undefined, {});
    expect(ten.errors).toEqual([]);
    expect(ten.subscription).toMatchObject({ url: `${base}/chain/10/0` });
    expect(engine.subscriptionView(ten.subscription!).name).toBe('End of the chain');
    expect(hitsOf('/chain/10/10')).toHaveLength(1);

    const eleven = await engine.subscribe({ url: `${base}/chain/11/0`, insecureHttp: true }, undefined, {});
    expect(eleven.subscription).toBeNull();
    expect(eleven.errors).toEqual([expect.objectContaining({ code: 'redirect-loop', step: 'feed', url: `${base}/chain/11/11` })]);
    expect(eleven.errors[0]!.message).toMatch(/redirected in a loop or too often \(11 hops/);
    // The 11th target was never asked for, and the profile holds only the first subscription.
    expect(hits.filter((h) => h.path.startsWith('/chain/11/')).map((h) => h.path)).toEqual(Array.from({ length: 11 }, (_, i) => `/chain/11/${i}`));
    expect(engine.subscriptions().map((s) => s.url)).toEqual([`${base}/chain/10/0`]);
    expect(engine.store.listCollections().map((c) => c.url)).toEqual([`${base}/chain/10/0`]);
  });
});

describe("what a feed's copy breaks", () => {
  it('is kept with the subscription: across a 304, a failed read and a restart, until a new copy replaces it', async () => {
    const profile = scratchProfile();
    const url = `${base}/notes.ics`;
    notesFeed = 'defects';
    let engine = openEngine(profile);
    const added = await engine.subscribe({ url, insecureHttp: true }, undefined, {});
    const noted = [
      {
        code: 'feed-defect',
        message: `The feed at ${url}: 2 events have no UID: each is known by a hash of its content.`,
        step: 'parse',
        url,
        status: null,
      },
    ];
    expect(added.errors).toEqual(noted);
    expect(engine.subscriptionView(added.subscription!).notes).toEqual(noted);

    // Unchanged (304): nothing read, the notes stay.
    const unchanged = await engine.refreshSubscription(engine.subscription(url), undefined, {});
    expect(unchanged.report).toMatchObject({ requests: 1, added: 0, error: null });
    expect(unchanged.errors).toEqual([]);
    expect(engine.subscription(url).notes).toEqual(noted);

    // A read that fails keeps the last good copy and its notes, and says why.
    notesFeed = 'html';
    const failed = await engine.refreshSubscription(engine.subscription(url), undefined, {});
    expect(failed.errors).toEqual([expect.objectContaining({ code: 'bad-response' })]);
    expect(engine.subscription(url)).toMatchObject({ notes: noted, lastError: { code: 'bad-response' } });
    expect(engine.subscriptionCalendars(engine.subscription(url))).toHaveLength(1);

    // A restart: the notes are read from the profile.
    engine.close();
    engines.splice(engines.indexOf(engine), 1);
    engine = openEngine(profile);
    expect(engine.subscriptionView(engine.subscription(url)).notes).toEqual(noted);

    // A new copy without defects: no notes, no error.
    notesFeed = 'clean';
    const clean = await engine.refreshSubscription(engine.subscription(url), undefined, {});
    expect(clean.errors).toEqual([]);
    expect(engine.subscription(url)).toMatchObject({ notes: [], lastError: null });
  });
});

describe('background refreshes', () => {
  it("refresh a feed only once its interval has passed: the feed's (at least 15 minutes), the user's, else a day", async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const start = Date.parse('2026-12-01T00:00:00Z');
    clock = start;
    const engine = openEngine();
    const now = () => clock;
    const feeds = {
      '/every-30-minutes.ics': 30,
      '/ttl-2-hours.ics': 120,
      // PT1M asked: 15 minutes at most as often.
      '/every-minute.ics': 15,
      '/once-a-day.ics': 1440,
      // The user's own 10 minutes over the feed's 30 (and under the floor for a feed's own).
      '/mine-every-10.ics': 10,
    };
    for (const path of Object.keys(feeds)) {
      const mine = path === '/mine-every-10.ics' ? 10 : undefined;
      const out = await engine.subscribe({ url: `${base}${path}`, insecureHttp: true, refreshMinutes: mine }, undefined, {}, { now });
      expect(out.errors).toEqual([]);
      expect(out.subscription?.checkedAt).toBe(new Date(start).toISOString());
    }
    let idle: (() => void) | null = null;
    const emit = (e: ProgressEvent) => {
      if (e.type === 'sync' && !e.status.running) idle?.();
    };
    const sync = backgroundSync(engine, memoryVault(), {}, emit, now);
    try {
      const before = hits.length;
      // A day and a minute, one minute at a time: the background check runs once a minute.
      for (let minute = 1; minute <= 24 * 60 + 1; minute++) {
        clock = start + minute * 60_000;
        const done = new Promise<void>((r) => (idle = r));
        vi.advanceTimersByTime(60_000);
        if (sync.status().running) await done;
      }
      const refreshes = hits.slice(before);
      // Each feed at its interval from the minute it was subscribed (0): never sooner, never skipped.
      const every = (n: number) => Array.from({ length: Math.floor(1441 / n) }, (_, i) => (i + 1) * n);
      for (const [path, minutes] of Object.entries(feeds)) {
        expect(refreshes.filter((h) => h.path === path).map((h) => (h.at - start) / 60_000)).toEqual(every(minutes));
      }
      expect(refreshes.map((h) => h.path).filter((p) => !(p in feeds))).toEqual([]);
    } finally {
      await sync.stop();
    }
  });
});
