// Incremental sync of one account into the store (RFC 6578, with fallbacks):
//   - one PROPFIND Depth 1 per home set lists the collections with their getctag and sync-token, so an
//     unchanged collection costs no request of its own (a no-change resync is one request per home set);
//   - a changed collection with a stored sync-token: sync-collection REPORT (sync-level 1, Depth 0),
//     asking for the data too, following 507-truncated answers until complete; an invalid or expired
//     token (valid-sync-token, 403/409/400) falls back to a full fetch that keeps local data until done;
//   - without sync-collection (SabreDAV 1.8): PROPFIND ETags, multiget only what changed;
//   - a new collection: the one query that returns everything (see items.ts).
// Each collection's result is written in one transaction.
import type { SyncCollectionReport } from '../../shared/api.ts';
import type { DavlensError } from '../../shared/errors.ts';
import { davlensError } from '../../shared/errors.ts';
import type { AddressBook, Calendar } from '../../shared/models.ts';
import type { TraceEntry } from '../../shared/trace.ts';
import { listHomes, multistatusOf, propfindDepth1, type HomeListing } from './collections.ts';
import { openAccount, type DiscoverInput, type DiscoveryContext } from './discovery.ts';
import { HttpError } from './http.ts';
import { calendarItemRow, contactItemRow } from './item-rows.ts';
import { fetchAllItems, itemFrom, multiget, type ItemKind, type RawItem } from './items.ts';
import type { ItemRow, Store, StoredAccount, StoredCollection } from './store/store.ts';
import { NS, childOf, escapeXml, parseXml, textOf } from './xml.ts';
import { isMemberItem, okProp, propfindBody, samePath, xmlBody } from './webdav.ts';

export interface SyncReport {
  accountId: string;
  collections: SyncCollectionReport[];
  errors: DavlensError[];
  syncedAt: string | null;
  /** The password was refused: the host must ask for it again. */
  passwordNeeded: boolean;
}

/** The connection input for an account already in the store (its confirmed user name, approvals, pins). */
export function accountInput(account: StoredAccount, password: string, overrides: Partial<DiscoverInput> = {}): DiscoverInput {
  const o = account.options;
  return {
    email: account.email,
    password,
    user: account.username ?? o.user,
    server: o.server,
    dns: overrides.dns ?? o.dns,
    ca: [o.ca, overrides.ca].filter(Boolean).join('\n') || undefined,
    pins: { ...(o.pins ?? {}), ...(overrides.pins ?? {}) },
    trustHosts: [...account.approvedHosts, ...(overrides.trustHosts ?? [])],
    insecureHttp: o.insecureHttp ?? overrides.insecureHttp,
    timeoutMs: overrides.timeoutMs,
    basicOrigins: o.basicOrigins,
  };
}

export async function syncAccount(store: Store, account: StoredAccount, input: DiscoverInput, onTrace?: (e: TraceEntry) => void, onCollection?: (r: SyncCollectionReport) => void): Promise<SyncReport> {
  const ctx = openAccount(input, onTrace);
  const reports: SyncCollectionReport[] = [];
  const errors: DavlensError[] = [];
  let passwordNeeded = false;
  try {
    let listing: HomeListing;
    try {
      listing = await listHomes(ctx.session, account.caldav?.homeSets ?? [], account.carddav?.homeSets ?? []);
    } catch (e) {
      if (!(e instanceof HttpError) || isAuthError(e.error)) throw e;
      errors.push(e.error);
      listing = { calendars: [], addressbooks: [] };
    }
    const listed = errors.length === 0;
    for (const kind of ['calendar', 'addressbook'] as const) {
      const current: (Calendar | AddressBook)[] = kind === 'calendar' ? listing.calendars : listing.addressbooks;
      const currentUrls = new Set(current.map((c) => c.url));
      // Only a successful listing may remove collections: a failed one says nothing about them.
      for (const gone of listed ? store.listCollections(account.id, kind).filter((s) => !currentUrls.has(s.url)) : []) {
        // Removed (or renamed to another URL) on the server: its items go with it.
        const deleted = store.counts(gone.id);
        store.removeCollection(gone.id);
        reports.push(report(account.id, gone, kind, { added: 0, changed: 0, deleted }, 0, 0, 0, null));
      }
      for (const props of current) {
        const r = await syncCollection(store, ctx, account.id, kind, props);
        reports.push(r);
        onCollection?.(r);
        if (r.error) {
          errors.push(r.error);
          if (isAuthError(r.error)) throw new HttpError(r.error);
        }
      }
    }
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    if (isAuthError(e.error)) {
      passwordNeeded = true;
      const needed = davlensError('auth-failed', `Password needed: ${e.error.message}`, 'sync', { url: e.error.url, status: e.error.status });
      if (!errors.some((x) => isAuthError(x))) errors.push(needed);
      store.setAccountSyncState(account.id, null, needed);
      return { accountId: account.id, collections: reports, errors, syncedAt: null, passwordNeeded };
    }
    errors.push(e.error);
  } finally {
    const learned = ctx.session.basicOrigins;
    if (learned.length && learned.join() !== (account.options.basicOrigins ?? []).join()) store.updateAccountOptions(account.id, { basicOrigins: learned });
    await ctx.close();
  }
  const syncedAt = errors.length === 0 || reports.some((r) => !r.error) ? new Date().toISOString() : null;
  store.setAccountSyncState(account.id, syncedAt, errors[0] ?? null);
  return { accountId: account.id, collections: reports, errors, syncedAt, passwordNeeded };
}

function isAuthError(e: DavlensError): boolean {
  return e.code === 'auth-failed' || e.code === 'auth-stopped';
}

function report(accountId: string, c: StoredCollection | { url: string; props: Calendar | AddressBook }, kind: ItemKind, counts: { added: number; changed: number; deleted: number }, requests: number, bytes: number, ms: number, error: DavlensError | null): SyncCollectionReport {
  return { accountId, url: c.url, displayName: c.props.displayName, kind, ...counts, requests, bytes, ms, error };
}

async function syncCollection(store: Store, ctx: DiscoveryContext, accountId: string, kind: ItemKind, props: Calendar | AddressBook): Promise<SyncCollectionReport> {
  const started = performance.now();
  const requests0 = ctx.session.requestCount;
  const bytes0 = ctx.session.bytesReceived;
  const existing = store.listCollections(accountId, kind).find((c) => c.url === props.url);
  const collection = existing ?? store.upsertCollection(accountId, kind, props);
  const done = (counts: { added: number; changed: number; deleted: number }, error: DavlensError | null) =>
    report(accountId, { url: props.url, props }, kind, counts, ctx.session.requestCount - requests0, ctx.session.bytesReceived - bytes0, Math.round(performance.now() - started), error);
  try {
    const unchanged = collection.syncedAt !== null && (
      (props.syncToken !== null && props.syncToken === collection.syncToken) ||
      (props.syncToken === null && props.ctag !== null && props.ctag === collection.ctag));
    if (unchanged) {
      // Names and colours may change without a ctag change; keep them current at no cost.
      if (JSON.stringify(props) !== JSON.stringify(collection.props)) store.upsertCollection(accountId, kind, props);
      return done({ added: 0, changed: 0, deleted: 0 }, null);
    }
    let changes: Awaited<ReturnType<typeof fullFetch>>;
    if (collection.syncedAt === null) {
      changes = await fullFetch(ctx, kind, props);
    } else if (collection.syncToken !== null && props.syncToken !== null) {
      changes = await viaSyncCollection(ctx, kind, props, collection.syncToken);
    } else {
      changes = await viaEtags(ctx, kind, props, store.itemEtags(collection.id));
    }
    const rows = changes.items.map((i) => toRow(i, kind, props.displayName));
    const counts = store.applyChanges(collection.id, {
      upserts: rows,
      deletes: changes.deletes,
      replaceAll: changes.replaceAll,
      ctag: props.ctag,
      syncToken: changes.syncToken,
      props,
    });
    const itemErrors = rows.filter((r) => r.parseError).map((r) => davlensError('item-unparsable', r.parseError!, 'parse', { url: r.href, href: r.href }));
    return done(counts, itemErrors[0] ?? changes.errors[0] ?? null);
  } catch (e) {
    if (e instanceof HttpError) return done({ added: 0, changed: 0, deleted: 0 }, e.error);
    throw e;
  }
}

function toRow(item: RawItem, kind: ItemKind, collectionName: string): ItemRow {
  return kind === 'calendar' ? calendarItemRow(item) : contactItemRow(item, collectionName);
}

interface FetchedChanges {
  items: RawItem[];
  deletes: string[];
  replaceAll: boolean;
  syncToken: string | null;
  errors: DavlensError[];
}

async function fullFetch(ctx: DiscoveryContext, kind: ItemKind, props: Calendar | AddressBook): Promise<FetchedChanges> {
  // The token listed before fetching: a change made during the fetch is picked up by the next sync.
  const got = await fetchAllItems(ctx.session, props.url, kind);
  return { items: got.items, deletes: [], replaceAll: true, syncToken: props.syncToken, errors: got.errors };
}

const SYNC_PROPS = {
  calendar: '<d:prop><d:getetag/><c:calendar-data/></d:prop>',
  addressbook: '<d:prop><d:getetag/><card:address-data/></d:prop>',
} as const;

async function viaSyncCollection(ctx: DiscoveryContext, kind: ItemKind, props: Calendar | AddressBook, token: string): Promise<FetchedChanges> {
  const changed = new Map<string, RawItem | null>();
  const deletes = new Set<string>();
  let current = token;
  // No DAV:limit: a server may silently honour it and Davlens would take a partial answer for the whole.
  for (let page = 0; page < 1000; page++) {
    const res = await ctx.session.request({
      method: 'REPORT', url: props.url, step: 'sync',
      headers: { Depth: '0', 'Content-Type': 'application/xml; charset=utf-8' },
      body: xmlBody('d:sync-collection', `<d:sync-token>${escapeXml(current)}</d:sync-token><d:sync-level>1</d:sync-level>${SYNC_PROPS[kind]}`),
    });
    if (isInvalidToken(res.status, res.body)) {
      ctx.trace.note('sync', null, `${props.url} no longer accepts the stored sync-token (${res.status}): fetching everything again; local data stays until that is complete.`);
      return fullFetch(ctx, kind, props);
    }
    const ms = multistatusOf(res, 'sync', `the changes of ${props.url}`);
    let truncated = false;
    for (const r of ms.responses) {
      if (samePath(r.url, props.url)) {
        if (r.status === 507) truncated = true;
        continue;
      }
      if (r.status === 404) {
        deletes.add(r.url);
        changed.delete(r.url);
        continue;
      }
      deletes.delete(r.url);
      // Without data in the answer (some servers), the item is fetched by multiget below.
      changed.set(r.url, itemFrom(r, kind));
    }
    if (ms.syncToken) current = ms.syncToken;
    if (!truncated) break;
    ctx.trace.note('sync', null, `${props.url} truncated its answer (507): asking again from the new token.`);
  }
  const missing = [...changed.entries()].filter(([, v]) => v === null).map(([k]) => k);
  const fetched = missing.length ? await multiget(ctx.session, props.url, kind, missing) : { items: [], errors: [] };
  const items = [...[...changed.values()].filter((v): v is RawItem => v !== null), ...fetched.items];
  return { items, deletes: [...deletes], replaceAll: false, syncToken: current, errors: fetched.errors };
}

/** RFC 6578 §3.2: DAV:valid-sync-token precondition; servers use 403, 409 or 400 for a stale token. */
function isInvalidToken(status: number, body: string): boolean {
  if (status === 400 || status === 409 || status === 412) return true;
  if (status !== 403) return false;
  // A 403 may also mean "not allowed": only the named precondition says the token is stale.
  try {
    const root = parseXml(body);
    return root.ns === NS.DAV && root.local === 'error' && childOf(root, NS.DAV, 'valid-sync-token') !== null;
  } catch {
    return false;
  }
}

async function viaEtags(ctx: DiscoveryContext, kind: ItemKind, props: Calendar | AddressBook, known: Map<string, string | null>): Promise<FetchedChanges> {
  const ms = await propfindDepth1(ctx.session, props.url, propfindBody(['d:getetag', 'd:resourcetype']), 'sync');
  const onServer = new Map<string, string | null>();
  for (const r of ms.responses) {
    if (!isMemberItem(r, props.url)) continue;
    const etag = okProp(r, NS.DAV, 'getetag');
    onServer.set(r.url, etag ? textOf(etag) : null);
  }
  const changed = [...onServer.entries()].filter(([href, etag]) => etag === null || known.get(href) !== etag).map(([href]) => href);
  const deletes = [...known.keys()].filter((href) => !onServer.has(href));
  const fetched = changed.length ? await multiget(ctx.session, props.url, kind, changed) : { items: [], errors: [] };
  return { items: fetched.items, deletes, replaceAll: false, syncToken: null, errors: fetched.errors };
}
