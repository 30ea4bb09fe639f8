import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Contact } from '../../shared/models.ts';
import { MIGRATIONS } from '../../electron/engine/store/migrations.ts';
import { profileDir } from '../../electron/engine/store/profile.ts';
import { openDatabase } from '../../electron/engine/store/sqlite.ts';
import { DavlensFailure, type DavlensError } from '../../shared/errors.ts';
import { SPAN_PADDING_MS, Store, spanMeetsRange, type ItemRow, type StoredAccount, type StoredCollection } from '../../electron/engine/store/store.ts';
import { blankContact, calendarProps } from '../support/models.ts';

let dir: string;
let store: Store;

const account: StoredAccount = {
  id: 'alice@example.test',
  email: 'alice@example.test',
  username: 'alice',
  caldav: null,
  carddav: null,
  approvedHosts: ['dav.elsewhere.test'],
  options: { dns: '127.0.0.1:5353', pins: { 'h:443': 'sha256//x' } },
  syncedAt: null,
  lastError: null,
  demo: false,
};
const defect: DavlensError = {
  code: 'feed-defect',
  message: 'The feed at https://feeds.test/old/h.ics: 2 events have no UID: each is known by a hash of its content.',
  step: 'parse',
  url: 'https://feeds.test/old/h.ics',
  status: null,
};
const cal = calendarProps('https://h/cal/', 'Cal', { ctag: 'c1' });

function contact(fn: string, extra: Partial<Contact> = {}): Contact {
  return blankContact({
    uid: fn,
    href: `https://h/book/${fn}`,
    fn,
    n: { family: '', given: fn, additional: '', prefix: '', suffix: '' },
    addressbook: 'Book',
    ...extra,
  });
}

function row(href: string, etag: string, extra: Partial<ItemRow> = {}): ItemRow {
  return { href, etag, data: `DATA ${href} ${etag}`, uid: href, spanStart: null, spanEnd: null, searchText: '', contact: null, parseError: null, ...extra };
}

/** An empty address book of the account. */
function newBook(): StoredCollection {
  return store.upsertCollection(account.id, 'addressbook', { url: 'https://h/book/', displayName: 'Book', ctag: null, syncToken: null, description: null });
}

/** The book's whole content, stored as a full sync without markers would. */
function storeAll(book: StoredCollection, upserts: ItemRow[]): void {
  store.applyChanges(book.id, { upserts, deletes: [], replaceAll: true, ctag: null, syncToken: null, props: book.props });
}

/**
 * A profile left at schema `version` by an earlier Davlens (its migrations run by hand, the test's store closed),
 * its database open for the test to fill before Store.open migrates it.
 */
function olderProfile(version: number): { path: string; db: DatabaseSync } {
  store.close();
  const path = join(dir, `v${version}`);
  mkdirSync(path);
  const db = new DatabaseSync(join(path, 'davlens.sqlite'));
  // Registered by Store before it migrates: migration 2 calls it.
  db.function('davlens_canonical_url', (u) => u);
  for (const m of MIGRATIONS.slice(0, version)) db.exec(m);
  db.exec(`PRAGMA user_version = ${version}`);
  return { path, db };
}

function ftsRows(): number {
  return Number((store.db.prepare('SELECT count(*) n FROM contacts_fts').get() as { n: number }).n);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'davlens-store-'));
  store = Store.open(dir);
  store.saveAccount(account);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('profile directory', () => {
  it('follows XDG on Linux and the platform conventions elsewhere; --profile wins', () => {
    expect(profileDir(undefined, { HOME: '/home/a' }, 'linux')).toBe('/home/a/.local/share/davlens');
    expect(profileDir(undefined, { HOME: '/home/a', XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/davlens');
    // A relative XDG_DATA_HOME is invalid (XDG Base Directory spec) and ignored.
    expect(profileDir(undefined, { HOME: '/home/a', XDG_DATA_HOME: 'x' }, 'linux')).toBe('/home/a/.local/share/davlens');
    expect(profileDir(undefined, { HOME: '/Users/a' }, 'darwin')).toBe('/Users/a/Library/Application Support/Davlens');
    expect(profileDir(undefined, { HOME: 'C:\\Users\\a', APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(/AppData.Roaming.Davlens$/);
    expect(profileDir('/tmp/p', { HOME: '/home/a' }, 'linux')).toBe('/tmp/p');
  });
});

describe('store', () => {
  it('applies every migration, in WAL mode, and reopens without re-running them', () => {
    expect(Number((store.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version)).toBe(MIGRATIONS.length);
    expect((store.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    store.close();
    store = Store.open(dir);
    expect(store.getAccount('ALICE@example.test')).toMatchObject({ approvedHosts: ['dav.elsewhere.test'], options: { pins: { 'h:443': 'sha256//x' } } });
  });

  it('migration 2 brings stored URLs to one spelling, keeping one row where two spelled the same resource', () => {
    const { path: old, db } = olderProfile(1);
    db.prepare("INSERT INTO accounts (id, email, caldav, carddav) VALUES ('a', 'a', 'null', 'null')").run();
    db.prepare(
      "INSERT INTO collections (id, account_id, kind, url, props, ctag, sync_token) VALUES (1, 'a', 'calendar', 'https://h/c%61l/', json_object('url', 'https://h/c%61l/'), 'c1', 't1')",
    ).run();
    db.prepare(
      "INSERT INTO collections (id, account_id, kind, url, props, ctag) VALUES (2, 'a', 'addressbook', 'https://h/book/', json_object('url', 'https://h/book/'), 'b1')",
    ).run();
    db.prepare("INSERT INTO items (id, collection_id, href, etag, data) VALUES (9, 2, 'https://h/book/p@q.vcf', '1', 'x')").run();
    db.prepare(
      "INSERT INTO contacts (item_id, collection_id, sort_name, json) VALUES (9, 2, 'p', json_object('href', 'https://h/book/p@q.vcf', 'fn', 'P'))",
    ).run();
    db.prepare("INSERT INTO settings (key, value) VALUES ('ui', ?)").run(
      JSON.stringify({ view: 'week', hiddenCalendars: ['https://h/c%61l/', 'https://h/x/'] }),
    );
    for (const [href, etag] of [
      ['https://h/cal/a%40b.ics', '1'],
      ['https://h/cal/a@b.ics', '2'],
      ['https://h/cal/%C3%A9 t.ics', '3'],
    ]) {
      db.prepare("INSERT INTO items (collection_id, href, etag, data) VALUES (1, ?, ?, 'x')").run(href!, etag!);
    }
    db.close();
    store = Store.open(old);
    const [c] = store.listCollections('a');
    expect(c).toMatchObject({ url: 'https://h/cal/', props: { url: 'https://h/cal/' } });
    expect(
      store
        .items(c!.id)
        .map((i) => i.href)
        .sort(),
    ).toEqual(['https://h/cal/%C3%A9%20t.ics', 'https://h/cal/a%40b.ics']);
    // Which of the two copies of a@b was current is unknown: the calendar compares every ETag at its next sync.
    expect(c).toMatchObject({ ctag: null, syncToken: null });
    // A contact's own href follows its item; the address book lost no copy and keeps its ctag.
    const book = store.getCollectionByUrl('https://h/book/')!;
    expect(book.ctag).toBe('b1');
    expect(store.contacts([book.id], '').contacts.map((x) => x.href)).toEqual(['https://h/book/p%40q.vcf']);
    // Looked up in any spelling.
    expect(store.getCollectionByUrl('https://h/c%61l/')!.id).toBe(c!.id);
    expect(store.getItem(c!.id, 'https://h/cal/a@b.ics')!.href).toBe('https://h/cal/a%40b.ics');
    // The desktop's hidden calendars name the same URLs.
    expect(store.getSetting('ui')).toEqual({ view: 'week', hiddenCalendars: ['https://h/cal/', 'https://h/x/'] });
  });

  it('migration 3 lets a subscription own a calendar, keeping every account collection, item and foreign key', () => {
    const { path: old, db } = olderProfile(2);
    db.prepare("INSERT INTO accounts (id, email, caldav, carddav) VALUES ('a', 'a', 'null', 'null')").run();
    db.prepare(
      "INSERT INTO collections (id, account_id, kind, url, props, ctag) VALUES (7, 'a', 'calendar', 'https://h/cal/', json_object('url', 'https://h/cal/'), 'c7')",
    ).run();
    db.prepare("INSERT INTO items (id, collection_id, href, etag, data) VALUES (70, 7, 'https://h/cal/x.ics', '1', 'x')").run();
    db.close();
    store = Store.open(old);
    expect(store.listCollections('a')).toMatchObject([{ id: 7, accountId: 'a', subscriptionId: null, ctag: 'c7' }]);
    expect(store.items(7).map((i) => i.href)).toEqual(['https://h/cal/x.ics']);
    expect(Number((store.db.prepare('PRAGMA foreign_keys').get() as { foreign_keys: number }).foreign_keys)).toBe(1);
    // Foreign keys still hold and still cascade.
    expect(() => store.db.prepare("INSERT INTO items (collection_id, href, data) VALUES (999, 'h', 'x')").run()).toThrow(/FOREIGN KEY/);
    expect(() => store.db.prepare("INSERT INTO collections (kind, url, props) VALUES ('calendar', 'https://h/o/', '{}')").run()).toThrow(/CHECK/);
    store.removeAccount('a');
    expect(store.items(7)).toEqual([]);
  });

  it('migration 5 gives every subscription stored before it an empty list of notes, and keeps the rest of it', () => {
    const { path: old, db } = olderProfile(4);
    db.prepare("INSERT INTO subscriptions (url, name, etag, added_at, synced_at) VALUES ('https://feeds.test/h.ics', 'Hols', '\"e\"', 't0', 't1')").run();
    db.close();
    store = Store.open(old);
    expect(store.getSubscription('https://feeds.test/h.ics')).toMatchObject({ name: 'Hols', etag: '"e"', addedAt: 't0', syncedAt: 't1', notes: [] });
    expect(Number((store.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version)).toBe(MIGRATIONS.length);
  });

  it('keeps a subscription with its calendar; a permanent move takes the calendar and every item along; removing it removes them', () => {
    const s = store.saveSubscription({
      url: 'https://feeds.test/old/h.ics',
      name: null,
      refreshMinutes: null,
      feedRefreshMinutes: 60,
      etag: '"e1"',
      lastModified: null,
      options: { user: 'ann' },
      addedAt: '2026-12-01T00:00:00.000Z',
      checkedAt: null,
      syncedAt: null,
      lastError: null,
      notes: [defect],
    });
    expect(store.getSubscription('https://FEEDS.test/old/h.ics')).toEqual(s);
    expect(s.notes).toEqual([defect]);
    const c = store.upsertSubscriptionCalendar(s.id, { ...cal, url: s.url });
    expect(c).toMatchObject({ accountId: null, subscriptionId: s.id, kind: 'calendar' });
    store.applyChanges(c.id, {
      upserts: [row(`${s.url}#a`, '1'), row(`${s.url}#b%40x`, '1')],
      deletes: [],
      replaceAll: true,
      ctag: null,
      syncToken: null,
      props: cal,
    });
    // Not an account's: listed among all collections only.
    expect(store.listCollections(account.id)).toEqual([]);
    expect(store.listCollections().map((x) => x.id)).toContain(c.id);
    store.setSetting('ui', { view: 'week', hiddenCalendars: ['https://h/other/', s.url] });
    store.moveSubscription(s.id, 'https://feeds.test/new/h.ics');
    expect(store.getSetting('ui')).toEqual({ view: 'week', hiddenCalendars: ['https://h/other/', 'https://feeds.test/new/h.ics'] });
    expect(store.getSubscription('https://feeds.test/old/h.ics')).toBeNull();
    const moved = store.getSubscription('https://feeds.test/new/h.ics')!;
    expect(moved).toMatchObject({ id: s.id, etag: '"e1"', options: { user: 'ann' }, notes: [defect] });
    expect(store.subscriptionCalendar(s.id)).toMatchObject({ url: 'https://feeds.test/new/h.ics', props: { url: 'https://feeds.test/new/h.ics' } });
    expect(store.items(c.id).map((i) => i.href)).toEqual(['https://feeds.test/new/h.ics#a', 'https://feeds.test/new/h.ics#b%40x']);
    expect(store.removeSubscription(s.id)).toBe(true);
    expect(store.subscriptionCalendar(s.id)).toBeNull();
    expect(store.items(c.id)).toEqual([]);
  });

  it('has a change stamp that moves with every write, through its connection or another, and only then', () => {
    const before = store.changeStamp();
    expect(store.changeStamp()).toBe(before);
    store.getAccount(account.id);
    expect(store.changeStamp()).toBe(before);
    const book = newBook();
    const own = store.changeStamp();
    expect(own).not.toBe(before);
    // Another process (a command line syncing the same profile) commits through its own connection.
    const other = Store.open(dir);
    try {
      other.applyChanges(book.id, {
        upserts: [row('https://h/book/nora.vcf', 'e1')],
        deletes: [],
        replaceAll: true,
        ctag: null,
        syncToken: null,
        props: book.props,
      });
    } finally {
      other.close();
    }
    expect(store.changeStamp()).not.toBe(own);
  });

  it('finds the unparsable items of a collection through an index, not by reading every item', () => {
    const c = store.upsertCollection(account.id, 'calendar', cal);
    store.applyChanges(c.id, {
      upserts: [row('https://h/cal/b.ics', 'e1', { parseError: 'no VCALENDAR' }), row('https://h/cal/a.ics', 'e2')],
      deletes: [],
      replaceAll: true,
      ctag: 'c1',
      syncToken: null,
      props: cal,
    });
    expect(store.unparsable(c.id)).toEqual([{ href: 'https://h/cal/b.ics', parseError: 'no VCALENDAR' }]);
    const plan = store.db
      .prepare('EXPLAIN QUERY PLAN SELECT href, parse_error FROM items WHERE collection_id = ? AND parse_error IS NOT NULL ORDER BY href')
      .all(c.id) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' | ')).toContain('USING INDEX items_unparsable');
  });

  it('makes a new store with 16 KB pages and leaves an existing one its own', () => {
    expect((store.db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size).toBe(16_384);
    const file = join(mkdtempSync(join(tmpdir(), 'davlens-pages-')), 'old.sqlite');
    const old = new DatabaseSync(file);
    old.exec("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES ('kept');");
    old.close();
    const reopened = openDatabase(file);
    expect((reopened.prepare('PRAGMA page_size').get() as { page_size: number }).page_size).toBe(4096);
    expect(reopened.prepare('SELECT x FROM t').all()).toEqual([{ x: 'kept' }]);
    reopened.close();
    rmSync(dirname(file), { recursive: true, force: true });
  });

  it('refuses a database that cannot be in WAL mode, with a sentence saying what to do', () => {
    expect(() => openDatabase(':memory:')).toThrow(DavlensFailure);
    expect(() => openDatabase(':memory:')).toThrow(/WAL mode.*--profile DIR/);
  });

  it('never has a column that could hold a password', () => {
    const cols = (store.db.prepare("SELECT name FROM pragma_table_info('accounts')").all() as { name: string }[]).map((c) => c.name);
    expect(cols.some((c) => /pass|secret|token/i.test(c))).toBe(false);
  });

  it('counts added, changed and deleted items and keeps unchanged ones untouched', () => {
    const c = store.upsertCollection(account.id, 'calendar', cal);
    expect(
      store.applyChanges(c.id, { upserts: [row('a', '1'), row('b', '1')], deletes: [], replaceAll: true, ctag: 'c1', syncToken: null, props: cal }),
    ).toEqual({ added: 2, changed: 0, deleted: 0 });
    expect(
      store.applyChanges(c.id, {
        upserts: [row('a', '1'), row('b', '2'), row('c', '1')],
        deletes: [],
        replaceAll: true,
        ctag: 'c2',
        syncToken: null,
        props: cal,
      }),
    ).toEqual({ added: 1, changed: 1, deleted: 0 });
    expect(store.applyChanges(c.id, { upserts: [], deletes: ['a', 'zzz'], replaceAll: false, ctag: 'c3', syncToken: 't', props: cal })).toEqual({
      added: 0,
      changed: 0,
      deleted: 1,
    });
    expect(store.items(c.id).map((i) => `${i.href}:${i.etag}`)).toEqual(['b:2', 'c:1']);
    expect(store.getCollectionByUrl(cal.url)).toMatchObject({ ctag: 'c3', syncToken: 't' });
  });

  it('never deletes a member that the same change also brought (two answers that disagree keep it)', () => {
    const c = store.upsertCollection(account.id, 'calendar', cal);
    store.applyChanges(c.id, { upserts: [row('a', '1'), row('b', '1')], deletes: [], replaceAll: true, ctag: 'c1', syncToken: null, props: cal });
    expect(
      store.applyChanges(c.id, { upserts: [row('a', '1'), row('b', '2')], deletes: ['a', 'b'], replaceAll: false, ctag: 'c2', syncToken: null, props: cal }),
    ).toEqual({ added: 0, changed: 1, deleted: 0 });
    expect(store.items(c.id).map((i) => `${i.href}:${i.etag}`)).toEqual(['a:1', 'b:2']);
  });

  it('writes a collection all or nothing', () => {
    const c = store.upsertCollection(account.id, 'calendar', cal);
    store.applyChanges(c.id, { upserts: [row('a', '1')], deletes: [], replaceAll: true, ctag: 'c1', syncToken: null, props: cal });
    const bad = { ...row('b', '1'), data: null as unknown as string };
    expect(() => store.applyChanges(c.id, { upserts: [row('a', '2'), bad], deletes: [], replaceAll: true, ctag: 'c9', syncToken: null, props: cal })).toThrow();
    expect(store.items(c.id).map((i) => `${i.href}:${i.etag}`)).toEqual(['a:1']);
    expect(store.getCollectionByUrl(cal.url)!.ctag).toBe('c1');
  });

  it('selects items by a time-zone-independent span, open-ended series included', () => {
    const c = store.upsertCollection(account.id, 'calendar', cal);
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
    store.applyChanges(c.id, {
      upserts: [
        row('past', '1', { spanStart: day('2020-01-01'), spanEnd: day('2020-01-03') }),
        row('dec', '1', { spanStart: day('2026-11-29'), spanEnd: day('2026-12-03'), searchText: 'team lunch\nberlin' }),
        row('forever', '1', { spanStart: day('2019-12-30'), spanEnd: null }),
        row('broken', '1', { parseError: 'bad' }),
      ],
      deletes: [],
      replaceAll: true,
      ctag: 'c',
      syncToken: null,
      props: cal,
    });
    const hrefs = (from: string, to: string, q?: string) =>
      store
        .itemsInRange([c.id], day(from), day(to), q)
        .map((i) => i.href)
        .sort();
    expect(hrefs('2026-12-01', '2027-01-01')).toEqual(['dec', 'forever']);
    expect(hrefs('2020-01-01', '2020-02-01')).toEqual(['forever', 'past']);
    expect(hrefs('2026-12-01', '2027-01-01', 'BERLIN')).toEqual(['dec']);
    expect(hrefs('2026-12-01', '2027-01-01', '100%')).toEqual([]);
  });

  it('selects in memory what its range query selects (spanMeetsRange, for a first window held in memory)', () => {
    const c = store.upsertCollection(account.id, 'calendar', cal);
    const day = (d: number) => Date.parse('2026-12-01T00:00:00Z') + d * 86_400_000;
    // Unpadded spans a few days around the window's edges, open-ended ones and none, as resourceSpan gives them.
    const spans: { start: number | null; end: number | null }[] = [{ start: null, end: null }];
    for (let a = -6; a <= 12; a += 1.5) {
      spans.push({ start: day(a), end: null });
      for (const len of [0, 0.25, 1, 3]) spans.push({ start: day(a), end: day(a + len) });
    }
    storeAll(
      c,
      spans.map((sp, i) =>
        row(`i${i}`, '1', {
          spanStart: sp.start === null ? null : sp.start - SPAN_PADDING_MS,
          spanEnd: sp.end === null ? null : sp.end + SPAN_PADDING_MS,
        }),
      ),
    );
    let compared = 0;
    for (let from = -4; from <= 8; from += 0.5)
      for (const days of [0.5, 1, 4]) {
        const [fromMs, toMs] = [day(from), day(from + days)];
        const stored = new Set(store.itemsInRange([c.id], fromMs, toMs).map((i) => i.href));
        const held = new Set(spans.flatMap((sp, i) => (spanMeetsRange(sp, fromMs, toMs) ? [`i${i}`] : [])));
        expect(held).toEqual(stored);
        compared += stored.size;
      }
    // Not an empty comparison.
    expect(compared).toBeGreaterThan(1000);
  });

  it('searches contacts by substring of name, email, phone (digits too) and organisation, sorted, paged', () => {
    const book = newBook();
    const people = [
      contact('Zoë Zimmer', { emails: [{ value: 'zoe@zimmer.example', types: [], pref: null }] }),
      contact('Anna Berg', { org: 'Nordwind GmbH', phones: [{ value: '+49 (30) 555-0101', types: ['cell'], pref: 1 }] }),
      contact('Bo', { emails: [{ value: 'bo@example.test', types: [], pref: null }] }),
    ];
    storeAll(
      book,
      people.map((p, i) => row(p.href, String(i), { contact: p })),
    );
    const fns = (q?: string) => store.contacts([book.id], q).contacts.map((c) => c.fn);
    expect(fns()).toEqual(['Anna Berg', 'Bo', 'Zoë Zimmer']);
    expect(fns('ordwin')).toEqual(['Anna Berg']);
    expect(fns('zimmer.exa')).toEqual(['Zoë Zimmer']);
    expect(fns('3055501')).toEqual(['Anna Berg']);
    expect(fns('bo')).toEqual(['Bo']);
    expect(fns('"); DROP TABLE contacts; --')).toEqual([]);
    expect(store.contacts([book.id], undefined, 1, 1)).toMatchObject({ total: 3, contacts: [{ fn: 'Bo' }] });
    // Deleting the item removes it from search too (trigger on cascade).
    store.applyChanges(book.id, { upserts: [], deletes: [people[1]!.href], replaceAll: false, ctag: null, syncToken: null, props: book.props });
    expect(fns('ordwin')).toEqual([]);
    expect(ftsRows()).toBe(2);
  });

  it('an answer naming one card twice keeps the second copy, once, in the list and in search', () => {
    const book = newBook();
    const first = contact('Ada Early');
    const second = contact('Ada Later', { href: first.href });
    storeAll(book, [row(first.href, '1', { contact: first }), row('other', '1', { contact: contact('Other') }), row(first.href, '2', { contact: second })]);
    expect(store.contacts([book.id], undefined).contacts.map((c) => c.fn)).toEqual(['Ada Later', 'Other']);
    expect(store.contacts([book.id], 'early').contacts).toEqual([]);
    expect(store.itemEtags(book.id).get(first.href)).toBe('2');
    expect(ftsRows()).toBe(2);
  });

  it('removing an account removes its collections, items and search entries', () => {
    const book = newBook();
    storeAll(book, [row('x', '1', { contact: contact('Xavier') })]);
    expect(store.removeAccount(account.id)).toBe(true);
    for (const t of ['collections', 'items', 'contacts', 'contacts_fts']) {
      expect(Number((store.db.prepare(`SELECT count(*) n FROM ${t}`).get() as { n: number }).n)).toBe(0);
    }
  });
});
