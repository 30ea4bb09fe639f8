// Incremental sync of one account into the store (RFC 6578, with the fallbacks real servers need):
//   - one PROPFIND Depth 1 per home set lists the collections with their getctag, so an unchanged collection
//     costs no request of its own (a no-change resync is one request per home set). The sync-token is asked
//     as well only while some collection relies on it (a server without getctag): on Radicale each marker
//     makes the listing read every item, and getctag is the cheaper one (15,000 items: 0.8 s, 1.2 s, both 2.0 s);
//   - a new collection: the one query that returns everything (items.ts), after the listing read its ctag;
//     without a ctag, or where the query leaves members out (quirks.ts), a sync-collection from the empty
//     token returns the data and its token in one answer;
//   - a changed collection with a stored sync-token: sync-collection with that token, asking for the data;
//   - a changed collection without one, or whose token the server no longer accepts: the ETags of every
//     member (sync-collection from the empty token, else PROPFIND Depth 1), then multiget only what changed;
//     local data stays until that new state is complete;
//   - a collection no longer listed is removed; one the listing answered with an error, or of a service not
//     listed, is kept.
// Markers are stored only with complete data: when a member could not be fetched, none is, and the next sync
// compares every ETag (fetching that member again, nothing more). Every href is compared in one spelling (href.ts).
// Collections are fetched in order through one request lane (request-lane.ts): while one collection's items
// are parsed and stored, the next collection's request is already with the server.
// Each collection's result is written in one transaction, with its row.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SyncCollectionReport } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import { DavlensFailure, davlensError } from '../../../shared/errors.ts';
import type { AddressBook, Calendar, CollectionKind, RawItem } from '../../../shared/models.ts';
import type { TraceEntry } from '../../../shared/trace.ts';
import { listHomes, type HomeListing, type ServerClock } from '../remote/homes.ts';
import { openAccount, type DiscoverInput, type DiscoveryContext } from '../remote/discovery.ts';
import type { RequestMeter } from '../net/http.ts';
import { calendarItemRow, contactItemRow } from '../store/item-rows.ts';
import { fetchAllItems, memberEtags, multiget } from '../remote/members.ts';
import { productHas, quirkNote, type Product } from '../remote/quirks.ts';
import { RequestLane } from '../net/request-lane.ts';
import type { Requester } from '../net/session.ts';
import type { ItemRow, Store, StoredAccount, StoredCollection } from '../store/store.ts';
import { syncCollectionReport, type SyncReportOutcome } from '../remote/changes.ts';

export interface SyncReport {
  accountId: string;
  /** The home-set listing that starts every sync (one PROPFIND per home), counted apart from the collections. */
  listing: { requests: number; bytes: number; ms: number };
  collections: SyncCollectionReport[];
  errors: DavlensError[];
  syncedAt: string | null;
  /** The password was refused: the host must ask for it again. */
  passwordNeeded: boolean;
}

/**
 * Collections fetched ahead of the one being parsed and stored. One keeps the server busy whenever the
 * client's work on a collection takes less time than the server's on the next (3,333 events: about 0.25 s
 * against 0.3-0.5 s on Radicale) and holds at most two answers in memory; two ahead were no faster in
 * npm run bench:sync (five runs each, within noise).
 */
const FETCH_AHEAD = 1;

/** Longest stretch of parsing between two turns of the event loop, so answers keep flowing in meanwhile. */
const SLICE_MS = 10;

type Listed = Calendar | AddressBook;

/** What one collection needs in this run, in report order. */
type Planned =
  | { action: 'remove'; kind: CollectionKind; stored: StoredCollection }
  | { action: 'keep'; kind: CollectionKind; props: Listed; stored: StoredCollection }
  | { action: 'fetch'; kind: CollectionKind; props: Listed; stored: StoredCollection | null; syncCollection: boolean | null; product: Product | null };

type FetchPlan = Extract<Planned, { action: 'fetch' }>;

interface FetchedChanges {
  items: RawItem[];
  deletes: string[];
  /** Replace every item (a complete fetch): stored items not among `items` are deleted. */
  replaceAll: boolean;
  /** The sync-token of the state fetched, when known. */
  syncToken: string | null;
  errors: DavlensError[];
}

interface FetchTask {
  /** The requester the fetch went through (its trace takes the notes of storing it). */
  via: Requester;
  meter: RequestMeter;
  started: number;
  result: Promise<FetchedChanges>;
}

export interface SyncOptions {
  /** How to reach the account's servers (accountInput()). */
  connection: DiscoverInput;
  onTrace?: (e: TraceEntry) => void;
  /** Each collection's report as soon as it is stored. */
  onCollection?: (r: SyncCollectionReport) => void;
  /** A context that discovery in the same run already used (logged in: no second 401); it stays open for the caller. */
  opened?: DiscoveryContext;
}

/** Syncs the account's collections into the store. */
export async function syncAccount(store: Store, account: StoredAccount, { connection, onTrace, onCollection, opened }: SyncOptions): Promise<SyncReport> {
  const ctx = opened ?? openAccount(connection, onTrace);
  const lane = new RequestLane(ctx.session);
  const listingMeter = { requests: 0, bytes: 0 };
  const listingStarted = performance.now();
  let listingMs = 0;
  const listingReport = () => ({ ...listingMeter, ms: Math.round(listingMs) });
  const reports: SyncCollectionReport[] = [];
  const errors: DavlensError[] = [];
  const pending: Promise<unknown>[] = [];
  const emit = (r: SyncCollectionReport) => {
    reports.push(r);
    onCollection?.(r);
    if (r.error) errors.push(r.error);
    if (r.error && isAuthError(r.error)) throw new DavlensFailure(r.error);
  };
  try {
    const stored = store.listCollections(account.id);
    const markers = { ctag: true, syncToken: stored.some((c) => c.syncedAt !== null && c.ctag === null && c.syncToken !== null) };
    let listing: HomeListing;
    try {
      const homes = {
        calendarHomes: account.caldav?.homeSets ?? [],
        addressbookHomes: account.carddav?.homeSets ?? [],
        scheduling: account.caldav?.scheduling ?? [],
      };
      listing = await listHomes(lane.requester(listingMeter), homes, markers);
    } catch (e) {
      if (!(e instanceof DavlensFailure) || isAuthError(e.error)) throw e;
      errors.push(e.error);
      listing = { calendars: [], addressbooks: [], products: new Map(), clock: null, syncCollection: new Map(), unsure: new Set() };
    } finally {
      listingMs = performance.now() - listingStarted;
    }
    // Only a successful listing of a kind's home sets may remove collections of that kind: a failed one, or
    // none (an account without that service now), says nothing about them.
    const listed = {
      calendar: errors.length === 0 && (account.caldav?.homeSets.length ?? 0) > 0,
      addressbook: errors.length === 0 && (account.carddav?.homeSets.length ?? 0) > 0,
    };
    const plan = planSync(stored, listing, listed);
    const fetches = plan.filter((p): p is FetchPlan => p.action === 'fetch');
    const tasks = new Map<FetchPlan, FetchTask>();
    const startFetches = (upTo: number) => {
      for (const p of fetches.slice(tasks.size, upTo)) {
        const meter = { requests: 0, bytes: 0 };
        // The stored ETags are read only where a fetch compares them (a sync-token usually spares it).
        const known = () => (p.stored ? store.itemEtags(p.stored.id) : new Map<string, string | null>());
        const via = lane.requester(meter);
        const task = { via, meter, started: performance.now(), result: fetchFor(via, p, known) };
        pending.push(task.result.catch(() => undefined));
        tasks.set(p, task);
      }
    };
    let fetched = 0;
    for (const p of plan) {
      if (p.action === 'remove') {
        // Removed (or renamed to another URL) on the server: its items go with it.
        const deleted = store.counts(p.stored.id);
        store.removeCollection(p.stored.id);
        emit(report(account.id, p.stored.url, p.stored.props, p.kind, { added: 0, changed: 0, deleted }, null, null));
      } else if (p.action === 'keep') {
        // Names and colours may change without a ctag change; keep them current at no cost.
        const props = { ...p.props, syncToken: p.props.syncToken ?? p.stored.syncToken };
        if (JSON.stringify(props) !== JSON.stringify(p.stored.props)) store.upsertCollection(account.id, p.kind, props);
        emit(report(account.id, props.url, props, p.kind, { added: 0, changed: 0, deleted: 0 }, null, null));
      } else if (p.action === 'fetch') {
        startFetches(++fetched + FETCH_AHEAD);
        emit(await finishFetch(store, account.id, p, tasks.get(p)!, listing.clock));
      }
    }
  } catch (e) {
    if (!(e instanceof DavlensFailure)) throw e;
    if (isAuthError(e.error)) {
      const needed = davlensError('auth-failed', `Password needed: ${e.error.message}`, 'sync', { url: e.error.url, status: e.error.status });
      if (!errors.some((x) => isAuthError(x))) errors.push(needed);
      store.setAccountSyncState(account.id, null, needed);
      return { accountId: account.id, listing: listingReport(), collections: reports, errors, syncedAt: null, passwordNeeded: true };
    }
    errors.push(e.error);
  } finally {
    // Fetches started ahead of a stop end quickly (the session refuses to go on); none is left running.
    await Promise.all(pending);
    const learned = ctx.session.basicOrigins;
    if (learned.length && learned.join() !== (account.options.basicOrigins ?? []).join()) store.updateAccountOptions(account.id, { basicOrigins: learned });
    if (!opened) await ctx.close();
  }
  // A collection stored with some unparsable items is synced (they are reported, and kept raw).
  const syncedAt = errors.length === 0 || reports.some((r) => !r.error || r.error.code === 'item-unparsable') ? new Date().toISOString() : null;
  store.setAccountSyncState(account.id, syncedAt, errors[0] ?? null);
  return { accountId: account.id, listing: listingReport(), collections: reports, errors, syncedAt, passwordNeeded: false };
}

function isAuthError(e: DavlensError): boolean {
  return e.code === 'auth-failed' || e.code === 'auth-stopped';
}

/** Unchanged when the marker the listing gave equals the one stored with the items (getctag first). */
function isUnchanged(props: Listed, stored: StoredCollection): boolean {
  if (stored.syncedAt === null) return false;
  if (props.ctag !== null) return props.ctag === stored.ctag;
  return props.syncToken !== null && props.syncToken === stored.syncToken;
}

function planSync(stored: StoredCollection[], listing: HomeListing, listed: Record<CollectionKind, boolean>): Planned[] {
  const plan: Planned[] = [];
  for (const kind of ['calendar', 'addressbook'] as const) {
    const current: Listed[] = kind === 'calendar' ? listing.calendars : listing.addressbooks;
    const byUrl = new Map(stored.filter((s) => s.kind === kind).map((s) => [s.url, s]));
    if (listed[kind]) {
      const currentUrls = new Set(current.map((c) => c.url));
      for (const gone of byUrl.values()) if (!currentUrls.has(gone.url) && !listing.unsure.has(gone.url)) plan.push({ action: 'remove', kind, stored: gone });
    }
    for (const props of current) {
      const s = byUrl.get(props.url) ?? null;
      if (s && isUnchanged(props, s)) plan.push({ action: 'keep', kind, props, stored: s });
      else
        plan.push({
          action: 'fetch',
          kind,
          props,
          stored: s,
          syncCollection: listing.syncCollection.get(props.url) ?? null,
          product: listing.products.get(props.url) ?? null,
        });
    }
  }
  return plan;
}

function report(
  accountId: string,
  url: string,
  props: Listed,
  kind: CollectionKind,
  counts: { added: number; changed: number; deleted: number },
  task: FetchTask | null,
  error: DavlensError | null,
): SyncCollectionReport {
  return {
    accountId,
    url,
    displayName: props.displayName,
    kind,
    ...counts,
    requests: task?.meter.requests ?? 0,
    bytes: task?.meter.bytes ?? 0,
    ms: task ? Math.round(performance.now() - task.started) : 0,
    error,
  };
}

/**
 * Quirk second-markers (SOGo): getctag and sync-token are the time of the last change in whole seconds, so a
 * change later in that same second leaves both as they were, and a sync-collection from that token never
 * returns it. A marker that reads as the server's clock at this sync (from a second before the listing on) may
 * still move: it is not kept, and the next sync compares every ETag instead.
 */
export function markerMayStillMove(marker: string | null, clock: ServerClock | null, now = performance.now()): boolean {
  if (marker === null || clock === null || !/^\d{9,11}$/.test(marker)) return false;
  const seconds = Number(marker);
  return seconds >= Math.floor(clock.seconds) - 1 && seconds <= clock.seconds + (now - clock.at) / 1000 + 1;
}

/** Parses and stores what a fetch brought (one transaction with the collection's row), or reports its failure. */
async function finishFetch(store: Store, accountId: string, p: FetchPlan, task: FetchTask, clock: ServerClock | null): Promise<SyncCollectionReport> {
  let changes: FetchedChanges;
  try {
    changes = await task.result;
  } catch (e) {
    if (e instanceof DavlensFailure) return report(accountId, p.props.url, p.props, p.kind, { added: 0, changed: 0, deleted: 0 }, task, e.error);
    throw e;
  }
  const rows = await rowsOf(changes.items, p.kind, p.props.displayName);
  // A member that could not be fetched leaves the collection without markers: the next sync compares every ETag
  // and fetches it again (and only what else changed). Stored, the new ctag or token would hide it for good; the
  // old ones would bring every change since them again, or a refused token again, at every sync.
  const complete = changes.errors.length === 0;
  const moving = markerMayStillMove(p.props.ctag, clock) || markerMayStillMove(changes.syncToken, clock);
  if (moving) task.via.trace.note('sync', null, quirkNote('second-markers', p.props.url));
  const ctag = complete && !moving ? p.props.ctag : null;
  const syncToken = complete && !moving ? changes.syncToken : null;
  const props = { ...p.props, ctag, syncToken };
  const counts = store.transaction(() =>
    store.applyChanges(store.upsertCollection(accountId, p.kind, props).id, {
      upserts: rows,
      deletes: changes.deletes,
      replaceAll: changes.replaceAll,
      ctag,
      syncToken,
      props,
    }),
  );
  const itemErrors = rows.filter((r) => r.parseError).map((r) => davlensError('item-unparsable', r.parseError!, 'parse', { url: r.href, href: r.href }));
  return report(accountId, props.url, props, p.kind, counts, task, itemErrors[0] ?? changes.errors[0] ?? null);
}

/** The store's rows for fetched items, parsed in slices between which the event loop serves the network. */
async function rowsOf(items: RawItem[], kind: CollectionKind, collectionName: string): Promise<ItemRow[]> {
  const rows: ItemRow[] = [];
  let sliceStart = performance.now();
  for (const item of items) {
    rows.push(kind === 'calendar' ? calendarItemRow(item) : contactItemRow(item, collectionName));
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return rows;
}

type KnownEtags = () => Map<string, string | null>;

/**
 * syncCollectionReport, or null when the server truncated its answer with no way on (sync-collection.ts): the
 * caller then asks another way (a query, PROPFIND), which such a server may still answer whole.
 */
async function syncReportOrNull(via: Requester, p: FetchPlan, token: string, withData: boolean): Promise<SyncReportOutcome | null> {
  try {
    return await syncCollectionReport(via, p.props.url, p.kind, token, withData);
  } catch (e) {
    if (!(e instanceof DavlensFailure) || e.error.status !== 507) throw e;
    via.trace.note('sync', null, `${e.error.message} Asking another way.`);
    return null;
  }
}

function fetchFor(via: Requester, p: FetchPlan, known: KnownEtags): Promise<FetchedChanges> {
  if (p.stored === null || p.stored.syncedAt === null) return fetchEverything(via, p);
  return fetchChanges(via, p, p.stored.syncToken, known);
}

async function fetchEverything(via: Requester, p: FetchPlan): Promise<FetchedChanges> {
  const { url } = p.props;
  const queryIncomplete = productHas(p.product, 'query-skips-unnamed');
  if ((p.props.ctag === null || queryIncomplete) && p.syncCollection !== false) {
    // No getctag to compare next time: the empty-token sync-collection returns the data and its token at once.
    // It also lists the members a query would leave out.
    if (queryIncomplete) via.trace.note('items', null, quirkNote('query-skips-unnamed', url));
    const r = await syncReportOrNull(via, p, '', true);
    if (r?.kind === 'changes') return { items: r.items, deletes: [], replaceAll: true, syncToken: r.token, errors: r.errors };
  }
  // The markers were listed before this fetch: a change made during it shows at the next sync.
  const got = await fetchAllItems(via, url, p.kind);
  return { items: got.items, deletes: [], replaceAll: true, syncToken: p.props.syncToken, errors: got.errors };
}

async function fetchChanges(via: Requester, p: FetchPlan, token: string | null, known: KnownEtags): Promise<FetchedChanges> {
  const { url } = p.props;
  if (token !== null && p.syncCollection !== false) {
    const r = await syncReportOrNull(via, p, token, true);
    if (r?.kind === 'changes') return { items: r.items, deletes: r.deleted, replaceAll: false, syncToken: r.token, errors: r.errors };
    if (r?.kind === 'invalid-token') {
      via.trace.note(
        'sync',
        null,
        r.status === 500
          ? quirkNote('unknown-token-500', url)
          : `${url} no longer accepts the stored sync-token (${r.status}): comparing every ETag instead; local data stays until that is complete.`,
      );
    }
  }
  return fetchByEtags(via, p, known);
}

/** Every member's ETag, compared with the stored ones: only new and changed members are fetched. */
async function fetchByEtags(via: Requester, p: FetchPlan, knownEtags: KnownEtags): Promise<FetchedChanges> {
  const { url } = p.props;
  let onServer: Map<string, string | null> | null = null;
  let syncToken: string | null = null;
  if (p.syncCollection !== false) {
    const r = await syncReportOrNull(via, p, '', false);
    if (r?.kind === 'changes') {
      onServer = r.etags;
      syncToken = r.token;
    } else if (r?.kind === 'refused') {
      via.trace.note('sync', null, quirkNote('no-sync-collection', url));
    }
  }
  onServer ??= await memberEtags(via, url, 'sync');
  const known = knownEtags();
  const changed = [...onServer.entries()].filter(([href, etag]) => etag === null || known.get(href) !== etag).map(([href]) => href);
  const deletes = [...known.keys()].filter((href) => !onServer.has(href));
  const fetched = changed.length ? await multiget(via, url, p.kind, changed) : { items: [], errors: [] };
  return { items: fetched.items, deletes, replaceAll: false, syncToken, errors: fetched.errors };
}
