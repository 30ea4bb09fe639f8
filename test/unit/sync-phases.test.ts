// Sync's phases (list -> plan -> fetch -> apply -> finish, electron/engine/app/sync.ts) against a fake of the
// narrow interface it has of the servers (RemoteAccount) and a real store in a scratch directory: what the store
// holds afterwards and what the report says. How a real server is asked is the integration suites' part
// (sync-scripted, servers).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncCollectionReport } from '../../shared/api.ts';
import type { ServiceResult } from '../../shared/discovery.ts';
import { DavlensFailure, davlensError, type DavlensError } from '../../shared/errors.ts';
import type { AddressBook, Calendar, CollectionKind } from '../../shared/models.ts';
import { syncWith } from '../../electron/engine/app/sync.ts';
import { windowEvents, windowFrom } from '../../electron/engine/app/window.ts';
import type { RemoteAccount } from '../../electron/engine/remote/account-remote.ts';
import { Store, type StoredAccount } from '../../electron/engine/store/store.ts';

const HOME = 'https://dav.test/home/';

const ics = (uid: string, summary = uid) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T090000Z\r\nSUMMARY:${summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const vcf = (fn: string) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${fn}\r\nFN:${fn}\r\nN:;${fn};;;\r\nEND:VCARD\r\n`;

interface FakeCollection {
  kind: CollectionKind;
  url: string;
  displayName: string;
  /** Bumped by every change: the ctag is c<version>, the sync-token t<version>. */
  version: number;
  items: Map<string, { etag: string; data: string; version: number }>;
  /** Removed members and the version that removed them. */
  removed: Map<string, number>;
  /** Tokens below this version are no longer accepted (a server that forgot them). */
  oldestToken: number;
  /** No getctag in the listing (the sync-token is the only marker). */
  noCtag?: boolean;
}

/**
 * An account's servers in memory, behind the RemoteAccount interface: every listing and fetch counts one
 * request of 100 bytes, and every call is logged.
 */
class FakeServer {
  readonly collections = new Map<string, FakeCollection>();
  readonly log: string[] = [];
  /** Each fetch's `since`, and whether it read the stored ETags (what it read). */
  readonly fetches: { url: string; syncToken: string | null | undefined; etagsRead: Map<string, string | null> | null }[] = [];
  listingMarkers: { ctag: boolean; syncToken: boolean }[] = [];
  listingFails: DavlensError | null = null;
  /** Fetches that fail as a whole, by collection URL. */
  readonly fetchFails = new Map<string, DavlensError>();
  /** Members that cannot be fetched: left out of the changes and reported. */
  readonly memberFails = new Set<string>();
  /** Calendars whose window needs the whole calendar (a quirk of theirs): null unless `whole` allows it. */
  readonly windowsWhole = new Set<string>();
  closed = 0;

  add(kind: CollectionKind, name: string, members: Record<string, string>, extra: Partial<FakeCollection> = {}): string {
    const url = `${HOME}${name}/`;
    const c: FakeCollection = { kind, url, displayName: name, version: 1, items: new Map(), removed: new Map(), oldestToken: 0, ...extra };
    for (const [href, data] of Object.entries(members)) c.items.set(`${url}${href}`, { etag: `"${href}-1"`, data, version: 1 });
    this.collections.set(url, c);
    return url;
  }

  put(url: string, href: string, data: string): void {
    const c = this.collections.get(url)!;
    c.version++;
    c.items.set(`${url}${href}`, { etag: `"${href}-${c.version}"`, data, version: c.version });
    c.removed.delete(`${url}${href}`);
  }

  remove(url: string, href: string): void {
    const c = this.collections.get(url)!;
    c.version++;
    c.items.delete(`${url}${href}`);
    c.removed.set(`${url}${href}`, c.version);
  }

  remote(): RemoteAccount {
    return {
      listCollections: async (markers, meter) => {
        this.log.push('list');
        this.listingMarkers.push(markers);
        meter.requests++;
        meter.bytes += 100;
        if (this.listingFails) throw new DavlensFailure(this.listingFails);
        const listed = [...this.collections.values()].map((c) => this.props(c, markers.syncToken));
        return {
          calendars: listed.filter((p): p is Calendar => 'components' in p),
          addressbooks: listed.filter((p): p is AddressBook => !('components' in p)),
          unsure: new Set<string>(),
        };
      },
      windowNeedsWhole: (calendar) => this.windowsWhole.has(calendar.url),
      fetchWindow: async (calendar, range, meter, whole) => {
        if (this.windowsWhole.has(calendar.url)) {
          if (!whole) return null;
          this.log.push(`whole ${calendar.displayName}`);
        } else this.log.push(`window ${calendar.displayName} ${range.start.toISOString()} ${range.end.toISOString()}`);
        meter.requests++;
        await Promise.resolve();
        const failure = this.fetchFails.get(calendar.url);
        if (failure) throw new DavlensFailure(failure);
        const c = this.collections.get(calendar.url)!;
        return { items: [...c.items].map(([href, i]) => ({ href, etag: i.etag, data: i.data })), errors: [] };
      },
      fetchChanges: async (kind, collection, since, meter) => {
        this.log.push(`fetch ${collection.displayName}`);
        const fetch = { url: collection.url, syncToken: since?.syncToken, etagsRead: null as Map<string, string | null> | null };
        this.fetches.push(fetch);
        meter.requests++;
        meter.bytes += 100;
        await Promise.resolve();
        const failure = this.fetchFails.get(collection.url);
        if (failure) throw new DavlensFailure(failure);
        const c = this.collections.get(collection.url)!;
        expect(c.kind).toBe(kind);
        const from = since?.syncToken ? Number(since.syncToken.slice(1)) : null;
        let changed: string[];
        let deletes: string[] = [];
        if (since === null) changed = [...c.items.keys()];
        else if (from !== null && from >= c.oldestToken) {
          changed = [...c.items].filter(([, i]) => i.version > from).map(([href]) => href);
          deletes = [...c.removed].filter(([, v]) => v > from).map(([href]) => href);
        } else {
          const known = since.etags();
          fetch.etagsRead = known;
          changed = [...c.items].filter(([href, i]) => known.get(href) !== i.etag).map(([href]) => href);
          deletes = [...known.keys()].filter((href) => !c.items.has(href));
        }
        const failed = changed.filter((href) => this.memberFails.has(href));
        return {
          items: changed.filter((href) => !failed.includes(href)).map((href) => ({ href, etag: c.items.get(href)!.etag, data: c.items.get(href)!.data })),
          deletes,
          replaceAll: since === null,
          errors: failed.map((href) => davlensError('bad-response', `no data for ${href}`, 'items', { url: href, href })),
          markersToStore: () => ({ ctag: collection.ctag, syncToken: `t${c.version}` }),
        };
      },
      basicOrigins: () => ['https://dav.test'],
      close: async () => {
        this.closed++;
      },
    };
  }

  private props(c: FakeCollection, withToken: boolean): Calendar | AddressBook {
    const markers = { ctag: c.noCtag ? null : `c${c.version}`, syncToken: withToken ? `t${c.version}` : null };
    if (c.kind === 'addressbook') return { url: c.url, displayName: c.displayName, description: null, ...markers };
    return { url: c.url, displayName: c.displayName, color: null, order: null, components: ['VEVENT'], readOnly: false, description: null, ...markers };
  }
}

let dir: string;
let store: Store;
let server: FakeServer;

/** Both services on one home, as Radicale serves them. */
const SERVICE: ServiceResult = {
  context: 'https://dav.test/',
  via: 'manual',
  principal: 'https://dav.test/alice/',
  homeSets: [HOME],
  username: 'alice',
  offDomain: false,
  needsApproval: null,
};

const account: StoredAccount = {
  id: 'alice@dav.test',
  email: 'alice@dav.test',
  username: 'alice',
  caldav: SERVICE,
  carddav: SERVICE,
  approvedHosts: [],
  options: {},
  syncedAt: null,
  lastError: null,
  demo: false,
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'davlens-sync-phases-'));
  store = Store.open(dir);
  store.saveAccount(account);
  server = new FakeServer();
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function sync(onCollection?: (r: SyncCollectionReport) => void) {
  return syncWith(store, store.getAccount(account.id)!, server.remote(), onCollection);
}

/** The stored collection at `url`: its markers and its items as href (last segment) -> etag. */
function stored(url: string) {
  const c = store.getCollectionByUrl(url);
  if (!c) return null;
  const items = Object.fromEntries(store.items(c.id).map((i) => [i.href.slice(url.length), i.etag]));
  return { ctag: c.ctag, syncToken: c.syncToken, displayName: c.props.displayName, items };
}

describe('sync phases against a fake remote', () => {
  it('fetches and stores a new collection whole, with its markers; remembers the origins that took Basic; closes the remote', async () => {
    const cal = server.add('calendar', 'work', { 'a.ics': ics('a'), 'b.ics': ics('b') });
    const book = server.add('addressbook', 'people', { 'x.vcf': vcf('Xavier') });
    const r = await sync();
    expect(r).toMatchObject({ errors: [], passwordNeeded: false, listing: { requests: 1, bytes: 100 } });
    expect(r.syncedAt).not.toBeNull();
    expect(r.collections.map((c) => [c.displayName, c.kind, c.added, c.changed, c.deleted, c.requests, c.error])).toEqual([
      ['work', 'calendar', 2, 0, 0, 1, null],
      ['people', 'addressbook', 1, 0, 0, 1, null],
    ]);
    expect(server.fetches.map((f) => f.syncToken)).toEqual([undefined, undefined]);
    expect(stored(cal)).toEqual({ ctag: 'c1', syncToken: 't1', displayName: 'work', items: { 'a.ics': '"a.ics-1"', 'b.ics': '"b.ics-1"' } });
    expect(stored(book)!.items).toEqual({ 'x.vcf': '"x.vcf-1"' });
    expect(store.contacts([store.getCollectionByUrl(book)!.id], undefined).contacts.map((c) => c.fn)).toEqual(['Xavier']);
    const saved = store.getAccount(account.id)!;
    expect(saved).toMatchObject({ syncedAt: r.syncedAt, lastError: null, options: { basicOrigins: ['https://dav.test'] } });
    expect(server.closed).toBe(1);
  });

  it('fetches one collection ahead: the next fetch is asked for before the previous collection is stored', async () => {
    for (const name of ['one', 'two', 'three']) server.add('calendar', name, { 'e.ics': ics(name) });
    await sync((r) => server.log.push(`stored ${r.displayName}`));
    expect(server.log).toEqual(['list', 'fetch one', 'fetch two', 'stored one', 'fetch three', 'stored two', 'stored three']);
  });

  it('an unchanged ctag costs no fetch; a new name is kept all the same', async () => {
    const cal = server.add('calendar', 'work', { 'a.ics': ics('a') });
    await sync();
    server.collections.get(cal)!.displayName = 'Work (renamed)';
    const r = await sync();
    expect(server.fetches).toHaveLength(1);
    expect(r.collections).toEqual([expect.objectContaining({ added: 0, changed: 0, deleted: 0, requests: 0, error: null })]);
    expect(stored(cal)).toMatchObject({ ctag: 'c1', syncToken: 't1', displayName: 'Work (renamed)' });
  });

  it('a collection row without stored items (never synced) is fetched whole, whatever its ctag', async () => {
    const cal = server.add('calendar', 'work', { 'a.ics': ics('a') });
    store.upsertCollection(account.id, 'calendar', {
      url: cal,
      displayName: 'work',
      color: null,
      order: null,
      components: [],
      ctag: 'c1',
      syncToken: null,
      readOnly: false,
      description: null,
    });
    const r = await sync();
    expect(server.fetches).toEqual([{ url: cal, syncToken: undefined, etagsRead: null }]);
    expect(r.collections[0]).toMatchObject({ added: 1, error: null });
  });

  it('a changed collection with a sync-token: only the changes since it are applied, and the stored ETags are not read', async () => {
    const cal = server.add('calendar', 'work', { 'a.ics': ics('a'), 'b.ics': ics('b'), 'c.ics': ics('c') });
    await sync();
    server.put(cal, 'a.ics', ics('a', 'moved'));
    server.remove(cal, 'b.ics');
    server.put(cal, 'd.ics', ics('d'));
    const r = await sync();
    expect(server.fetches[1]).toEqual({ url: cal, syncToken: 't1', etagsRead: null });
    expect(r.collections[0]).toMatchObject({ added: 1, changed: 1, deleted: 1, error: null });
    expect(stored(cal)).toMatchObject({ ctag: 'c4', syncToken: 't4', items: { 'a.ics': '"a.ics-2"', 'c.ics': '"c.ics-1"', 'd.ics': '"d.ics-4"' } });
  });

  it('a sync-token the server no longer accepts: the stored ETags are compared and only what differs is applied', async () => {
    const cal = server.add('calendar', 'work', { 'a.ics': ics('a'), 'b.ics': ics('b'), 'c.ics': ics('c') });
    await sync();
    server.put(cal, 'a.ics', ics('a', 'moved'));
    server.remove(cal, 'b.ics');
    server.collections.get(cal)!.oldestToken = 3;
    const r = await sync();
    expect(server.fetches[1]!.syncToken).toBe('t1');
    expect(server.fetches[1]!.etagsRead).toEqual(
      new Map([
        [`${cal}a.ics`, '"a.ics-1"'],
        [`${cal}b.ics`, '"b.ics-1"'],
        [`${cal}c.ics`, '"c.ics-1"'],
      ]),
    );
    expect(r.collections[0]).toMatchObject({ added: 0, changed: 1, deleted: 1, error: null });
    expect(stored(cal)).toMatchObject({ ctag: 'c3', syncToken: 't3', items: { 'a.ics': '"a.ics-2"', 'c.ics': '"c.ics-1"' } });
  });

  it('asks the listing for sync-tokens only while a stored collection relies on one (no getctag)', async () => {
    server.add('calendar', 'work', { 'a.ics': ics('a') });
    await sync();
    server.add('calendar', 'tokens-only', { 'b.ics': ics('b') }, { noCtag: true });
    await sync();
    await sync();
    expect(server.listingMarkers).toEqual([
      { ctag: true, syncToken: false },
      { ctag: true, syncToken: false },
      { ctag: true, syncToken: true },
    ]);
  });

  it('a collection gone from the listing is removed with its items', async () => {
    const keep = server.add('calendar', 'work', { 'a.ics': ics('a') });
    const gone = server.add('calendar', 'old', { 'x.ics': ics('x'), 'y.ics': ics('y') });
    await sync();
    server.collections.delete(gone);
    const r = await sync();
    expect(r.collections.map((c) => [c.displayName, c.deleted])).toEqual([
      ['old', 2],
      ['work', 0],
    ]);
    expect(stored(gone)).toBeNull();
    expect(stored(keep)).not.toBeNull();
  });

  it('a failed listing removes nothing, and the run is not synced', async () => {
    const cal = server.add('calendar', 'work', { 'a.ics': ics('a') });
    const first = await sync();
    server.listingFails = davlensError('http-status', 'dav.test answered 500', 'collections', { url: HOME, status: 500 });
    const r = await sync();
    expect(r).toMatchObject({ collections: [], errors: [server.listingFails], syncedAt: null, passwordNeeded: false });
    expect(stored(cal)!.items).toEqual({ 'a.ics': '"a.ics-1"' });
    expect(store.getAccount(account.id)).toMatchObject({ syncedAt: first.syncedAt, lastError: server.listingFails });
  });

  it('a refused password mid-run stops it: the collections before it are stored, the rest keep their data, no syncedAt', async () => {
    const [one, two, three] = ['one', 'two', 'three'].map((name) => server.add('calendar', name, { 'e.ics': ics(name) }));
    const first = await sync();
    for (const url of [one!, two!, three!]) server.put(url, 'e.ics', ics('changed'));
    const refused = davlensError('auth-failed', 'dav.test refused the password', 'sync', { url: two!, status: 401 });
    server.fetchFails.set(two!, refused);
    const r = await sync();
    expect(r).toMatchObject({ passwordNeeded: true, syncedAt: null, errors: [refused] });
    expect(r.collections.map((c) => [c.displayName, c.error?.code ?? null])).toEqual([
      ['one', null],
      ['two', 'auth-failed'],
    ]);
    expect(stored(one!)).toMatchObject({ ctag: 'c2', items: { 'e.ics': '"e.ics-2"' } });
    expect(stored(two!)).toMatchObject({ ctag: 'c1', items: { 'e.ics': '"e.ics-1"' } });
    expect(stored(three!)).toMatchObject({ ctag: 'c1', items: { 'e.ics': '"e.ics-1"' } });
    const saved = store.getAccount(account.id)!;
    expect(saved.syncedAt).toBe(first.syncedAt);
    expect(saved.lastError).toMatchObject({ code: 'auth-failed', message: 'Password needed: dav.test refused the password', url: two, status: 401 });
    // The fetch started ahead (three) ended before the run did, and the remote was closed.
    expect(server.log.filter((l) => l.startsWith('fetch'))).toEqual(['fetch one', 'fetch two', 'fetch three', 'fetch one', 'fetch two', 'fetch three']);
    expect(server.closed).toBe(2);
  });

  it('a refused password at the listing: password needed, reported once', async () => {
    server.add('calendar', 'work', { 'a.ics': ics('a') });
    server.listingFails = davlensError('auth-failed', 'dav.test refused the password', 'collections', { url: HOME, status: 401 });
    const r = await sync();
    expect(r).toMatchObject({ passwordNeeded: true, syncedAt: null, collections: [] });
    expect(r.errors).toEqual([expect.objectContaining({ code: 'auth-failed', message: 'Password needed: dav.test refused the password', step: 'sync' })]);
    expect(server.fetches).toEqual([]);
  });

  it('an unparsable item is reported and kept raw, and the collection is synced with its markers', async () => {
    const cal = server.add('calendar', 'work', { 'a.ics': ics('a'), 'bad.ics': 'not iCalendar' });
    const r = await sync();
    expect(r.collections[0]).toMatchObject({ added: 2, error: { code: 'item-unparsable', href: `${cal}bad.ics` } });
    expect(r.syncedAt).not.toBeNull();
    expect(stored(cal)).toMatchObject({ ctag: 'c1', syncToken: 't1', items: { 'a.ics': '"a.ics-1"', 'bad.ics': '"bad.ics-1"' } });
    const bad = store.items(store.getCollectionByUrl(cal)!.id).find((i) => i.href.endsWith('bad.ics'))!;
    expect(bad).toMatchObject({ data: 'not iCalendar', parseError: expect.any(String) });
  });

  it('a member that could not be fetched leaves the collection without markers; the next sync compares ETags and fetches it', async () => {
    const cal = server.add('calendar', 'work', { 'a.ics': ics('a') });
    await sync();
    server.put(cal, 'b.ics', ics('b'));
    server.put(cal, 'c.ics', ics('c'));
    server.memberFails.add(`${cal}c.ics`);
    const r = await sync();
    expect(r.collections[0]).toMatchObject({ added: 1, error: { code: 'bad-response', href: `${cal}c.ics` } });
    expect(stored(cal)).toMatchObject({ ctag: null, syncToken: null, items: { 'a.ics': '"a.ics-1"', 'b.ics': '"b.ics-2"' } });

    server.memberFails.clear();
    const again = await sync();
    expect(server.fetches[2]).toMatchObject({ syncToken: null, etagsRead: expect.any(Map) });
    expect(again.collections[0]).toMatchObject({ added: 1, changed: 0, deleted: 0, error: null });
    expect(stored(cal)).toMatchObject({ ctag: 'c3', syncToken: 't3', items: { 'a.ics': '"a.ics-1"', 'b.ics': '"b.ics-2"', 'c.ics': '"c.ics-3"' } });
  });
});

describe('window first (app/window.ts) against the same fake remote', () => {
  const december = { from: '2026-12-01', to: '2027-01-01', tz: 'Europe/Berlin' };
  /** windowFrom, expanded for the window it fetched (or `w` within it), as the CLI's window answer. */
  const answer = async (remote: RemoteAccount, fetchFor = december, w: typeof december & { search?: string } = fetchFor) => {
    const f = await windowFrom(remote, fetchFor);
    const x = windowEvents(f.fetched, w);
    return { calendars: f.calendars, events: x.events, errors: [...f.errors, ...x.errors], requests: f.requests };
  };

  /** Every row of the store that says what it holds: collections with markers, items with their data. */
  const dump = (s: Store) =>
    s.listCollections().map((c) => ({
      url: c.url,
      kind: c.kind,
      ctag: c.ctag,
      syncToken: c.syncToken,
      items: s.items(c.id).map((i) => [i.href, i.etag, i.data, i.parseError]),
    }));

  it('lists without markers, asks each calendar for the padded window, expands it, and stores nothing', async () => {
    const work = server.add('calendar', 'work', { 'a.ics': ics('a', 'Planning'), 'bad.ics': 'not iCalendar' });
    server.add('calendar', 'home', { 'b.ics': ics('b', 'Dentist') });
    server.add('addressbook', 'people', { 'x.vcf': vcf('Xavier') });
    const w = await answer(server.remote());
    expect(server.listingMarkers).toEqual([{ ctag: false, syncToken: false }]);
    // One day either side: the server compares floating and all-day times in a zone of its own.
    expect(server.log).toEqual([
      'list',
      'window work 2026-11-30T00:00:00.000Z 2027-01-02T00:00:00.000Z',
      'window home 2026-11-30T00:00:00.000Z 2027-01-02T00:00:00.000Z',
    ]);
    expect(w.events.map((e) => [e.summary, e.start, e.calendar])).toEqual([
      // Same start: by UID (a, b).
      ['Planning', '2026-12-01T10:00:00+01:00', 'work'],
      ['Dentist', '2026-12-01T10:00:00+01:00', 'home'],
    ]);
    expect(w.errors).toEqual([expect.objectContaining({ code: 'item-unparsable', href: `${work}bad.ics` })]);
    expect(w.requests).toBe(3);
    expect(w.calendars.map((c) => c.displayName)).toEqual(['work', 'home']);
    expect(dump(store)).toEqual([]);
    expect(store.getAccount(account.id)!.syncedAt).toBeNull();
    expect(server.closed).toBe(1);
  });

  it('a window outside the items shows none; a search keeps only matching items; one failing calendar leaves the others', async () => {
    server.add('calendar', 'work', { 'a.ics': ics('a', 'Planning'), 'c.ics': ics('c', 'Review') });
    const home = server.add('calendar', 'home', { 'b.ics': ics('b', 'Dentist') });
    expect((await answer(server.remote(), { ...december, from: '2027-01-01', to: '2027-02-01' })).events).toEqual([]);
    const searched = await answer(server.remote(), december, { ...december, search: 'REVIEW' });
    expect(searched.events.map((e) => e.summary)).toEqual(['Review']);
    server.fetchFails.set(home, davlensError('http-status', 'home answered 500', 'items', { url: home, status: 500 }));
    const failed = await answer(server.remote());
    expect(failed.events.map((e) => e.summary)).toEqual(['Planning', 'Review']);
    expect(failed.errors).toEqual([expect.objectContaining({ code: 'http-status', url: home })]);
    const listingFails = new FakeServer();
    listingFails.listingFails = davlensError('auth-failed', 'refused', 'collections', { status: 401 });
    expect(await answer(listingFails.remote())).toMatchObject({ calendars: [], events: [], errors: [{ code: 'auth-failed' }] });
  });

  it('takes whole as many calendars needing it as asked, in listing order; leaves the rest to the sync', async () => {
    const work = server.add('calendar', 'work', { 'a.ics': ics('a', 'Planning') });
    const home = server.add('calendar', 'home', { 'b.ics': ics('b', 'Dentist') });
    server.add('calendar', 'team', { 'c.ics': ics('c', 'Standup') });
    server.windowsWhole.add(work).add(home);
    const summaries = async (wholeCalendars: number) => {
      server.log.length = 0;
      const f = await windowFrom(server.remote(), december, { wholeCalendars });
      return { calendars: f.fetched.map((x) => x.calendar.displayName), log: server.log.slice(1) };
    };
    // The app: the first one whole (the month shows at once), the other left to its sync.
    expect(await summaries(1)).toEqual({ calendars: ['work', 'team'], log: ['whole work', 'window team 2026-11-30T00:00:00.000Z 2027-01-02T00:00:00.000Z'] });
    // The CLI: every one; other days in the app: none.
    expect((await summaries(Infinity)).calendars).toEqual(['work', 'home', 'team']);
    expect((await summaries(0)).calendars).toEqual(['team']);
  });

  it('the store after a window first and a full sync equals the store after a plain sync', async () => {
    server.add('calendar', 'work', { 'a.ics': ics('a'), 'bad.ics': 'not iCalendar' });
    server.add('addressbook', 'people', { 'x.vcf': vcf('Xavier') });
    await windowFrom(server.remote(), december);
    await sync();
    const plainDir = mkdtempSync(join(tmpdir(), 'davlens-sync-phases-plain-'));
    const plain = Store.open(plainDir);
    try {
      plain.saveAccount(account);
      await syncWith(plain, plain.getAccount(account.id)!, server.remote());
      expect(dump(store)).toEqual(dump(plain));
      expect(dump(store)).toHaveLength(2);
    } finally {
      plain.close();
      rmSync(plainDir, { recursive: true, force: true });
    }
  });
});
