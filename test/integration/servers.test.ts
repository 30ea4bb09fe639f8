// One integration suite, written once and run against every server configuration the harness starts (the one
// list: test/harness/configurations.ts), as vdirsyncer runs its storage tests on every backend. Per server:
// discovery from the root URL and through DNS; the calendars and address books listed; recurrence across a DST
// change; a name without extension; text the servers treat differently; vCard 3.0 and 4.0 with UTF-8 and
// real-world cards; export;
// and sync (initial, after changes, quiet, with a stored token, with a token the server never issued).
// A check Davlens is known to fail on a server runs as `it.fails`, naming the issue that fixes it: once fixed
// it turns red and must be unmarked in the configuration. Nothing is skipped silently.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveryResult } from '../../shared/discovery.ts';
import type { AddressBooksResult, CalendarsResult, Contact, ContactsResult, EventsResult, GroupsResult } from '../../shared/models.ts';
import type { TraceEntry } from '../../shared/trace.ts';
import { accountFromDiscovery } from '../../electron/engine/app/accounts.ts';
import { splitCards } from '../../electron/engine/app/demo.ts';
import { discover, type Connection } from '../../electron/engine/remote/discovery.ts';
import { Store, type StoredAccount } from '../../electron/engine/store/store.ts';
import { syncAccount } from '../../electron/engine/app/sync.ts';
import { Engine } from '../../electron/engine/app/engine.ts';
import { okProp, parseMultistatus } from '../../electron/engine/dav/multistatus.ts';
import { NS } from '../../electron/engine/dav/xml.ts';
import { componentQueryBody } from '../../electron/engine/dav/bodies.ts';
import { configurations, type CheckId, type Configuration } from '../harness/configurations.ts';
import { loadHarness } from '../harness/env.ts';
import { basicAuth, davRequest, del, mkAddressbook, mkcalendar, put } from '../harness/seed.ts';
import { runCli } from '../support/cli.ts';
import * as fx from '../support/dav-fixtures.ts';
import { scratchProfile } from '../support/scratch.ts';

const h = loadHarness();
/** Text compared line by line: LF for CRLF, and one line end after the last line (SOGo's GET has none). */
const lines = (text: string) => `${text.replace(/\r\n/g, '\n').replace(/\n$/, '')}\n`;
const ICS = 'text/calendar; charset=utf-8';
const VCF = 'text/vcard; charset=utf-8';
// Real-world cards: vCard 4.0 groups and a yearless birthday, Apple's 3.0 with X-APPLE-OMIT-YEAR and its groups.
const fixtureCards = ['v4.vcf', 'apple-v3.vcf'].flatMap((f) => splitCards(readFileSync(join(import.meta.dirname, '../fixtures/vcf', f), 'utf8')));
/** Every birthday form and group format clients write (fixtures/vcf/birthdays, fixtures/vcf/groups), one card each. */
const datedAndGroupCards = [
  'birthdays/apple-export.vcf',
  'birthdays/vcard4.vcf',
  'birthdays/vcard3-clients.vcf',
  'groups/apple-groups.vcf',
  'groups/vcard4-groups.vcf',
].flatMap((f) => splitCards(readFileSync(join(import.meta.dirname, '../fixtures/vcf', f), 'utf8')));

describe.each(configurations(h))('$name', (config: Configuration) => {
  /** A check, or its known failure on this server (which must fail, or the run is red). */
  const check = (id: CheckId, title: string, fn: () => Promise<void>) => {
    const known = config.knownFailures[id];
    if (known) it.fails(`${title} [known failure: ${known}]`, fn);
    else it(title, fn);
  };
  const auth = basicAuth(config.user, config.password);
  // SabreDAV Digest shares the Basic server's database; uploads (Basic) go there.
  const seed = (url: string) => (config.seedOrigin ? url.replace(new URL(url).origin, config.seedOrigin) : url);
  const ext = (kind: 'ics' | 'vcf') => (config.server.needsExtension ? `.${kind}` : '');
  const password = { DAVLENS_PASSWORD: config.password };
  const connection = ['--dns', h.dns, '--ca', h.caFile];

  describe('discovery', () => {
    const expectServices = (d: DiscoveryResult, via: string) => {
      expect(d.errors).toEqual([]);
      expect(d.caldav).toMatchObject({ via, principal: config.principal, homeSets: [config.calendarHome] });
      expect(d.carddav).toMatchObject({ via, principal: config.principal, homeSets: [config.addressbookHome] });
    };

    check('discover-root', 'from the root URL a person would type', async () => {
      const r = await runCli(['discover', config.email, '--user', config.user, '--server', config.root, ...connection, '--json'], password);
      expect(r.code, r.stderr).toBe(0);
      expectServices(r.json as DiscoveryResult, 'manual');
    });

    check('discover-dns', 'from the email address alone, through SRV (and TXT where the zone has it)', async () => {
      const r = await runCli(['discover', config.email, ...connection, '--json'], password);
      expect(r.code, r.stderr).toBe(0);
      const d = r.json as DiscoveryResult;
      expectServices(d, 'srv');
      expect([config.user, config.email]).toContain(d.caldav!.username);
    });
  });

  describe('listing, events, contacts and export', () => {
    const tag = randomBytes(3).toString('hex');
    const workUrl = `${config.calendarHome}work-${tag}/`;
    const todoUrl = `${config.calendarHome}todo-${tag}/`;
    const bookUrl = `${config.addressbookHome}people-${tag}/`;
    const datesUrl = `${config.addressbookHome}dates-${tag}/`;
    const profile = scratchProfile();
    /** PUT statuses of the resources a server may refuse. */
    const stored: Record<'outlook' | 'comma' | 'orphan', number> = { outlook: 0, comma: 0, orphan: 0 };
    const cli = async <T>(...args: string[]): Promise<T & { syncedAt: string | null }> => {
      const r = await runCli([...args, '--user', config.user, ...connection, '--profile', profile, '--json'], password);
      expect(r.code, r.stderr).toBe(0);
      return r.json as T & { syncedAt: string | null };
    };
    const contacts = () => cli<ContactsResult>('contacts', config.email, '--addressbook', `People ${tag}`);
    const events = (from: string, to: string, ...more: string[]) =>
      cli<EventsResult>('events', config.email, '--from', from, '--to', to, '--tz', 'UTC', ...more);
    const proppatchName = (url: string, name: string) =>
      davRequest('PROPPATCH', url, {
        auth,
        headers: { 'Content-Type': 'application/xml' },
        body: `<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>${name}</d:displayname></d:prop></d:set></d:propertyupdate>`,
      });
    const putStatus = async (url: string, body: string) => (await davRequest('PUT', seed(url), { auth, headers: { 'Content-Type': ICS }, body })).status;

    beforeAll(async () => {
      await mkcalendar(seed(workUrl), auth, { displayName: `Work ${tag}`, color: '#1E88E5FF', order: 1, components: ['VEVENT'] });
      // Xandikos ignores MKCALENDAR's properties: set them again the other way.
      await davRequest('PROPPATCH', seed(workUrl), {
        auth,
        headers: { 'Content-Type': 'application/xml' },
        body: `<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" xmlns:a="http://apple.com/ns/ical/"><d:set><d:prop><d:displayname>Work ${tag}</d:displayname><a:calendar-color>#1E88E5FF</a:calendar-color><a:calendar-order>1</a:calendar-order></d:prop></d:set></d:propertyupdate>`,
      });
      await mkcalendar(seed(todoUrl), auth, { displayName: `Tasks ${tag}`, components: ['VTODO'] });
      for (const [name, body] of Object.entries(fx.calendarFixtures(tag))) await put(seed(`${workUrl}${name}${ext('ics')}`), auth, body, ICS);
      await put(seed(`${workUrl}plain-${tag}`), auth, fx.plainNameEvent(tag), ICS);
      stored.outlook = await putStatus(`${workUrl}outlook-${tag}${ext('ics')}`, fx.outlookEvent(tag));
      stored.comma = await putStatus(`${workUrl}comma-${tag}${ext('ics')}`, fx.commaEvent(tag));
      stored.orphan = await putStatus(`${workUrl}orphan-${tag}${ext('ics')}`, fx.orphanOverride(tag));
      await put(seed(`${todoUrl}todo-${tag}${ext('ics')}`), auth, fx.todo(tag), ICS);
      await mkAddressbook(seed(bookUrl), auth, { displayName: `People ${tag}` });
      // SOGo ignores an extended MKCOL's properties.
      await proppatchName(seed(bookUrl), `People ${tag}`);
      await put(seed(`${bookUrl}v3-${tag}${ext('vcf')}`), auth, fx.cardV3(tag), VCF);
      await put(seed(`${bookUrl}v4-${tag}${ext('vcf')}`), auth, fx.cardV4(tag), VCF);
      for (const [i, c] of fixtureCards.entries()) await put(seed(`${bookUrl}card-${i}-${tag}${ext('vcf')}`), auth, c, VCF);
      await mkAddressbook(seed(datesUrl), auth, { displayName: `Dates ${tag}` });
      await proppatchName(seed(datesUrl), `Dates ${tag}`);
      for (const [i, c] of datedAndGroupCards.entries()) await put(seed(`${datesUrl}dated-${i}-${tag}${ext('vcf')}`), auth, c, VCF);
    }, 120_000);

    afterAll(async () => {
      for (const u of [workUrl, todoUrl, bookUrl, datesUrl]) await del(seed(u), auth).catch(() => undefined);
    });

    check(
      'window-first',
      "an account never synced: a window's events straight from time-range queries, nothing stored, the same events after the sync",
      async () => {
        // A profile of its own, never synced (the suite's profile syncs at its first command).
        const fresh = scratchProfile();
        const windowEvents = async (from: string, to: string, tz: string) => {
          const args = [
            'events',
            config.email,
            '--from',
            from,
            '--to',
            to,
            '--tz',
            tz,
            '--user',
            config.user,
            ...connection,
            '--profile',
            fresh,
            '--json',
            '--trace',
          ];
          const r = await runCli(args, password);
          expect(r.code, r.stderr).toBe(0);
          const json = r.json as EventsResult & { syncedAt: string | null };
          return { partial: json.partial, syncedAt: json.syncedAt, errors: json.errors, mine: json.events.filter((e) => e.uid.endsWith(tag)) };
        };
        // The recurrence check's window, a day at UTC+14 and one at UTC-7 (the edges of the padding).
        const windows = [
          ['2026-10-01', '2026-11-04', 'UTC'],
          ['2026-10-21', '2026-10-22', 'Pacific/Kiritimati'],
          ['2026-11-01', '2026-11-03', 'America/Los_Angeles'],
        ] as const;
        const before = [];
        for (const w of windows) before.push(await windowEvents(w[0], w[1], w[2]));
        for (const b of before) expect(b).toMatchObject({ partial: true, syncedAt: null });
        expect(before[0]!.mine.length).toBeGreaterThan(20);
        expect(before[2]!.mine.map((e) => e.uid)).toContain(`weekly-${tag}`);
        // One calendar by name: only its events; a name the account lacks: exit 1, the calendars it has named.
        const one = [
          'events',
          config.email,
          '--from',
          '2026-10-01',
          '--to',
          '2026-11-04',
          '--tz',
          'UTC',
          '--user',
          config.user,
          ...connection,
          '--profile',
          fresh,
        ];
        const tasks = await runCli([...one, '--calendar', `Tasks ${tag}`, '--json'], password);
        expect(tasks.code, tasks.stderr).toBe(0);
        expect((tasks.json as EventsResult).events.map((e) => e.uid)).toEqual([`todo-${tag}`]);
        const none = await runCli([...one, '--calendar', `Nothing ${tag}`, '--json'], password);
        expect(none.code).toBe(1);
        expect((none.json as EventsResult).errors).toEqual([expect.objectContaining({ code: 'not-found', message: expect.stringContaining(`"Work ${tag}"`) })]);
        const store = Store.open(fresh);
        try {
          expect(store.listCollections()).toEqual([]);
          expect(store.getAccount(config.email)).toMatchObject({ syncedAt: null });
        } finally {
          store.close();
        }
        const sync = await runCli(['sync', config.email, '--user', config.user, ...connection, '--profile', fresh, '--json'], password);
        expect(sync.code, sync.stderr).toBe(0);
        for (const [i, w] of windows.entries()) {
          const after = await windowEvents(w[0], w[1], w[2]);
          expect(after.partial).toBe(false);
          expect(before[i]!.mine).toEqual(after.mine);
        }
        // The quirk the window copes with, as the server shows it: a weekly series asked for a day of its later instances.
        const later = await davRequest('REPORT', seed(workUrl), {
          auth,
          headers: { 'Content-Type': 'application/xml', Depth: '1' },
          body: componentQueryBody('VEVENT', { start: new Date('2026-11-02T00:00:00Z'), end: new Date('2026-11-03T00:00:00Z') }),
        });
        expect(later.status).toBe(207);
        expect(later.body.includes(`UID:weekly-${tag}`)).toBe(!config.server.timeRangeMissesRecurrences);
        // Which calendars a window asks whole, by the trace's quirk notes (the product recognised).
        const traced = await runCli(
          [
            'events',
            config.email,
            '--from',
            '2026-10-01',
            '--to',
            '2026-10-02',
            '--user',
            config.user,
            ...connection,
            '--profile',
            scratchProfile(),
            '--trace',
          ],
          password,
        );
        expect(traced.code, traced.stderr).toBe(0);
        expect(traced.stderr.includes('quirk slow-time-range')).toBe(config.server.slowTimeRange);
        expect(traced.stderr.includes('quirk time-range-misses-recurrences')).toBe(config.server.timeRangeMissesRecurrences);
      },
    );

    check('collections', 'calendars and address books listed with their properties, no scheduling inbox or outbox', async () => {
      const { calendars, syncedAt } = await cli<CalendarsResult>('calendars', config.email);
      expect(syncedAt).not.toBeNull();
      const urls = calendars.map((c) => c.url);
      expect(calendars.find((c) => c.url === workUrl)).toMatchObject({
        displayName: `Work ${tag}`,
        color: '#1E88E5',
        order: { kept: 1, none: null, 'its-own': expect.any(Number) }[config.server.calendarOrder],
        ...(config.server.keepsComponentSet ? { components: ['VEVENT'] } : {}),
      });
      expect(calendars.find((c) => c.url === todoUrl)).toMatchObject({
        displayName: `Tasks ${tag}`,
        ...(config.server.keepsComponentSet ? { components: ['VTODO'] } : {}),
      });
      expect(urls).toEqual(expect.arrayContaining(config.defaultCalendars));
      for (const url of config.scheduling) expect(urls).not.toContain(url);
      // Every server calendar is under the home; the Birthdays calendar is Davlens's own (davlens-birthdays:).
      const served = calendars.filter((c) => c.kind === 'calendar').map((c) => c.url);
      expect(
        served.every((u) => u.startsWith(config.calendarHome)),
        served.join(' '),
      ).toBe(true);
      expect(calendars.filter((c) => c.kind === 'birthdays').map((c) => c.url)).toEqual([`davlens-birthdays:${config.email.toLowerCase()}`]);
      expect(calendars.every((c) => c.syncedAt !== null && c.syncedAt <= syncedAt!)).toBe(true);

      const { addressbooks } = await cli<AddressBooksResult>('addressbooks', config.email);
      const books = addressbooks.map((b) => b.url);
      expect(addressbooks.find((b) => b.url === bookUrl)).toMatchObject({ displayName: `People ${tag}` });
      expect(books).toEqual(expect.arrayContaining(config.defaultAddressbooks));
      expect(
        books.every((u) => u.startsWith(config.addressbookHome) && !urls.includes(u)),
        books.join(' '),
      ).toBe(true);
    });

    check('recurrence', 'recurrence across a DST change, an EXDATE, a moved occurrence, a cancelled event, a to-do, a Windows zone', async () => {
      const r = await events('2026-10-01', '2026-11-04');
      const mine = r.events.filter((e) => e.uid.endsWith(tag));
      const starts = (uid: string) => mine.filter((e) => e.uid === uid).map((e) => e.start);
      const daily = starts(`daily-${tag}`);
      expect(daily).toHaveLength(14);
      expect(daily.slice(4, 6)).toEqual(['2026-10-24T07:00:00+00:00', '2026-10-25T08:00:00+00:00']);
      expect(starts(`weekly-${tag}`)).toEqual([
        '2026-10-05T08:00:00+00:00',
        '2026-10-12T08:00:00+00:00',
        '2026-10-27T13:00:00+00:00',
        '2026-11-02T09:00:00+00:00',
      ]);
      expect(mine.find((e) => e.summary === 'Weekly review (moved)')!.recurrenceId).toBe('2026-10-26T10:00:00');
      expect(mine.find((e) => e.uid === `cancelled-${tag}`)).toMatchObject({ status: 'CANCELLED', summary: 'Called off' });
      expect(mine.find((e) => e.uid === `bday-${tag}`)).toMatchObject({ allDay: true, start: '2026-10-06', end: '2026-10-07', recurrenceId: '2026-10-06' });
      expect(mine.find((e) => e.uid === `todo-${tag}`)).toMatchObject({ type: 'todo', calendar: `Tasks ${tag}`, start: '2026-10-30T17:00:00+00:00' });
      // A Windows zone name resolves to its IANA zone (W. Europe -> Europe/Berlin, CEST: 08:00Z), never floating.
      // Every server here keeps it (Radicale 3.1.8 too, whatever was seen with other versions).
      expect(stored.outlook).toBeLessThan(300);
      expect(starts(`outlook-${tag}`)).toEqual(['2026-10-08T08:00:00+00:00']);
      // In another zone: all-day dates stay, timed occurrences move (09:00 Berlin is 21:00 at UTC+14).
      const kiritimati = await cli<EventsResult>(
        'events',
        config.email,
        '--from',
        '2026-10-21',
        '--to',
        '2026-10-22',
        '--tz',
        'Pacific/Kiritimati',
        '--calendar',
        workUrl,
      );
      expect(kiritimati.events.filter((e) => e.uid === `daily-${tag}`).map((e) => e.start)).toEqual(['2026-10-21T21:00:00+14:00']);
    });

    check('extensionless-name', 'an item whose name has no extension', async () => {
      const r = await events('2026-10-16', '2026-10-17');
      expect(r.events.find((e) => e.uid === `plain-${tag}`)).toMatchObject({ summary: 'Named without extension', href: `${workUrl}plain-${tag}` });
    });

    check('comma-and-orphan', 'an unescaped comma and an override without its master, as far as the server keeps them', async () => {
      expect(stored.comma).toBeLessThan(300);
      const r = await events('2026-10-14', '2026-10-16');
      expect(r.events.find((e) => e.uid === `comma-${tag}`)?.summary).toBe(config.server.unescapedCommaSummary);
      const orphan = r.events.filter((e) => e.uid === `orphan-${tag}`);
      if (config.server.acceptsOrphanOverride) {
        expect(stored.orphan).toBeLessThan(300);
        expect(orphan).toEqual([
          expect.objectContaining({ summary: 'Only this one', start: '2026-10-15T12:00:00+00:00', recurrenceId: '2026-10-15T10:00:00Z', recurring: true }),
        ]);
      } else {
        expect(stored.orphan).toBeGreaterThanOrEqual(400);
        expect(orphan).toEqual([]);
      }
      expect(r.errors).toEqual([]);
    });

    check('birthdays-groups', 'birthdays and anniversaries as a Birthdays calendar; groups in all three formats, never listed as people', async () => {
      const calendars = await cli<CalendarsResult>('calendars', config.email);
      const accountId = config.email.toLowerCase();
      expect(calendars.calendars.filter((c) => c.kind === 'birthdays')).toEqual([
        expect.objectContaining({ url: `davlens-birthdays:${accountId}`, displayName: 'Birthdays', readOnly: true }),
      ]);
      const year = await events('2026-01-01', '2027-01-01', '--calendar', 'Birthdays');
      const dated = year.events.filter((e) => e.contact?.startsWith(datesUrl)).map((e) => `${e.start} ${e.summary} ${e.source} ${e.age ?? '-'}`);
      expect(dated).toEqual([
        "2026-02-03 Sam Porter's birthday birthday -",
        "2026-02-28 Leap Day Lee's birthday birthday 26",
        "2026-03-15 Noon Nakamura's birthday birthday 35",
        "2026-05-06 Astrid Lindqvist's birthday birthday -",
        "2026-05-06 Jonas Weber's birthday birthday -",
        "2026-05-30 Ada Evans's anniversary anniversary 6",
        "2026-06-16 Astrid Lindqvist's anniversary anniversary 14",
        "2026-07-21 Maria Rossi's birthday birthday 47",
        "2026-08-29 Jonas Weber's anniversary anniversary 11",
        "2026-09-11 Maria Rossi's anniversary anniversary 22",
        "2026-10-10 Ada Evans's birthday birthday 31",
        "2026-11-02 Chidi Okafor's birthday birthday 38",
        "2026-12-24 Lucie Moreau's birthday birthday -",
      ]);
      // Every other occurrence says it comes from a calendar.
      expect((await events('2026-11-01', '2026-12-01')).events.filter((e) => e.calendar !== 'Birthdays').every((e) => e.source === 'calendar')).toBe(true);
      const groups = await cli<GroupsResult>('groups', config.email, '--addressbook', `Dates ${tag}`);
      expect(groups.groups.map((g) => [g.name, g.members, g.source, g.href === null ? null : g.href.startsWith(datesUrl)])).toEqual([
        ['Family', 2, 'apple', true],
        ['Project Rigi', 2, config.server.vcard4Groups, true],
        ['Book club', 1, 'categories', null],
        ['Climbing', 2, 'categories', null],
      ]);
      const people = await cli<ContactsResult>('contacts', config.email, '--addressbook', `Dates ${tag}`);
      expect(people.contacts.some((c) => c.fn === 'Family' || c.fn === 'Project Rigi')).toBe(false);
      expect(people.contacts.find((c) => c.fn === 'Ines Duarte')?.groups).toEqual(['Project Rigi', 'Book club', 'Climbing']);
      const family = await cli<ContactsResult>('contacts', config.email, '--addressbook', `Dates ${tag}`, '--group', 'family');
      expect(family.contacts.map((c) => c.fn)).toEqual(['Nora Berg', 'Tom Haas']);
    });

    check('vcards', 'vCard 3.0 and 4.0 with UTF-8: the fields as written, whatever the server made of the bytes', async () => {
      const r = await contacts();
      expect(r.errors.filter((e) => /\/(v3|v4)-/.test(e.href ?? ''))).toEqual([]);
      const byFn = (fn: string) => r.contacts.find((c) => c.fn === fn);
      const fields = (c: Contact | undefined) =>
        c && {
          n: c.n,
          org: c.org,
          title: c.title,
          emails: c.emails,
          phones: c.phones,
          addresses: c.addresses,
          bday: c.bday,
          note: c.note,
          categories: c.categories,
          kind: c.kind,
        };
      expect(fields(byFn('Zoë Ångström-Łukasz'))).toEqual({
        n: { family: 'Ångström-Łukasz', given: 'Zoë', additional: '', prefix: 'Dr.', suffix: '' },
        org: 'Société Générale, Équipe Zürich',
        title: 'Ingénieure',
        emails: [{ value: 'zoe@example.test', types: ['internet', 'work'], pref: null }],
        phones: [{ value: '+49 170 1234567', types: ['cell'], pref: null }],
        addresses: [expect.objectContaining({ street: 'Königstraße 1', locality: 'München', region: 'Bayern', postalCode: '80331', country: 'Deutschland' })],
        bday: '1985-03-04',
        note: 'Café, crème brûlée',
        categories: ['Kollegen', 'Freunde'],
        kind: 'individual',
      });
      expect(fields(byFn('李小龍'))).toEqual({
        n: { family: '李', given: '小龍', additional: '', prefix: '', suffix: '' },
        org: '東京大学',
        title: null,
        emails: [
          { value: 'lee@example.test', types: ['home'], pref: 1 },
          { value: 'lee@work.example.test', types: ['work'], pref: null },
        ],
        phones: [{ value: '+81 3 1234 5678', types: ['cell'], pref: null }],
        addresses: [],
        bday: '--05-06',
        note: '誕生日は五月',
        categories: [],
        kind: 'individual',
      });
    });

    check('vcard-fixtures', 'real-world cards: vCard 4.0 and Apple groups, yearless birthdays, preferred values', async () => {
      const r = await contacts();
      expect(r.errors).toEqual([]);
      // The two group cards are groups, not people (issue 17): listed by `groups`, never by `contacts`.
      expect(r.contacts).toHaveLength(fixtureCards.length);
      expect(r.contacts.some((c) => c.kind === 'group')).toBe(false);
      const groups = await cli<GroupsResult>('groups', config.email, '--addressbook', `People ${tag}`);
      expect(
        groups.groups
          .filter((g) => g.source !== 'categories')
          .map((g) => g.name)
          .sort(),
      ).toEqual(['Book club', 'Family']);
      const byFn = (fn: string) => r.contacts.find((c) => c.fn === fn);
      expect(byFn('Jane Q. Doe')).toMatchObject({
        bday: '--05-06',
        org: 'Example Corp., Research, Lab 2',
        phones: [expect.objectContaining({ value: '+1-555-555-0101', pref: 1 }), expect.anything()],
      });
      expect(byFn('Johnny Appleseed')).toMatchObject({
        bday: '--05-06',
        emails: expect.arrayContaining([expect.objectContaining({ value: 'johnny@example.com', pref: 1 })]),
      });
    });

    /** Runs `davlens export` of one collection into the profile folder; returns the file's text. */
    const exported = async (flag: '--calendar' | '--addressbook', url: string, name: string) => {
      const out = join(profile, name);
      const r = await runCli(['export', config.email, flag, url, '--out', out, '--user', config.user, ...connection, '--profile', profile], password);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(out, 'utf8');
    };

    check('export-ics', 'export of a calendar: one VCALENDAR with each VTIMEZONE once, folded CRLF lines, every item', async () => {
      const text = await exported('--calendar', workUrl, 'work.ics');
      expect(text.match(/BEGIN:VCALENDAR/g)).toHaveLength(1);
      expect(text.match(/BEGIN:VTIMEZONE\r\nTZID:Europe\/Berlin\r\n/g)).toHaveLength(1);
      expect(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
      for (const uid of ['daily', 'weekly', 'cancelled', 'bday', 'plain', 'comma']) expect(text).toContain(`UID:${uid}-${tag}\r\n`);
    });

    check('export-vcf', 'export of an address book: every card, UTF-8 intact', async () => {
      const cards = await exported('--addressbook', bookUrl, 'people.vcf');
      expect(cards.match(/BEGIN:VCARD\r\n/g)).toHaveLength(2 + fixtureCards.length);
      expect(cards).toContain('FN:Zoë Ångström-Łukasz\r\n');
      expect(cards).toContain('FN:李小龍\r\n');
    });

    it('with the server unreachable, answers still come from the store', async () => {
      const r = await runCli(['calendars', config.email, '--json', '--profile', profile, '--dns', '127.0.0.1:9'], password);
      expect(r.code, r.stderr).toBe(0);
      expect((r.json as CalendarsResult).calendars.some((c) => c.url === workUrl)).toBe(true);
    });
  });

  describe('sync', () => {
    const tag = randomBytes(3).toString('hex');
    const calUrl = `${config.calendarHome}sync-${tag}/`;
    const bookUrl = `${config.addressbookHome}book-${tag}/`;
    const ics = ext('ics');
    const vcf = ext('vcf');
    const profile = scratchProfile();
    const input: Connection = { email: config.email, user: config.user, password: config.password, dns: h.dns, ca: h.caPem };
    const homes = new Set([config.calendarHome, config.addressbookHome]).size;
    let store: Store;
    let account: StoredAccount;

    /** A sync with the requests it sent, in order. */
    const sync = async (over: Partial<Connection> = {}) => {
      const http: Extract<TraceEntry, { kind: 'http' }>[] = [];
      const onTrace = (e: TraceEntry) => {
        if (e.kind === 'http') http.push(e);
      };
      const report = await syncAccount(store, store.getAccount(account.id)!, { connection: { ...input, ...over }, onTrace });
      return { report, http, cost: (url: string) => report.collections.find((c) => c.url === url) };
    };

    /** The server's view of a collection: href -> data, read independently of the engine's sync code. */
    const serverItems = async (url: string): Promise<Map<string, string>> => {
      const body = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>';
      const res = await davRequest('PROPFIND', seed(url), { auth, headers: { Depth: '1', 'Content-Type': 'application/xml' }, body });
      expect(res.status).toBe(207);
      const out = new Map<string, string>();
      for (const r of parseMultistatus(res.body, seed(url)).responses) {
        if ((okProp(r, NS.DAV, 'resourcetype')?.children.length ?? 0) > 0) continue;
        const got = await davRequest('GET', r.url, { auth });
        out.set(r.url.replace(new URL(r.url).origin, new URL(url).origin), lines(got.body));
      }
      return out;
    };
    const storeItems = (url: string): Map<string, string> => {
      const c = store.getCollectionByUrl(url);
      return new Map(c ? store.items(c.id).map((i) => [i.href, lines(i.data)]) : []);
    };
    const expectExact = async () => {
      expect(storeItems(calUrl)).toEqual(await serverItems(calUrl));
      expect(storeItems(bookUrl)).toEqual(await serverItems(bookUrl));
    };

    beforeAll(async () => {
      await mkcalendar(seed(calUrl), auth, { displayName: `Sync ${tag}` });
      await mkAddressbook(seed(bookUrl), auth, { displayName: `Book ${tag}` });
      for (const i of [1, 2, 3]) await put(seed(`${calUrl}ev${i}-${tag}${ics}`), auth, fx.event(`ev${i}-${tag}`, `Event ${i}`), ICS);
      for (const i of [1, 2]) await put(seed(`${bookUrl}c${i}-${tag}${vcf}`), auth, fx.card(`c${i}-${tag}`, `Person ${i}`), VCF);
      store = Store.open(profile);
      account = accountFromDiscovery(input, await discover(input), null);
      store.saveAccount(account);
    }, 120_000);

    afterAll(async () => {
      store?.close();
      for (const u of [calUrl, bookUrl]) await del(seed(u), auth).catch(() => undefined);
    });

    check(
      'initial-sync',
      'initial sync: the store holds exactly what the server holds; the listing asks getctag only, a new collection costs one query (or what a quirk needs)',
      async () => {
        const { report, http, cost } = await sync();
        expect(report.errors).toEqual([]);
        await expectExact();
        expect(store.getCollectionByUrl(calUrl)!.props).toMatchObject({ displayName: `Sync ${tag}` });
        expect(store.contacts([store.getCollectionByUrl(bookUrl)!.id], 'person 2').contacts.map((c) => c.fn)).toEqual(['Person 2']);
        const listings = http.filter((e) => e.method === 'PROPFIND' && e.status === 207 && e.requestBody?.includes('supported-report-set'));
        expect(listings).toHaveLength(homes);
        for (const l of listings) expect(l.requestBody).toContain('getctag');
        for (const l of listings) expect(l.requestBody).not.toContain('sync-token');
        expect(http.filter((e) => e.url === calUrl).map((e) => e.method)).toEqual(config.server.firstFetch.calendar);
        expect(http.filter((e) => e.url === bookUrl).map((e) => e.method)).toEqual(config.server.firstFetch.addressbook);
        expect(cost(calUrl)!.requests).toBe(config.server.firstFetch.calendar.length);
        expect(cost(bookUrl)!.requests).toBe(config.server.firstFetch.addressbook.length);
      },
    );

    check('changes-resync', 'an add, a change and a delete are reflected exactly, fetching only what changed', async () => {
      await put(seed(`${calUrl}ev4-${tag}${ics}`), auth, fx.event(`ev4-${tag}`, 'Event 4'), ICS);
      await put(seed(`${calUrl}ev2-${tag}${ics}`), auth, fx.event(`ev2-${tag}`, 'Event 2 moved', '20261202'), ICS);
      await del(seed(`${calUrl}ev3-${tag}${ics}`), auth);
      await del(seed(`${bookUrl}c1-${tag}${vcf}`), auth);
      const { report, http, cost } = await sync();
      expect(report.errors).toEqual([]);
      expect(cost(calUrl)).toMatchObject({ added: 1, changed: 1, deleted: 1 });
      expect(cost(bookUrl)).toMatchObject({ added: 0, changed: 0, deleted: 1 });
      await expectExact();
      // No token yet: every member's ETag (sync-collection from the empty token, or PROPFIND), then a multiget of
      // the two that changed; the address book only lost a card, so its ETags are all it needs.
      expect(cost(calUrl)!.requests).toBe(2);
      expect(cost(bookUrl)!.requests).toBe(1);
      expect(http.filter((e) => e.url === calUrl).map((e) => e.method)).toEqual(config.server.syncCollection ? ['REPORT', 'REPORT'] : ['PROPFIND', 'REPORT']);
      // A token is kept where the server has them, unless it is the second of the last change (quirk second-markers).
      if (!config.server.secondMarkers) expect(store.getCollectionByUrl(calUrl)!.syncToken !== null).toBe(config.server.syncCollection);
    });

    check('quiet-resync', 'a resync with nothing changed is the listing alone: one PROPFIND per home (after a Digest challenge)', async () => {
      if (config.server.secondMarkers) {
        // The last change's second has to pass before a sync may keep markers (quirk second-markers).
        await sleep(2100);
        await sync();
      }
      // The stored account remembers its Basic origin, so no request waits for a challenge; Digest needs a nonce.
      const stored = store.getAccount(account.id)!;
      expect(stored.options.basicOrigins ?? []).toHaveLength(config.digest ? 0 : 1);
      const { report, http } = await sync({ basicOrigins: stored.options.basicOrigins });
      expect(report.errors).toEqual([]);
      expect(report.collections.every((c) => c.added + c.changed + c.deleted === 0 && c.requests === 0)).toBe(true);
      expect(http.map((e) => `${e.method} ${e.status}`)).toEqual([...(config.digest ? ['PROPFIND 401'] : []), ...Array<string>(homes).fill('PROPFIND 207')]);
      expect(report.listing.requests).toBe(http.length);
      expect(report.listing.bytes).toBeGreaterThan(0);
    });

    if (config.server.syncCollection) {
      check('one-change-resync', 'with a stored token, one change costs one sync-collection asking for the data', async () => {
        await put(seed(`${calUrl}ev5-${tag}${ics}`), auth, fx.event(`ev5-${tag}`, 'Event 5'), ICS);
        const before = store.getCollectionByUrl(calUrl)!.syncToken;
        const { report, http, cost } = await sync();
        expect(report.errors).toEqual([]);
        expect(cost(calUrl)).toMatchObject({ added: 1, changed: 0, deleted: 0, requests: config.server.syncData ? 1 : 2 });
        expect(http.filter((e) => e.url === calUrl).map((e) => e.method)).toEqual(config.server.syncData ? ['REPORT'] : ['REPORT', 'REPORT']);
        await expectExact();
        expect(store.getCollectionByUrl(calUrl)!.syncToken).not.toBe(before);
      });

      check('invalid-token', 'a sync-token the server never issued: the sync stays exact', async () => {
        const c = store.getCollectionByUrl(calUrl)!;
        store.db.prepare('UPDATE collections SET sync_token = ? WHERE id = ?').run(config.server.invalidToken, c.id);
        await put(seed(`${calUrl}ev6-${tag}${ics}`), auth, fx.event(`ev6-${tag}`, 'Event 6'), ICS);
        const { report, cost } = await sync();
        expect(report.errors).toEqual([]);
        // Refused: the token, the ETags from the empty token, a multiget of the one new event. Taken as the empty
        // token: every member with its data (or its ETag and a multiget of the new one).
        const requests = config.server.refusesInvalidToken ? 3 : config.server.syncData ? 1 : 2;
        expect(cost(calUrl)).toMatchObject({ added: 1, changed: 0, deleted: 0, requests });
        await expectExact();
        expect(store.getCollectionByUrl(calUrl)!.syncToken).not.toBe(config.server.invalidToken);
      });
    } else {
      it(`has no sync-collection: ${config.name} answers every sync by ETag comparison (covered by the checks above)`, () => {
        expect(store.getCollectionByUrl(calUrl)!.syncToken).toBeNull();
      });
    }

    check('collection-deleted', 'a collection deleted on the server is removed from the store with its items', async () => {
      const extra = `${config.calendarHome}extra-${tag}/`;
      await mkcalendar(seed(extra), auth, { displayName: `Extra ${tag}` });
      await put(seed(`${extra}x1${ics}`), auth, fx.event(`x1-${tag}`, 'Extra'), ICS);
      await sync();
      const before = store.getCollectionByUrl(extra);
      expect(before && store.counts(before.id)).toBe(1);
      await del(seed(extra), auth);
      const { report } = await sync();
      expect(store.getCollectionByUrl(extra)).toBeNull();
      expect(report.collections.find((x) => x.url === extra)).toMatchObject({ deleted: 1 });
      expect(Number((store.db.prepare('SELECT count(*) n FROM items WHERE collection_id = ?').get(before!.id) as { n: number }).n)).toBe(0);
    });

    check('cli-one-login', 'the command line discovers and syncs a new profile over one login: a single 401 in the whole run', async () => {
      const r = await runCli(['sync', config.email, '--user', config.user, ...connection, '--profile', scratchProfile(), '--trace'], password);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`Sync ${tag}: +`);
      expect(r.stderr.match(/^# -> 401\b/gm)).toHaveLength(1);
    });

    check('app-one-login', "the app's new account: its first window and first sync send the password with their first request (Basic)", async () => {
      const engine = Engine.open(scratchProfile());
      try {
        const host = { dns: h.dns, ca: h.caPem };
        const added = await engine.addAccount({ email: config.email, user: config.user, password: config.password, ...host });
        const stored = engine.account(added.account!.id)!;
        // Where Basic worked in discovery; Digest needs a fresh nonce per connection all the same.
        expect(stored.options.basicOrigins ?? []).toHaveLength(config.digest ? 0 : 1);
        const statuses: (number | null)[] = [];
        const onTrace = (e: TraceEntry) => {
          if (e.kind === 'http') statuses.push(e.status);
        };
        const days = { from: '2026-10-01', to: '2026-11-04', tz: 'UTC' };
        const window = await engine.fetchWindow(stored, config.password, host, days, { wholeCalendars: 0, onTrace });
        expect(window.errors).toEqual([]);
        const report = await engine.sync(stored, config.password, host, { onTrace });
        expect(report.errors).toEqual([]);
        expect(statuses.length).toBeGreaterThan(3);
        expect(statuses.filter((s) => s === 401)).toHaveLength(config.digest ? 2 : 0);
      } finally {
        engine.close();
      }
    });

    check('wrong-password', 'a wrong password during sync stops it, says "password needed", and loses nothing', async () => {
      const before = [storeItems(calUrl), storeItems(bookUrl)];
      expect(before[1]!.size).toBeGreaterThan(0);
      const { report } = await sync({ password: 'wrong' });
      expect(report.passwordNeeded).toBe(true);
      expect(report.errors[0]!.message).toMatch(/^Password needed/);
      expect(store.getAccount(account.id)!.lastError?.code).toBe('auth-failed');
      expect([storeItems(calUrl), storeItems(bookUrl)]).toEqual(before);
    });
  });
});
