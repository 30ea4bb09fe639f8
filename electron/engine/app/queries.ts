// What an account holds, answered from the store: calendars, address books, occurrences in a window
// (expanded in the viewer's zone), contacts with search, exports. The CLI, the API service and the UI all
// read through here, so they give the same answers.
import type { DavlensError } from '../../../shared/errors.ts';
import { davlensError } from '../../../shared/errors.ts';
import { byStart } from '../../../shared/event-search.ts';
import type { AddressBook, Calendar, Contact, Occurrence } from '../../../shared/models.ts';
import { exportAddressBook, exportCalendar, exportEvent } from '../formats/export/index.ts';
import { expandOccurrences, parseCalendarResource, type ParsedCalendarResource } from '../formats/ical/index.ts';
import type { Store, StoredCollection } from '../store/store.ts';
import { parseContactResource } from '../formats/vcard/index.ts';

/** A collection chosen by display name (case-insensitive) or URL (absolute, or its path). */
export function selectCollections<C extends { url: string; props: { displayName: string } }>(
  all: C[],
  wanted: string | undefined,
  what: 'calendar' | 'address book',
): { selected: C[]; error: DavlensError | null } {
  if (!wanted) return { selected: all, error: null };
  const path = (u: string) => {
    try {
      return decodeURIComponent(new URL(u, 'http://x').pathname).replace(/\/+$/, '');
    } catch {
      return u;
    }
  };
  const selected = all.filter((c) => c.props.displayName.toLowerCase() === wanted.toLowerCase() || c.url === wanted || path(c.url) === path(wanted));
  if (selected.length > 0) return { selected, error: null };
  const names = all.map((c) => `"${c.props.displayName}"`).join(', ') || 'none';
  return { selected: [], error: davlensError('not-found', `No ${what} is named or located at "${wanted}". The account has: ${names}.`, 'collections') };
}

function orderCalendars(cals: Calendar[]): Calendar[] {
  return cals.sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity) || a.displayName.localeCompare(b.displayName));
}

export function calendarsIn(store: Store, accountId: string): Calendar[] {
  return orderCalendars(store.listCollections(accountId, 'calendar').map((c) => c.props as Calendar));
}

export function addressBooksIn(store: Store, accountId: string): AddressBook[] {
  return store
    .listCollections(accountId, 'addressbook')
    .map((c) => c.props as AddressBook)
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Parsed resources by item id and ETag: a long-running host parses each item once, not per query. */
export class ParseCache {
  private readonly map = new Map<number, { etag: string | null; data: string; resource: ParsedCalendarResource | null }>();
  private readonly max: number;

  constructor(max = 50_000) {
    this.max = max;
  }

  get(id: number, etag: string | null, data: string, errors: DavlensError[], href: string): ParsedCalendarResource | null {
    const hit = this.map.get(id);
    if (hit && hit.etag === etag && hit.data.length === data.length && (etag !== null || hit.data === data)) return hit.resource;
    const parsed = parseCalendarResource(href, data);
    for (const e of parsed.errors) errors.push(e);
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(id, { etag, data, resource: parsed.resource });
    return parsed.resource;
  }
}

/** Wall-clock milliseconds of a date's midnight, as if the viewer's zone were UTC (the store's span unit). */
export function wallMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export interface OccurrenceWindow {
  from: string;
  to: string;
  tz: string;
  search?: string;
}

export function occurrencesIn(
  store: Store,
  collections: StoredCollection[],
  w: OccurrenceWindow,
  cache: ParseCache = new ParseCache(),
): { events: Occurrence[]; errors: DavlensError[] } {
  const errors: DavlensError[] = [];
  const events: Occurrence[] = [];
  const byId = new Map(collections.map((c) => [c.id, c]));
  const items = store.itemsInRange([...byId.keys()], wallMs(w.from), wallMs(w.to), w.search);
  const grouped = new Map<number, ParsedCalendarResource[]>();
  for (const item of items) {
    const resource = cache.get(item.id, item.etag, item.data, errors, item.href);
    if (!resource) continue;
    const list = grouped.get(item.collectionId) ?? [];
    list.push(resource);
    grouped.set(item.collectionId, list);
  }
  for (const [id, resources] of grouped) {
    const c = byId.get(id)!;
    const out = expandOccurrences(resources, { from: w.from, to: w.to, tz: w.tz }, { displayName: c.props.displayName, url: c.url });
    for (const e of out.errors) errors.push(e);
    // `search` selected items whose title, location or description holds the text (in the store).
    // A loop, not push(...): a spread of more than ~125k arguments overflows the stack.
    for (const o of out.occurrences) events.push(o);
  }
  events.sort(byStart);
  return { events, errors };
}

/** Chronological order across calendars (shared with the UI, which orders search matches the same way). */
export { byStart };

export function contactsIn(
  store: Store,
  collections: StoredCollection[],
  search?: string,
  offset?: number,
  limit?: number,
  hrefs?: readonly string[],
): { contacts: Contact[]; total: number } {
  return store.contacts(
    collections.map((c) => c.id),
    search,
    offset,
    limit,
    hrefs ? { hrefs } : {},
  );
}

/** Items stored unparsable, as errors naming their href (they are kept, raw, for export). */
export function unparsableIn(store: Store, collections: StoredCollection[]): DavlensError[] {
  return collections.flatMap((c) => store.unparsable(c.id).map((i) => davlensError('item-unparsable', i.parseError, 'parse', { url: i.href, href: i.href })));
}

export function exportCollection(store: Store, c: StoredCollection): { content: string; errors: DavlensError[] } {
  const items = store.items(c.id).map((i) => ({ href: i.href, data: i.data }));
  if (c.kind === 'calendar') {
    const out = exportCalendar(items);
    return { content: out.ics, errors: out.errors };
  }
  const out = exportAddressBook(items);
  return { content: out.vcf, errors: out.errors };
}

export function exportItem(store: Store, c: StoredCollection, href: string, uid?: string): { content: string; errors: DavlensError[] } | null {
  const item = store.getItem(c.id, href);
  if (!item) return null;
  if (c.kind === 'calendar') {
    const out = exportEvent({ href: item.href, data: item.data }, uid);
    return { content: out.ics, errors: out.errors };
  }
  const out = exportAddressBook([{ href: item.href, data: item.data }]);
  return { content: out.vcf, errors: out.errors };
}

export function contactPhoto(store: Store, c: StoredCollection, href: string): ReturnType<typeof parseContactResource> | null {
  const item = store.getItem(c.id, href);
  return item ? parseContactResource(item.href, item.data, c.props.displayName) : null;
}
