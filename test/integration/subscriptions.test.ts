// Subscribed calendars against a feed server of the tests' own (node:http and node:https on loopback): the first
// fetch and the 304s after it, the refresh interval a feed asks for, redirects (a permanent one moves the
// subscription; one to http is refused), a feed too large, a feed that turns into an HTML page (the last good copy
// stays), Basic login (and --trace never showing its password), what a feed breaks kept with the subscription, and
// the command line's shapes for a feed URL, its flags before or after it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/api.ts';
import { createDavlensService, memoryVault } from '../../electron/engine/index.ts';
import { makeCertificate } from '../harness/certs.ts';
import { configurations } from '../harness/configurations.ts';
import { loadHarness } from '../harness/env.ts';
import { basicAuth, del, mkcalendar, put } from '../harness/seed.ts';
import { runCli, type CliRun } from '../support/cli.ts';
import { FIXTURES } from '../support/peers.ts';

const dir = mkdtempSync(join(tmpdir(), 'davlens-feeds-'));
let plain: Server;
let tls: Server;
let base = '';
let tlsBase = '';
let caFile = '';
const seen: { path: string; ifNoneMatch: string | null; ifModifiedSince: string | null; authorization: string | null }[] = [];
/** What /turns.ics serves now. */
let turns: 'calendar' | 'html' = 'calendar';
/** The version /h.ics serves (its ETag changes with it). */
let version = 1;

const LAST_MODIFIED = 'Tue, 01 Dec 2026 10:00:00 GMT';
const BASIC_ANN = `Basic ${Buffer.from('ann:feedpw').toString('base64')}`;
/** Events without UID (named by a hash of their content): a feed-defect note. */
const DEFECTS = readFileSync(join(FIXTURES, 'feeds', 'no-uid.ics'), 'utf8');

function calendar(name: string, extra: string[], events: [uid: string, day: string, summary: string][]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Davlens tests//feed server//EN',
    `X-WR-CALNAME:${name}`,
    ...extra,
    ...events.flatMap(([uid, day, summary]) => [
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20261201T000000Z',
      `DTSTART;VALUE=DATE:${day}`,
      `SUMMARY:${summary}`,
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const HOLIDAYS = () =>
  calendar(
    'Public holidays',
    ['X-APPLE-CALENDAR-COLOR:#FF2968FF'],
    [
      ['xmas@h.test', '20261225', 'Christmas Day'],
      ['boxing@h.test', '20261226', 'Boxing Day'],
      ...(version > 1 ? ([['newyear@h.test', '20270101', 'New Year']] as [string, string, string][]) : []),
    ],
  );

/** 8,000 events, one of them without UID: about 1.2 MB. */
const LARGE = calendar(
  'Timetable',
  [],
  Array.from({ length: 8000 }, (_, i): [string, string, string] => [
    `lecture-${i}@h.test`,
    `2026${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`,
    `Lecture ${i} in room ${i % 40}, building ${i % 7}`,
  ]),
).replace('UID:lecture-0@h.test\r\n', '');

function handle(req: IncomingMessage, res: ServerResponse, self: string): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  seen.push({
    path,
    ifNoneMatch: req.headers['if-none-match'] ?? null,
    ifModifiedSince: req.headers['if-modified-since'] ?? null,
    authorization: req.headers.authorization ?? null,
  });
  const ics = (body: string, headers: Record<string, string> = {}): void => {
    res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8', ...headers }).end(body);
  };
  switch (path) {
    case '/h.ics': {
      const etag = `"v${version}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag }).end();
      return ics(HOLIDAYS(), { ETag: etag });
    }
    case '/lm.ics':
      if (req.headers['if-modified-since'] === LAST_MODIFIED) return void res.writeHead(304).end();
      return ics(calendar('Dated', [], [['d@h.test', '20261210', 'Dated']]), { 'Last-Modified': LAST_MODIFIED });
    case '/ttl.ics':
      return ics(calendar('TTL', ['X-PUBLISHED-TTL:PT30M'], [['t@h.test', '20261210', 'TTL']]));
    case '/refresh.ics':
      return ics(calendar('Both', ['REFRESH-INTERVAL;VALUE=DURATION:PT2H', 'X-PUBLISHED-TTL:PT30M'], [['r@h.test', '20261210', 'Both']]));
    case '/eager.ics':
      return ics(calendar('Eager', ['REFRESH-INTERVAL;VALUE=DURATION:PT1M'], [['e@h.test', '20261210', 'Eager']]));
    case '/old.ics':
      return void res.writeHead(301, { Location: '/h.ics' }).end();
    case '/for-now.ics':
      return void res.writeHead(302, { Location: `${self}/h.ics` }).end();
    case '/down.ics':
      return void res.writeHead(301, { Location: `${base}/h.ics` }).end();
    case '/big.ics': {
      // 50 MB announced and sent: refused from its Content-Length.
      res.writeHead(200, { 'Content-Type': 'text/calendar', 'Content-Length': String(50 * 1024 * 1024) });
      return void res.end(Buffer.alloc(50 * 1024 * 1024, 0x41));
    }
    case '/big-chunked.ics': {
      // 50 MB with no length announced: refused once 32 MB have come.
      res.writeHead(200, { 'Content-Type': 'text/calendar' });
      const chunk = Buffer.alloc(1024 * 1024, 0x41);
      let sent = 0;
      const more = () => {
        while (sent < 50 && res.write(chunk)) sent++;
        if (sent >= 50) res.end();
        else res.once('drain', () => ((sent += 1), more()));
      };
      res.on('error', () => undefined);
      return more();
    }
    case '/turns.ics':
      if (turns === 'html') return void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><html><body><h1>Sign in</h1></body></html>');
      return ics(calendar('Rota', [], [['shift@h.test', '20261214', 'Early shift']]));
    case '/large.ics':
      // Over a million characters: read in the reader's worker thread.
      return ics(LARGE);
    case '/large-truncated.ics':
      return ics(LARGE.slice(0, LARGE.length - 200));
    case '/private-moved.ics':
      // To another host name (localhost, not 127.0.0.1): the feed's password must not follow.
      return void res.writeHead(302, { Location: `${self.replace('127.0.0.1', 'localhost')}/private.ics` }).end();
    case '/private.ics':
      if (req.headers.authorization !== BASIC_ANN) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="feeds"' }).end('login needed');
      return ics(calendar('Team rota', [], [['p@h.test', '20261215', 'On call']]));
    case '/private-dated.ics':
      // A login, and both validators: a refresh asks conditionally, logged in from its first request.
      if (req.headers.authorization !== BASIC_ANN) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="feeds"' }).end('login needed');
      if (req.headers['if-none-match'] === '"p1"') return void res.writeHead(304, { ETag: '"p1"' }).end();
      return ics(calendar('Team rota', [], [['p@h.test', '20261215', 'On call']]), { ETag: '"p1"', 'Last-Modified': LAST_MODIFIED });
    case '/defects.ics':
      if (req.headers['if-none-match'] === '"d1"') return void res.writeHead(304, { ETag: '"d1"' }).end();
      return ics(DEFECTS, { ETag: '"d1"' });
    default:
      return void res.writeHead(404).end('not found');
  }
}

beforeAll(async () => {
  const cert = await makeCertificate(dir, ['feeds.test']);
  caFile = cert.certFile;
  plain = createHttpServer((req, res) => handle(req, res, base));
  tls = createHttpsServer({ cert: readFileSync(cert.certFile), key: readFileSync(cert.keyFile) }, (req, res) => handle(req, res, tlsBase));
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  tlsBase = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of [plain, tls]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  rmSync(dir, { recursive: true, force: true });
});

let profiles = 0;
const newProfile = () => join(dir, `profile-${++profiles}`);
/** The CA of the https feed server goes with every run, as a host gives it (it is not stored with a subscription). */
const cli = (profile: string, args: string[], env: Record<string, string> = {}) => runCli([...args, '--profile', profile, '--ca', caFile, '--json'], env);
const json = (r: CliRun) => r.json as Record<string, unknown> & { errors: { code: string; message: string; step: string }[] };
const requestsTo = (path: string) => seen.filter((s) => s.path === path);

describe('subscribed calendars', () => {
  it('subscribes (webcals as https), lists, reads and exports the feed; an unchanged feed costs one 304', async () => {
    const p = newProfile();
    const add = await cli(p, ['subscribe', `${tlsBase.replace('https:', 'webcals:')}/h.ics`]);
    expect(add.code).toBe(0);
    expect(json(add)).toEqual({
      subscription: { url: `${tlsBase}/h.ics`, name: 'Public holidays', color: '#ff2968', refreshMinutes: 1440, syncedAt: expect.any(String), notes: [] },
      errors: [],
    });
    const url = `${tlsBase}/h.ics`;
    const listed = await cli(p, ['subscriptions']);
    expect(json(listed)).toEqual({ subscriptions: [json(add).subscription], errors: [] });
    // webcal is compared as https.
    const events = await cli(p, ['events', url.replace('https:', 'webcal:'), '--from', '2026-12-01', '--to', '2027-01-01', '--tz', 'UTC']);
    expect(events.code).toBe(0);
    expect(json(events)).toMatchObject({ partial: false, errors: [], syncedAt: expect.any(String) });
    expect(
      (json(events).events as { summary: string; calendar: string; calendarUrl: string; href: string }[]).map((e) => [
        e.summary,
        e.calendar,
        e.calendarUrl,
        e.href,
      ]),
    ).toEqual([
      ['Christmas Day', 'Public holidays', url, `${url}#xmas%40h.test`],
      ['Boxing Day', 'Public holidays', url, `${url}#boxing%40h.test`],
    ]);
    const calendars = await cli(p, ['calendars', url]);
    expect(json(calendars).calendars).toEqual([expect.objectContaining({ url, displayName: 'Public holidays', readOnly: true, components: ['VEVENT'] })]);
    const file = join(dir, 'holidays.ics');
    const exported = await cli(p, ['export', url, '--out', file]);
    expect(json(exported)).toMatchObject({ file, kind: 'ics', collection: url, errors: [] });
    expect(readFileSync(file, 'utf8').match(/BEGIN:VEVENT/g)).toHaveLength(2);

    const before = requestsTo('/h.ics').length;
    const sync = await cli(p, ['sync', url]);
    expect(sync.code).toBe(0);
    expect(json(sync)).toMatchObject({
      listing: null,
      collections: [{ accountId: url, url, displayName: 'Public holidays', kind: 'calendar', added: 0, changed: 0, deleted: 0, requests: 1, error: null }],
      passwordNeeded: false,
    });
    expect(requestsTo('/h.ics').slice(before)).toEqual([expect.objectContaining({ ifNoneMatch: '"v1"' })]);
    // A new version: one GET, one event added.
    version = 2;
    const changed = await cli(p, ['sync', url]);
    expect(json(changed).collections).toEqual([expect.objectContaining({ added: 1, changed: 0, deleted: 0, requests: 1 })]);
    version = 1;
    const back = await cli(p, ['sync', url]);
    expect(json(back).collections).toEqual([expect.objectContaining({ added: 0, changed: 0, deleted: 1 })]);
  });

  it('asks with If-Modified-Since where the feed gave Last-Modified', async () => {
    const p = newProfile();
    expect((await cli(p, ['subscribe', `${base}/lm.ics`, '--insecure-http'])).code).toBe(0);
    const sync = await cli(p, ['sync', `${base}/lm.ics`]);
    expect(json(sync).collections).toEqual([expect.objectContaining({ added: 0, requests: 1, error: null })]);
    expect(requestsTo('/lm.ics').at(-1)).toMatchObject({ ifModifiedSince: LAST_MODIFIED, ifNoneMatch: null });
  });

  it("follows REFRESH-INTERVAL, else X-PUBLISHED-TTL, never under 15 minutes; the user's own interval wins", async () => {
    const p = newProfile();
    const minutes = async (path: string, extra: string[] = []) =>
      ((json(await cli(p, ['subscribe', `${base}${path}`, '--insecure-http', ...extra])).subscription ?? {}) as { refreshMinutes?: number }).refreshMinutes;
    expect(await minutes('/ttl.ics')).toBe(30);
    expect(await minutes('/refresh.ics')).toBe(120);
    expect(await minutes('/eager.ics')).toBe(15);
    expect(await minutes('/eager.ics', ['--refresh', '5'])).toBe(5);
  });

  it('a permanent redirect moves the subscription to the new URL; a temporary one does not', async () => {
    const p = newProfile();
    const moved = await cli(p, ['subscribe', `${base}/old.ics`, '--insecure-http']);
    expect(json(moved).subscription).toMatchObject({ url: `${base}/h.ics`, name: 'Public holidays' });
    const later = await cli(p, ['subscriptions']);
    expect((json(later).subscriptions as { url: string }[]).map((s) => s.url)).toEqual([`${base}/h.ics`]);
    // The old URL names nothing now: a usage error pointing to `davlens subscribe`.
    const old = await cli(p, ['events', `${base}/old.ics`, '--from', '2026-12-01', '--to', '2027-01-01']);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain(`davlens subscribe ${base}/old.ics`);
    const events = await cli(p, ['events', `${base}/h.ics`, '--from', '2026-12-01', '--to', '2027-01-01', '--tz', 'UTC']);
    expect((json(events).events as { href: string }[]).map((e) => e.href)).toEqual([`${base}/h.ics#xmas%40h.test`, `${base}/h.ics#boxing%40h.test`]);

    const temporary = await cli(p, ['subscribe', `${base}/for-now.ics`, '--insecure-http']);
    expect(json(temporary).subscription).toMatchObject({ url: `${base}/for-now.ics` });
  });

  it('refuses a redirect from https to http, and plain http without --insecure-http', async () => {
    const p = newProfile();
    const down = await cli(p, ['subscribe', `${tlsBase}/down.ics`]);
    expect(down.code).toBe(1);
    expect(json(down)).toMatchObject({ subscription: null, errors: [{ code: 'insecure-refused', step: 'feed' }] });
    expect(json(down).errors[0]!.message).toMatch(/never follows a downgrade/);
    const http = await cli(p, ['subscribe', `${base}/h.ics`]);
    expect(json(http)).toMatchObject({ subscription: null, errors: [{ code: 'insecure-refused', step: 'feed' }] });
    expect(json(await cli(p, ['subscriptions'])).subscriptions).toEqual([]);
  });

  it('refuses a 50 MB feed cleanly, announced or not, and keeps nothing of it', async () => {
    const p = newProfile();
    for (const path of ['/big.ics', '/big-chunked.ics']) {
      const big = await cli(p, ['subscribe', `${base}${path}`, '--insecure-http']);
      expect(big.code).toBe(1);
      expect(json(big)).toMatchObject({ subscription: null, errors: [{ code: 'response-too-large', step: 'feed' }] });
      expect(json(big).errors[0]!.message).toContain('larger than 32 MB');
    }
    expect(json(await cli(p, ['subscriptions'])).subscriptions).toEqual([]);
  });

  it('a feed that turns into an HTML page is named, and its last good copy is kept and shown', async () => {
    const p = newProfile();
    const url = `${base}/turns.ics`;
    turns = 'calendar';
    expect((await cli(p, ['subscribe', url, '--insecure-http'])).code).toBe(0);
    turns = 'html';
    const sync = await cli(p, ['sync', url]);
    expect(sync.code).toBe(1);
    expect(json(sync).errors).toEqual([
      expect.objectContaining({
        code: 'bad-response',
        step: 'feed',
        message: `The feed at ${url} could not be read: it is an HTML page, not a calendar. The last good copy is kept.`,
      }),
    ]);
    const events = await cli(p, ['events', url, '--from', '2026-12-01', '--to', '2027-01-01']);
    expect(events.code).toBe(0);
    expect((json(events).events as { summary: string }[]).map((e) => e.summary)).toEqual(['Early shift']);
    // And an HTML page is never a first copy.
    const fresh = await cli(newProfile(), ['subscribe', url, '--insecure-http']);
    expect(json(fresh)).toMatchObject({ subscription: null, errors: [{ code: 'bad-response' }] });
    turns = 'calendar';
  });

  it('logs in with Basic where the feed asks, only with --user; the password goes only there and is never stored', async () => {
    const p = newProfile();
    const url = `${base}/private.ics`;
    const anonymous = await cli(p, ['subscribe', url, '--insecure-http']);
    expect(json(anonymous)).toMatchObject({ subscription: null, errors: [{ code: 'auth-failed', step: 'feed' }] });
    expect(json(anonymous).errors[0]!.message).toContain('--user NAME');
    const wrong = await cli(p, ['subscribe', url, '--insecure-http', '--user', 'ann'], { DAVLENS_PASSWORD: 'nope' });
    expect(json(wrong)).toMatchObject({ subscription: null, errors: [{ code: 'auth-failed' }] });
    const ok = await cli(p, ['subscribe', url, '--insecure-http', '--user', 'ann'], { DAVLENS_PASSWORD: 'feedpw' });
    expect(ok.code).toBe(0);
    expect(json(ok).subscription).toMatchObject({ name: 'Team rota' });
    // A refresh asks for the password again (the command line keeps none) and sends it.
    const sync = await cli(p, ['sync', url], { DAVLENS_PASSWORD: 'feedpw' });
    expect(json(sync).collections).toEqual([expect.objectContaining({ error: null })]);
    const store = readFileSync(join(p, 'davlens.sqlite'));
    expect(store.includes('feedpw')).toBe(false);
    // Redirected to another host that asks for a login: refused, and no credentials went there.
    const before = requestsTo('/private.ics').length;
    const moved = await cli(p, ['subscribe', `${base}/private-moved.ics`, '--insecure-http', '--user', 'ann'], { DAVLENS_PASSWORD: 'feedpw' });
    expect(json(moved)).toMatchObject({ subscription: null, errors: [{ code: 'needs-approval', step: 'feed' }] });
    expect(json(moved).errors[0]!.message).toContain("sends the feed's password only to 127.0.0.1");
    expect(requestsTo('/private.ics').slice(before)).toEqual([expect.objectContaining({ authorization: null })]);
  });

  it('a feed URL where an account is expected, or an unknown one, is a usage error (exit 2)', async () => {
    const p = newProfile();
    for (const command of ['discover', 'addressbooks', 'contacts']) {
      const r = await cli(p, [command, `${base}/h.ics`]);
      expect(r.code).toBe(2);
    }
    for (const command of [['calendars'], ['sync'], ['export'], ['events', '--from', '2026-12-01', '--to', '2027-01-01'], ['unsubscribe']]) {
      const r = await cli(p, [command[0]!, `${base}/nowhere.ics`, ...command.slice(1)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('davlens subscribe');
    }
    const exported = await cli(p, ['export', `${base}/h.ics`, '--addressbook', 'x']);
    expect(exported.code).toBe(2);
  });

  it("finds the URL among flags given before it: a flag's value is never taken for the URL", async () => {
    const p = newProfile();
    const url = `${base}/h.ics`;
    expect((await runCli(['subscribe', '--profile', p, '--insecure-http', url, '--json'])).code).toBe(0);
    // The address-book commands refuse the feed whatever stands before it.
    const refusals: [string, string[]][] = [
      ['contacts', ['--profile', p, url, '--json']],
      ['addressbooks', ['--profile', p, url]],
      ['groups', ['--addressbook', 'Contacts', '--profile', p, url, '--json']],
      ['contacts', ['--search', 'x', '--group', 'Friends', '--profile', p, url]],
    ];
    for (const [command, args] of refusals) {
      const r = await runCli([command, ...args]);
      expect({ command, code: r.code, stdout: r.stdout }).toEqual({ command, code: 2, stdout: '' });
      expect(r.stderr).toContain(`${command} takes an email address: a subscribed feed (${url}) holds a calendar only.`);
    }
    // export needs no --calendar for a feed, with --out before the URL.
    const file = join(dir, 'flags-first.ics');
    const exported = await runCli(['export', '--out', file, '--profile', p, url]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toBe(`${file}: ${readFileSync(file).length} bytes\n`);
    expect(
      readFileSync(file, 'utf8')
        .match(/^SUMMARY:.*$/gm)
        ?.sort(),
    ).toEqual(['SUMMARY:Boxing Day', 'SUMMARY:Christmas Day']);
    // The calendar commands read it with their flags first.
    const events = await runCli(['events', '--profile', p, '--from', '2026-12-01', '--to', '2027-01-01', '--tz', 'UTC', '--json', url]);
    expect(events.code).toBe(0);
    expect((json(events).events as { summary: string }[]).map((e) => e.summary)).toEqual(['Christmas Day', 'Boxing Day']);
    const calendars = await runCli(['calendars', '--profile', p, '--json', url]);
    expect(json(calendars).calendars).toEqual([expect.objectContaining({ url, displayName: 'Public holidays', kind: 'subscription' })]);
    const sync = await runCli(['sync', '--profile', p, '--json', url]);
    expect(json(sync).collections).toEqual([expect.objectContaining({ url, requests: 1, error: null })]);
    // A second positional is still a usage error, wherever the flags stand.
    expect((await runCli(['calendars', '--profile', p, url, url])).code).toBe(2);
  });

  it("--trace shows the feed's GET with its conditional headers and a login, never the password", async () => {
    const p = newProfile();
    const url = `${base}/private-dated.ics`;
    const env = { DAVLENS_PASSWORD: 'feedpw' };
    const secrets = ['feedpw', Buffer.from('ann:feedpw').toString('base64')];
    const added = await runCli(['subscribe', url, '--insecure-http', '--user', 'ann', '--trace', '--profile', p], env);
    expect(added.code).toBe(0);
    // First anonymous (the feed has not asked yet), then with the login curl is told to make itself.
    expect(added.stderr).toContain(`curl -sS -H 'Accept: text/calendar, */*;q=0.5' ${url}\n# -> 401`);
    expect(added.stderr).toContain(`curl -sS -H 'Accept: text/calendar, */*;q=0.5' --basic -u "$DAVLENS_USER:$DAVLENS_PASSWORD" ${url}\n# -> 200`);
    const sync = await runCli(['sync', url, '--trace', '--profile', p], env);
    expect(sync.code).toBe(0);
    // A refresh: one GET, logged in at once, conditional on both validators of the stored copy: a 304.
    const gets = sync.stderr.split('\n').filter((l) => l.startsWith('curl '));
    expect(gets).toEqual([
      `curl -sS -H 'Accept: text/calendar, */*;q=0.5' -H 'If-None-Match: "p1"' -H 'If-Modified-Since: ${LAST_MODIFIED}' --basic -u "$DAVLENS_USER:$DAVLENS_PASSWORD" ${url}`,
    ]);
    expect(sync.stderr).toMatch(/^# -> 304 \(\d+ ms\)$/m);
    for (const run of [added, sync]) for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('keeps what a feed breaks with the subscription: subscriptions, calendars and events show it after a 304', async () => {
    const p = newProfile();
    const url = `${base}/defects.ics`;
    const note = {
      code: 'feed-defect',
      message: `The feed at ${url}: 2 events have no UID: each is known by a hash of its content.`,
      step: 'parse',
      url,
      status: null,
    };
    const added = await cli(p, ['subscribe', url, '--insecure-http']);
    expect(added.code).toBe(0);
    expect(json(added)).toMatchObject({ subscription: { name: 'Club fixtures', notes: [note] }, errors: [note] });
    // Unchanged since: the refresh reads nothing new, and the notes stay.
    const sync = await cli(p, ['sync', url]);
    expect(json(sync)).toMatchObject({ collections: [{ requests: 1, added: 0, error: null }], errors: [] });
    const listed = await cli(p, ['subscriptions']);
    expect(json(listed)).toEqual({ subscriptions: [expect.objectContaining({ url, notes: [note] })], errors: [] });
    const calendars = await cli(p, ['calendars', url]);
    expect(calendars.code).toBe(0);
    expect(json(calendars).errors).toEqual([note]);
    expect(calendars.stderr).toContain(note.message);
    const events = await cli(p, ['events', url, '--from', '2026-11-01', '--to', '2026-12-01', '--tz', 'UTC']);
    expect(events.code).toBe(0);
    expect(json(events).errors).toEqual([note]);
    expect((json(events).events as { summary: string }[]).map((e) => e.summary)).toEqual(['Training', 'Home match', 'Away match']);
    // The plain listing names them under the subscription.
    const plainList = await runCli(['subscriptions', '--profile', p]);
    expect(plainList.stdout).toContain(`  ${url}\n  ${note.message}\n`);
  });

  it('unsubscribes: the calendar and its events go with it', async () => {
    const p = newProfile();
    const url = `${base}/h.ics`;
    await cli(p, ['subscribe', url, '--insecure-http', '--name', 'My holidays']);
    expect(json(await cli(p, ['calendars', url])).calendars).toEqual([expect.objectContaining({ displayName: 'My holidays' })]);
    // Subscribing again updates it: a new name shows although the feed is unchanged (a 304).
    const again = await cli(p, ['subscribe', url, '--insecure-http', '--name', 'Feiertage']);
    expect(json(again).subscription).toMatchObject({ url, name: 'Feiertage' });
    expect(json(await cli(p, ['calendars', url])).calendars).toEqual([expect.objectContaining({ displayName: 'Feiertage' })]);
    const gone = await cli(p, ['unsubscribe', url]);
    expect(json(gone)).toEqual({ unsubscribed: url, errors: [] });
    expect(json(await cli(p, ['subscriptions'])).subscriptions).toEqual([]);
  });
});

describe('subscribed calendars through the API (what the app calls)', () => {
  const value = <T>(r: Result<T>): T => {
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value;
  };

  it('subscribes, lists the subscription beside the accounts, shows its events unless hidden, renames, refreshes with its kept password, unsubscribes', async () => {
    const vault = memoryVault();
    const service = await createDavlensService({ profileDir: newProfile(), vault, syncIntervalMinutes: 0 });
    try {
      const week = { from: '2026-12-01', to: '2027-01-01', tz: 'UTC' };
      const added = value(await service.subscribe({ url: `${base}/h.ics`, insecureHttp: true }));
      expect(added).toEqual({
        subscription: {
          url: `${base}/h.ics`,
          name: 'Public holidays',
          color: '#ff2968',
          refreshMinutes: 1440,
          syncedAt: expect.any(String),
          notes: [],
          userRefreshMinutes: null,
          lastError: null,
          hidden: false,
          needsPassword: false,
        },
        errors: [],
      });
      const listed = value(await service.listCollections());
      expect(listed.calendars).toEqual([]);
      expect(listed.subscriptions.map((s) => s.name)).toEqual(['Public holidays']);
      const shown = value(await service.occurrences(week));
      expect(shown.events.map((e) => [e.summary, e.calendar])).toEqual([
        ['Christmas Day', 'Public holidays'],
        ['Boxing Day', 'Public holidays'],
      ]);
      const details = value(
        await service.eventDetails({ calendarUrl: `${base}/h.ics`, href: shown.events[0]!.href, uid: 'xmas@h.test', recurrenceId: null, tz: 'UTC' }),
      );
      expect(details.occurrence.summary).toBe('Christmas Day');

      value(await service.updateSettings({ hiddenCalendars: [`${base}/h.ics`] }));
      expect(value(await service.occurrences(week)).events).toEqual([]);
      expect(value(await service.listCollections()).subscriptions[0]!.hidden).toBe(true);
      value(await service.updateSettings({ hiddenCalendars: [] }));

      const renamed = value(await service.updateSubscription({ url: `${base}/h.ics`, name: 'Feiertage', refreshMinutes: 60 }));
      expect(renamed).toMatchObject({ name: 'Feiertage', refreshMinutes: 60, userRefreshMinutes: 60 });
      expect(value(await service.occurrences(week)).events.map((e) => e.calendar)).toEqual(['Feiertage', 'Feiertage']);
      // A refresh keeps the user's name over the feed's.
      const before = requestsTo('/h.ics').length;
      const status = value(await service.syncNow({}));
      // Reported as a sync reports a calendar; an unchanged feed, one request.
      expect(status.collections).toEqual([
        expect.objectContaining({ accountId: `${base}/h.ics`, url: `${base}/h.ics`, displayName: 'Feiertage', added: 0, requests: 1, error: null }),
      ]);
      expect(requestsTo('/h.ics').slice(before)).toEqual([expect.objectContaining({ ifNoneMatch: '"v1"' })]);
      expect(value(await service.listCollections()).subscriptions[0]!.name).toBe('Feiertage');

      // A feed with a login: the password is kept in the host's vault, and each refresh sends it.
      value(await service.subscribe({ url: `${base}/private.ics`, insecureHttp: true, user: 'ann', password: 'feedpw' }));
      const privateBefore = requestsTo('/private.ics').length;
      value(await service.syncNow({}));
      expect(
        requestsTo('/private.ics')
          .slice(privateBefore)
          .some((r) => r.authorization !== null),
      ).toBe(true);
      expect(value(await service.listCollections()).subscriptions.map((s) => [s.name, s.needsPassword, s.lastError])).toEqual([
        ['Feiertage', false, null],
        ['Team rota', false, null],
      ]);

      value(await service.unsubscribe({ url: `${base}/private.ics` }));
      value(await service.unsubscribe({ url: `${base}/h.ics` }));
      expect(value(await service.listCollections()).subscriptions).toEqual([]);
      expect(value(await service.occurrences(week)).events).toEqual([]);
      const missing = await service.unsubscribe({ url: `${base}/h.ics` });
      expect(missing.ok ? null : missing.error.code).toBe('not-found');
    } finally {
      await service.close();
    }
  });

  it('reads a large feed in its worker thread, defects and all; a large copy that is no calendar is named', async () => {
    const service = await createDavlensService({ profileDir: newProfile(), vault: memoryVault(), syncIntervalMinutes: 0 });
    try {
      expect(LARGE.length).toBeGreaterThan(1_000_000);
      const out = value(await service.subscribe({ url: `${base}/large.ics`, insecureHttp: true }));
      expect(out.subscription).toMatchObject({ name: 'Timetable' });
      expect(out.errors).toEqual([expect.objectContaining({ code: 'feed-defect', message: expect.stringContaining('1 event has no UID') })]);
      const december = value(await service.occurrences({ from: '2026-12-01', to: '2027-01-01', tz: 'UTC' }));
      expect(december.events).toHaveLength(666);
      const broken = value(await service.subscribe({ url: `${base}/large-truncated.ics`, insecureHttp: true }));
      expect(broken).toMatchObject({ subscription: null, errors: [{ code: 'bad-response', step: 'feed' }] });
      expect(broken.errors[0]!.message).toMatch(/could not be read: it is not valid iCalendar \(.*never closed/);
    } finally {
      await service.close();
    }
  });

  it("shows what a feed breaks after a background refresh and a restart, from the subscription's notes", async () => {
    const profileDir = newProfile();
    const url = `${base}/defects.ics`;
    let service = await createDavlensService({ profileDir, vault: memoryVault(), syncIntervalMinutes: 0 });
    try {
      const added = value(await service.subscribe({ url, insecureHttp: true }));
      expect(added.errors).toEqual([expect.objectContaining({ code: 'feed-defect' })]);
      // "Sync now" refreshes it as the background runs do (a 304): the sidebar's entry still has the notes.
      const status = value(await service.syncNow({}));
      expect(status.collections).toEqual([expect.objectContaining({ url, requests: 1, error: null })]);
      expect(value(await service.listCollections()).subscriptions.map((s) => s.notes)).toEqual([added.errors]);
    } finally {
      await service.close();
    }
    service = await createDavlensService({ profileDir, vault: memoryVault(), syncIntervalMinutes: 0 });
    try {
      const [again] = value(await service.listCollections()).subscriptions;
      expect(again!.notes).toEqual([
        expect.objectContaining({ code: 'feed-defect', message: `The feed at ${url}: 2 events have no UID: each is known by a hash of its content.` }),
      ]);
    } finally {
      await service.close();
    }
  });

  it('a first fetch that fails adds nothing and says why', async () => {
    const service = await createDavlensService({ profileDir: newProfile(), vault: memoryVault(), syncIntervalMinutes: 0 });
    try {
      const out = value(await service.subscribe({ url: `${base}/nowhere.ics`, insecureHttp: true }));
      expect(out).toMatchObject({ subscription: null, errors: [{ code: 'http-status', step: 'feed', status: 404 }] });
      expect(value(await service.listCollections()).subscriptions).toEqual([]);
    } finally {
      await service.close();
    }
  });
});

describe('a real server as a feed', () => {
  it("subscribes to a SabreDAV calendar's export link (?export), logging in by Digest", async () => {
    const h = loadHarness();
    const sabre = configurations(h).find((c) => c.name === 'SabreDAV Digest')!;
    const seedOrigin = sabre.seedOrigin ?? new URL(sabre.calendarHome).origin;
    const home = new URL(new URL(sabre.calendarHome).pathname, seedOrigin).href;
    const auth = basicAuth(sabre.user, sabre.password);
    const name = `feed-${Math.random().toString(36).slice(2, 8)}`;
    await mkcalendar(`${home}${name}/`, auth, { displayName: 'Exported' });
    try {
      await put(`${home}${name}/a.ics`, auth, calendar('x', [], [['exported@h.test', '20261219', 'Exported event']]), 'text/calendar');
      const url = `${sabre.calendarHome}${name}/?export`;
      const p = newProfile();
      const run = (args: string[]) => runCli([...args, '--profile', p, '--dns', h.dns, '--ca', h.caFile, '--json'], { DAVLENS_PASSWORD: sabre.password });
      const added = await run(['subscribe', url, '--user', sabre.user]);
      expect(json(added)).toMatchObject({ subscription: { url }, errors: [] });
      const events = await run(['events', url, '--from', '2026-12-01', '--to', '2027-01-01', '--tz', 'UTC']);
      expect((json(events).events as { summary: string }[]).map((e) => e.summary)).toEqual(['Exported event']);
    } finally {
      await del(`${home}${name}/`, auth).catch(() => undefined);
    }
  });

  it("subscribes to a Radicale calendar's own URL (Radicale serves a collection as one .ics), with Basic login over TLS", async () => {
    const h = loadHarness();
    const radicale = configurations(h).find((c) => c.name === 'Radicale')!;
    const auth = basicAuth(radicale.user, radicale.password);
    const calendarUrl = `${radicale.calendarHome}feed-${Math.random().toString(36).slice(2, 8)}/`;
    await mkcalendar(calendarUrl, auth, { displayName: 'Published' });
    try {
      await put(`${calendarUrl}a.ics`, auth, calendar('x', [], [['published@h.test', '20261218', 'Published event']]), 'text/calendar');
      const p = newProfile();
      const run = (args: string[]) => runCli([...args, '--profile', p, '--dns', h.dns, '--ca', h.caFile, '--json'], { DAVLENS_PASSWORD: radicale.password });
      const added = await run(['subscribe', calendarUrl.replace('https:', 'webcals:'), '--user', radicale.user]);
      expect(added.code).toBe(0);
      expect(json(added)).toMatchObject({ subscription: { url: calendarUrl, refreshMinutes: 1440 }, errors: [] });
      const events = await run(['events', calendarUrl, '--from', '2026-12-01', '--to', '2027-01-01', '--tz', 'UTC']);
      expect((json(events).events as { summary: string }[]).map((e) => e.summary)).toEqual(['Published event']);
      // Radicale sends an unchanged collection whole again (no 304 for a collection): nothing changes. The login
      // learned at the first fetch goes with the first request (no second 401).
      const again = await run(['sync', calendarUrl]);
      expect(json(again).collections).toEqual([expect.objectContaining({ added: 0, changed: 0, deleted: 0, requests: 1, error: null })]);
    } finally {
      await del(calendarUrl, auth).catch(() => undefined);
    }
  });
});
