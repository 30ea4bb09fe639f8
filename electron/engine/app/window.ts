// The first view of an account never synced: the occurrences of one window straight from its servers, so a
// person sees the month on screen in about the time of one query per calendar instead of waiting for the full
// sync (issue 15). The calendars are listed without change markers (on Radicale a getctag makes the listing
// read every item), each calendar is asked for what overlaps the window (remote/window.ts), and the answer is
// expanded in the viewer's zone exactly as stored items are (formats/ical).
// Nothing of it is stored: a window is not a collection, and nothing it saw may ever pass for one (no rows, no
// markers). The full sync stores everything afterwards, and the answers from the store replace this one.
import type { DavlensError } from '../../../shared/errors.ts';
import { DavlensFailure } from '../../../shared/errors.ts';
import type { Calendar, Occurrence, RawItem } from '../../../shared/models.ts';
import {
  expandOccurrences,
  parseCalendarResource,
  resourceSearchText,
  resourceSpan,
  textSpan,
  type ParsedCalendarResource,
  type WallSpan,
} from '../formats/ical/index.ts';
import { openRemoteAccount, type RemoteAccount, type RequestMeter } from '../remote/account-remote.ts';
import type { TimeRange } from '../remote/window.ts';
import { spanMeetsRange, type StoredAccount } from '../store/store.ts';
import { byStart, wallMs, type OccurrenceWindow } from './queries.ts';
import type { SyncOptions } from './sync.ts';

type Days = Omit<OccurrenceWindow, 'search'>;

/** One calendar's items that may have occurrences in the window, parsed. */
export interface WindowItems {
  calendar: Calendar;
  resources: ParsedCalendarResource[];
  /** Each resource's wall-clock span (resourceSpan), by index: a calendar fetched whole is mostly other days. */
  spans: WallSpan[];
}

/** What the servers gave for a window: kept in memory only. */
export interface FetchedWindow {
  /** The days asked (in `tz`); any window within them can be expanded from `fetched`. */
  window: Omit<OccurrenceWindow, 'search'>;
  /** The account's calendars as listed now (without change markers). */
  calendars: Calendar[];
  /** The chosen calendars' items, in listing order. */
  fetched: WindowItems[];
  /** Failed listing or calendars, and items that could not be read at all. */
  errors: DavlensError[];
  /** Requests sent (listing included). */
  requests: number;
}

export interface WindowAnswer {
  calendars: Calendar[];
  /** Occurrences of the chosen calendars in the window, in the store's order. */
  events: Occurrence[];
  errors: DavlensError[];
  requests: number;
}

/** Chooses the calendars to ask (all by default); an error names a choice that matched none. */
export type CalendarChoice = (listed: Calendar[]) => { selected: Calendar[]; error: DavlensError | null };

const EVERY_CALENDAR: CalendarChoice = (listed) => ({ selected: listed, error: null });

/**
 * The window padded by a day on each side, as UTC instants: a server compares floating and all-day times in UTC
 * or a zone of its own (RFC 4791 §9.9), and no zone is a day away from UTC. The expansion keeps what is in the
 * window in the viewer's zone.
 */
export function paddedRange(w: Pick<OccurrenceWindow, 'from' | 'to'>): TimeRange {
  const DAY = 86_400_000;
  return { start: new Date(Date.parse(`${w.from}T00:00:00Z`) - DAY), end: new Date(Date.parse(`${w.to}T00:00:00Z`) + DAY) };
}

export interface WindowOptions {
  choose?: CalendarChoice;
  /**
   * How many calendars whose window needs the whole calendar (quirks.ts) are fetched whole, in listing order; the
   * others are left to the sync that follows. The CLI answers and is done: all of them. The app: the first, so the
   * month shows in about one query's time (Radicale, quirk slow-time-range: bench:ui's first month); its sync then
   * fetches that calendar again, and each more would make the sync wait longer than it saves.
   */
  wholeCalendars: number;
}

/** The window's items from the servers of `account`; nothing is stored. */
export function fetchWindow(
  account: StoredAccount,
  opts: Pick<SyncOptions, 'connection' | 'onTrace' | 'opened'>,
  window: Omit<OccurrenceWindow, 'search'>,
  how: WindowOptions,
): Promise<FetchedWindow> {
  const homes = { calendarHomes: account.caldav?.homeSets ?? [], addressbookHomes: [], scheduling: account.caldav?.scheduling ?? [] };
  return windowFrom(openRemoteAccount(opts.connection, homes, { onTrace: opts.onTrace, opened: opts.opened }), window, how);
}

/** The window's items through `remote`, which it closes at the end. */
export async function windowFrom(
  remote: RemoteAccount,
  window: Omit<OccurrenceWindow, 'search'>,
  how: WindowOptions = { wholeCalendars: Infinity },
): Promise<FetchedWindow> {
  const meter = { requests: 0, bytes: 0 };
  const errors: DavlensError[] = [];
  try {
    const listing = await remote.listCollections({ ctag: false, syncToken: false }, meter);
    const { selected, error } = (how.choose ?? EVERY_CALENDAR)(listing.calendars);
    if (error) errors.push(error);
    const fetched = await fetchEach(remote, selected, window, how.wholeCalendars, meter, errors);
    return { window, calendars: listing.calendars, fetched, errors, requests: meter.requests };
  } catch (e) {
    if (!(e instanceof DavlensFailure)) throw e;
    return { window, calendars: [], fetched: [], errors: [e.error], requests: meter.requests };
  } finally {
    await remote.close();
  }
}

/**
 * Every calendar's window asked at once (the lane sends them in order), each parsed as it comes; a calendar left
 * to the sync (beyond `wholeCalendars` of those whose window needs the whole calendar) is not among them.
 */
async function fetchEach(
  remote: RemoteAccount,
  calendars: Calendar[],
  days: Days,
  wholeCalendars: number,
  meter: RequestMeter,
  errors: DavlensError[],
): Promise<WindowItems[]> {
  const takenWhole = new Set(calendars.filter((c) => remote.windowNeedsWhole(c)).slice(0, wholeCalendars));
  const range = paddedRange(days);
  const fetches = calendars.map((c) => remote.fetchWindow(c, range, meter, takenWhole.has(c)));
  for (const f of fetches) f.catch(() => undefined);
  const fetched: WindowItems[] = [];
  for (const [i, calendar] of calendars.entries()) {
    let got: { items: RawItem[]; errors: DavlensError[] } | null;
    try {
      got = await fetches[i]!;
    } catch (e) {
      // One calendar's failure leaves the others shown.
      if (!(e instanceof DavlensFailure)) throw e;
      errors.push(e.error);
      continue;
    }
    if (!got) continue;
    errors.push(...got.errors);
    const resources = readable(got.items, days, errors);
    fetched.push({ calendar, resources, spans: resources.map(resourceSpan) });
  }
  return fetched;
}

/**
 * The items that may have occurrences in `days`, parsed; one that cannot be read at all is named, as the store names
 * it. Most of a calendar fetched whole is other days: an item whose text alone bounds it outside them (textSpan: a
 * plain event, or a series that starts after them or whose UNTIL is before them) is left out unread, its faults with
 * it (the sync reports those). bench:ui's first month: 872 of Family's 3,333 items parsed, in 39-45 ms instead of
 * 69-82 (the scan included), the same 1,764 occurrences; the window in 293-305 ms instead of 326-352 (4 interleaved
 * runs each, in the web host's engine). Series bounded as well: 637 parsed, 30 ms instead of 34 on a fresh process.
 */
function readable(items: RawItem[], days: Days, errors: DavlensError[]): ParsedCalendarResource[] {
  const [fromMs, toMs] = [wallMs(days.from), wallMs(days.to)];
  const out: ParsedCalendarResource[] = [];
  for (const item of items) {
    const bound = textSpan(item.data);
    if (bound && !spanMeetsRange(bound, fromMs, toMs)) continue;
    const parsed = parseCalendarResource(item.href, item.data);
    if (parsed.resource) out.push(parsed.resource);
    else errors.push(...parsed.errors.slice(0, 1));
  }
  return out;
}

/** Whether `w` lies within the days fetched (same zone): it can then be expanded from them. */
export function covers(f: FetchedWindow, w: Omit<OccurrenceWindow, 'search'>): boolean {
  return f.window.tz === w.tz && f.window.from <= w.from && w.to <= f.window.to;
}

/**
 * Occurrences of fetched calendars in `w` (within the days fetched), those matching `search` as the store's
 * search would (title, location, description), in the store's order.
 */
export function windowEvents(fetched: WindowItems[], w: OccurrenceWindow): { events: Occurrence[]; errors: DavlensError[] } {
  const needle = w.search?.toLowerCase();
  const [fromMs, toMs] = [wallMs(w.from), wallMs(w.to)];
  const events: Occurrence[] = [];
  const errors: DavlensError[] = [];
  for (const { calendar, resources, spans } of fetched) {
    // The items the store's range query would give for these days (a month of a 3,334-event calendar fetched whole:
    // 491 items, expanded in 43 ms instead of 105 on the engine's first call), those matching the search.
    const matching = resources.filter((r, i) => spanMeetsRange(spans[i]!, fromMs, toMs) && (!needle || resourceSearchText(r).includes(needle)));
    const out = expandOccurrences(matching, w, { displayName: calendar.displayName, url: calendar.url });
    for (const o of out.occurrences) events.push(o);
    errors.push(...out.errors);
  }
  events.sort(byStart);
  return { events, errors };
}
