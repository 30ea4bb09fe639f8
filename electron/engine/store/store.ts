// The local store: every account's collections and items in one SQLite file in the profile, so Davlens
// opens instantly from what it has and syncs only what changed. Never a password.
//
// Range queries use a time-zone-independent span per item: its first start and last end as wall-clock
// milliseconds (a floating 09:00 is 09:00 in every zone, an all-day date is a date), widened by two days
// on each side to cover every UTC offset. A window in any zone selects the items whose span overlaps;
// the engine then expands just those in the viewer's zone. Changing the zone needs no re-indexing.
//
// Every sync of a collection is written in one transaction, so killing the process at any moment leaves
// the previous consistent state, never a half-written collection.
import { join } from 'node:path';
import type { AccountSummary } from '../../../shared/api.ts';
import type { ConnectionOptions, ServiceResult } from '../../../shared/discovery.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import type { AddressBook, Calendar, CollectionKind, Contact, RawItem } from '../../../shared/models.ts';
import { canonicalUrl } from '../../../shared/href.ts';
import { contactSortKey } from '../../../shared/contact-sort.ts';
import { MIGRATIONS } from './migrations.ts';
import { ensurePrivateDir, ensurePrivateFile, narrowIfPresent } from './private-files.ts';
import type { WallSpan } from '../formats/ical/index.ts';
import { openDatabase, unavailable, type Database } from './sqlite.ts';

export const SPAN_PADDING_MS = 2 * 86_400_000;

/**
 * Whether an item with this unpadded wall-clock span (formats/ical resourceSpan) may have occurrences between the
 * wall-clock instants `fromMs` and `toMs`: what itemsInRange selects by the padded columns, for items held in
 * memory (a new account's first window, app/window.ts).
 */
export function spanMeetsRange({ start, end }: WallSpan, fromMs: number, toMs: number): boolean {
  return start !== null && start - SPAN_PADDING_MS < toMs && (end === null || end + SPAN_PADDING_MS > fromMs);
}

/**
 * How the account is reached, kept with it (never the password): the connection options given when it was
 * added, and the origins where Basic login worked (the password goes with the first request there, see Session).
 * `ca` is only read: profiles of earlier versions hold one; a host's CA is given per run and not stored now.
 */
export type StoredAccountOptions = Pick<ConnectionOptions, 'user' | 'server' | 'dns' | 'ca' | 'insecureHttp' | 'pins'> & { basicOrigins?: string[] };

/** An account as the store keeps it: what the UI is shown of it, and how to reach it. */
export interface StoredAccount extends Omit<AccountSummary, 'needsPassword'> {
  options: StoredAccountOptions;
}

export interface StoredCollection {
  id: number;
  /** Its owner: an account, or a subscription (one calendar each); the other is null. */
  accountId: string | null;
  subscriptionId: number | null;
  kind: CollectionKind;
  url: string;
  props: Calendar | AddressBook;
  /** The ctag / sync-token the stored items correspond to (may differ from props' newest values). */
  ctag: string | null;
  syncToken: string | null;
  syncedAt: string | null;
}

/** How a subscription's feed is reached (never a password). */
export interface SubscriptionOptions {
  /** The user name the feed asked for (Basic or Digest), if any. */
  user?: string;
  /** Plain http was allowed for it (--insecure-http). */
  insecureHttp?: boolean;
  /** Origins where Basic login worked: the password goes with the first request there (no 401 first). */
  basicOrigins?: string[];
}

/** A subscribed calendar (a webcal or ICS feed) as the store keeps it; its events are its calendar's items. */
export interface StoredSubscription {
  id: number;
  /** The feed's URL (https for webcal), canonical. */
  url: string;
  /** The user's name for it; null: the feed's own (X-WR-CALNAME or NAME), else the URL's last segment. */
  name: string | null;
  /** The user's refresh interval; null: the feed's, else a day. */
  refreshMinutes: number | null;
  /** REFRESH-INTERVAL or X-PUBLISHED-TTL of the last copy, in minutes. */
  feedRefreshMinutes: number | null;
  /** The validators of the last copy, for a conditional GET. */
  etag: string | null;
  lastModified: string | null;
  options: SubscriptionOptions;
  addedAt: string;
  /** The last refresh tried: the next is due an interval later. */
  checkedAt: string | null;
  /** The last refresh that reached the feed (a new copy or a 304). */
  syncedAt: string | null;
  lastError: DavlensError | null;
  /** What the last copy read breaks (feed-defect errors): kept until another copy is read. */
  notes: DavlensError[];
}

/** What the sync layer writes for one item: the raw data plus columns derived from it. */
export interface ItemRow extends RawItem {
  uid: string | null;
  /** Calendar items: wall-clock span in ms (see above); end null = open-ended recurrence. */
  spanStart: number | null;
  spanEnd: number | null;
  /** Lower-case text searched by the UI (titles, locations, descriptions). */
  searchText: string;
  /** Address-book items: the parsed contact, or null when unparsable. */
  contact: Contact | null;
  parseError: string | null;
}

export interface CollectionChanges {
  upserts: ItemRow[];
  /** Hrefs removed on the server. */
  deletes: string[];
  /** Replace every item (full resync): items not in upserts are deleted. */
  replaceAll: boolean;
  ctag: string | null;
  syncToken: string | null;
  props: Calendar | AddressBook;
}

type Row = Record<string, unknown>;

function json<T>(v: unknown): T {
  return JSON.parse(String(v)) as T;
}

export function accountIdFor(email: string): string {
  return email.trim().toLowerCase();
}

export class Store {
  readonly db: Database;
  readonly file: string;

  private constructor(db: Database, file: string) {
    this.db = db;
    this.file = file;
  }

  static open(profileDir: string): Store {
    ensurePrivateDir(profileDir);
    const file = join(profileDir, 'davlens.sqlite');
    ensurePrivateFile(file);
    narrowIfPresent(`${file}-wal`, `${file}-shm`);
    const db = openDatabase(file);
    // Made by SQLite just now with the database's mode; narrowed again in case an older Davlens made them.
    narrowIfPresent(`${file}-wal`, `${file}-shm`);
    // Used by migration 2; deterministic, so SQLite may use it anywhere.
    db.function('davlens_canonical_url', { deterministic: true }, (u) => (typeof u === 'string' ? canonicalUrl(u) : u));
    const store = new Store(db, file);
    store.migrate();
    return store;
  }

  /** Versioned migrations: PRAGMA user_version is the number of migrations applied. */
  private migrate(): void {
    const version = () => Number((this.db.prepare('PRAGMA user_version').get() as Row).user_version);
    const current = version();
    if (current > MIGRATIONS.length) {
      throw unavailable(`This profile was written by a newer Davlens (schema ${current}; this version knows ${MIGRATIONS.length}).`);
    }
    if (current === MIGRATIONS.length) return;
    // Foreign keys off while tables are rebuilt (SQLite's procedure; the pragma is ignored inside a transaction),
    // checked before each migration commits.
    this.db.exec('PRAGMA foreign_keys = OFF');
    try {
      for (let v = current; v < MIGRATIONS.length; v++) {
        this.transaction(() => {
          // Another process may have migrated meanwhile (the transaction holds the write lock from here on).
          if (version() !== v) return;
          this.db.exec(MIGRATIONS[v]!);
          const broken = this.db.prepare('PRAGMA foreign_key_check').all();
          if (broken.length > 0) throw unavailable(`Migration ${v + 1} of the profile left ${broken.length} rows without their owner; nothing was changed.`);
          this.db.exec(`PRAGMA user_version = ${v + 1}`);
        });
      }
    } finally {
      this.db.exec('PRAGMA foreign_keys = ON');
    }
  }

  close(): void {
    this.db.close();
  }

  /**
   * Changes whenever the store's data may have: a row written through this connection (total_changes()) or a
   * commit by another one, a command line syncing the same profile, say (PRAGMA data_version). What is read and
   * kept in memory stays good while this stays the same.
   */
  changeStamp(): string {
    const own = (this.db.prepare('SELECT total_changes() AS n').get() as Row).n;
    const others = (this.db.prepare('PRAGMA data_version').get() as Row).data_version;
    return `${String(own)}/${String(others)}`;
  }

  /**
   * Runs `fn` in one IMMEDIATE transaction (takes the write lock up front: no deadlock between processes).
   * Inside another transaction it joins that one: the outermost commits or rolls back the whole.
   */
  transaction<T>(fn: () => T): T {
    if (this.db.isTransaction) return fn();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  // --- accounts ---

  saveAccount(a: StoredAccount): void {
    this.db
      .prepare(
        `INSERT INTO accounts (id, email, username, caldav, carddav, approved_hosts, options, synced_at, last_error, demo)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET email = excluded.email, username = excluded.username, caldav = excluded.caldav,
        carddav = excluded.carddav, approved_hosts = excluded.approved_hosts, options = excluded.options,
        synced_at = excluded.synced_at, last_error = excluded.last_error, demo = excluded.demo`,
      )
      .run(
        a.id,
        a.email,
        a.username,
        JSON.stringify(a.caldav),
        JSON.stringify(a.carddav),
        JSON.stringify(a.approvedHosts),
        JSON.stringify(a.options),
        a.syncedAt,
        a.lastError ? JSON.stringify(a.lastError) : null,
        a.demo ? 1 : 0,
      );
  }

  private accountFrom(r: Row): StoredAccount {
    return {
      id: String(r.id),
      email: String(r.email),
      username: r.username === null ? null : String(r.username),
      caldav: json<ServiceResult | null>(r.caldav),
      carddav: json<ServiceResult | null>(r.carddav),
      approvedHosts: json<string[]>(r.approved_hosts),
      options: json<StoredAccountOptions>(r.options),
      syncedAt: r.synced_at === null ? null : String(r.synced_at),
      lastError: r.last_error === null ? null : json<DavlensError>(r.last_error),
      demo: Number(r.demo) === 1,
    };
  }

  getAccount(id: string): StoredAccount | null {
    const r = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(accountIdFor(id)) as Row | undefined;
    return r ? this.accountFrom(r) : null;
  }

  listAccounts(): StoredAccount[] {
    return (this.db.prepare('SELECT * FROM accounts ORDER BY demo, email').all() as Row[]).map((r) => this.accountFrom(r));
  }

  /** Removes the account and, through foreign keys, every collection and item of it. */
  removeAccount(id: string): boolean {
    return Number(this.db.prepare('DELETE FROM accounts WHERE id = ?').run(accountIdFor(id)).changes) > 0;
  }

  updateAccountOptions(id: string, patch: Partial<StoredAccountOptions>): void {
    const a = this.getAccount(id);
    if (a) this.saveAccount({ ...a, options: { ...a.options, ...patch } });
  }

  setAccountSyncState(id: string, syncedAt: string | null, lastError: DavlensError | null): void {
    this.db
      .prepare('UPDATE accounts SET synced_at = COALESCE(?, synced_at), last_error = ? WHERE id = ?')
      .run(syncedAt, lastError ? JSON.stringify(lastError) : null, accountIdFor(id));
  }

  // --- collections ---

  private collectionFrom(r: Row): StoredCollection {
    return {
      id: Number(r.id),
      accountId: r.account_id === null ? null : String(r.account_id),
      subscriptionId: r.subscription_id === null ? null : Number(r.subscription_id),
      kind: String(r.kind) as CollectionKind,
      url: String(r.url),
      props: json<Calendar | AddressBook>(r.props),
      ctag: r.ctag === null ? null : String(r.ctag),
      syncToken: r.sync_token === null ? null : String(r.sync_token),
      syncedAt: r.synced_at === null ? null : String(r.synced_at),
    };
  }

  /** One account's collections, or (no id) those of every account and subscription. */
  listCollections(accountId?: string, kind?: CollectionKind): StoredCollection[] {
    const rows = this.db
      .prepare(`SELECT * FROM collections WHERE (?1 IS NULL OR account_id = ?1) AND (?2 IS NULL OR kind = ?2) ORDER BY id`)
      .all(accountId === undefined ? null : accountIdFor(accountId), kind ?? null) as Row[];
    return rows.map((r) => this.collectionFrom(r));
  }

  /** By URL in any spelling (stored URLs are canonical, href.ts). */
  getCollectionByUrl(url: string): StoredCollection | null {
    const r = this.db.prepare('SELECT * FROM collections WHERE url = ? ORDER BY id LIMIT 1').get(canonicalUrl(url)) as Row | undefined;
    return r ? this.collectionFrom(r) : null;
  }

  /** Creates the collection row (no items, no sync state yet) or updates its properties. */
  upsertCollection(accountId: string, kind: CollectionKind, props: Calendar | AddressBook): StoredCollection {
    this.db
      .prepare(
        `INSERT INTO collections (account_id, kind, url, props) VALUES (?, ?, ?, ?)
      ON CONFLICT(account_id, url) DO UPDATE SET props = excluded.props, kind = excluded.kind`,
      )
      .run(accountIdFor(accountId), kind, props.url, JSON.stringify(props));
    return this.collectionFrom(this.db.prepare('SELECT * FROM collections WHERE account_id = ? AND url = ?').get(accountIdFor(accountId), props.url) as Row);
  }

  /** The calendar row of a subscription, created or with its properties updated. */
  upsertSubscriptionCalendar(subscriptionId: number, props: Calendar): StoredCollection {
    this.db
      .prepare(
        `INSERT INTO collections (subscription_id, kind, url, props) VALUES (?, 'calendar', ?, ?)
      ON CONFLICT(subscription_id) DO UPDATE SET props = excluded.props, url = excluded.url`,
      )
      .run(subscriptionId, props.url, JSON.stringify(props));
    return this.collectionFrom(this.db.prepare('SELECT * FROM collections WHERE subscription_id = ?').get(subscriptionId) as Row);
  }

  subscriptionCalendar(subscriptionId: number): StoredCollection | null {
    const r = this.db.prepare('SELECT * FROM collections WHERE subscription_id = ?').get(subscriptionId) as Row | undefined;
    return r ? this.collectionFrom(r) : null;
  }

  removeCollection(id: number): void {
    this.db.prepare('DELETE FROM collections WHERE id = ?').run(id);
  }

  /** One collection's sync result, all or nothing. Returns counts of added, changed and deleted items. */
  applyChanges(collectionId: number, changes: CollectionChanges): { added: number; changed: number; deleted: number } {
    return this.transaction(() => {
      const existing = new Map<string, string | null>();
      for (const r of this.db.prepare('SELECT href, etag FROM items WHERE collection_id = ?').all(collectionId) as Row[]) {
        existing.set(String(r.href), r.etag === null ? null : String(r.etag));
      }
      let added = 0;
      let changed = 0;
      let deleted = 0;
      // A new item is inserted plainly (an initial sync's every item: 15% less time in SQLite than the upsert).
      const insertItem = `INSERT INTO items (collection_id, href, etag, data, uid, span_start, span_end, search_text, parse_error)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
      const insert = this.db.prepare(insertItem);
      const upsert = this.db.prepare(`${insertItem}
        ON CONFLICT(collection_id, href) DO UPDATE SET etag = excluded.etag, data = excluded.data, uid = excluded.uid,
          span_start = excluded.span_start, span_end = excluded.span_end, search_text = excluded.search_text, parse_error = excluded.parse_error
        RETURNING id`);
      const delContact = this.db.prepare('DELETE FROM contacts WHERE item_id = ?');
      const putContact = this.db.prepare('INSERT INTO contacts (item_id, collection_id, sort_name, json) VALUES (?, ?, ?, ?)');
      const putFts = this.db.prepare('INSERT INTO contacts_fts (rowid, search) VALUES (?, ?)');
      const seen = new Set<string>();
      // Search rows go in last, together: FTS5 flushes its pending terms whenever another statement of the
      // transaction writes, so interleaving them with the item rows cost 5,000 tiny index segments
      // (a 5,000-card address book: 500 ms instead of 160 ms).
      const search = new Map<number, string>();
      for (const item of changes.upserts) {
        // Named twice in one answer: the second copy replaces the first.
        const repeated = seen.has(item.href);
        seen.add(item.href);
        const known = existing.has(item.href);
        if (!known) added++;
        else if (existing.get(item.href) !== item.etag || item.etag === null) changed++;
        else continue;
        const values = [collectionId, item.href, item.etag, item.data, item.uid, item.spanStart, item.spanEnd, item.searchText, item.parseError] as const;
        const id = known || repeated ? Number((upsert.get(...values) as { id: number }).id) : Number(insert.run(...values).lastInsertRowid);
        if (known || repeated) delContact.run(id);
        if (item.contact) {
          putContact.run(id, collectionId, contactSortKey(item.contact), JSON.stringify(item.contact));
          search.set(id, contactSearchText(item.contact));
        }
      }
      // A member both fetched and reported gone (two answers that disagree) stays: deleting it could lose it.
      const gone = (changes.replaceAll ? [...existing.keys()] : changes.deletes.filter((h) => existing.has(h))).filter((h) => !seen.has(h));
      const delItem = this.db.prepare('DELETE FROM items WHERE collection_id = ? AND href = ? RETURNING id');
      for (const href of gone) {
        if (delItem.get(collectionId, href)) deleted++;
      }
      for (const [id, text] of search) putFts.run(id, text);
      this.db
        .prepare('UPDATE collections SET ctag = ?, sync_token = ?, props = ?, synced_at = ? WHERE id = ?')
        .run(changes.ctag, changes.syncToken, JSON.stringify(changes.props), new Date().toISOString(), collectionId);
      return { added, changed, deleted };
    });
  }

  // --- subscriptions ---

  private subscriptionFrom(r: Row): StoredSubscription {
    return {
      id: Number(r.id),
      url: String(r.url),
      name: r.name === null ? null : String(r.name),
      refreshMinutes: r.refresh_minutes === null ? null : Number(r.refresh_minutes),
      feedRefreshMinutes: r.feed_refresh_minutes === null ? null : Number(r.feed_refresh_minutes),
      etag: r.etag === null ? null : String(r.etag),
      lastModified: r.last_modified === null ? null : String(r.last_modified),
      options: json<SubscriptionOptions>(r.options),
      addedAt: String(r.added_at),
      checkedAt: r.checked_at === null ? null : String(r.checked_at),
      syncedAt: r.synced_at === null ? null : String(r.synced_at),
      lastError: r.last_error === null ? null : json<DavlensError>(r.last_error),
      notes: json<DavlensError[]>(r.notes),
    };
  }

  /** Inserts a subscription (no id) or updates it; returns it as stored. */
  saveSubscription(s: Omit<StoredSubscription, 'id'> & { id?: number }): StoredSubscription {
    const values = [
      canonicalUrl(s.url),
      s.name,
      s.refreshMinutes,
      s.feedRefreshMinutes,
      s.etag,
      s.lastModified,
      JSON.stringify(s.options),
      s.addedAt,
      s.checkedAt,
      s.syncedAt,
      s.lastError ? JSON.stringify(s.lastError) : null,
      JSON.stringify(s.notes),
    ] as const;
    const id =
      s.id === undefined
        ? Number(
            this.db
              .prepare(
                `INSERT INTO subscriptions (url, name, refresh_minutes, feed_refresh_minutes, etag, last_modified, options, added_at, checked_at, synced_at, last_error, notes)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
              )
              .run(...values).lastInsertRowid,
          )
        : (this.db
            .prepare(
              `UPDATE subscriptions SET url = ?, name = ?, refresh_minutes = ?, feed_refresh_minutes = ?, etag = ?, last_modified = ?, options = ?,
          added_at = ?, checked_at = ?, synced_at = ?, last_error = ?, notes = ? WHERE id = ?`,
            )
            .run(...values, s.id),
          s.id);
    return this.subscriptionFrom(this.db.prepare('SELECT * FROM subscriptions WHERE id = ?').get(id) as Row);
  }

  /** By URL in any spelling (stored URLs are canonical, href.ts). */
  getSubscription(url: string): StoredSubscription | null {
    const r = this.db.prepare('SELECT * FROM subscriptions WHERE url = ?').get(canonicalUrl(url)) as Row | undefined;
    return r ? this.subscriptionFrom(r) : null;
  }

  listSubscriptions(): StoredSubscription[] {
    return (this.db.prepare('SELECT * FROM subscriptions ORDER BY id').all() as Row[]).map((r) => this.subscriptionFrom(r));
  }

  /** Removes the subscription and, through foreign keys, its calendar and items. */
  removeSubscription(id: number): boolean {
    return Number(this.db.prepare('DELETE FROM subscriptions WHERE id = ?').run(id).changes) > 0;
  }

  /**
   * The feed moved for good (a permanent redirect): the subscription, its calendar and its items' hrefs (the feed's
   * URL with a fragment each) take the new URL, in one transaction.
   */
  moveSubscription(id: number, to: string): void {
    const url = canonicalUrl(to);
    this.transaction(() => {
      const before = this.db.prepare('SELECT url FROM subscriptions WHERE id = ?').get(id) as Row | undefined;
      if (!before) return;
      const from = String(before.url);
      this.db.prepare('UPDATE subscriptions SET url = ? WHERE id = ?').run(url, id);
      const c = this.subscriptionCalendar(id);
      if (!c) return;
      this.db.prepare(`UPDATE collections SET url = ?, props = json_set(props, '$.url', ?) WHERE id = ?`).run(url, url, c.id);
      this.db
        .prepare(`UPDATE items SET href = ? || substr(href, ?) WHERE collection_id = ? AND substr(href, 1, ?) = ?`)
        .run(url, from.length + 1, c.id, from.length, from);
      // Hidden in the sidebar before, hidden after (the UI's settings name calendars by URL).
      const ui = this.getSetting<{ hiddenCalendars?: unknown }>('ui');
      if (ui && Array.isArray(ui.hiddenCalendars) && ui.hiddenCalendars.includes(from))
        this.setSetting('ui', { ...ui, hiddenCalendars: ui.hiddenCalendars.map((h) => (h === from ? url : h)) });
    });
  }

  // --- items ---

  itemEtags(collectionId: number): Map<string, string | null> {
    const out = new Map<string, string | null>();
    for (const r of this.db.prepare('SELECT href, etag FROM items WHERE collection_id = ?').all(collectionId) as Row[]) {
      out.set(String(r.href), r.etag === null ? null : String(r.etag));
    }
    return out;
  }

  /** The collection's items that could not be read, and why (without their text: a listing names them on every query). */
  unparsable(collectionId: number): { href: string; parseError: string }[] {
    return (
      this.db.prepare('SELECT href, parse_error FROM items WHERE collection_id = ? AND parse_error IS NOT NULL ORDER BY href').all(collectionId) as Row[]
    ).map((r) => ({ href: String(r.href), parseError: String(r.parse_error) }));
  }

  items(collectionId: number): (RawItem & { id: number; parseError: string | null })[] {
    return (this.db.prepare('SELECT id, href, etag, data, parse_error FROM items WHERE collection_id = ? ORDER BY href').all(collectionId) as Row[]).map(
      (r) => ({
        id: Number(r.id),
        href: String(r.href),
        etag: r.etag === null ? null : String(r.etag),
        data: String(r.data),
        parseError: r.parse_error === null ? null : String(r.parse_error),
      }),
    );
  }

  /** By href in any spelling (stored hrefs are canonical, href.ts). */
  getItem(collectionId: number, href: string): (RawItem & { id: number }) | null {
    const r = this.db.prepare('SELECT id, href, etag, data FROM items WHERE collection_id = ? AND href = ?').get(collectionId, canonicalUrl(href)) as
      Row | undefined;
    return r ? { id: Number(r.id), href: String(r.href), etag: r.etag === null ? null : String(r.etag), data: String(r.data) } : null;
  }

  /**
   * Calendar items that may have occurrences in [fromMs, toMs) (wall-clock ms of the window's edges in the
   * viewer's zone, as if that zone were UTC); `search` narrows to items whose text contains it.
   */
  itemsInRange(collectionIds: number[], fromMs: number, toMs: number, search?: string): (RawItem & { id: number; collectionId: number })[] {
    if (collectionIds.length === 0) return [];
    const marks = collectionIds.map(() => '?').join(',');
    const like = search ? `%${escapeLike(search.toLowerCase())}%` : null;
    const rows = this.db
      .prepare(
        `SELECT id, collection_id, href, etag, data FROM items
      WHERE collection_id IN (${marks}) AND parse_error IS NULL AND span_start IS NOT NULL AND span_start < ? AND (span_end IS NULL OR span_end > ?)
        AND (? IS NULL OR search_text LIKE ? ESCAPE '\\')`,
      )
      .all(...collectionIds, toMs, fromMs, like, like) as Row[];
    return rows.map((r) => ({
      id: Number(r.id),
      collectionId: Number(r.collection_id),
      href: String(r.href),
      etag: r.etag === null ? null : String(r.etag),
      data: String(r.data),
    }));
  }

  /**
   * People (no group cards: a group is listed as a group, see app/groups.ts) sorted by name; `search` matches substrings
   * of names, emails, phones (also digits only) and organisations; `hrefs` keeps those cards only (a group's members).
   */
  contacts(
    collectionIds: number[],
    search: string | undefined,
    offset = 0,
    limit = 100_000,
    only: { hrefs?: readonly string[] } = {},
  ): { contacts: Contact[]; total: number } {
    if (collectionIds.length === 0) return { contacts: [], total: 0 };
    const marks = collectionIds.map(() => '?').join(',');
    const q = (search ?? '').trim().toLowerCase();
    let where = `c.collection_id IN (${marks}) AND json_extract(c.json, '$.kind') IS NOT 'group'`;
    const params: (string | number)[] = [...collectionIds];
    if (only.hrefs) {
      where += ` AND json_extract(c.json, '$.href') IN (SELECT value FROM json_each(?))`;
      params.push(JSON.stringify(only.hrefs));
    }
    if (q.length >= 3) {
      // FTS5 trigram: substring match through the index. Quoted as one phrase so user text is never syntax.
      where += ' AND c.item_id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)';
      params.push(`"${q.replace(/"/g, '""')}"`);
    } else if (q.length > 0) {
      // Trigrams need three characters; one or two are matched by a scan (fast enough for 10,000 cards).
      where += " AND c.item_id IN (SELECT rowid FROM contacts_fts WHERE search LIKE ? ESCAPE '\\')";
      params.push(`%${escapeLike(q)}%`);
    }
    const total = Number((this.db.prepare(`SELECT count(*) AS n FROM contacts c WHERE ${where}`).get(...params) as Row).n);
    const rows = this.db
      .prepare(`SELECT c.json FROM contacts c WHERE ${where} ORDER BY c.sort_name, c.item_id LIMIT ? OFFSET ?`)
      .all(...params, limit, offset) as Row[];
    return { contacts: rows.map((r) => json<Contact>(r.json)), total };
  }

  /**
   * Every card of the collections, group cards included, unsorted: what groups are resolved against. `dated` keeps
   * the cards with a birthday or an anniversary.
   */
  contactCards(collectionIds: number[], only: { groups?: boolean; dated?: boolean } = {}): Contact[] {
    if (collectionIds.length === 0) return [];
    const marks = collectionIds.map(() => '?').join(',');
    const filters = [
      only.groups ? `json_extract(json, '$.kind') = 'group'` : null,
      only.dated ? `(json_extract(json, '$.bday') IS NOT NULL OR json_extract(json, '$.anniversary') IS NOT NULL)` : null,
    ].filter(Boolean);
    const rows = this.db
      .prepare(`SELECT json FROM contacts WHERE collection_id IN (${marks})${filters.map((f) => ` AND ${f}`).join('')}`)
      .all(...collectionIds) as Row[];
    return rows.map((r) => json<Contact>(r.json));
  }

  /** The contacts of every address book with the raw card each was read from (to read them again: app/contact-model.ts). */
  storedCards(): { itemId: number; href: string; data: string; addressbook: string }[] {
    const rows = this.db
      .prepare(`SELECT i.id, i.href, i.data, col.props FROM contacts c JOIN items i ON i.id = c.item_id JOIN collections col ON col.id = c.collection_id`)
      .all() as Row[];
    return rows.map((r) => ({
      itemId: Number(r.id),
      href: String(r.href),
      data: String(r.data),
      addressbook: json<{ displayName: string }>(r.props).displayName,
    }));
  }

  /** Replaces a stored contact as read again from its card (its search entry stays: the same fields feed it). */
  rewriteContact(itemId: number, contact: Contact): void {
    this.db.prepare('UPDATE contacts SET json = ?, sort_name = ? WHERE item_id = ?').run(JSON.stringify(contact), contactSortKey(contact), itemId);
  }

  getSetting<T>(key: string): T | null {
    const r = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as Row | undefined;
    return r ? json<T>(r.value) : null;
  }

  setSetting(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }

  /** The collection's items; with `people`, an address book's without its group cards (a group is not a contact). */
  counts(collectionId: number, only: { people?: boolean } = {}): number {
    const groups = only.people ? ` AND id NOT IN (SELECT item_id FROM contacts WHERE collection_id = ? AND json_extract(json, '$.kind') = 'group')` : '';
    const params = only.people ? [collectionId, collectionId] : [collectionId];
    return Number((this.db.prepare(`SELECT count(*) AS n FROM items WHERE collection_id = ?${groups}`).get(...params) as Row).n);
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function contactSearchText(c: Contact): string {
  const phones = c.phones.map((p) => p.value);
  return [
    c.fn,
    c.n.given,
    c.n.family,
    c.n.additional,
    c.org ?? '',
    c.title ?? '',
    ...c.emails.map((e) => e.value),
    ...phones,
    ...phones.map((p) => p.replace(/\D/g, '')),
  ]
    .join(' ')
    .toLowerCase();
}
