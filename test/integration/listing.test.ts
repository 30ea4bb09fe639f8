// Calendars, events, address books, contacts and export through the command line, written once and run
// against every real server (Radicale, Xandikos behind nginx, SabreDAV Basic and Digest) with fixture data
// the test uploads: coloured and ordered calendars, a VTODO-only calendar, hrefs without extensions,
// recurrence across a DST change, a Windows zone name without VTIMEZONE, overrides, EXDATE, birthdays,
// to-dos, and vCard 2.1 / 3.0 / 4.0 cards.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventsResult, CalendarsResult, ContactsResult, AddressBooksResult } from '../../shared/models.ts';
import { splitCards } from '../../electron/engine/service/demo.ts';
import { loadHarness } from '../harness/env.ts';
import { basicAuth, davRequest, del, mkAddressbook, mkcalendar, put } from '../harness/seed.ts';
import { runCli } from '../support/cli.ts';

const h = loadHarness();
const FIXTURES = join(import.meta.dirname, '../fixtures');

// `seed` is where the test uploads (over Basic: SabreDAV's Digest server shares the Basic one's database);
// `ext` is the item name's extension: Xandikos 0.2.8 infers an item's type from it and never returns
// calendar data for an extension-less name (a server quirk; Davlens itself never looks at extensions).
// Xandikos also ignores properties sent with MKCALENDAR (set with PROPPATCH), has a fixed component set, and
// answers 200 to a PROPPATCH of calendar-order without returning the order afterwards (seen with 0.2.8).
const SERVERS = [
  { name: 'Radicale', email: h.users.alice.email, user: h.users.alice.username, password: h.users.alice.password, home: 'https://dav.example.test:8443/alice%40example.test/', bookHome: 'https://dav.example.test:8443/alice%40example.test/', ext: false, componentSet: true, order: true },
  { name: 'Xandikos', email: h.users.xandikos.email, user: h.users.xandikos.username, password: h.users.xandikos.password, home: 'https://dav.xandikos.test:8444/alice/calendars/', bookHome: 'https://dav.xandikos.test:8444/alice/contacts/', ext: true, componentSet: false, order: false },
  { name: 'SabreDAV Basic', email: 'dave@sabre.test', user: 'dave', password: 'davepw', home: 'https://dav.sabre.test:8445/calendars/dave/', bookHome: 'https://dav.sabre.test:8445/addressbooks/dave/', ext: false, componentSet: true, order: true },
  { name: 'SabreDAV Digest', email: 'dave@digest.test', user: 'dave', password: 'davepw', home: 'https://dav.digest.test:8446/calendars/dave/', bookHome: 'https://dav.digest.test:8446/addressbooks/dave/', seed: 'https://dav.sabre.test:8445', ext: false, componentSet: true, order: true },
];

const BERLIN_TZ = ['BEGIN:VTIMEZONE', 'TZID:Europe/Berlin', 'BEGIN:DAYLIGHT', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'TZNAME:CEST', 'DTSTART:19700329T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'END:DAYLIGHT',
  'BEGIN:STANDARD', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'TZNAME:CET', 'DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'END:STANDARD', 'END:VTIMEZONE'];
const cal = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Davlens tests//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');

function fixtures(tag: string): Record<string, string> {
  return {
    // Daily 09:00 Berlin across the end of DST (25 Oct 2026): 07:00Z before, 08:00Z after.
    [`daily-berlin-${tag}`]: cal(...BERLIN_TZ, 'BEGIN:VEVENT', `UID:daily-${tag}`, 'DTSTAMP:20260101T000000Z', 'DTSTART;TZID=Europe/Berlin:20261020T090000', 'DURATION:PT30M', 'RRULE:FREQ=DAILY;COUNT=14', 'SUMMARY:Stand-up', 'END:VEVENT'),
    // An EXDATE, and an override moved a day later and into the afternoon.
    [`weekly-${tag}`]: cal(...BERLIN_TZ,
      'BEGIN:VEVENT', `UID:weekly-${tag}`, 'DTSTAMP:20260101T000000Z', 'DTSTART;TZID=Europe/Berlin:20261005T100000', 'DTEND;TZID=Europe/Berlin:20261005T110000',
      'RRULE:FREQ=WEEKLY;UNTIL=20261103T000000Z', 'EXDATE;TZID=Europe/Berlin:20261019T100000', 'SUMMARY:Weekly review', 'LOCATION:Room 1', 'END:VEVENT',
      'BEGIN:VEVENT', `UID:weekly-${tag}`, 'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID;TZID=Europe/Berlin:20261026T100000', 'DTSTART;TZID=Europe/Berlin:20261027T140000',
      'DTEND;TZID=Europe/Berlin:20261027T150000', 'SUMMARY:Weekly review (moved)', 'END:VEVENT'),
    [`cancelled-${tag}`]: cal('BEGIN:VEVENT', `UID:cancelled-${tag}`, 'DTSTAMP:20260101T000000Z', 'DTSTART:20261015T120000Z', 'DTEND:20261015T130000Z', 'STATUS:CANCELLED', 'SUMMARY:Called off', 'END:VEVENT'),
    [`birthday-${tag}`]: cal('BEGIN:VEVENT', `UID:bday-${tag}`, 'DTSTAMP:20260101T000000Z', 'DTSTART;VALUE=DATE:19901006', 'DTEND;VALUE=DATE:19901007', 'RRULE:FREQ=YEARLY', 'SUMMARY:Ada\'s birthday', 'END:VEVENT'),
  };
}

interface Run<T> {
  code: number;
  json: T & { syncedAt: string | null };
  stderr: string;
}

describe.each(SERVERS)('listing against $name', (server) => {
  const auth = basicAuth(server.user, server.password);
  const tag = Math.random().toString(36).slice(2, 8);
  const workUrl = `${server.home}work-${tag}/`;
  const todoUrl = `${server.home}todo-${tag}/`;
  const bookUrl = `${server.bookHome}people-${tag}/`;
  const seed = (u: string) => (server.seed ? u.replace(new URL(u).origin, server.seed) : u);
  const ics = server.ext ? '.ics' : '';
  const vcf = server.ext ? '.vcf' : '';
  /** A Windows zone name without VTIMEZONE (as Outlook writes): not every server stores one. */
  let outlookStored = false;
  const profile = mkdtempSync(join(tmpdir(), 'davlens-listing-'));
  const cli = async <T,>(...args: string[]): Promise<Run<T>> => {
    const r = await runCli([...args, '--dns', h.dns, '--ca', h.caFile, '--profile', profile, '--json'], { DAVLENS_PASSWORD: server.password });
    return { code: r.code, json: r.json as T & { syncedAt: string | null }, stderr: r.stderr };
  };

  beforeAll(async () => {
    await mkcalendar(seed(workUrl), auth, { displayName: `Work ${tag}`, color: '#1E88E5FF', order: 1, components: ['VEVENT'] });
    await davRequest('PROPPATCH', seed(workUrl), { auth, headers: { 'Content-Type': 'application/xml' }, body: '<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" xmlns:a="http://apple.com/ns/ical/"><d:set><d:prop><a:calendar-color>#1E88E5FF</a:calendar-color><a:calendar-order>1</a:calendar-order></d:prop></d:set></d:propertyupdate>' });
    await mkcalendar(seed(todoUrl), auth, { displayName: `Tasks ${tag}`, components: ['VTODO'] });
    for (const [name, body] of Object.entries(fixtures(tag))) await put(`${seed(workUrl)}${name}${ics}`, auth, body, 'text/calendar');
    const outlook = cal('BEGIN:VEVENT', `UID:outlook-${tag}`, 'DTSTAMP:20260101T000000Z', 'DTSTART;TZID=W. Europe Standard Time:20261008T100000', 'DTEND;TZID=W. Europe Standard Time:20261008T110000', 'SUMMARY:From Outlook', 'END:VEVENT');
    outlookStored = (await davRequest('PUT', `${seed(workUrl)}outlook-${tag}${ics}`, { auth, headers: { 'Content-Type': 'text/calendar' }, body: outlook })).status < 300;
    await put(`${seed(todoUrl)}todo-${tag}${ics}`, auth, cal('BEGIN:VTODO', `UID:todo-${tag}`, 'DTSTAMP:20260101T000000Z', 'DUE:20261030T170000Z', 'SUMMARY:Send report', 'STATUS:NEEDS-ACTION', 'END:VTODO'), 'text/calendar');
    await mkAddressbook(seed(bookUrl), auth, { displayName: `People ${tag}` });
    const cards = ['v4.vcf', 'apple-v3.vcf'].flatMap((f) => splitCards(readFileSync(join(FIXTURES, 'vcf', f), 'utf8')));
    for (const [i, c] of cards.entries()) await put(`${seed(bookUrl)}card-${i}-${tag}${vcf}`, auth, c, 'text/vcard');
  }, 120_000);

  afterAll(async () => {
    rmSync(profile, { recursive: true, force: true });
    for (const u of [workUrl, todoUrl, bookUrl]) await del(seed(u), auth).catch(() => undefined);
  });

  it('calendars: colour normalised, order, components, only calendar resources', async () => {
    const r = await cli<CalendarsResult>('calendars', server.email);
    expect(r.code).toBe(0);
    expect(r.json.syncedAt).not.toBeNull();
    const work = r.json.calendars.find((c) => c.url === workUrl);
    expect(work).toMatchObject({ displayName: `Work ${tag}`, color: '#1E88E5', order: server.order ? 1 : null });
    // Each calendar carries the time its items were stored (all at the first sync here).
    expect(r.json.calendars.every((c) => c.syncedAt !== null && c.syncedAt <= r.json.syncedAt!)).toBe(true);
    if (server.componentSet) {
      expect(work!.components).toEqual(['VEVENT']);
      expect(r.json.calendars.find((c) => c.url === todoUrl)!.components).toEqual(['VTODO']);
    }
    // Scheduling inbox/outbox (SabreDAV) and plain collections are not calendars.
    expect(r.json.calendars.some((c) => /inbox|outbox/i.test(c.url))).toBe(false);
    expect(r.json.calendars.every((c) => c.url.startsWith(server.home))).toBe(true);
  });

  it('events: recurrence across DST, a Windows zone, EXDATE, a moved override, a cancelled event, a to-do', async () => {
    const r = await cli<EventsResult>('events', server.email, '--from', '2026-10-01', '--to', '2026-11-04', '--tz', 'UTC');
    expect(r.code).toBe(0);
    const mine = r.json.events.filter((e) => e.uid.endsWith(tag));
    const starts = (uid: string) => mine.filter((e) => e.uid === uid).map((e) => e.start);
    const daily = starts(`daily-${tag}`);
    expect(daily).toHaveLength(14);
    expect(daily.slice(4, 6)).toEqual(['2026-10-24T07:00:00+00:00', '2026-10-25T08:00:00+00:00']);
    expect(starts(`weekly-${tag}`)).toEqual(['2026-10-05T08:00:00+00:00', '2026-10-12T08:00:00+00:00', '2026-10-27T13:00:00+00:00', '2026-11-02T09:00:00+00:00']);
    const moved = mine.find((e) => e.summary === 'Weekly review (moved)')!;
    expect(moved.recurrenceId).toBe('2026-10-26T10:00:00');
    expect(mine.find((e) => e.uid === `cancelled-${tag}`)).toMatchObject({ status: 'CANCELLED', summary: 'Called off' });
    expect(mine.find((e) => e.uid === `bday-${tag}`)).toMatchObject({ allDay: true, start: '2026-10-06', end: '2026-10-07', recurrenceId: '2026-10-06' });
    expect(mine.find((e) => e.uid === `todo-${tag}`)).toMatchObject({ type: 'todo', calendar: `Tasks ${tag}`, start: '2026-10-30T17:00:00+00:00' });
    // Hrefs have no extension: nothing was filtered by name.
    if (!server.ext) expect(mine.every((e) => !e.href.endsWith('.ics'))).toBe(true);
    // A Windows zone name resolves to its IANA zone (W. Europe -> Europe/Berlin, CEST: 08:00Z), never floating.
    if (outlookStored) expect(starts(`outlook-${tag}`)).toEqual(['2026-10-08T08:00:00+00:00']);
  });

  it('events in another zone keep all-day dates and move timed ones', async () => {
    const r = await cli<EventsResult>('events', server.email, '--from', '2026-10-06', '--to', '2026-10-07', '--tz', 'Pacific/Kiritimati', '--calendar', `Work ${tag}`);
    expect(r.json.events.find((e) => e.uid === `bday-${tag}`)).toMatchObject({ start: '2026-10-06', end: '2026-10-07' });
    const later = await cli<EventsResult>('events', server.email, '--from', '2026-10-21', '--to', '2026-10-22', '--tz', 'Pacific/Kiritimati', '--calendar', workUrl);
    // 09:00 in Berlin (07:00Z) is 21:00 the same day at UTC+14.
    expect(later.json.events.filter((e) => e.uid === `daily-${tag}`).map((e) => e.start)).toEqual(['2026-10-21T21:00:00+14:00']);
  });

  it('address books and contacts from vCard 3.0 and 4.0', async () => {
    const books = await cli<AddressBooksResult>('addressbooks', server.email);
    expect(books.json.addressbooks.find((b) => b.url === bookUrl)).toMatchObject({ displayName: `People ${tag}`, syncedAt: expect.any(String) });
    const r = await cli<ContactsResult>('contacts', server.email, '--addressbook', `People ${tag}`);
    expect(r.code).toBe(0);
    expect(r.json.contacts.length).toBeGreaterThanOrEqual(4);
    expect(r.json.contacts.every((c) => c.addressbook === `People ${tag}`)).toBe(true);
    expect(r.json.contacts.some((c) => c.bday?.startsWith('--'))).toBe(true);
    expect(r.json.contacts.some((c) => c.kind === 'group')).toBe(true);
    expect(r.json.contacts.some((c) => c.emails.some((e) => e.pref === 1))).toBe(true);
  });

  it('export: one VCALENDAR with each VTIMEZONE once, CRLF, every item', async () => {
    const out = join(profile, 'work.ics');
    const r = await runCli(['export', server.email, '--calendar', workUrl, '--out', out, '--dns', h.dns, '--ca', h.caFile, '--profile', profile], { DAVLENS_PASSWORD: server.password });
    expect(r.code).toBe(0);
    const ics = readFileSync(out, 'utf8');
    expect(ics.match(/BEGIN:VCALENDAR/g)).toHaveLength(1);
    expect(ics.match(/BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin/g)).toHaveLength(1);
    expect(ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    for (const uid of ['daily', 'weekly', 'cancelled', 'bday']) expect(ics).toContain(`UID:${uid}-${tag}`);
  });

  it('with the server unreachable, answers still come from the store', async () => {
    const r = await runCli(['calendars', server.email, '--json', '--profile', profile, '--dns', '127.0.0.1:9'], { DAVLENS_PASSWORD: server.password });
    expect(r.code).toBe(0);
    expect((r.json as CalendarsResult).calendars.some((c) => c.url === workUrl)).toBe(true);
  });
});

describe('a malformed item never hides its neighbours', () => {
  it('is skipped and reported with its href', async () => {
    const { startScriptedServer } = await import('../support/scripted-server.ts');
    const good = (uid: string) => cal('BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', 'DTSTART:20261201T100000Z', 'SUMMARY:ok', 'END:VEVENT');
    const item = (href: string, data: string) => `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag><c:calendar-data>${data.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
    const server = await startScriptedServer((req, res) => {
      const ms = (inner: string) => `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">${inner}</d:multistatus>`;
      if (req.method === 'REPORT') {
        res.writeHead(207).end(ms(item('/cal/a', good('a')) + item('/cal/broken', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\nEND:VCALENDAR\r\n') + item('/cal/b', good('b'))));
      } else if (req.url === '/cal/') {
        res.writeHead(207).end(ms('<d:response><d:href>/cal/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/><c:calendar/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>'));
      } else {
        res.writeHead(207).end(ms(`<d:response><d:href>${req.url}</d:href><d:propstat><d:prop><d:current-user-principal><d:href>/p/</d:href></d:current-user-principal><c:calendar-home-set><d:href>/cal/</d:href></c:calendar-home-set><d:resourcetype><d:collection/><c:calendar/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`));
      }
    });
    const profile = mkdtempSync(join(tmpdir(), 'davlens-malformed-'));
    try {
      const r = await runCli(['events', 'a@example.test', '--from', '2026-12-01', '--to', '2026-12-02', '--tz', 'UTC', '--server', server.url, '--insecure-http', '--profile', profile, '--json'], { DAVLENS_PASSWORD: 'pw' });
      expect(r.code).toBe(0);
      const json = r.json as EventsResult;
      expect(json.events.map((e) => e.uid)).toEqual(['a', 'b']);
      expect(json.errors.filter((e) => e.code === 'item-unparsable').map((e) => e.href)).toEqual([`${server.url}cal/broken`]);
      expect(r.stderr).toContain(`${server.url}cal/broken`);
    } finally {
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
