// The application layer every host goes through: one profile's accounts, their sync, and what they hold.
// The service (service.ts) turns it into the API contract for Electron and the browser mode; the command line
// prints what it returns. So a rule (where the CA lives, which approvals a rediscovery keeps) is written once.
import type { CertificateInfo, DavlensError } from '../../../shared/errors.ts';
import { DavlensFailure, davlensError } from '../../../shared/errors.ts';
import type { DiscoveryResult } from '../../../shared/discovery.ts';
import { canonicalUrl } from '../../../shared/href.ts';
import type { AddressBook, Calendar, CalendarKind, CollectionKind, Contact, ContactGroup, Subscription } from '../../../shared/models.ts';
import { discoverIn, openConnection, type Connection, type OpenConnection } from '../remote/discovery.ts';
import { Store, accountIdFor, type StoredAccount, type StoredCollection, type StoredSubscription } from '../store/store.ts';
import { BIRTHDAYS_NAME, birthdayOccurrences, birthdaysCalendar, birthdaysUrl } from '../../../shared/birthdays.ts';
import { upgradeStoredContacts } from './contact-model.ts';
import { groupView, groupsOf, withGroups } from './groups.ts';
import { accountFromDiscovery, accountInput, foundAnyService } from './accounts.ts';
import {
  ParseCache,
  addressBooksIn,
  byStart,
  calendarsIn,
  contactsIn,
  exportCollection,
  occurrencesIn,
  selectCollections,
  unparsableIn,
  type OccurrenceWindow,
} from './queries.ts';
import { syncAccount, type SyncOptions, type SyncReport } from './sync.ts';
import { fetchWindow, windowEvents, type FetchedWindow, type WindowAnswer, type WindowOptions } from './window.ts';
import type { TraceEntry } from '../../../shared/trace.ts';
import {
  feedUrl,
  notSubscribed,
  refresh,
  subscribe,
  subscriptionOf,
  updateSubscription,
  type FeedHooks,
  type Refreshed,
  type SubscribeInput,
} from './subscriptions.ts';

/** What adding (or rediscovering) an account came to. */
export interface AddedAccount {
  discovery: DiscoveryResult;
  /** The saved account, or null when discovery found nothing usable or stopped. */
  account: StoredAccount | null;
  /** Discovery stopped before sending the password to this host: the user must approve it. */
  approval: string | null;
  /** Nothing was found and a server's certificate was not trusted: what the user needs to decide. */
  certificate: CertificateInfo | null;
  /** With `keepOpen`: the logged-in connection, for a sync in the same run (the caller closes it). */
  opened?: OpenConnection;
}

/** Connection settings a host gives for every account (the CLI's flags, the web host's --ca and --dns). */
export type HostConnection = Partial<Omit<Connection, 'email' | 'password'>>;

export interface SyncHooks {
  onTrace?: (e: TraceEntry) => void;
  onCollection?: SyncOptions['onCollection'];
  opened?: OpenConnection;
}

export interface WindowHooks extends Pick<SyncHooks, 'onTrace' | 'opened'>, Pick<WindowOptions, 'wholeCalendars'> {
  /** A calendar by display name or URL (default: every calendar). */
  calendar?: string;
}

type Stamped = { syncedAt: string | null };

/** The collections a query covers, and the accounts whose Birthdays calendar it covers (calendars only). */
export interface Selection {
  selected: StoredCollection[];
  birthdays: string[];
  error: DavlensError | null;
}

export class Engine {
  readonly store: Store;
  /** Parsed calendar items by row, so scrolling the grid does not parse the same items again. */
  readonly cache = new ParseCache();
  /** datedCards by address books, with the store's changeStamp they were read at. */
  private readonly dated = new Map<string, { stamp: string; cards: Contact[] }>();

  /** The worker entry that reads large texts off this thread (off-thread.ts; the desktop bundle has its own). */
  private readonly readerWorker: string | undefined;

  private constructor(store: Store, readerWorker: string | undefined) {
    this.store = store;
    this.readerWorker = readerWorker;
  }

  static open(profileDir: string, opts: { readerWorker?: string } = {}): Engine {
    const store = Store.open(profileDir);
    upgradeStoredContacts(store);
    return new Engine(store, opts.readerWorker);
  }

  close(): void {
    this.store.close();
  }

  /** An account by email address or id. */
  account(emailOrId: string): StoredAccount | null {
    return this.store.getAccount(emailOrId);
  }

  /**
   * Discovers the account's services and saves what was found (never the password). A rediscovery keeps the
   * hosts and keys approved before. The CA a host was given applies to that host's runs, for every account:
   * it is not the account's own and is not stored.
   */
  async addAccount(request: Connection, hooks: { onTrace?: (e: TraceEntry) => void; keepOpen?: boolean } = {}): Promise<AddedAccount> {
    const previous = this.store.getAccount(request.email.trim());
    const input: Connection = {
      ...request,
      email: request.email.trim(),
      trustHosts: [...(previous?.approvedHosts ?? []), ...(request.trustHosts ?? [])],
      pins: { ...(previous?.options.pins ?? {}), ...(request.pins ?? {}) },
    };
    const ctx = openConnection(input, hooks.onTrace);
    let keep = false;
    try {
      const discovery = await discoverIn(ctx, input);
      const approval = [discovery.caldav, discovery.carddav].find((s) => s?.needsApproval)?.needsApproval ?? null;
      if (approval || !foundAnyService(discovery)) {
        const certificate = approval ? null : (discovery.errors.find((e) => e.certificate)?.certificate ?? null);
        return { discovery, account: null, approval, certificate };
      }
      const account = accountFromDiscovery(input, discovery, previous, ctx.session.basicOrigins);
      account.options.ca = undefined;
      this.store.saveAccount(account);
      keep = hooks.keepOpen === true;
      return { discovery, account, approval: null, certificate: null, ...(keep ? { opened: ctx } : {}) };
    } finally {
      if (!keep) await ctx.close();
    }
  }

  /** Syncs one account with its password and the host's connection settings (which win over stored ones). */
  sync(account: StoredAccount, password: string, host: HostConnection, hooks: SyncHooks = {}): Promise<SyncReport> {
    return syncAccount(this.store, account, { connection: accountInput(account, password, host), ...hooks });
  }

  /**
   * The window's items straight from the servers, for an account never synced (window.ts), in the chosen
   * calendar (display name or URL) or all of them. Nothing is stored: the account stays unsynced.
   */
  fetchWindow(
    account: StoredAccount,
    password: string,
    host: HostConnection,
    window: Omit<OccurrenceWindow, 'search'>,
    hooks: WindowHooks = { wholeCalendars: Infinity },
  ): Promise<FetchedWindow> {
    const choose = (listed: Calendar[]) => {
      const { selected, error } = selectCollections(
        listed.map((c) => ({ url: c.url, props: c })),
        hooks.calendar,
        'calendar',
      );
      return { selected: selected.map((c) => c.props), error };
    };
    const connection = { connection: accountInput(account, password, host), onTrace: hooks.onTrace, opened: hooks.opened };
    return fetchWindow(account, connection, window, { choose, wholeCalendars: hooks.wholeCalendars });
  }

  /** fetchWindow, expanded: the window's occurrences (and the errors of both). */
  async windowOccurrences(
    account: StoredAccount,
    password: string,
    host: HostConnection,
    window: OccurrenceWindow,
    hooks: WindowHooks = { wholeCalendars: Infinity },
  ): Promise<WindowAnswer> {
    const f = await this.fetchWindow(account, password, host, window, hooks);
    const { events, errors } = windowEvents(f.fetched, window);
    return { calendars: f.calendars, events, errors: [...f.errors, ...errors], requests: f.requests };
  }

  /**
   * The account's calendars, in the server's order, each with when its items were last stored; then its Birthdays
   * calendar (when it has address books), stamped with their last sync.
   */
  calendars(accountId: string): (Calendar & Stamped & { kind: CalendarKind })[] {
    const server = this.withSyncedAt(accountId, calendarsIn(this.store, accountId)).map((c) => ({ ...c, kind: 'calendar' as const }));
    const books = this.store.listCollections(accountId, 'addressbook');
    if (books.length === 0) return server;
    // As old as its oldest address book: null while one was never stored.
    const stamps = books.map((b) => b.syncedAt);
    const syncedAt = stamps.includes(null) ? null : ([...stamps].sort()[0] ?? null);
    return [...server, { ...birthdaysCalendar(accountIdFor(accountId)), syncedAt, kind: 'birthdays' as const }];
  }

  addressbooks(accountId: string): (AddressBook & Stamped)[] {
    return this.withSyncedAt(accountId, addressBooksIn(this.store, accountId));
  }

  /**
   * The account's syncedAt is that of its last sync with any success; a collection that failed then is older
   * (its error is in that sync's answer).
   */
  private withSyncedAt<T extends { url: string }>(accountId: string, collections: T[]): (T & Stamped)[] {
    const at = new Map(this.store.listCollections(accountId).map((c) => [c.url, c.syncedAt]));
    return collections.map((c) => ({ ...c, syncedAt: at.get(c.url) ?? null }));
  }

  /**
   * The collections a query covers: those named by URL (any spelling), one chosen by display name or URL,
   * or all of the kind (in one account, or every account).
   */
  select(kind: CollectionKind, by: { accountId?: string; urls?: string[]; name?: string }): Selection {
    const all = this.store.listCollections(by.accountId, kind);
    // Calendars include each account's Birthdays (an account with address books), selected by its URL or its name.
    const owners =
      kind === 'calendar'
        ? [...new Set(this.store.listCollections(by.accountId, 'addressbook').flatMap((b) => (b.accountId === null ? [] : [b.accountId])))]
        : [];
    if (by.urls) {
      const wanted = new Set(by.urls.map(canonicalUrl));
      return { selected: all.filter((c) => wanted.has(c.url)), birthdays: owners.filter((a) => wanted.has(canonicalUrl(birthdaysUrl(a)))), error: null };
    }
    const made = owners.map((owner) => ({ owner, url: birthdaysUrl(owner), props: { displayName: BIRTHDAYS_NAME } }));
    const chosen = selectCollections<StoredCollection | (typeof made)[number]>([...all, ...made], by.name, kind === 'calendar' ? 'calendar' : 'address book');
    return {
      selected: chosen.selected.filter((c): c is StoredCollection => !('owner' in c)),
      birthdays: chosen.selected.flatMap((c) => ('owner' in c ? [c.owner] : [])),
      error: chosen.error,
    };
  }

  /** A stored collection by URL, or a not-found error naming it. */
  collection(url: string, kind: CollectionKind): StoredCollection {
    const c = this.store.getCollectionByUrl(url);
    if (!c || c.kind !== kind)
      throw new DavlensFailure(
        davlensError('not-found', `No ${kind === 'calendar' ? 'calendar' : 'address book'} at ${url} in this profile.`, 'collections', { url }),
      );
    return c;
  }

  /**
   * The cards with a birthday or an anniversary in these address books, read from the store again only after it
   * changed: every range the calendar shows asks for them (5,000 cards, 2,000 of them dated: 16 ms of a month's
   * 48 ms in the engine, for a scan of every card's JSON).
   */
  private datedCards(books: number[]): Contact[] {
    const key = books.join(',');
    const stamp = this.store.changeStamp();
    const kept = this.dated.get(key);
    if (kept?.stamp === stamp) return kept.cards;
    const cards = this.store.contactCards(books, { dated: true });
    if (this.dated.size >= 16) this.dated.clear();
    this.dated.set(key, { stamp, cards });
    return cards;
  }

  /**
   * Occurrences in the window, with every item of these calendars that could not be read named; with `birthdays`,
   * those accounts' birthdays and anniversaries too (birthdays.ts).
   */
  occurrences(collections: StoredCollection[], window: OccurrenceWindow, birthdays: readonly string[] = []) {
    const out = occurrencesIn(this.store, collections, window, this.cache);
    const search = window.search?.toLowerCase();
    const dates = birthdays.flatMap((a) => {
      const books = this.store.listCollections(a, 'addressbook').map((b) => b.id);
      return birthdayOccurrences(this.datedCards(books), window.from, window.to, { displayName: BIRTHDAYS_NAME, url: birthdaysUrl(a) });
    });
    const events = dates.length === 0 ? out.events : [...out.events, ...dates.filter((o) => !search || o.summary.toLowerCase().includes(search))].sort(byStart);
    return { events, errors: [...unparsableIn(this.store, collections), ...out.errors] };
  }

  /**
   * People of these address books (never a group card), with the groups each is in; with `group`, the members of the
   * groups of that name only (an unknown name is the error, naming the groups there are).
   */
  contacts(collections: StoredCollection[], search?: string, offset?: number, limit?: number, group?: string) {
    const ids = collections.map((c) => c.id);
    const errors = unparsableIn(this.store, collections);
    let hrefs: string[] | undefined;
    if (group !== undefined) {
      const all = groupsOf(this.store.contactCards(ids));
      const chosen = all.filter((g) => g.name.toLowerCase() === group.trim().toLowerCase());
      if (chosen.length === 0) {
        const names = [...new Set(all.map((g) => `"${g.name}"`))].join(', ') || 'none';
        return {
          contacts: [],
          total: 0,
          errors: [davlensError('not-found', `No group is named "${group}". The address books have: ${names}.`, 'collections'), ...errors],
        };
      }
      hrefs = [...new Set(chosen.flatMap((g) => [...g.memberHrefs]))];
    }
    const page = contactsIn(this.store, collections, search, offset, limit, hrefs);
    // The page's groups: its own categories, and the group cards naming its people.
    const groups = groupsOf([...this.store.contactCards(ids, { groups: true }), ...page.contacts]);
    return { contacts: withGroups(page.contacts, groups), total: page.total, errors };
  }

  /** The groups of these address books: group cards (vCard 4, Apple) and categories, each with its member count. */
  groups(collections: StoredCollection[]): { groups: ContactGroup[]; errors: DavlensError[] } {
    return { groups: groupsOf(this.store.contactCards(collections.map((c) => c.id))).map(groupView), errors: unparsableIn(this.store, collections) };
  }

  // --- subscribed calendars (subscriptions.ts) ---

  subscriptions(): StoredSubscription[] {
    return this.store.listSubscriptions();
  }

  /** The subscription at a URL (webcal compared as https, any spelling), or a not-found error naming `davlens subscribe`. */
  subscription(url: string): StoredSubscription {
    const s = this.subscriptionAt(url);
    if (!s) throw notSubscribed(url);
    return s;
  }

  subscriptionAt(url: string): StoredSubscription | null {
    return this.store.getSubscription(feedUrl(url));
  }

  /** The subscription's one calendar as `calendars` lists an account's (none before its first copy). */
  subscriptionCalendars(s: StoredSubscription): (Calendar & Stamped & { kind: CalendarKind })[] {
    const c = this.store.subscriptionCalendar(s.id);
    return c ? [{ ...(c.props as Calendar), syncedAt: c.syncedAt, kind: 'subscription' }] : [];
  }

  /** The subscription's calendar, if `name` (display name or URL) names it or is absent. */
  selectSubscription(s: StoredSubscription, name?: string): Selection {
    const c = this.store.subscriptionCalendar(s.id);
    return { ...selectCollections(c ? [c] : [], name, 'calendar'), birthdays: [] };
  }

  /** What `subscribe --json` and the API show of a subscription. */
  subscriptionView(s: StoredSubscription): Subscription {
    return subscriptionOf(this.store, s);
  }

  /** Adds a subscription (or updates the one at that URL) and fetches its feed; `password` only for a feed that asks. */
  subscribe(input: SubscribeInput, password: string | undefined, host: HostConnection, hooks?: FeedHooks): Promise<Refreshed> {
    return subscribe(this.store, input, password, host, { ...hooks, readerWorker: this.readerWorker });
  }

  /** One conditional GET of the feed; a new copy replaces the stored one. */
  refreshSubscription(s: StoredSubscription, password: string | undefined, host: HostConnection, hooks?: FeedHooks): Promise<Refreshed> {
    return refresh(this.store, s, password, host, { ...hooks, readerWorker: this.readerWorker });
  }

  updateSubscription(url: string, patch: { name?: string; refreshMinutes?: number | null }): StoredSubscription {
    return updateSubscription(this.store, url, patch);
  }

  /** Removes the subscription with its calendar and events. */
  unsubscribe(url: string): void {
    if (!this.store.removeSubscription(this.subscription(url).id)) throw notSubscribed(url);
  }

  /** The collection as one .ics or .vcf file, with the items that could not be written named. */
  exportCollection(c: StoredCollection): { content: string; errors: DavlensError[] } {
    return exportCollection(this.store, c);
  }
}
