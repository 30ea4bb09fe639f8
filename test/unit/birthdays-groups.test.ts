// Birthdays and anniversaries in every form clients write them (test/fixtures/vcf/birthdays), and contact groups in
// the three formats (test/fixtures/vcf/groups): read from the cards, made into yearly occurrences, resolved into groups.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Contact } from '../../shared/models.ts';
import { birthdayOccurrences, birthdaysAccount, birthdaysUrl } from '../../shared/birthdays.ts';
import { upgradeStoredContacts } from '../../electron/engine/app/contact-model.ts';
import { contactDetailsOf } from '../../electron/engine/app/details.ts';
import { readLocalFile } from '../../electron/engine/app/local-file.ts';
import { groupView, groupsOf, withGroups } from '../../electron/engine/app/groups.ts';
import { parseVcfFile } from '../../electron/engine/formats/vcard/index.ts';
import { Store } from '../../electron/engine/store/store.ts';
import { Engine } from '../../electron/engine/app/engine.ts';
import { FIXTURES } from '../support/peers.ts';
import { calendarProps } from '../support/models.ts';
import { storedAccount, storedAddressBook } from '../support/stored.ts';

function cards(...files: string[]): Contact[] {
  return files.flatMap((f) => {
    const out = parseVcfFile(readFileSync(join(FIXTURES, 'vcf', f), 'utf8'), 'Contacts', f);
    expect(out.errors).toEqual([]);
    // Each card as a server serves it: an href of its own.
    return (out.contacts as Contact[]).map((c, i) => ({ ...c, href: `https://dav.test/book/${f.replace(/\W/g, '-')}-${i}.vcf` }));
  });
}

const CAL = { displayName: 'Birthdays', url: birthdaysUrl('ann@example.test') };
const lines = (contacts: Contact[], from: string, to: string) =>
  birthdayOccurrences(contacts, from, to, CAL)
    .map((o) => `${o.start} ${o.summary} ${o.age ?? '-'}`)
    .sort();

describe('birthdays and anniversaries', () => {
  it('reads every form: Apple omitted year (with and without its parameter), 1900, vCard 4 --MMDD and text, date-times, X-ABDATE, X-ANNIVERSARY, X-EVOLUTION-ANNIVERSARY', () => {
    const byName = new Map(cards('birthdays/apple-export.vcf', 'birthdays/vcard4.vcf', 'birthdays/vcard3-clients.vcf').map((c) => [c.fn, c]));
    const dates = (fn: string) => [byName.get(fn)?.bday, byName.get(fn)?.anniversary];
    expect(dates('Astrid Lindqvist')).toEqual(['--05-06', '2012-06-16']);
    expect(dates('Chidi Okafor')).toEqual(['1988-11-02', null]);
    expect(dates('Lucie Moreau')).toEqual(['--12-24', null]);
    expect(dates('Jonas Weber')).toEqual(['--05-06', '2015-08-29']);
    expect(dates('Great-grandmother Ida')).toEqual(['circa 1890, spring', null]);
    expect(dates('Leap Day Lee')).toEqual(['2000-02-29', null]);
    expect(dates('Noon Nakamura')).toEqual(['1991-03-15', null]);
    expect(dates('Maria Rossi')).toEqual(['1979-07-21', '2004-09-11']);
    expect(dates('Sam Porter')).toEqual(['--02-03', null]);
    expect(dates('Ada Evans')).toEqual(['1995-10-10', '2020-05-30']);
  });

  it('makes yearly all-day occurrences with the age only where the year is known; text is no date', () => {
    const all = cards('birthdays/apple-export.vcf', 'birthdays/vcard4.vcf', 'birthdays/vcard3-clients.vcf');
    expect(lines(all, '2026-01-01', '2027-01-01')).toEqual([
      "2026-02-03 Sam Porter's birthday -",
      "2026-02-28 Leap Day Lee's birthday 26",
      "2026-03-15 Noon Nakamura's birthday 35",
      "2026-05-06 Astrid Lindqvist's birthday -",
      "2026-05-06 Jonas Weber's birthday -",
      "2026-05-30 Ada Evans's anniversary 6",
      "2026-06-16 Astrid Lindqvist's anniversary 14",
      "2026-07-21 Maria Rossi's birthday 47",
      "2026-08-29 Jonas Weber's anniversary 11",
      "2026-09-11 Maria Rossi's anniversary 22",
      "2026-10-10 Ada Evans's birthday 31",
      "2026-11-02 Chidi Okafor's birthday 38",
      "2026-12-24 Lucie Moreau's birthday -",
    ]);
    const [one] = birthdayOccurrences(all, '2026-11-02', '2026-11-03', CAL);
    expect(one).toEqual({
      type: 'event',
      uid: '5A1B0C2D-2222-4E2F-9A3B-4C5D6E7F8A90#birthday',
      summary: "Chidi Okafor's birthday",
      start: '2026-11-02',
      end: '2026-11-03',
      allDay: true,
      calendar: 'Birthdays',
      calendarUrl: 'davlens-birthdays:ann@example.test',
      recurrenceId: '2026-11-02',
      location: null,
      status: null,
      href: one!.contact,
      recurring: true,
      source: 'birthday',
      contact: one!.href,
      age: 38,
    });
  });

  it('puts 29 February on the 28th in common years, on the 29th in leap years; nothing before the day itself', () => {
    const lee = cards('birthdays/vcard4.vcf').filter((c) => c.fn === 'Leap Day Lee');
    expect(lines(lee, '1999-01-01', '2029-01-01').filter((l) => /^(1999|2000|2001|2027|2028)/.test(l))).toEqual([
      "2000-02-29 Leap Day Lee's birthday 0",
      "2001-02-28 Leap Day Lee's birthday 1",
      "2027-02-28 Leap Day Lee's birthday 27",
      "2028-02-29 Leap Day Lee's birthday 28",
    ]);
    // A window across the new year.
    expect(lines(cards('birthdays/apple-export.vcf'), '2026-12-20', '2027-01-10')).toEqual(["2026-12-24 Lucie Moreau's birthday -"]);
  });

  it('names its calendar by a URL of its own scheme', () => {
    expect(birthdaysAccount(birthdaysUrl('ann@example.test'))).toBe('ann@example.test');
    expect(birthdaysAccount('https://dav.test/cal/')).toBeNull();
  });
});

describe('contact groups', () => {
  const all = cards('groups/apple-groups.vcf', 'groups/vcard4-groups.vcf');

  it('resolves Apple and vCard 4 group cards (urn:uuid:, mailto:) and categories, counting only known members', () => {
    expect(groupsOf(all).map(groupView)).toEqual([
      { name: 'Family', members: 2, source: 'apple', href: 'https://dav.test/book/groups-apple-groups-vcf-2.vcf' },
      { name: 'Project Rigi', members: 2, source: 'kind', href: 'https://dav.test/book/groups-vcard4-groups-vcf-2.vcf' },
      { name: 'Book club', members: 1, source: 'categories', href: null },
      { name: 'Climbing', members: 2, source: 'categories', href: null },
    ]);
  });

  it('gives each person the names of their groups; a group card is a group, not a person', () => {
    const people = all.filter((c) => c.kind !== 'group');
    expect(withGroups(people, groupsOf(all)).map((c) => [c.fn, c.groups])).toEqual([
      ['Nora Berg', ['Family']],
      ['Tom Haas', ['Family', 'Climbing']],
      ['Ines Duarte', ['Project Rigi', 'Book club', 'Climbing']],
      ['Paul Brandt', ['Project Rigi']],
    ]);
    expect(all.filter((c) => c.kind === 'group').map((c) => [c.fn, c.group?.source, c.group?.members.length])).toEqual([
      ['Family', 'apple', 3],
      ['Project Rigi', 'kind', 2],
    ]);
  });
});

describe('stored contacts', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists people only, filters by a group, and reads contacts stored by an older version again, once', () => {
    dir = mkdtempSync(join(tmpdir(), 'davlens-groups-'));
    const store = Store.open(dir);
    try {
      store.saveAccount(storedAccount('a'));
      const text = readFileSync(join(FIXTURES, 'vcf', 'groups', 'apple-groups.vcf'), 'utf8').split(/(?=BEGIN:VCARD)/);
      const book = storedAddressBook(store, 'a', 'https://dav.test/book/', text);
      expect(store.contacts([book.id], undefined).contacts.map((c) => c.fn)).toEqual(['Nora Berg', 'Tom Haas']);
      expect(store.contacts([book.id], undefined, 0, 100, { hrefs: ['https://dav.test/book/1.vcf'] }).contacts.map((c) => c.fn)).toEqual(['Tom Haas']);
      expect(store.contactCards([book.id], { groups: true }).map((c) => c.fn)).toEqual(['Family']);
      // The address book holds three cards, two of them people: its count in the sidebar.
      expect([store.counts(book.id), store.counts(book.id, { people: true })]).toEqual([3, 2]);

      // As an older version stored them: no anniversary, no group members.
      const old = (c: Contact) => {
        const { anniversary: _a, group: _g, groups: _gs, ...rest } = c;
        return rest;
      };
      for (const c of store.contactCards([book.id]))
        store.db.prepare('UPDATE contacts SET json = ? WHERE item_id = (SELECT id FROM items WHERE href = ?)').run(JSON.stringify(old(c)), c.href);
      store.setSetting('contactModel', 1);
      expect(store.contactCards([book.id], { groups: true }).map((c) => c.group)).toEqual([undefined]);
      expect(upgradeStoredContacts(store)).toBe(3);
      expect(store.contactCards([book.id], { groups: true }).map((c) => [c.fn, c.group?.members.length])).toEqual([['Family', 3]]);
      expect(upgradeStoredContacts(store)).toBe(0);
    } finally {
      store.close();
    }
  });
});

describe('birthdays from the store', () => {
  it('follow every change of the cards, made through the engine or by another process on the same profile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'davlens-bdays-'));
    const engine = Engine.open(dir);
    /** The book as a sync stores it, holding these cards (name and birthday). */
    const sync = (store: Store, cards: [string, string][]) =>
      storedAddressBook(
        store,
        'ann@example.test',
        'https://dav.test/book/',
        cards.map(([fn, bday]) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${fn}\r\nFN:${fn}\r\nBDAY:${bday}\r\nEND:VCARD\r\n`),
      );
    const may = () =>
      engine.occurrences([], { from: '2026-05-01', to: '2026-06-01', tz: 'Europe/Berlin' }, ['ann@example.test']).events.map((o) => `${o.start} ${o.summary}`);
    try {
      engine.store.saveAccount(storedAccount('ann@example.test'));
      sync(engine.store, [['Nora', '1990-05-03']]);
      expect(may()).toEqual(["2026-05-03 Nora's birthday"]);
      expect(may()).toEqual(["2026-05-03 Nora's birthday"]);
      sync(engine.store, [
        ['Nora', '1990-05-07'],
        ['Tom', '1985-05-20'],
      ]);
      expect(may()).toEqual(["2026-05-07 Nora's birthday", "2026-05-20 Tom's birthday"]);
      // A command line syncs the same profile through a connection of its own.
      const other = Store.open(dir);
      try {
        sync(other, [['Tom', '1985-05-21']]);
      } finally {
        other.close();
      }
      expect(may()).toEqual(["2026-05-21 Tom's birthday"]);
    } finally {
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a group as its member list', () => {
  it('lists the members of a vCard 4 group card, an Apple group card and a category, filed by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'davlens-members-'));
    const engine = Engine.open(dir);
    try {
      engine.store.saveAccount(storedAccount('ann@example.test'));
      const data = ['vcard4-groups.vcf', 'apple-groups.vcf'].flatMap((f) => readFileSync(join(FIXTURES, 'vcf', 'groups', f), 'utf8').split(/(?=BEGIN:VCARD)/));
      const book = storedAddressBook(engine.store, 'ann@example.test', 'https://dav.test/book/', data);
      const collection = engine.store.getCollectionByUrl(book.url)!;
      const members = (group: string) => engine.contacts([collection], undefined, 0, 100, group).contacts.map((c) => c.fn);
      // Berg and Haas by their family names; the vCard 4 cards have no N, so their formatted names file them.
      expect(members('Project Rigi')).toEqual(['Ines Duarte', 'Paul Brandt']);
      // Apple's card names a third member whose card is gone: not listed.
      expect(members('Family')).toEqual(['Nora Berg', 'Tom Haas']);
      expect(members('climbing')).toEqual(['Tom Haas', 'Ines Duarte']);
      expect(members('Book club')).toEqual(['Ines Duarte']);
    } finally {
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a card opened alone', () => {
  it('names its groups in the details panel and in an opened .vcf file, where group cards are not people', () => {
    const dir = mkdtempSync(join(tmpdir(), 'davlens-details-'));
    const engine = Engine.open(dir);
    try {
      engine.store.saveAccount(storedAccount('ann@example.test'));
      const file = readFileSync(join(FIXTURES, 'vcf', 'groups', 'vcard4-groups.vcf'), 'utf8');
      const book = storedAddressBook(engine.store, 'ann@example.test', 'https://dav.test/book/', file.split(/(?=BEGIN:VCARD)/));
      const ines = engine.store.contactCards([book.id]).find((c) => c.fn === 'Ines Duarte')!;
      const details = contactDetailsOf(engine, { addressbookUrl: book.url, href: ines.href });
      expect(details.contact.groups).toEqual(['Project Rigi', 'Book club', 'Climbing']);

      const opened = readLocalFile({ name: 'vcard4-groups.vcf', content: file, tz: 'UTC' });
      expect(opened.contacts.map((c) => [c.fn, c.groups])).toEqual([
        ['Ines Duarte', ['Project Rigi', 'Book club', 'Climbing']],
        ['Paul Brandt', ['Project Rigi']],
      ]);
    } finally {
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('choosing the Birthdays calendar', () => {
  it('by its name or URL, with the others when none is named, and among the names an unknown one is told', () => {
    const dir = mkdtempSync(join(tmpdir(), 'davlens-select-'));
    const engine = Engine.open(dir);
    try {
      const store = engine.store;
      store.saveAccount(storedAccount('ann@example.test'));
      store.upsertCollection('ann@example.test', 'calendar', calendarProps('https://dav.test/cal/work/', 'Work'));
      expect(engine.select('calendar', { accountId: 'ann@example.test' }).birthdays).toEqual([]);
      store.upsertCollection('ann@example.test', 'addressbook', {
        url: 'https://dav.test/book/',
        displayName: 'Book',
        ctag: null,
        syncToken: null,
        description: null,
      });
      const pick = (name?: string) => {
        const s = engine.select('calendar', { accountId: 'ann@example.test', name });
        return [s.selected.map((c) => c.props.displayName), s.birthdays, s.error?.message ?? null];
      };
      expect(pick()).toEqual([['Work'], ['ann@example.test'], null]);
      expect(pick('birthdays')).toEqual([[], ['ann@example.test'], null]);
      expect(pick('davlens-birthdays:ann@example.test')).toEqual([[], ['ann@example.test'], null]);
      expect(pick('Work')).toEqual([['Work'], [], null]);
      expect(pick('Holidays')).toEqual([[], [], 'No calendar is named or located at "Holidays". The account has: "Work", "Birthdays".']);
      expect(engine.select('calendar', { urls: ['davlens-birthdays:ann@example.test'] }).birthdays).toEqual(['ann@example.test']);
      expect(engine.calendars('ann@example.test').map((c) => [c.displayName, c.kind, c.syncedAt])).toEqual([
        ['Work', 'calendar', null],
        ['Birthdays', 'birthdays', null],
      ]);
    } finally {
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
