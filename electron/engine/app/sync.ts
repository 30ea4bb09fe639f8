// Incremental sync of one account into the store, in named phases against a narrow view of its servers
// (RemoteAccount, remote/account-remote.ts: how each collection is asked for is decided there):
//   list    one PROPFIND Depth 1 per home set lists the collections with their getctag, so an unchanged
//           collection costs no request of its own (a no-change resync is one request per home set). The
//           sync-token is asked as well only while some collection relies on it (a server without getctag): on
//           Radicale each marker makes the listing read every item, and getctag is the cheaper one (15,000
//           items: 0.8 s, 1.2 s, both 2.0 s);
//   plan    against the stored collections: keep an unchanged one, fetch a new or changed one, remove one no
//           longer listed; one the listing answered with an error, or of a service not listed, is kept;
//   fetch   its changes since what is stored (everything for a new one); local data stays until that new
//           state is complete;
//   apply   parse and store them: each collection's result in one transaction, with its row;
//   finish  the account's syncedAt and last error.
// Markers are stored only with complete data: when a member could not be fetched, none is, and the next sync
// compares every ETag (fetching that member again, nothing more). Every href is compared in one spelling (href.ts).
// Collections are fetched in order through one request lane (request-lane.ts): while one collection's items
// are parsed and stored, the next collection's request is already with the server.
// A refused password stops the run: what was stored before it stays, and the host must ask for the password.
import type { SyncCollectionReport } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import { DavlensFailure, davlensError } from '../../../shared/errors.ts';
import type { AddressBook, Calendar, CollectionKind } from '../../../shared/models.ts';
import type { TraceEntry } from '../../../shared/trace.ts';
import { openRemoteAccount, type RemoteAccount, type RemoteChanges, type RemoteListing, type RequestMeter } from '../remote/account-remote.ts';
import type { Connection, OpenConnection } from '../remote/discovery.ts';
import { rowsOf } from './rows.ts';
import type { Store, StoredAccount, StoredCollection } from '../store/store.ts';

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

export interface SyncOptions {
  /** How to reach the account's servers (accountInput()). */
  connection: Connection;
  onTrace?: (e: TraceEntry) => void;
  /** Each collection's report as soon as it is stored. */
  onCollection?: (r: SyncCollectionReport) => void;
  /** A context that discovery in the same run already used (logged in: no second 401); it stays open for the caller. */
  opened?: OpenConnection;
}

/**
 * Collections fetched ahead of the one being parsed and stored. One keeps the server busy whenever the
 * client's work on a collection takes less time than the server's on the next (3,333 events: about 0.25 s
 * against 0.3-0.5 s on Radicale) and holds at most two answers in memory; two ahead were no faster in
 * npm run bench:sync (five runs each, within noise).
 */
const FETCH_AHEAD = 1;

type Listed = Calendar | AddressBook;

/** What one collection needs in this run, in report order. */
type Planned =
  | { action: 'remove'; kind: CollectionKind; stored: StoredCollection }
  | { action: 'keep'; kind: CollectionKind; props: Listed; stored: StoredCollection }
  | { action: 'fetch'; kind: CollectionKind; props: Listed; stored: StoredCollection | null };

type FetchPlan = Extract<Planned, { action: 'fetch' }>;

interface FetchTask {
  meter: RequestMeter;
  started: number;
  changes: Promise<RemoteChanges>;
}

/** What the run has to show so far. */
class Tally {
  /** The listing's requests (counted by the remote) and time. */
  readonly listing = { requests: 0, bytes: 0, ms: 0 };
  readonly collections: SyncCollectionReport[] = [];
  readonly errors: DavlensError[] = [];
  private readonly onCollection: ((r: SyncCollectionReport) => void) | undefined;

  constructor(onCollection: ((r: SyncCollectionReport) => void) | undefined) {
    this.onCollection = onCollection;
  }

  /** A collection's report, handed on as soon as the collection is stored. */
  record(r: SyncCollectionReport): void {
    this.collections.push(r);
    this.onCollection?.(r);
    if (r.error) this.errors.push(r.error);
  }
}

/** Syncs the account's collections into the store. */
export async function syncAccount(store: Store, account: StoredAccount, { connection, onTrace, onCollection, opened }: SyncOptions): Promise<SyncReport> {
  const homes = {
    calendarHomes: account.caldav?.homeSets ?? [],
    addressbookHomes: account.carddav?.homeSets ?? [],
    scheduling: account.caldav?.scheduling ?? [],
  };
  return syncWith(store, account, openRemoteAccount(connection, homes, { onTrace, opened }), onCollection);
}

/** Syncs the account's collections into the store through `remote`, which it closes at the end. */
export async function syncWith(
  store: Store,
  account: StoredAccount,
  remote: RemoteAccount,
  onCollection?: (r: SyncCollectionReport) => void,
): Promise<SyncReport> {
  const tally = new Tally(onCollection);
  const fetches = new FetchAhead(store, remote);
  let stoppedBy: DavlensError | null = null;
  try {
    stoppedBy = await runPhases(store, account, remote, fetches, tally);
  } catch (e) {
    // The store failed: reported, and the run ends here.
    if (!(e instanceof DavlensFailure)) throw e;
    tally.errors.push(e.error);
  } finally {
    await fetches.settled();
    const learned = remote.basicOrigins();
    if (learned.length && learned.join() !== (account.options.basicOrigins ?? []).join()) store.updateAccountOptions(account.id, { basicOrigins: learned });
    await remote.close();
  }
  return finish(store, account.id, tally, stoppedBy);
}

/** list -> plan -> fetch and apply each collection. Returns the refused login that stopped the run, if one did. */
async function runPhases(store: Store, account: StoredAccount, remote: RemoteAccount, fetches: FetchAhead, tally: Tally): Promise<DavlensError | null> {
  const stored = store.listCollections(account.id);
  const listed = await list(remote, account, stored, tally.listing);
  // A refused password is not reported as the listing's error: finish reports that a password is needed.
  if (listed.error && isAuthError(listed.error)) return listed.error;
  if (listed.error) tally.errors.push(listed.error);
  const plan = planSync(stored, listed.listing, listed.removable);
  fetches.queue(plan.filter((p): p is FetchPlan => p.action === 'fetch'));
  for (const p of plan) {
    const r = p.action === 'fetch' ? await fetchAndApply(store, account.id, p, fetches.take(p)) : applyPlanned(store, account.id, p);
    tally.record(r);
    if (r.error && isAuthError(r.error)) return r.error;
  }
  return null;
}

function isAuthError(e: DavlensError): boolean {
  return e.code === 'auth-failed' || e.code === 'auth-stopped';
}

/**
 * Phase list: the collections the server lists now, and which kinds' stored collections that listing may
 * remove. A failed listing lists nothing and is returned as the error.
 */
async function list(
  remote: RemoteAccount,
  account: StoredAccount,
  stored: StoredCollection[],
  counted: Tally['listing'],
): Promise<{ listing: RemoteListing; removable: Record<CollectionKind, boolean>; error: DavlensError | null }> {
  const started = performance.now();
  const markers = { ctag: true, syncToken: stored.some((c) => c.syncedAt !== null && c.ctag === null && c.syncToken !== null) };
  let listing: RemoteListing = { calendars: [], addressbooks: [], unsure: new Set() };
  let error: DavlensError | null = null;
  try {
    listing = await remote.listCollections(markers, counted);
  } catch (e) {
    if (!(e instanceof DavlensFailure)) throw e;
    error = e.error;
  } finally {
    counted.ms = Math.round(performance.now() - started);
  }
  // Only a successful listing of a kind's home sets may remove collections of that kind: a failed one, or
  // none (an account without that service now), says nothing about them.
  const removable = {
    calendar: error === null && (account.caldav?.homeSets.length ?? 0) > 0,
    addressbook: error === null && (account.carddav?.homeSets.length ?? 0) > 0,
  };
  return { listing, removable, error };
}

/** Unchanged when the marker the listing gave equals the one stored with the items (getctag first). */
function isUnchanged(props: Listed, stored: StoredCollection): boolean {
  if (stored.syncedAt === null) return false;
  if (props.ctag !== null) return props.ctag === stored.ctag;
  return props.syncToken !== null && props.syncToken === stored.syncToken;
}

/** Phase plan: what each stored or listed collection needs, in report order. */
function planSync(stored: StoredCollection[], listing: RemoteListing, removable: Record<CollectionKind, boolean>): Planned[] {
  const plan: Planned[] = [];
  for (const kind of ['calendar', 'addressbook'] as const) {
    const current: Listed[] = kind === 'calendar' ? listing.calendars : listing.addressbooks;
    const byUrl = new Map(stored.filter((s) => s.kind === kind).map((s) => [s.url, s]));
    if (removable[kind]) {
      const currentUrls = new Set(current.map((c) => c.url));
      for (const gone of byUrl.values()) if (!currentUrls.has(gone.url) && !listing.unsure.has(gone.url)) plan.push({ action: 'remove', kind, stored: gone });
    }
    for (const props of current) {
      const s = byUrl.get(props.url) ?? null;
      if (s && isUnchanged(props, s)) plan.push({ action: 'keep', kind, props, stored: s });
      else plan.push({ action: 'fetch', kind, props, stored: s });
    }
  }
  return plan;
}

const NONE = { added: 0, changed: 0, deleted: 0 };

/** Kept and removed collections: the store alone. */
function applyPlanned(store: Store, accountId: string, p: Exclude<Planned, FetchPlan>): SyncCollectionReport {
  if (p.action === 'remove') {
    // Removed (or renamed to another URL) on the server: its items go with it.
    const deleted = store.counts(p.stored.id);
    store.removeCollection(p.stored.id);
    return report(accountId, p.stored.url, p.stored.props, p.kind, { ...NONE, deleted }, null, null);
  }
  // Names and colours may change without a ctag change; keep them current at no cost.
  const props = { ...p.props, syncToken: p.props.syncToken ?? p.stored.syncToken };
  if (JSON.stringify(props) !== JSON.stringify(p.stored.props)) store.upsertCollection(accountId, p.kind, props);
  return report(accountId, props.url, props, p.kind, NONE, null, null);
}

/**
 * Phase fetch, for every collection to fetch in plan order: each one's fetch starts FETCH_AHEAD collections
 * before it is taken, so its requests wait in the lane behind those of the one taken before it.
 */
class FetchAhead {
  private readonly store: Store;
  private readonly remote: RemoteAccount;
  private fetches: FetchPlan[] = [];
  private readonly tasks = new Map<FetchPlan, FetchTask>();
  private readonly running: Promise<unknown>[] = [];
  private taken = 0;

  constructor(store: Store, remote: RemoteAccount) {
    this.store = store;
    this.remote = remote;
  }

  /** The collections to fetch, in plan order. */
  queue(fetches: FetchPlan[]): void {
    this.fetches = fetches;
  }

  /** The fetch of `p`, the next one in plan order (started now, or ahead). */
  take(p: FetchPlan): FetchTask {
    for (const next of this.fetches.slice(this.tasks.size, ++this.taken + FETCH_AHEAD)) this.start(next);
    return this.tasks.get(p)!;
  }

  /** Every fetch started has ended. Fetches started ahead of a stop end quickly (the session refuses to go on). */
  async settled(): Promise<void> {
    await Promise.all(this.running);
  }

  private start(p: FetchPlan): void {
    const { stored } = p;
    // The stored ETags are read only where a fetch compares them (a sync-token usually spares it).
    const since = stored && stored.syncedAt !== null ? { syncToken: stored.syncToken, etags: () => this.store.itemEtags(stored.id) } : null;
    const meter = { requests: 0, bytes: 0 };
    const task = { meter, started: performance.now(), changes: this.remote.fetchChanges(p.kind, p.props, since, meter) };
    this.running.push(task.changes.catch(() => undefined));
    this.tasks.set(p, task);
  }
}

/** Phases fetch and apply of one collection: its changes, from a fetch started ahead, parsed and stored. */
async function fetchAndApply(store: Store, accountId: string, p: FetchPlan, task: FetchTask): Promise<SyncCollectionReport> {
  let changes: RemoteChanges;
  try {
    changes = await task.changes;
  } catch (e) {
    if (!(e instanceof DavlensFailure)) throw e;
    return report(accountId, p.props.url, p.props, p.kind, NONE, task, e.error);
  }
  return apply(store, accountId, p, changes, task);
}

/** Phase apply: parses and stores what a fetch brought (one transaction with the collection's row). */
async function apply(store: Store, accountId: string, p: FetchPlan, changes: RemoteChanges, task: FetchTask): Promise<SyncCollectionReport> {
  const rows = await rowsOf(changes.items, p.kind, p.props.displayName);
  // A member that could not be fetched leaves the collection without markers: the next sync compares every ETag
  // and fetches it again (and only what else changed). Stored, the new ctag or token would hide it for good; the
  // old ones would bring every change since them again, or a refused token again, at every sync.
  const complete = changes.errors.length === 0;
  const markers = changes.markersToStore();
  const ctag = complete ? markers.ctag : null;
  const syncToken = complete ? markers.syncToken : null;
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

/** Phase finish: the account's syncedAt and last error, and the run's report. */
function finish(store: Store, accountId: string, { listing, collections, errors }: Tally, stoppedBy: DavlensError | null): SyncReport {
  if (stoppedBy) {
    const needed = davlensError('auth-failed', `Password needed: ${stoppedBy.message}`, 'sync', { url: stoppedBy.url, status: stoppedBy.status });
    if (!errors.some((x) => isAuthError(x))) errors.push(needed);
    store.setAccountSyncState(accountId, null, needed);
    return { accountId, listing, collections, errors, syncedAt: null, passwordNeeded: true };
  }
  // A collection stored with some unparsable items is synced (they are reported, and kept raw).
  const syncedAt = errors.length === 0 || collections.some((r) => !r.error || r.error.code === 'item-unparsable') ? new Date().toISOString() : null;
  store.setAccountSyncState(accountId, syncedAt, errors[0] ?? null);
  return { accountId, listing, collections, errors, syncedAt, passwordNeeded: false };
}
