// The store and incremental sync against real servers, written once and run against Radicale
// (sync-token) and SabreDAV 1.8 (ctag/ETag only), as vdirsyncer runs its storage tests on every backend.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFromDiscovery } from '../../electron/engine/accounts.ts';
import { discover, type DiscoverInput } from '../../electron/engine/discovery.ts';
import { Store, type StoredAccount } from '../../electron/engine/store/store.ts';
import { syncAccount } from '../../electron/engine/sync.ts';
import { NS } from '../../electron/engine/xml.ts';
import { okProp, parseMultistatus } from '../../electron/engine/webdav.ts';
import { loadHarness } from '../harness/env.ts';
import { basicAuth, davRequest, del, mkAddressbook, mkcalendar, put } from '../harness/seed.ts';

const h = loadHarness();

const SERVERS = [
  { name: 'Radicale (sync-token)', email: h.users.alice.email, user: h.users.alice.username, password: h.users.alice.password, syncToken: true },
  { name: 'SabreDAV 1.8 (ctag/ETag)', email: 'dave@sabre.test', user: 'dave', password: 'davepw', syncToken: false },
];

function event(uid: string, summary: string, day = '20261201'): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, `DTSTAMP:20261101T000000Z`,
    `DTSTART:${day}T090000Z`, `DTEND:${day}T100000Z`, `SUMMARY:${summary}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
}

function card(uid: string, fn: string): string {
  return ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `FN:${fn}`, `N:${fn};;;;`, `EMAIL;TYPE=work:${uid}@example.test`, 'END:VCARD', ''].join('\r\n');
}

/** The server's view of a collection: href -> data, fetched independently of the engine's sync code. */
async function serverItems(url: string, auth: string, kind: 'calendar' | 'addressbook'): Promise<Map<string, string>> {
  const ns = kind === 'calendar' ? 'xmlns:c="urn:ietf:params:xml:ns:caldav"' : 'xmlns:c="urn:ietf:params:xml:ns:carddav"';
  const body = `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" ${ns}><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>`;
  const res = await davRequest('PROPFIND', url, { auth, headers: { Depth: '1', 'Content-Type': 'application/xml' }, body });
  expect(res.status).toBe(207);
  const out = new Map<string, string>();
  for (const r of parseMultistatus(res.body, url).responses) {
    if ((okProp(r, NS.DAV, 'resourcetype')?.children.length ?? 0) > 0) continue;
    const got = await davRequest('GET', r.url, { auth });
    out.set(r.url, got.body.replace(/\r\n/g, '\n'));
  }
  return out;
}

function storeItems(store: Store, url: string): Map<string, string> {
  const c = store.getCollectionByUrl(url);
  if (!c) return new Map();
  return new Map(store.items(c.id).map((i) => [i.href, i.data.replace(/\r\n/g, '\n')]));
}

describe.each(SERVERS)('sync against $name', (server) => {
  const auth = basicAuth(server.user, server.password);
  const profile = mkdtempSync(join(tmpdir(), 'davlens-sync-'));
  const tag = Math.random().toString(36).slice(2, 8);
  let store: Store;
  let account: StoredAccount;
  let input: DiscoverInput;
  let calUrl: string;
  let bookUrl: string;

  beforeAll(async () => {
    input = { email: server.email, password: server.password, dns: h.dns, ca: h.caPem };
    const found = await discover(input);
    expect(found.caldav?.homeSets.length).toBeGreaterThan(0);
    calUrl = `${found.caldav!.homeSets[0]}sync-${tag}/`;
    bookUrl = `${found.carddav!.homeSets[0]}book-${tag}/`;
    await mkcalendar(calUrl, auth, { displayName: `Sync ${tag}`, color: '#3366CCFF', order: 3 });
    await mkAddressbook(bookUrl, auth, { displayName: `Book ${tag}` });
    for (const i of [1, 2, 3]) await put(`${calUrl}ev${i}-${tag}`, auth, event(`ev${i}-${tag}`, `Event ${i}`), 'text/calendar');
    for (const i of [1, 2]) await put(`${bookUrl}c${i}-${tag}`, auth, card(`c${i}-${tag}`, `Person ${i}`), 'text/vcard');
    store = Store.open(profile);
    account = accountFromDiscovery(input, found, null);
    store.saveAccount(account);
  });

  afterAll(async () => {
    store?.close();
    rmSync(profile, { recursive: true, force: true });
    await del(calUrl, auth).catch(() => undefined);
    await del(bookUrl, auth).catch(() => undefined);
  });

  it('initial sync: the store holds exactly what the server holds, with collection properties', async () => {
    const r = await syncAccount(store, account, input);
    expect(r.errors).toEqual([]);
    expect(r.syncedAt).not.toBeNull();
    expect(storeItems(store, calUrl)).toEqual(await serverItems(calUrl, auth, 'calendar'));
    expect(storeItems(store, bookUrl)).toEqual(await serverItems(bookUrl, auth, 'addressbook'));
    const cal = store.getCollectionByUrl(calUrl)!;
    expect(cal.props).toMatchObject({ displayName: `Sync ${tag}`, color: '#3366CC', order: 3 });
    expect(cal.syncToken !== null).toBe(server.syncToken);
    expect(store.contacts([store.getCollectionByUrl(bookUrl)!.id], 'person 2').contacts.map((c) => c.fn)).toEqual(['Person 2']);
  });

  it('add, change and delete on the server are reflected exactly; a no-change resync costs one request per home', async () => {
    await put(`${calUrl}ev4-${tag}`, auth, event(`ev4-${tag}`, 'Event 4'), 'text/calendar');
    await put(`${calUrl}ev2-${tag}`, auth, event(`ev2-${tag}`, 'Event 2 moved', '20261202'), 'text/calendar');
    await del(`${calUrl}ev3-${tag}`, auth);
    await del(`${bookUrl}c1-${tag}`, auth);
    const r = await syncAccount(store, account, input);
    expect(r.errors).toEqual([]);
    const cal = r.collections.find((c) => c.url === calUrl)!;
    expect(cal).toMatchObject({ added: 1, changed: 1, deleted: 1 });
    expect(r.collections.find((c) => c.url === bookUrl)).toMatchObject({ added: 0, changed: 0, deleted: 1 });
    expect(storeItems(store, calUrl)).toEqual(await serverItems(calUrl, auth, 'calendar'));
    expect(storeItems(store, bookUrl)).toEqual(await serverItems(bookUrl, auth, 'addressbook'));

    // The stored account remembers its Basic origin: no 401 round trip any more.
    const stored = store.getAccount(account.id)!;
    expect(stored.options.basicOrigins?.length).toBe(1);
    const statuses: (number | null)[] = [];
    const again = await syncAccount(store, stored, { ...input, basicOrigins: stored.options.basicOrigins, user: stored.username ?? undefined }, (e) => {
      if (e.kind === 'http') statuses.push(e.status);
    });
    const total = again.collections.reduce((n, c) => n + c.requests, 0);
    expect(again.collections.every((c) => c.added + c.changed + c.deleted === 0)).toBe(true);
    // Only the home listing (outside any collection's count) was needed: one PROPFIND per distinct home.
    expect(total).toBe(0);
    expect(statuses).toEqual(server.syncToken ? [207] : [207, 207]);
  });

  it.runIf(server.syncToken)('an expired sync-token falls back to a full resync and stays exact', async () => {
    const c = store.getCollectionByUrl(calUrl)!;
    store.db.prepare('UPDATE collections SET sync_token = ? WHERE id = ?').run('http://radicale.org/ns/sync/bogus', c.id);
    await put(`${calUrl}ev5-${tag}`, auth, event(`ev5-${tag}`, 'Event 5'), 'text/calendar');
    const r = await syncAccount(store, account, input);
    expect(r.errors).toEqual([]);
    expect(r.collections.find((x) => x.url === calUrl)).toMatchObject({ added: 1, deleted: 0 });
    expect(storeItems(store, calUrl)).toEqual(await serverItems(calUrl, auth, 'calendar'));
    expect(store.getCollectionByUrl(calUrl)!.syncToken).not.toBe('http://radicale.org/ns/sync/bogus');
  });

  it('a collection deleted on the server is removed from the store with its items', async () => {
    const extra = `${calUrl.replace(/\/$/, '')}-extra/`;
    await mkcalendar(extra, auth, { displayName: `Extra ${tag}` });
    await put(`${extra}x1`, auth, event(`x1-${tag}`, 'Extra'), 'text/calendar');
    await syncAccount(store, account, input);
    const before = store.getCollectionByUrl(extra);
    expect(before && store.counts(before.id)).toBe(1);
    await del(extra, auth);
    const r = await syncAccount(store, account, input);
    expect(store.getCollectionByUrl(extra)).toBeNull();
    expect(r.collections.find((x) => x.url === extra)).toMatchObject({ deleted: 1 });
    expect(Number((store.db.prepare('SELECT count(*) n FROM items WHERE collection_id = ?').get(before!.id) as { n: number }).n)).toBe(0);
  });

  it('a wrong password during sync stops it and reports "password needed"', async () => {
    const r = await syncAccount(store, account, { ...input, password: 'wrong' });
    expect(r.passwordNeeded).toBe(true);
    expect(r.errors[0]!.message).toMatch(/^Password needed/);
    expect(store.getAccount(account.id)!.lastError?.code).toBe('auth-failed');
    // Nothing was lost.
    expect(storeItems(store, calUrl).size).toBeGreaterThan(0);
  });
});
