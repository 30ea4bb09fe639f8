// What an account holds, read live from its servers: calendars, address books, occurrences in a window,
// contacts, exports. One session per call, so discovery's login and cache serve the listing too.
// A collection that fails is reported and the others still answer; a malformed item is skipped and
// reported with its href.
import type { DiscoveryResult } from '../../shared/discovery.ts';
import type { DavlensError } from '../../shared/errors.ts';
import { davlensError } from '../../shared/errors.ts';
import type { AddressBook, AddressBooksResult, Calendar, CalendarsResult, Contact, ContactsResult, EventsResult, Occurrence } from '../../shared/models.ts';
import type { TraceEntry } from '../../shared/trace.ts';
import { checkInput, discoverWith, openAccount, type DiscoverInput, type DiscoveryContext } from './discovery.ts';
import { exportAddressBook, exportCalendar } from './export/index.ts';
import { HttpError } from './http.ts';
import { expandOccurrences, parseCalendarResource, type ParsedCalendarResource } from './ical/index.ts';
import { fetchAllItems, type RawItem } from './items.ts';
import { listAddressBooks, listCalendars } from './collections.ts';
import { parseContactResource } from './vcard/index.ts';

export interface LiveAccount {
  ctx: DiscoveryContext;
  discovery: DiscoveryResult;
}

/** Runs `fn` with a discovered account; errors that stop everything come back in `errors`. */
export async function withLiveAccount<T extends { errors: DavlensError[] }>(
  input: DiscoverInput,
  empty: Omit<T, 'errors'>,
  fn: (account: LiveAccount) => Promise<T>,
  onTrace?: (e: TraceEntry) => void,
): Promise<T> {
  const bad = checkInput(input);
  if (bad) return { ...empty, errors: [bad] } as T;
  const ctx = openAccount(input, onTrace);
  try {
    const discovery = await discoverWith(ctx, input);
    const result = await fn({ ctx, discovery });
    return { ...result, errors: [...discovery.errors, ...result.errors] };
  } catch (e) {
    if (e instanceof HttpError) return { ...empty, errors: [e.error] } as T;
    throw e;
  } finally {
    await ctx.close();
  }
}

async function collect<T>(errors: DavlensError[], work: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof HttpError) {
      errors.push(e.error);
      // A rejected password stops the rest: nothing more may be tried with it.
      if (e.error.code === 'auth-failed' || e.error.code === 'auth-stopped') throw e;
      return fallback;
    }
    throw e;
  }
}

export async function calendarsOf(account: LiveAccount): Promise<CalendarsResult> {
  const errors: DavlensError[] = [];
  const homes = account.discovery.caldav?.homeSets ?? [];
  const calendars = await collect(errors, () => listCalendars(account.ctx.session, homes), []);
  return { calendars, errors };
}

export async function addressBooksOf(account: LiveAccount): Promise<AddressBooksResult> {
  const errors: DavlensError[] = [];
  const homes = account.discovery.carddav?.homeSets ?? [];
  const addressbooks = await collect(errors, () => listAddressBooks(account.ctx.session, homes), []);
  return { addressbooks, errors };
}

/** A collection chosen by display name (case-insensitive) or URL (absolute, or its path). */
export function selectCollections<C extends { url: string; displayName: string }>(all: C[], wanted: string | undefined, what: 'calendar' | 'address book'): { selected: C[]; error: DavlensError | null } {
  if (!wanted) return { selected: all, error: null };
  const path = (u: string) => {
    try {
      return decodeURIComponent(new URL(u, 'http://x').pathname).replace(/\/+$/, '');
    } catch {
      return u;
    }
  };
  const selected = all.filter((c) => c.displayName.toLowerCase() === wanted.toLowerCase() || c.url === wanted || path(c.url) === path(wanted));
  if (selected.length > 0) return { selected, error: null };
  const names = all.map((c) => `"${c.displayName}"`).join(', ') || 'none';
  return { selected: [], error: davlensError('not-found', `No ${what} is named or located at "${wanted}". The account has: ${names}.`, 'collections') };
}

export interface EventQuery {
  from: string;
  to: string;
  tz: string;
  calendar?: string;
}

export async function eventsOf(account: LiveAccount, q: EventQuery): Promise<EventsResult> {
  const listed = await calendarsOf(account);
  const errors = [...listed.errors];
  const { selected, error } = selectCollections(listed.calendars, q.calendar, 'calendar');
  if (error) errors.push(error);
  const events: Occurrence[] = [];
  for (const cal of selected) {
    const items = await collect(errors, () => fetchAllItems(account.ctx.session, cal.url, 'calendar'), null);
    if (!items) continue;
    errors.push(...items.errors);
    const resources = parseCalendarItems(items.items, errors);
    const expanded = expandOccurrences(resources, { from: q.from, to: q.to, tz: q.tz }, { displayName: cal.displayName, url: cal.url });
    errors.push(...expanded.errors);
    events.push(...expanded.occurrences);
  }
  events.sort((a, b) => a.start.localeCompare(b.start) || a.uid.localeCompare(b.uid));
  return { events, errors };
}

export function parseCalendarItems(items: RawItem[], errors: DavlensError[]): ParsedCalendarResource[] {
  const out: ParsedCalendarResource[] = [];
  for (const item of items) {
    const parsed = parseCalendarResource(item.href, item.data);
    errors.push(...parsed.errors);
    if (parsed.resource) out.push(parsed.resource);
  }
  return out;
}

export async function contactsOf(account: LiveAccount, addressbook?: string): Promise<ContactsResult> {
  const listed = await addressBooksOf(account);
  const errors = [...listed.errors];
  const { selected, error } = selectCollections(listed.addressbooks, addressbook, 'address book');
  if (error) errors.push(error);
  const contacts: Contact[] = [];
  for (const book of selected) {
    const items = await collect(errors, () => fetchAllItems(account.ctx.session, book.url, 'addressbook'), null);
    if (!items) continue;
    errors.push(...items.errors);
    for (const item of items.items) {
      const parsed = parseContactResource(item.href, item.data, book.displayName);
      errors.push(...parsed.errors);
      if (parsed.contact) contacts.push(parsed.contact);
    }
  }
  contacts.sort((a, b) => a.fn.localeCompare(b.fn) || a.uid.localeCompare(b.uid));
  return { contacts, errors };
}

export interface ExportResult {
  /** The file content (.ics or .vcf), or null when the collection could not be read. */
  content: string | null;
  kind: 'ics' | 'vcf';
  collection: Calendar | AddressBook | null;
  errors: DavlensError[];
}

export async function exportOf(account: LiveAccount, target: { calendar?: string; addressbook?: string }): Promise<ExportResult> {
  if (target.calendar) {
    const listed = await calendarsOf(account);
    const { selected, error } = selectCollections(listed.calendars, target.calendar, 'calendar');
    const errors = [...listed.errors, ...(error ? [error] : [])];
    const cal = selected[0];
    if (!cal) return { content: null, kind: 'ics', collection: null, errors };
    const items = await collect(errors, () => fetchAllItems(account.ctx.session, cal.url, 'calendar'), null);
    if (!items) return { content: null, kind: 'ics', collection: cal, errors };
    const out = exportCalendar(items.items.map((i) => ({ href: i.href, data: i.data })));
    return { content: out.ics, kind: 'ics', collection: cal, errors: [...errors, ...items.errors, ...out.errors] };
  }
  const listed = await addressBooksOf(account);
  const { selected, error } = selectCollections(listed.addressbooks, target.addressbook, 'address book');
  const errors = [...listed.errors, ...(error ? [error] : [])];
  const book = selected[0];
  if (!book) return { content: null, kind: 'vcf', collection: null, errors };
  const items = await collect(errors, () => fetchAllItems(account.ctx.session, book.url, 'addressbook'), null);
  if (!items) return { content: null, kind: 'vcf', collection: book, errors };
  const out = exportAddressBook(items.items.map((i) => ({ href: i.href, data: i.data })));
  return { content: out.vcf, kind: 'vcf', collection: book, errors: [...errors, ...items.errors, ...out.errors] };
}
