// One account's servers as sync sees them (app/sync.ts): the collections its home sets list, and one
// collection's changes since what the store holds. How each is asked for is decided here (RFC 6578, with the
// fallbacks real servers need):
//   - a new collection: the one query that returns everything (members.ts), after the listing read its ctag;
//     without a ctag, or where the query leaves members out (quirks.ts), a sync-collection from the empty
//     token returns the data and its token in one answer;
//   - a changed collection with a stored sync-token: sync-collection with that token, asking for the data;
//   - a changed collection without one, or whose token the server no longer accepts: the ETags of every
//     member (sync-collection from the empty token, else PROPFIND Depth 1), then multiget only what changed.
// Requests go one at a time through one request lane (request-lane.ts), in the order asked: sync asks for the
// next collection's changes while it parses and stores the previous one's.
import type { DavlensError } from '../../../shared/errors.ts';
import { DavlensFailure } from '../../../shared/errors.ts';
import type { AddressBook, Calendar, CollectionKind, RawItem } from '../../../shared/models.ts';
import type { TraceEntry } from '../../../shared/trace.ts';
import type { RequestMeter } from '../net/http.ts';
import { RequestLane } from '../net/request-lane.ts';
import type { Requester } from '../net/session.ts';
import { syncCollectionReport, type SyncReportOutcome } from './changes.ts';
import { openConnection, type Connection, type OpenConnection } from './discovery.ts';
import type { ServerClock } from '../dav/request.ts';
import { listHomes, type HomeListing, type Homes, type ListingMarkers } from './homes.ts';
import { fetchAllItems, memberEtags, multiget } from './members.ts';
import { productHas, quirkNote, type Product } from './quirks.ts';
import { timeRangeItems, type TimeRange } from './window.ts';

export type { RequestMeter };

/** What sync needs of an account's servers. Every request counts into the meter it was asked with. */
export interface RemoteAccount {
  /** Every calendar and address book under the account's home sets, with the change markers asked for. */
  listCollections(markers: ListingMarkers, meter: RequestMeter): Promise<RemoteListing>;
  /**
   * A collection of the last listing: its changes since `since` (everything when the store holds none of it).
   * Answers come in the order asked; a failure rejects with a DavlensFailure.
   */
  fetchChanges(kind: CollectionKind, collection: Calendar | AddressBook, since: LocalState | null, meter: RequestMeter): Promise<RemoteChanges>;
  /**
   * A calendar of the last listing: its items that may have occurrences in `range`, for a first view before
   * the full sync (window.ts). Where the server's time-range answer is incomplete or slow (quirks.ts), or cannot
   * be taken whole, every item of the calendar when `whole` allows it, else null (left to the sync).
   */
  fetchWindow(calendar: Calendar, range: TimeRange, meter: RequestMeter, whole: boolean): Promise<{ items: RawItem[]; errors: DavlensError[] } | null>;
  /** Whether a calendar of the last listing is fetched whole for a window (quirks.ts), asking no time-range. */
  windowNeedsWhole(calendar: Calendar): boolean;
  /** Origins where Basic login worked, to remember with the account. */
  basicOrigins(): string[];
  close(): Promise<void>;
}

export interface RemoteListing {
  calendars: Calendar[];
  addressbooks: AddressBook[];
  /** Members the server answered with an error (response status or a failed propstat): not known to be gone. */
  unsure: Set<string>;
}

/** What the store holds of a collection, as a fetch of its changes needs it. */
export interface LocalState {
  /** The sync-token stored with its items (null: none). */
  syncToken: string | null;
  /** The stored items' ETags by href, read only where a fetch compares them (a sync-token usually spares it). */
  etags(): Map<string, string | null>;
}

export interface RemoteChanges {
  items: RawItem[];
  /** Members removed since the state the changes start from. */
  deletes: string[];
  /** A complete fetch: stored items not among `items` are gone. */
  replaceAll: boolean;
  /** Members that could not be fetched: they are missing from `items`. */
  errors: DavlensError[];
  /**
   * The markers this state may be stored with: the listing's ctag and the sync-token of the state fetched
   * (null where unknown). Asked when it is stored, since whether a marker may still move depends on the time.
   */
  markersToStore(): { ctag: string | null; syncToken: string | null };
}

/** The account's servers through `opened` (left open: the caller closes it) or a connection of their own. */
export function openRemoteAccount(
  connection: Connection,
  homes: Homes,
  { onTrace, opened }: { onTrace?: (e: TraceEntry) => void; opened?: OpenConnection },
): RemoteAccount {
  const ctx = opened ?? openConnection(connection, onTrace);
  const lane = new RequestLane(ctx.session);
  // What the last listing showed of each collection (sync-collection support, product, the server's clock).
  let listing: HomeListing | null = null;
  return {
    async listCollections(markers, meter) {
      listing = await listHomes(lane.requester(meter), homes, markers);
      return { calendars: listing.calendars, addressbooks: listing.addressbooks, unsure: listing.unsure };
    },
    fetchChanges(kind, collection, since, meter) {
      const via = lane.requester(meter);
      const target = targetOf(listing, kind, collection);
      const clock = listing?.clock ?? null;
      const fetched = since === null ? fetchEverything(via, target) : fetchSince(via, target, since);
      return fetched.then(({ syncToken, ...changes }) => ({ ...changes, markersToStore: () => storable(via, target, syncToken, clock) }));
    },
    async fetchWindow(calendar, range, meter, whole) {
      const via = lane.requester(meter);
      const target = targetOf(listing, 'calendar', calendar);
      const quirk = wholeWindowQuirk(target);
      if (quirk) via.trace.note('items', null, quirkNote(quirk, calendar.url));
      const got = quirk ? null : await timeRangeItems(via, calendar, range);
      if (got || !whole) return got;
      // The query, unless it leaves members out (then sync-collection, as for a new collection).
      const all = productHas(target.product, 'query-skips-unnamed') ? await fetchEverything(via, target) : await fetchAllItems(via, target.url, 'calendar');
      return { items: all.items, errors: all.errors };
    },
    windowNeedsWhole: (calendar) => wholeWindowQuirk(targetOf(listing, 'calendar', calendar)) !== undefined,
    basicOrigins: () => ctx.session.basicOrigins,
    close: () => (opened ? Promise.resolve() : ctx.close()),
  };
}

/** A listed collection as its fetch needs it. */
interface Target {
  kind: CollectionKind;
  url: string;
  /** The markers the listing gave. */
  ctag: string | null;
  syncToken: string | null;
  /** Whether it supports the sync-collection REPORT (null: the server did not say). */
  syncCollection: boolean | null;
  product: Product | null;
}

/** Quirks for which a window asks a calendar for everything instead of a time-range. */
const WINDOW_ASKS_WHOLE = ['time-range-misses-recurrences', 'query-skips-unnamed', 'slow-time-range'] as const;

/** The quirk for which the target's window asks for the whole calendar, if it has one. */
function wholeWindowQuirk(t: Target): (typeof WINDOW_ASKS_WHOLE)[number] | undefined {
  return WINDOW_ASKS_WHOLE.find((q) => productHas(t.product, q));
}

function targetOf(listing: HomeListing | null, kind: CollectionKind, collection: Calendar | AddressBook): Target {
  return {
    kind,
    url: collection.url,
    ctag: collection.ctag,
    syncToken: collection.syncToken,
    syncCollection: listing?.syncCollection.get(collection.url) ?? null,
    product: listing?.products.get(collection.url) ?? null,
  };
}

type Fetched = Omit<RemoteChanges, 'markersToStore'> & {
  /** The sync-token of the state fetched, when known. */
  syncToken: string | null;
};

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

function storable(via: Requester, t: Target, syncToken: string | null, clock: ServerClock | null): { ctag: string | null; syncToken: string | null } {
  const moving = markerMayStillMove(t.ctag, clock) || markerMayStillMove(syncToken, clock);
  if (moving) via.trace.note('sync', null, quirkNote('second-markers', t.url));
  return moving ? { ctag: null, syncToken: null } : { ctag: t.ctag, syncToken };
}

/**
 * syncCollectionReport, or null when the server truncated its answer with no way on (changes.ts): the
 * caller then asks another way (a query, PROPFIND), which such a server may still answer whole.
 */
async function syncReportOrNull(via: Requester, t: Target, token: string, withData: boolean): Promise<SyncReportOutcome | null> {
  try {
    return await syncCollectionReport(via, t.url, t.kind, token, withData);
  } catch (e) {
    if (!(e instanceof DavlensFailure) || e.error.status !== 507) throw e;
    via.trace.note('sync', null, `${e.error.message} Asking another way.`);
    return null;
  }
}

async function fetchEverything(via: Requester, t: Target): Promise<Fetched> {
  const queryIncomplete = productHas(t.product, 'query-skips-unnamed');
  if ((t.ctag === null || queryIncomplete) && t.syncCollection !== false) {
    // No getctag to compare next time: the empty-token sync-collection returns the data and its token at once.
    // It also lists the members a query would leave out.
    if (queryIncomplete) via.trace.note('items', null, quirkNote('query-skips-unnamed', t.url));
    const r = await syncReportOrNull(via, t, '', true);
    if (r?.kind === 'changes') return { items: r.items, deletes: [], replaceAll: true, syncToken: r.token, errors: r.errors };
  }
  // The markers were listed before this fetch: a change made during it shows at the next sync.
  const got = await fetchAllItems(via, t.url, t.kind);
  return { items: got.items, deletes: [], replaceAll: true, syncToken: t.syncToken, errors: got.errors };
}

async function fetchSince(via: Requester, t: Target, since: LocalState): Promise<Fetched> {
  if (since.syncToken !== null && t.syncCollection !== false) {
    const r = await syncReportOrNull(via, t, since.syncToken, true);
    if (r?.kind === 'changes') return { items: r.items, deletes: r.deleted, replaceAll: false, syncToken: r.token, errors: r.errors };
    if (r?.kind === 'invalid-token') {
      via.trace.note(
        'sync',
        null,
        r.status === 500
          ? quirkNote('unknown-token-500', t.url)
          : `${t.url} no longer accepts the stored sync-token (${r.status}): comparing every ETag instead; local data stays until that is complete.`,
      );
    }
  }
  return fetchByEtags(via, t, since);
}

/** Every member's ETag, compared with the stored ones: only new and changed members are fetched. */
async function fetchByEtags(via: Requester, t: Target, since: LocalState): Promise<Fetched> {
  let onServer: Map<string, string | null> | null = null;
  let syncToken: string | null = null;
  if (t.syncCollection !== false) {
    const r = await syncReportOrNull(via, t, '', false);
    if (r?.kind === 'changes') {
      onServer = r.etags;
      syncToken = r.token;
    } else if (r?.kind === 'refused') {
      via.trace.note('sync', null, quirkNote('no-sync-collection', t.url));
    }
  }
  onServer ??= await memberEtags(via, t.url, 'sync');
  const known = since.etags();
  const changed = [...onServer.entries()].filter(([href, etag]) => etag === null || known.get(href) !== etag).map(([href]) => href);
  const deletes = [...known.keys()].filter((href) => !onServer.has(href));
  const fetched = changed.length ? await multiget(via, t.url, t.kind, changed) : { items: [], errors: [] };
  return { items: fetched.items, deletes, replaceAll: false, syncToken, errors: fetched.errors };
}
