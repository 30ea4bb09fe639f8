// Subscribed calendars (webcal and ICS feeds): added by URL, refreshed politely, kept in the store as a read-only
// calendar of their own (a collection owned by the subscription), so every query, search and export reads them
// as it reads an account's calendars. A refresh is one conditional GET (an unchanged feed costs one 304); a new
// copy replaces the stored one in one transaction, and a copy that cannot be read leaves the last good one.
import { createHash } from 'node:crypto';
import type { DavlensError } from '../../../shared/errors.ts';
import { DavlensFailure, davlensError, errorOf } from '../../../shared/errors.ts';
import { canonicalUrl } from '../../../shared/href.ts';
import type { Calendar, Subscription } from '../../../shared/models.ts';
import type { TraceEntry } from '../../../shared/trace.ts';
import type { SyncCollectionReport } from '../../../shared/api.ts';
import { FeedError } from '../formats/ical/feed.ts';
import { feedCopy, type FeedCopy } from './feed-copy.ts';
import { fetchFeed, type FeedAnswer, type FeedConnection, type FeedValidators } from '../remote/feed.ts';
import type { RequestMeter } from '../remote/account-remote.ts';
import type { Store, StoredSubscription } from '../store/store.ts';
import type { HostConnection } from './engine.ts';

/** A feed's own interval is never followed more often than this (the user may choose any). */
export const MIN_FEED_REFRESH_MINUTES = 15;
export const DEFAULT_REFRESH_MINUTES = 24 * 60;

/** Colours for a feed that names none, chosen by its URL (the same feed gets the same colour). */
const PALETTE = ['#3b7dd8', '#2e9d6a', '#c2410c', '#8b5cf6', '#be185d', '#0e7490', '#a16207', '#4d7c0f'];

/** The URL a feed is fetched from and stored as: webcal(s) is https (Apple's and Google's webcal is https). */
export function feedUrl(input: string): string {
  const text = input.trim().replace(/^webcals?:\/\//i, 'https://');
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new DavlensFailure(davlensError('bad-input', `"${input}" is not a URL.`, 'input'));
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new DavlensFailure(davlensError('bad-input', `${input} is not a webcal, webcals, https or http URL.`, 'input'));
  if (u.username || u.password)
    throw new DavlensFailure(davlensError('bad-input', 'A feed URL carrying user:password@ is refused: give the user name and password apart.', 'input'));
  u.hash = '';
  return canonicalUrl(u);
}

/** How often the subscription is refreshed, in minutes. */
export function refreshMinutesOf(s: StoredSubscription): number {
  if (s.refreshMinutes !== null) return s.refreshMinutes;
  if (s.feedRefreshMinutes !== null) return Math.max(MIN_FEED_REFRESH_MINUTES, s.feedRefreshMinutes);
  return DEFAULT_REFRESH_MINUTES;
}

/** Due for a refresh: never tried, or tried an interval ago or more. */
export function isDue(s: StoredSubscription, now = Date.now()): boolean {
  return s.checkedAt === null || now - Date.parse(s.checkedAt) >= refreshMinutesOf(s) * 60_000;
}

export function subscriptionOf(store: Store, s: StoredSubscription): Subscription {
  const props = store.subscriptionCalendar(s.id)?.props as Calendar | undefined;
  return {
    url: s.url,
    name: props?.displayName ?? nameOf(s, null),
    color: props?.color ?? chosenColor(s.url),
    refreshMinutes: refreshMinutesOf(s),
    syncedAt: s.syncedAt,
    notes: s.notes,
  };
}

export interface SubscribeInput {
  url: string;
  name?: string;
  refreshMinutes?: number;
  user?: string;
  insecureHttp?: boolean;
}

export interface RefreshOutcome {
  subscription: StoredSubscription | null;
  /** The refresh's error (the last good copy stays), what the feed breaks (feed-defect), unreadable items. */
  errors: DavlensError[];
  /** Items added, changed and deleted by a new copy (all 0 for an unchanged feed); null when the refresh failed. */
  counts: { added: number; changed: number; deleted: number } | null;
  /** What the refresh cost: round trips, bytes received, milliseconds. */
  cost: { requests: number; bytes: number; ms: number };
}

/** A refresh and its report as a sync reports a collection's (`accountId` is the feed's URL). */
export type Refreshed = RefreshOutcome & { report: SyncCollectionReport };

/** A subscription as refresh takes it: one in the store, or a new one (no id) that is stored only if its feed reads. */
type SubscriptionDraft = Omit<StoredSubscription, 'id'> & { id?: number };

export interface FeedHooks {
  onTrace?: (e: TraceEntry) => void;
  /** The clock a refresh is stamped by (checkedAt, syncedAt): the background runs' own, so "due" is read on one clock. */
  now?: () => number;
  /** The worker entry that reads a large copy (off-thread.ts; the desktop bundle has its own). */
  readerWorker?: string | URL;
}

/**
 * Adds the subscription (or updates the one at that URL) and fetches its feed. A new one whose first fetch fails is
 * not added: the answer says why.
 */
export async function subscribe(
  store: Store,
  input: SubscribeInput,
  password: string | undefined,
  host: HostConnection,
  hooks: FeedHooks = {},
): Promise<Refreshed> {
  const url = feedUrl(input.url);
  const owner = store.getCollectionByUrl(url);
  if (owner && owner.accountId !== null)
    throw new DavlensFailure(
      davlensError('bad-input', `${url} is a calendar of the account ${owner.accountId} already: it is synced with that account.`, 'input', { url }),
    );
  const previous = store.getSubscription(url);
  const options = {
    ...(previous?.options ?? {}),
    ...(input.user !== undefined ? { user: input.user } : {}),
    ...(input.insecureHttp ? { insecureHttp: true } : {}),
  };
  const draft: SubscriptionDraft = {
    ...(previous ? { id: previous.id } : {}),
    url,
    name: input.name?.trim() || previous?.name || null,
    refreshMinutes: input.refreshMinutes ?? previous?.refreshMinutes ?? null,
    feedRefreshMinutes: previous?.feedRefreshMinutes ?? null,
    etag: previous?.etag ?? null,
    lastModified: previous?.lastModified ?? null,
    options,
    addedAt: previous?.addedAt ?? new Date().toISOString(),
    checkedAt: previous?.checkedAt ?? null,
    syncedAt: previous?.syncedAt ?? null,
    lastError: previous?.lastError ?? null,
    notes: previous?.notes ?? [],
  };
  return refresh(store, draft, password, host, hooks);
}

/** Fetches the feed (conditionally on the last copy) and stores what changed. */
export async function refresh(
  store: Store,
  s: SubscriptionDraft,
  password: string | undefined,
  host: HostConnection,
  hooks: FeedHooks = {},
): Promise<Refreshed> {
  const out = await refreshCopy(store, s, password, host, hooks);
  const now = out.subscription;
  return {
    ...out,
    report: {
      accountId: now?.url ?? s.url,
      url: now?.url ?? s.url,
      displayName: now ? subscriptionOf(store, now).name : (s.name ?? s.url),
      kind: 'calendar',
      ...(out.counts ?? { added: 0, changed: 0, deleted: 0 }),
      ...out.cost,
      // What a feed breaks is no failure of the refresh.
      error: out.errors.find((e) => e.code !== 'feed-defect') ?? null,
    },
  };
}

async function refreshCopy(store: Store, s: SubscriptionDraft, password: string | undefined, host: HostConnection, hooks: FeedHooks): Promise<RefreshOutcome> {
  const checkedAt = new Date(hooks.now?.() ?? Date.now()).toISOString();
  const connection: FeedConnection = {
    ...host,
    server: s.url,
    user: s.options.user,
    password: s.options.user !== undefined ? password : undefined,
    basicOrigins: s.options.basicOrigins,
    insecureHttp: s.options.insecureHttp === true || host.insecureHttp === true,
  };
  const stored = s.id !== undefined && store.subscriptionCalendar(s.id) !== null;
  const started = performance.now();
  const meter = { requests: 0, bytes: 0 };
  const cost = () => ({ ...meter, ms: Math.round(performance.now() - started) });
  // Moved for good: the subscription follows, unless another one has that URL already (both stay as they are).
  const movedTo = (answer: FeedAnswer) =>
    answer.movedTo !== null && canonicalUrl(answer.movedTo) !== s.url && store.getSubscription(answer.movedTo) === null ? canonicalUrl(answer.movedTo) : null;
  let got: { answer: FeedAnswer; copy: FeedCopy | null };
  try {
    got = await fetchAndRead(connection, stored ? s : { etag: null, lastModified: null }, meter, hooks, (answer) => movedTo(answer) ?? s.url);
  } catch (e) {
    const error =
      e instanceof FeedError
        ? davlensError('bad-response', `The feed at ${s.url} could not be read: ${e.message}.${stored ? ' The last good copy is kept.' : ''}`, 'feed', {
            url: s.url,
          })
        : errorOf(e, 'Fetching the feed', 'feed');
    if (s.id === undefined) return { subscription: null, errors: [error], counts: null, cost: cost() };
    return { subscription: store.saveSubscription({ ...s, checkedAt, lastError: error }), errors: [error], counts: null, cost: cost() };
  }
  const { answer, copy } = got;
  const target = movedTo(answer);
  // A new copy's notes replace the last one's; an unchanged feed (304) keeps them.
  const notes = copy ? defectsOf(target ?? s.url, copy.feed) : s.notes;
  return store.transaction(() => {
    const validators = answer.changed ? { ...answer.validators, feedRefreshMinutes: copy?.feed.refreshMinutes ?? null } : {};
    const options = answer.basicOrigins.length > 0 ? { ...s.options, basicOrigins: answer.basicOrigins } : s.options;
    const saved = store.saveSubscription({ ...s, options, checkedAt, syncedAt: checkedAt, lastError: null, notes, ...validators });
    if (target) store.moveSubscription(saved.id, target);
    const current = (target ? store.getSubscription(target) : null) ?? saved;
    if (!copy) {
      keepUserName(store, current);
      return { subscription: current, errors: [], counts: { added: 0, changed: 0, deleted: 0 }, cost: cost() };
    }
    return { ...storeCopy(store, current, copy), cost: cost() };
  });
}

/** The feed's answer, and its new copy read into rows (null when unchanged); a copy that is no calendar is a FeedError. */
async function fetchAndRead(
  connection: FeedConnection,
  validators: FeedValidators,
  meter: RequestMeter,
  hooks: FeedHooks,
  urlAfter: (answer: FeedAnswer) => string,
): Promise<{ answer: FeedAnswer; copy: FeedCopy | null }> {
  const answer = await fetchFeed(connection, validators, meter, hooks.onTrace);
  if (!answer.changed) return { answer, copy: null };
  if (answer.html) throw new FeedError('it is an HTML page, not a calendar');
  return { answer, copy: await feedCopy(urlAfter(answer), answer.text, hooks.readerWorker) };
}

/** Replaces the stored copy with the new one (feed-copy.ts). */
function storeCopy(store: Store, s: StoredSubscription, { feed, rows }: FeedCopy): Omit<RefreshOutcome, 'cost'> {
  const previous = store.subscriptionCalendar(s.id)?.props as Calendar | undefined;
  const props: Calendar = {
    url: s.url,
    displayName: nameOf(s, feed),
    color: feed.color ?? previous?.color ?? chosenColor(s.url),
    order: null,
    components: feed.components.length > 0 ? feed.components : ['VEVENT'],
    ctag: null,
    syncToken: null,
    readOnly: true,
    description: feed.description,
  };
  const calendar = store.upsertSubscriptionCalendar(s.id, props);
  const counts = store.applyChanges(calendar.id, { upserts: rows, deletes: [], replaceAll: true, ctag: null, syncToken: null, props });
  const errors = [
    ...s.notes,
    ...rows.filter((r) => r.parseError).map((r) => davlensError('item-unparsable', r.parseError!, 'parse', { url: r.href, href: r.href })),
  ];
  return { subscription: s, errors, counts };
}

/** What the copy breaks and how it is shown, as errors (feed-defect): kept with the subscription until the next copy. */
function defectsOf(url: string, feed: FeedCopy['feed']): DavlensError[] {
  return feed.notes.map((note) => davlensError('feed-defect', `The feed at ${url}: ${note}.`, 'parse', { url }));
}

/** An unchanged feed keeps its stored copy; a name the user gave meanwhile (subscribe --name) is its calendar's now. */
function keepUserName(store: Store, s: StoredSubscription): void {
  const calendar = store.subscriptionCalendar(s.id);
  const props = calendar?.props as Calendar | undefined;
  if (props && s.name && props.displayName !== s.name) store.upsertSubscriptionCalendar(s.id, { ...props, displayName: s.name });
}

/** The user's name, else the feed's, else the URL's last segment (percent-decoded, without a calendar file's extension). */
function nameOf(s: StoredSubscription, feed: FeedCopy['feed'] | null): string {
  if (s.name) return s.name;
  if (feed?.name) return feed.name;
  const u = new URL(s.url);
  const segment = u.pathname.split('/').filter(Boolean).pop();
  if (!segment) return u.hostname;
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A stray % (no escape): the segment as it is written.
  }
  // "/My%20Rota.ics" is "My Rota", as calendar apps name a subscription; a bare ".ics" stays a name.
  return decoded.replace(/(?<=.)\.(ics|ical|ifb)$/i, '');
}

function chosenColor(url: string): string {
  return PALETTE[createHash('sha256').update(url).digest()[0]! % PALETTE.length]!;
}

/** Renames the subscription (its calendar's display name at once) or sets its refresh interval. */
export function updateSubscription(store: Store, url: string, patch: { name?: string; refreshMinutes?: number | null }): StoredSubscription {
  const s = store.getSubscription(feedUrl(url));
  if (!s) throw notSubscribed(url);
  const saved = store.saveSubscription({
    ...s,
    ...(patch.name !== undefined ? { name: patch.name.trim() || null } : {}),
    ...(patch.refreshMinutes !== undefined ? { refreshMinutes: patch.refreshMinutes } : {}),
  });
  keepUserName(store, saved);
  return saved;
}

export function notSubscribed(url: string): DavlensFailure {
  return new DavlensFailure(davlensError('not-found', `There is no subscription to ${url}: add it with \`davlens subscribe ${url}\`.`, 'input', { url }));
}
