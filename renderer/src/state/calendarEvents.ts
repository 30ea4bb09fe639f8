// The calendar's events: one FullCalendar event source fed from the engine's occurrences per visible range,
// with a small cache of ranges so previous/next are served at once, and the neighbours fetched ahead.
import type { EventInput, EventSourceFuncInfo } from '@fullcalendar/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { DavlensClient, OccurrenceQuery, Settings } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import type { Occurrence } from '../../../shared/models.ts';
import { calendarColors, toEventInput } from '../lib/events.ts';
import type { CalendarSource } from '../lib/events.ts';
import { neighbourRanges } from '../lib/ranges.ts';
import type { DayRange } from '../lib/ranges.ts';
import { useClient } from './client.tsx';

const CACHE_SIZE = 4;

function whenIdle(fn: () => void): void {
  const w = globalThis as typeof globalThis & { requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number };
  if (w.requestIdleCallback) w.requestIdleCallback(fn, { timeout: 1000 });
  else setTimeout(fn, 120);
}

interface Inputs {
  visibleUrls: string[];
  colors: Map<string, string>;
  search: string;
  tz: string;
  onErrors?: (errors: DavlensError[]) => void;
}

interface Loaded {
  events: EventInput[];
  errors: DavlensError[];
  /** The engine's occurrences the events were made from. */
  occurrences: Occurrence[];
  /** Some came from a new account's first window (its full sync waits until they are drawn: windowDrawn). */
  partial: boolean;
}

/** Fetched (or fetching) ranges for one set of inputs; cleared when the inputs change. */
class RangeCache {
  private entries = new Map<string, Promise<Loaded>>();
  private done = new Map<string, Loaded>();

  constructor(readonly key: string) {}

  get(range: DayRange): Loaded | undefined {
    return this.done.get(`${range.from}/${range.to}`);
  }

  load(range: DayRange, fetch: (r: DayRange) => Promise<Loaded>): Promise<Loaded> {
    const k = `${range.from}/${range.to}`;
    let p = this.entries.get(k);
    if (!p) {
      p = fetch(range).then((l) => {
        this.done.set(k, l);
        return l;
      });
      p.catch(() => this.entries.delete(k));
      this.entries.set(k, p);
    } else {
      // Most recently used last.
      this.entries.delete(k);
      this.entries.set(k, p);
    }
    while (this.entries.size > CACHE_SIZE) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.done.delete(oldest);
    }
    return p;
  }
}

function query(inputs: Inputs, range: DayRange): OccurrenceQuery {
  const search = inputs.search.trim();
  return { from: range.from, to: range.to, tz: inputs.tz, calendarUrls: inputs.visibleUrls, ...(search ? { search } : {}) };
}

async function fetchRange(client: DavlensClient, inputs: Inputs, range: DayRange): Promise<Loaded> {
  if (inputs.visibleUrls.length === 0) return { events: [], errors: [], occurrences: [], partial: false };
  const r = await client.occurrences(query(inputs, range));
  if (!r.ok) throw Object.assign(new Error(r.error.message), { davlens: r.error });
  const list = r.value.events;
  const events = new Array<EventInput>(list.length);
  for (let i = 0; i < list.length; i++) events[i] = toEventInput(list[i]!, inputs.colors);
  return { events, errors: r.value.errors, occurrences: list, partial: r.value.partial };
}

const signatures = new WeakMap<Loaded, string>();

/**
 * What the page shows of a read, as text: two reads with one signature look the same. Not whether the answer was
 * partial (a first window's or the store's): the page shows both alike. Made only when asked (a busy month's is 0.8 MB).
 */
function signature(l: Loaded): string {
  let s = signatures.get(l);
  if (s === undefined) {
    s = JSON.stringify([l.occurrences, l.errors]);
    signatures.set(l, s);
  }
  return s;
}

type EventSource = { events: (info: EventSourceFuncInfo, ok: (e: EventInput[]) => void, fail: (e: Error) => void) => void };

export interface EventSourceOptions {
  /** The accounts' calendars and the subscriptions. */
  calendars: CalendarSource[];
  hiddenCalendars: string[];
  search: string;
  timeZone: string;
  dataVersion: number;
  /** A sync is running: no neighbouring ranges are fetched ahead (the engine is busy, and they would be stale). */
  syncing?: boolean;
  onErrors?: (errors: DavlensError[]) => void;
  /** The view on screen, for which neighbouring ranges to fetch ahead. */
  viewRef: RefObject<Settings['view']>;
  firstDay: number;
  /** Told to refetch when what the events depend on changes. */
  refetch: () => void;
}

export interface CalendarEvents {
  /** FullCalendar's event sources: the same array for the pane's whole life. */
  eventSources: EventSource[];
  visibleUrls: string[];
  fetchError: string | null;
  /** The range whose events are on screen (tests and the benchmark wait for it). */
  loaded: DayRange | null;
  /** Items of the range on screen that could not be read (their neighbours show; say so). */
  itemErrors: DavlensError[];
}

export function useCalendarEvents(o: EventSourceOptions): CalendarEvents {
  const client = useClient();
  const [fetchError, setFetchError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<DayRange | null>(null);
  const [itemErrors, setItemErrors] = useState<DavlensError[]>([]);
  const visibleUrls = useMemo(() => {
    const hidden = new Set(o.hiddenCalendars);
    return o.calendars.filter((c) => !hidden.has(c.url)).map((c) => c.url);
  }, [o.calendars, o.hiddenCalendars]);
  const colors = useMemo(() => calendarColors(o.calendars), [o.calendars]);

  // The event source reads the latest inputs through a ref, so its identity never changes; a change of
  // inputs starts a new cache, and useOnInputsChange below refetches (or, for a change of the store alone, reads
  // the range on screen and refetches only if it reads differently).
  const viewKey = JSON.stringify([visibleUrls, [...colors], o.search.trim(), o.timeZone]);
  const inputsKey = `${viewKey}/${String(o.dataVersion)}`;
  const inputs = useRef<Inputs>({ visibleUrls, colors, search: o.search, tz: o.timeZone, onErrors: o.onErrors });
  inputs.current = { visibleUrls, colors, search: o.search, tz: o.timeZone, onErrors: o.onErrors };
  const cache = useRef(new RangeCache(inputsKey));
  if (cache.current.key !== inputsKey) cache.current = new RangeCache(inputsKey);
  const { viewRef, firstDay } = o;
  const syncing = useRef(o.syncing === true);
  syncing.current = o.syncing === true;

  /** What FullCalendar shows: the range and the read it came from. */
  const shown = useRef<{ range: DayRange; loaded: Loaded } | null>(null);

  // Fetch the neighbours once a range is painted and the main thread is idle; during a sync, after it (its end
  // refreshes the views, which comes back here).
  const readAhead = useCallback(
    (range: DayRange) =>
      whenIdle(() => {
        if (syncing.current) return;
        const c = cache.current;
        const current = inputs.current;
        for (const next of neighbourRanges(viewRef.current, range, firstDay)) void c.load(next, (r) => fetchRange(client, current, r)).catch(() => undefined);
      }),
    [client, firstDay, viewRef],
  );

  const fetchEvents = useCallback(
    (info: EventSourceFuncInfo, success: (e: EventInput[]) => void, failure: (e: Error) => void) => {
      const range = { from: info.startStr.slice(0, 10), to: info.endStr.slice(0, 10) };
      const c = cache.current;
      const current = inputs.current;
      const deliver = (l: Loaded): void => {
        shown.current = { range, loaded: l };
        success(l.events);
        current.onErrors?.(l.errors);
        queueMicrotask(() => {
          setFetchError(null);
          setLoaded(range);
          setItemErrors((prev) => (prev.length === 0 && l.errors.length === 0 ? prev : l.errors));
        });
        // A first window: drawn once the page is idle again, and the engine may start the full sync behind it now. Its
        // neighbours are not read ahead: they would come from the servers again, while that sync (on the same server)
        // makes them stale within seconds (bench:ui: it stored 2.17 -> 2.11 s, medians of 7 interleaved runs).
        if (l.partial) whenIdle(() => void client.windowDrawn());
        else readAhead(range);
      };
      const ready = c.get(range);
      if (ready) {
        // Already here: FullCalendar gets the events within this call, in the same render.
        deliver(ready);
        return;
      }
      c.load(range, (r) => fetchRange(client, current, r)).then(deliver, (e: Error) => {
        queueMicrotask(() => setFetchError(e.message));
        failure(e);
      });
    },
    [client, readAhead],
  );
  const eventSources = useMemo(() => [{ events: fetchEvents }], [fetchEvents]);

  useOnInputsChange(viewKey, inputsKey, (onlyStore) => {
    const on = shown.current;
    if (!onlyStore || !on) {
      o.refetch();
      return;
    }
    // Only the store changed: the range on screen is read again, and drawn again only if it reads differently. A sync
    // that stores what is on screen already (the end of every sync; a full sync storing the calendar a first window
    // showed) then costs the page no layout: a busy month's (1,764 occurrences) takes its thread about 0.2 s.
    const current = inputs.current;
    cache.current
      .load(on.range, (r) => fetchRange(client, current, r))
      .then(
        (l) => {
          if (shown.current !== on) return; // The view moved meanwhile; FullCalendar asked for its new range itself.
          if (signature(l) !== signature(on.loaded)) o.refetch();
          else readAhead(on.range);
        },
        () => o.refetch(),
      );
  });

  return { eventSources, visibleUrls, fetchError, loaded, itemErrors };
}

/**
 * Calls `changed` when what the events depend on changes (not on mount: FullCalendar fetches then itself), saying
 * whether only the store's data did (not the calendars shown, their colours, the search or the zone).
 */
function useOnInputsChange(viewKey: string, inputsKey: string, changed: (onlyStore: boolean) => void): void {
  const last = useRef({ inputsKey, viewKey });
  const latest = useRef(changed);
  latest.current = changed;
  useEffect(() => {
    const was = last.current;
    if (was.inputsKey === inputsKey) return;
    last.current = { inputsKey, viewKey };
    latest.current(was.viewKey === viewKey);
  }, [inputsKey, viewKey]);
}
