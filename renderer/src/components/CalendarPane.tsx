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
import type { Settings } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import type { Occurrence } from '../../../shared/models.ts';
import { t } from '../i18n/messages.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { contactDate, occurrenceKey } from '../lib/events.ts';
import type { CalendarSource, OccurrenceProps } from '../lib/events.ts';
import { firstDayOfWeek, uiLocale } from '../lib/locale.ts';
import { useCalendarEvents } from '../state/calendarEvents.ts';
import { useColorScheme } from '../state/hooks.ts';
import { Icon } from './Icon.tsx';
import type { IconName } from './Icon.tsx';
import { ErrorNotice } from './Notice.tsx';
import { TimedEventText } from './TimedEventText.tsx';

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

/** The days the grid shows (YYYY-MM-DD, `end` exclusive) and the date it is at, for the sidebar's mini-month. */
export interface VisibleRange {
  start: string;
  end: string;
  date: string;
}

export interface CalendarPaneProps {
  /** The accounts' calendars and the subscriptions (hidden ones are left out by `hiddenCalendars`). */
  calendars: CalendarSource[];
  hiddenCalendars: string[];
  timeZone: string;
  view: ViewName;
  /** ISO week numbers beside the weeks (a setting). */
  weekNumbers?: boolean;
  /** The grid moved to other days. */
  onRangeChange?: (range: VisibleRange) => void;
  onViewChange: (view: ViewName) => void;
  search: string;
  dataVersion: number;
  /** A sync is running (the grid fetches no neighbouring ranges ahead meanwhile). */
  syncing?: boolean;
  onSelect: (occurrence: Occurrence) => void;
  /** The occurrence whose details are open (its `occurrenceKey`): marked in the grid, visibly and with aria-current. */
  selectedKey?: string | null;
  /** Jump here once (e.g. from a search result); a new object re-applies. */
  goto?: { date: string } | null;
  handleRef?: Ref<CalendarHandle>;
  /** Occurrence errors (unparsable items) of the last fetch. */
  onErrors?: (errors: DavlensError[]) => void;
  initialDate?: string;
}

const PLUGINS = [dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin, themePlugin];
// Week and day column headers are plain text: as navigation links FullCalendar names them by the full date
// ("8 March 2026"), which leaves out the weekday they show ("Sun 8"), so speech input could not say them (WCAG 2.5.3).
const VIEW_OPTIONS = { timeGrid: { navLinks: false } };
const EVENT_TIME_FORMAT = { hour: 'numeric', minute: '2-digit' } as const;
const moreLinkText = (n: number): string => t('calendar.more', { count: n });
const moreLinkHint = (n: number): string => t('calendar.moreHint', { count: n });
// Today's number in the month grid and today's column header in the week and day views stand out (todayMark.css).
const todayCellClass = (info: { isToday: boolean }): string => (info.isToday ? 'dl-today-number' : '');
const todayHeaderClass = (info: { isToday: boolean }): string => (info.isToday ? 'dl-today-header' : '');

/**
 * FullCalendar draws each event's button (`.dl-event`, role=button) and takes no attributes for it: the content
 * sets aria-current on it. A ref of each kind, so React re-runs it only when an event's selection changes.
 */
const MARK_CURRENT = (el: HTMLElement | null): void => el?.closest('.dl-event')?.setAttribute('aria-current', 'true');
const CLEAR_CURRENT = (el: HTMLElement | null): void => el?.closest('.dl-event')?.removeAttribute('aria-current');

function isSelectedEvent(arg: EventDisplayInfo, selectedKey: string | null): boolean {
  const o = (arg.event.extendedProps as Partial<OccurrenceProps>).occurrence;
  return selectedKey !== null && o !== undefined && occurrenceKey(o) === selectedKey;
}

function renderEventContent(arg: EventDisplayInfo, selected: boolean): ReactElement {
  const o = (arg.event.extendedProps as OccurrenceProps).occurrence;
  const todo = o?.type === 'todo';
  const done = todo && (o.status ?? '').toUpperCase() === 'COMPLETED';
  const timed = !arg.event.allDay && arg.view.type.startsWith('timeGrid');
  // A short block has room for one line: its start time and title (the block's height shows the end).
  const time = timed && arg.isShort ? arg.timeText.split(/\s*[–—-]\s*/)[0]! : arg.timeText;
  // A birthday or anniversary (the Birthdays calendar): its icon instead of the repeat mark; it opens the contact.
  const dated = o ? contactDate(o) : null;
  const marks = (
    <>
      {todo ? <span className={`dl-ev-box${done ? ' dl-ev-box-done' : ''}`} aria-hidden="true" /> : null}
      {dated ? <Icon name={dated.kind === 'birthday' ? 'cake' : 'heart'} size={11} className="dl-ev-icon" /> : null}
    </>
  );
  const repeat = o?.recurring && !dated ? <span className="dl-ev-repeat" aria-label={t('calendar.recurring')} role="img" /> : null;
  const hidden = (
    <>
      {/* Marks FullCalendar's event button as the open one (or clears it): see MARK_CURRENT. */}
      <span hidden ref={selected ? MARK_CURRENT : CLEAR_CURRENT} />
      {dated ? <span className="dl-visually-hidden">, {t('calendar.opensContact')}</span> : null}
      {todo ? <span className="dl-visually-hidden">, {t('calendar.todo')}</span> : null}
      {(o?.status ?? '').toUpperCase() === 'CANCELLED' ? <span className="dl-visually-hidden">, {t('calendar.cancelled')}</span> : null}
    </>
  );
  if (timed) return <TimedEventText marks={marks} time={time} repeat={repeat} title={arg.event.title} hidden={hidden} />;
  return (
    <span className="dl-ev">
      {marks}
      {time ? <span className="dl-ev-time">{time}</span> : null}
      <span className="dl-ev-title">{arg.event.title}</span>
      {repeat}
      {hidden}
    </span>
  );
}

interface GridProps {
  calendarRef: RefObject<CalendarRef | null>;
  initialView: string;
  initialDate?: string;
  timeZone: string;
  locale: string;
  firstDay: number;
  weekNumbers: boolean;
  scheme: 'light' | 'dark';
  selectedKey: string | null;
  eventSources: { events: (info: EventSourceFuncInfo, ok: (e: EventInput[]) => void, fail: (e: Error) => void) => void }[];
  onEventClick: (info: EventClickInfo) => void;
  onDatesSet: (info: DatesSetInfo) => void;
  onLoading: (loading: boolean) => void;
}

/** FullCalendar with stable options: re-renders only when one of these props really changes. */
const Grid = memo(function Grid(g: GridProps): ReactElement {
  // New only when the selection changes: FullCalendar then redraws its events, marking the selected one.
  const { selectedKey } = g;
  const eventContent = useCallback((arg: EventDisplayInfo) => renderEventContent(arg, isSelectedEvent(arg, selectedKey)), [selectedKey]);
  const eventClass = useCallback((arg: EventDisplayInfo) => (isSelectedEvent(arg, selectedKey) ? 'dl-selected' : ''), [selectedKey]);
  return (
    <FullCalendar
      ref={g.calendarRef}
      plugins={PLUGINS}
      initialView={g.initialView}
      {...(g.initialDate ? { initialDate: g.initialDate } : {})}
      timeZone={g.timeZone}
      locale={g.locale}
      firstDay={g.firstDay}
      weekNumbers={g.weekNumbers}
      weekNumberCalculation="ISO"
      dayCellTopInnerClass={todayCellClass}
      dayHeaderInnerClass={todayHeaderClass}
      headerToolbar={false}
      height="100%"
      eventSources={g.eventSources}
      dayMaxEvents
      eventInteractive
      navLinks
      views={VIEW_OPTIONS}
      nowIndicator
      eventContent={eventContent}
      eventClass={eventClass}
      eventClick={g.onEventClick}
      datesSet={g.onDatesSet}
      loading={g.onLoading}
      moreLinkText={moreLinkText}
      moreLinkHint={moreLinkHint}
      noEventsText={t('calendar.noEvents')}
      listDayHeaderClass="dl-list-day"
      listItemEventClass="dl-list-item"
      allDayText={t('calendar.allDay')}
      eventTimeFormat={EVENT_TIME_FORMAT}
      scrollTime="07:30:00"
      slotMinHeight={26}
      eventMinHeight={20}
      eventShortHeight={34}
      slotEventOverlap={false}
      colorScheme={g.scheme}
    />
  );
});

export function CalendarPane(p: CalendarPaneProps): ReactElement {
  const ref = useRef<CalendarRef>(null);
  const firstDay = useMemo(() => firstDayOfWeek(), []);
  const locale = useMemo(() => uiLocale(), []);
  const scheme = useColorScheme();
  const viewRef = useRef<ViewName>(p.view);
  const events = useCalendarEvents({ ...p, viewRef, firstDay, refetch: () => ref.current?.getApi().refetchEvents() });
  const grid = useGridControls(p, ref, viewRef);
  // The initial view and date are read once by FullCalendar; later changes go through its API.
  const [initialView] = useState(() => FC_VIEWS[p.view]);
  const [initialDate] = useState(() => p.initialDate);
  const noneVisible = p.calendars.length > 0 && events.visibleUrls.length === 0;
  const { loaded } = events;

  return (
    <section className="dl-calendar-pane" aria-label={t('nav.calendar')}>
      <CalendarToolbar api={grid.api} title={grid.title} loading={grid.loading} currentDate={grid.currentDate} view={p.view} onViewChange={p.onViewChange} />
      <ErrorNotice message={events.fetchError} />
      {events.itemErrors.length ? <ItemErrors errors={events.itemErrors} /> : null}
      {noneVisible ? (
        <p className="dl-notice dl-notice-info" role="note">
          {t('calendar.noEvents')}
        </p>
      ) : null}
      <div className="dl-fc-host" data-loading={grid.loading ? 'true' : 'false'} data-loaded-from={loaded?.from} data-loaded-to={loaded?.to}>
        <Grid
          calendarRef={ref}
          initialView={initialView}
          {...(initialDate ? { initialDate } : {})}
          timeZone={p.timeZone}
          locale={locale}
          firstDay={firstDay}
          weekNumbers={p.weekNumbers ?? false}
          scheme={scheme}
          selectedKey={p.selectedKey ?? null}
          eventSources={events.eventSources}
          onEventClick={grid.onEventClick}
          onDatesSet={grid.onDatesSet}
          onLoading={grid.onLoading}
        />
      </div>
    </section>
  );
}

type Api = () => ReturnType<CalendarRef['getApi']> | null;

/** FullCalendar's side: the title and date it shows, its loading state, the handle and the props that steer it. */
function useGridControls(p: CalendarPaneProps, ref: RefObject<CalendarRef | null>, viewRef: RefObject<ViewName>) {
  const [title, setTitle] = useState('');
  const [currentDate, setCurrentDate] = useState<string>('');
  const [loading, setLoading] = useState(false);
  const api: Api = useCallback(() => ref.current?.getApi() ?? null, [ref]);

  useEffect(() => {
    viewRef.current = p.view;
    const a = api();
    if (a && a.view.type !== FC_VIEWS[p.view]) a.changeView(FC_VIEWS[p.view]);
  }, [p.view, api, viewRef]);

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
  const onRangeChange = p.onRangeChange;
  const onDatesSet = useCallback(
    (info: DatesSetInfo) => {
      const viewTitle = info.view.title;
      const a = info.view.calendar;
      const date = a.formatIso(a.getDate(), true).slice(0, 10);
      const range = { start: a.formatIso(info.start, true).slice(0, 10), end: a.formatIso(info.end, true).slice(0, 10), date };
      viewRef.current = VIEW_OF[info.view.type] ?? viewRef.current;
      queueMicrotask(() => {
        setTitle(viewTitle);
        setCurrentDate(date);
        onRangeChange?.(range);
      });
    },
    [viewRef, onRangeChange],
  );
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
  return { api, title, currentDate, loading, onDatesSet, onLoading, onEventClick };
}

const VIEWS: ViewName[] = ['month', 'week', 'day', 'list'];

interface ToolbarProps {
  api: Api;
  title: string;
  loading: boolean;
  currentDate: string;
  view: ViewName;
  onViewChange: (view: ViewName) => void;
}

function CalendarToolbar({ api, title, loading, currentDate, view, onViewChange }: ToolbarProps): ReactElement {
  return (
    <div className="dl-toolbar" role="toolbar" aria-label={t('nav.calendar')}>
      <button type="button" className="dl-button" onClick={() => api()?.today()} title={`${t('calendar.today')} (T)`}>
        {t('calendar.today')}
      </button>
      <div className="dl-button-group">
        <StepButton label={t('calendar.prev')} keyName="←" icon="chevron-left" onClick={() => api()?.prev()} />
        <StepButton label={t('calendar.next')} keyName="→" icon="chevron-right" onClick={() => api()?.next()} />
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
        {VIEWS.map((v) => (
          <button
            key={v}
            type="button"
            aria-pressed={view === v}
            className={view === v ? 'dl-active' : undefined}
            onClick={() => onViewChange(v)}
            title={`${t(`calendar.view.${v}` as MessageKey)} (${v[0]!.toUpperCase()})`}
            aria-label={t(`calendar.view.${v}` as MessageKey)}
          >
            {/* A narrow toolbar shows the short label; the name stays the long one. */}
            <span className="dl-view-long">{t(`calendar.view.${v}` as MessageKey)}</span>
            <span className="dl-view-short" aria-hidden="true">
              {t(`calendar.viewShort.${v}` as MessageKey)}
            </span>
          </button>
        ))}
      </div>
    </div>
  );
}

/** Previous or next: an icon button whose title names its key. */
function StepButton({ label, keyName, icon, onClick }: { label: string; keyName: string; icon: IconName; onClick: () => void }): ReactElement {
  return (
    <button type="button" className="dl-icon-button" aria-label={label} title={`${label} (${keyName})`} onClick={onClick}>
      <Icon name={icon} />
    </button>
  );
}

function ItemErrors({ errors }: { errors: DavlensError[] }): ReactElement {
  return (
    <details className="dl-notice dl-notice-warn dl-item-errors" role="note">
      <summary>{t('error.items', { count: errors.length })}</summary>
      <ul className="dl-error-list">
        {errors.slice(0, 20).map((e, i) => (
          <li key={i}>
            {e.message}
            {e.href ? <span className="dl-mono dl-muted"> ({e.href})</span> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}
