// The calendar: a toolbar (today, previous/next, title, date picker, views) and FullCalendar 7 fed per
// visible range from the engine's occurrences. FullCalendar runs in the chosen zone and gets the engine's
// ISO strings with that zone's offsets, so it shows the wall-clock times the engine computed.
// Speed: the ranges next to the one on screen are fetched ahead (previous/next then hand FullCalendar
// its events synchronously, as if they were local), and FullCalendar's props keep their identity so a
// toolbar update never makes it rebuild its events.
import FullCalendar from '@fullcalendar/react';
import type { CalendarRef, DatesSetInfo, EventClickInfo, EventDisplayInfo, EventInput, EventSourceFuncInfo } from '@fullcalendar/react';
import dayGridPlugin from '@fullcalendar/react/daygrid';
import interactionPlugin from '@fullcalendar/react/interaction';
import listPlugin from '@fullcalendar/react/list';
import themePlugin from '@fullcalendar/react/themes/classic';
import timeGridPlugin from '@fullcalendar/react/timegrid';
import '@fullcalendar/react/skeleton.css';
import '@fullcalendar/react/themes/classic/theme.css';
import { memo, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { ReactElement, Ref, RefObject } from 'react';
import type { CalendarView, DavlensClient, OccurrenceQuery, Settings } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import type { Occurrence } from '../../../shared/models.ts';
import { t } from '../i18n/messages.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { calendarColors, toEventInput } from '../lib/events.ts';
import type { OccurrenceProps } from '../lib/events.ts';
import { firstDayOfWeek, uiLocale } from '../lib/locale.ts';
import { neighbourRanges } from '../lib/ranges.ts';
import type { DayRange } from '../lib/ranges.ts';
import { useClient } from '../state/client.tsx';
import { useColorScheme } from '../state/hooks.ts';
import { Icon } from './Icon.tsx';

export type ViewName = Settings['view'];

export const FC_VIEWS: Record<ViewName, string> = {
  month: 'dayGridMonth',
  week: 'timeGridWeek',
  day: 'timeGridDay',
  list: 'listMonth',
};

const VIEW_OF: Record<string, ViewName> = { dayGridMonth: 'month', timeGridWeek: 'week', timeGridDay: 'day', listMonth: 'list' };

export interface CalendarHandle {
  prev(): void;
  next(): void;
  today(): void;
  gotoDate(ymd: string): void;
  setView(view: ViewName): void;
  /** The date the view is at, YYYY-MM-DD in the calendar's zone. */
  currentDate(): string | null;
}

export interface CalendarPaneProps {
  calendars: CalendarView[];
  hiddenCalendars: string[];
  timeZone: string;
  view: ViewName;
  onViewChange: (view: ViewName) => void;
  search: string;
  dataVersion: number;
  onSelect: (occurrence: Occurrence) => void;
  /** Jump here once (e.g. from a search result); a new object re-applies. */
  goto?: { date: string } | null;
  handleRef?: Ref<CalendarHandle>;
  /** Occurrence errors (unparsable items) of the last fetch. */
  onErrors?: (errors: DavlensError[]) => void;
  initialDate?: string;
}

const PLUGINS = [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin, themePlugin];
const EVENT_TIME_FORMAT = { hour: 'numeric', minute: '2-digit' } as const;
const moreLinkText = (n: number): string => t('calendar.more', { count: n });
const moreLinkHint = (n: number): string => t('calendar.moreHint', { count: n });
const CACHE_SIZE = 4;

function whenIdle(fn: () => void): void {
  const w = globalThis as typeof globalThis & { requestIdleCallback?: (cb: () => void, opts?: { timeout: number }) => number };
  if (w.requestIdleCallback) w.requestIdleCallback(fn, { timeout: 1000 });
  else setTimeout(fn, 120);
}

function renderEventContent(arg: EventDisplayInfo): ReactElement {
  const o = (arg.event.extendedProps as OccurrenceProps).occurrence;
  const todo = o?.type === 'todo';
  const done = todo && (o.status ?? '').toUpperCase() === 'COMPLETED';
  const timed = !arg.event.allDay && arg.view.type.startsWith('timeGrid');
  const short = timed && arg.isShort;
  // A short block has room for one line: its start time and title (the block's height shows the end).
  const time = short ? arg.timeText.split(/\s*[–—-]\s*/)[0] : arg.timeText;
  return (
    <span className={timed ? (short ? 'dl-ev dl-ev-short' : 'dl-ev dl-ev-block') : 'dl-ev'}>
      {todo ? <span className={`dl-ev-box${done ? ' dl-ev-box-done' : ''}`} aria-hidden="true" /> : null}
      {time ? <span className="dl-ev-time">{time}</span> : null}
      <span className="dl-ev-title">{arg.event.title}</span>
      {o?.recurring ? <span className="dl-ev-repeat" aria-label={t('calendar.recurring')} role="img" /> : null}
      {todo ? <span className="dl-visually-hidden">, {t('calendar.todo')}</span> : null}
      {(o?.status ?? '').toUpperCase() === 'CANCELLED' ? <span className="dl-visually-hidden">, {t('calendar.cancelled')}</span> : null}
    </span>
  );
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
  if (inputs.visibleUrls.length === 0) return { events: [], errors: [] };
  const r = await client.occurrences(query(inputs, range));
  if (!r.ok) throw Object.assign(new Error(r.error.message), { davlens: r.error });
  const list = r.value.events;
  const events = new Array<EventInput>(list.length);
  for (let i = 0; i < list.length; i++) events[i] = toEventInput(list[i]!, inputs.colors);
  return { events, errors: r.value.errors };
}

interface GridProps {
  calendarRef: RefObject<CalendarRef | null>;
  initialView: string;
  initialDate?: string;
  timeZone: string;
  locale: string;
  firstDay: number;
  scheme: 'light' | 'dark';
  eventSources: { events: (info: EventSourceFuncInfo, ok: (e: EventInput[]) => void, fail: (e: Error) => void) => void }[];
  onEventClick: (info: EventClickInfo) => void;
  onDatesSet: (info: DatesSetInfo) => void;
  onLoading: (loading: boolean) => void;
}

/** FullCalendar with stable options: re-renders only when one of these props really changes. */
const Grid = memo(function Grid(g: GridProps): ReactElement {
  return (
    <FullCalendar
      ref={g.calendarRef}
      plugins={PLUGINS}
      initialView={g.initialView}
      {...(g.initialDate ? { initialDate: g.initialDate } : {})}
      timeZone={g.timeZone}
      locale={g.locale}
      firstDay={g.firstDay}
      headerToolbar={false}
      height="100%"
      eventSources={g.eventSources}
      dayMaxEvents
      eventInteractive
      navLinks
      nowIndicator
      eventContent={renderEventContent}
      eventClick={g.onEventClick}
      datesSet={g.onDatesSet}
      loading={g.onLoading}
      moreLinkText={moreLinkText}
      moreLinkHint={moreLinkHint}
      noEventsText={t('calendar.noEvents')}
      listDayHeaderClass="dl-list-day"
      allDayText={t('calendar.allDay')}
      eventTimeFormat={EVENT_TIME_FORMAT}
      scrollTime="07:30:00"
      slotMinHeight={26}
      eventMinHeight={18}
      eventShortHeight={34}
      colorScheme={g.scheme}
    />
  );
});

export function CalendarPane(p: CalendarPaneProps): ReactElement {
  const client = useClient();
  const ref = useRef<CalendarRef>(null);
  const [title, setTitle] = useState('');
  const [currentDate, setCurrentDate] = useState<string>('');
  const [loading, setLoading] = useState(false);
  const [fetchError, setFetchError] = useState<string | null>(null);
  // The range whose events are on screen (tests and the benchmark wait for it).
  const [loaded, setLoaded] = useState<DayRange | null>(null);
  // Items of the range on screen that could not be read (their neighbours show; say so).
  const [itemErrors, setItemErrors] = useState<DavlensError[]>([]);
  const firstDay = useMemo(() => firstDayOfWeek(), []);
  const locale = useMemo(() => uiLocale(), []);
  const scheme = useColorScheme();

  const visibleUrls = useMemo(() => {
    const hidden = new Set(p.hiddenCalendars);
    return p.calendars.filter((c) => !hidden.has(c.url)).map((c) => c.url);
  }, [p.calendars, p.hiddenCalendars]);
  const colors = useMemo(() => calendarColors(p.calendars), [p.calendars]);

  // The event source reads the latest inputs through a ref, so its identity never changes; a change of
  // inputs starts a new cache and calls refetchEvents() below.
  const inputsKey = JSON.stringify([visibleUrls, [...colors], p.search.trim(), p.timeZone, p.dataVersion]);
  const inputs = useRef<Inputs>({ visibleUrls, colors, search: p.search, tz: p.timeZone, onErrors: p.onErrors });
  inputs.current = { visibleUrls, colors, search: p.search, tz: p.timeZone, onErrors: p.onErrors };
  const cache = useRef(new RangeCache(inputsKey));
  if (cache.current.key !== inputsKey) cache.current = new RangeCache(inputsKey);
  const viewRef = useRef<ViewName>(p.view);

  const prefetch = useCallback(
    (range: DayRange) => {
      const c = cache.current;
      const current = inputs.current;
      for (const next of neighbourRanges(viewRef.current, range, firstDay)) void c.load(next, (r) => fetchRange(client, current, r)).catch(() => undefined);
    },
    [client, firstDay],
  );

  const fetchEvents = useCallback(
    (info: EventSourceFuncInfo, success: (e: EventInput[]) => void, failure: (e: Error) => void) => {
      const range = { from: info.startStr.slice(0, 10), to: info.endStr.slice(0, 10) };
      const c = cache.current;
      const current = inputs.current;
      const deliver = (l: Loaded): void => {
        success(l.events);
        current.onErrors?.(l.errors);
        queueMicrotask(() => {
          setFetchError(null);
          setLoaded(range);
          setItemErrors((prev) => (prev.length === 0 && l.errors.length === 0 ? prev : l.errors));
        });
        // Fetch the neighbours once this range is painted and the main thread is idle.
        whenIdle(() => prefetch(range));
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
    [client, prefetch],
  );
  const eventSources = useMemo(() => [{ events: fetchEvents }], [fetchEvents]);

  // Refetch when what the events depend on changes (not on mount: FullCalendar fetches then itself).
  const lastInputsKey = useRef(inputsKey);
  useEffect(() => {
    if (lastInputsKey.current === inputsKey) return;
    lastInputsKey.current = inputsKey;
    ref.current?.getApi().refetchEvents();
  }, [inputsKey]);

  const api = useCallback(() => ref.current?.getApi() ?? null, []);

  useEffect(() => {
    viewRef.current = p.view;
    const a = api();
    if (a && a.view.type !== FC_VIEWS[p.view]) a.changeView(FC_VIEWS[p.view]);
  }, [p.view, api]);

  useEffect(() => {
    if (p.goto?.date) api()?.gotoDate(p.goto.date);
  }, [p.goto, api]);

  useImperativeHandle(
    p.handleRef,
    () => ({
      prev: () => api()?.prev(),
      next: () => api()?.next(),
      today: () => api()?.today(),
      gotoDate: (ymd: string) => api()?.gotoDate(ymd),
      setView: (v: ViewName) => p.onViewChange(v),
      currentDate: () => {
        const a = api();
        return a ? a.formatIso(a.getDate(), true).slice(0, 10) : null;
      },
    }),
    [api, p],
  );

  // FullCalendar calls these while it renders: React must not see a state update of ours then.
  const onDatesSet = useCallback((info: DatesSetInfo) => {
    const viewTitle = info.view.title;
    const a = info.view.calendar;
    const date = a.formatIso(a.getDate(), true).slice(0, 10);
    viewRef.current = VIEW_OF[info.view.type] ?? viewRef.current;
    queueMicrotask(() => {
      setTitle(viewTitle);
      setCurrentDate(date);
    });
  }, []);
  const onLoading = useCallback((isLoading: boolean) => queueMicrotask(() => setLoading(isLoading)), []);

  const onSelect = p.onSelect;
  const onEventClick = useCallback(
    (info: EventClickInfo) => {
      info.jsEvent.preventDefault();
      const o = (info.event.extendedProps as OccurrenceProps).occurrence;
      if (o) onSelect(o);
    },
    [onSelect],
  );

  // The initial view and date are read once by FullCalendar; later changes go through its API.
  const [initialView] = useState(() => FC_VIEWS[p.view]);
  const [initialDate] = useState(() => p.initialDate);
  const views: ViewName[] = ['month', 'week', 'day', 'list'];
  const noneVisible = p.calendars.length > 0 && visibleUrls.length === 0;

  return (
    <section className="dl-calendar-pane" aria-label={t('nav.calendar')}>
      <div className="dl-toolbar" role="toolbar" aria-label={t('nav.calendar')}>
        <button type="button" className="dl-button" onClick={() => api()?.today()} title={`${t('calendar.today')} (T)`}>
          {t('calendar.today')}
        </button>
        <div className="dl-button-group">
          <button type="button" className="dl-icon-button" aria-label={t('calendar.prev')} title={`${t('calendar.prev')} (←)`} onClick={() => api()?.prev()}>
            <Icon name="chevron-left" />
          </button>
          <button type="button" className="dl-icon-button" aria-label={t('calendar.next')} title={`${t('calendar.next')} (→)`} onClick={() => api()?.next()}>
            <Icon name="chevron-right" />
          </button>
        </div>
        <h2 className="dl-calendar-title" aria-live="polite">
          {title}
        </h2>
        {loading ? <span className="dl-spinner" role="status" aria-label={t('calendar.loading')} /> : null}
        <span className="dl-spacer" />
        <label className="dl-date-picker">
          <span className="dl-visually-hidden">{t('calendar.goto')}</span>
          <input type="date" value={currentDate} onChange={(e) => e.target.value && api()?.gotoDate(e.target.value)} aria-label={t('calendar.goto')} />
        </label>
        <div className="dl-segmented" role="group" aria-label={t('calendar.view')}>
          {views.map((v) => (
            <button
              key={v}
              type="button"
              aria-pressed={p.view === v}
              className={p.view === v ? 'dl-active' : undefined}
              onClick={() => p.onViewChange(v)}
              title={`${t(`calendar.view.${v}` as MessageKey)} (${v[0]!.toUpperCase()})`}
            >
              {t(`calendar.view.${v}` as MessageKey)}
            </button>
          ))}
        </div>
      </div>
      {fetchError ? (
        <p className="dl-notice dl-notice-error" role="alert">
          {fetchError}
        </p>
      ) : null}
      {itemErrors.length ? (
        <details className="dl-notice dl-notice-warn dl-item-errors" role="note">
          <summary>{t('error.items', { count: itemErrors.length })}</summary>
          <ul className="dl-error-list">
            {itemErrors.slice(0, 20).map((e, i) => (
              <li key={i}>
                {e.message}
                {e.href ? <span className="dl-mono dl-muted"> ({e.href})</span> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {noneVisible ? (
        <p className="dl-notice dl-notice-info" role="note">
          {t('calendar.noEvents')}
        </p>
      ) : null}
      <div className="dl-fc-host" data-loading={loading ? 'true' : 'false'} data-loaded-from={loaded?.from} data-loaded-to={loaded?.to}>
        <Grid
          calendarRef={ref}
          initialView={initialView}
          {...(initialDate ? { initialDate } : {})}
          timeZone={p.timeZone}
          locale={locale}
          firstDay={firstDay}
          scheme={scheme}
          eventSources={eventSources}
          onEventClick={onEventClick}
          onDatesSet={onDatesSet}
          onLoading={onLoading}
        />
      </div>
    </section>
  );
}
