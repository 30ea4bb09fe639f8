// The sidebar's mini-month: a month of days with today marked and the main grid's days shaded; a day goes to it.
// A grid (WAI-ARIA grid pattern): one day is in the Tab order, the arrow keys move by day and week, Page Up and
// Page Down by month, Home and End to the week's ends, Enter or Space goes to the focused day.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactElement } from 'react';
import { t } from '../i18n/messages.ts';
import { addDays, dateOnly, formatLongDate } from '../lib/time.ts';
import type { VisibleRange } from './CalendarPane.tsx';
import { Icon } from './Icon.tsx';

export interface MiniMonthProps {
  /** Today in the calendar's zone, YYYY-MM-DD. */
  today: string;
  /** What the main grid shows; null before it has rendered. */
  range: VisibleRange | null;
  /** 0 = Sunday ... 6 = Saturday, as the main grid. */
  firstDay: number;
  locale: string;
  onSelect: (ymd: string) => void;
}

/** The 42 days (six weeks, so the height never jumps) of the month of `ymd`, from the week's first day. */
export function monthDays(ymd: string, firstDay: number): string[] {
  const first = `${ymd.slice(0, 7)}-01`;
  const dow = dateOnly(first)!.getUTCDay();
  const start = addDays(first, -((dow - firstDay + 7) % 7));
  return Array.from({ length: 42 }, (_, i) => addDays(start, i));
}

/** The same day `months` later, kept within that month (31 March + 1 month is 30 April). */
function addMonths(ymd: string, months: number): string {
  const d = dateOnly(ymd)!;
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, 12));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0, 12)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return target.toISOString().slice(0, 10);
}

const KEY_STEPS: Record<string, (ymd: string, weekStart: string) => string> = {
  ArrowLeft: (d) => addDays(d, -1),
  ArrowRight: (d) => addDays(d, 1),
  ArrowUp: (d) => addDays(d, -7),
  ArrowDown: (d) => addDays(d, 7),
  PageUp: (d) => addMonths(d, -1),
  PageDown: (d) => addMonths(d, 1),
  Home: (_d, weekStart) => weekStart,
  End: (_d, weekStart) => addDays(weekStart, 6),
};

export function MiniMonth({ today, range, firstDay, locale, onSelect }: MiniMonthProps): ReactElement {
  // The focused day decides the month shown; it follows the main grid when that moves.
  const [focus, setFocus] = useState(range?.date ?? today);
  const moveFocus = useRef(false);
  const gridRef = useRef<HTMLTableElement>(null);
  const titleId = useId();
  const rangeDate = range?.date;
  useEffect(() => {
    if (rangeDate) setFocus(rangeDate);
  }, [rangeDate]);
  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    gridRef.current?.querySelector<HTMLElement>('[tabindex="0"]')?.focus();
  }, [focus]);

  const days = useMemo(() => monthDays(focus, firstDay), [focus, firstDay]);
  const month = focus.slice(0, 7);
  const title = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(dateOnly(`${month}-01`)!);
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
  const weekdayLong = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  const weeks = [0, 1, 2, 3, 4, 5].map((w) => days.slice(w * 7, w * 7 + 7));

  const onKeyDown = (e: KeyboardEvent, day: string, weekStart: string): void => {
    const step = KEY_STEPS[e.key];
    if (step) {
      e.preventDefault();
      moveFocus.current = true;
      setFocus(step(day, weekStart));
    }
  };

  return (
    <section className="dl-mini-month" aria-label={t('calendar.miniMonth')}>
      <MonthHeader titleId={titleId} title={title} onStep={(months) => setFocus(addMonths(focus, months))} />
      <table ref={gridRef} role="grid" aria-labelledby={titleId} className="dl-mini-month-grid">
        <thead>
          <tr>
            {weeks[0]!.map((d) => (
              <th key={d} scope="col" abbr={weekdayLong.format(dateOnly(d)!)}>
                {weekday.format(dateOnly(d)!).slice(0, 2)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={week[0]}>
              {week.map((d) => {
                const shown = range !== null && d >= range.start && d < range.end;
                const classes = [
                  'dl-mini-day',
                  d.slice(0, 7) !== month ? 'dl-mini-other' : '',
                  shown ? 'dl-mini-shown' : '',
                  d === today ? 'dl-mini-today' : '',
                ];
                return (
                  <td key={d} role="gridcell" aria-selected={shown}>
                    <button
                      type="button"
                      className={classes.filter(Boolean).join(' ')}
                      tabIndex={d === focus ? 0 : -1}
                      aria-label={formatLongDate(d)}
                      aria-current={d === today ? 'date' : undefined}
                      data-date={d}
                      onClick={() => {
                        setFocus(d);
                        onSelect(d);
                      }}
                      onKeyDown={(e) => onKeyDown(e, d, week[0]!)}
                    >
                      {Number(d.slice(8))}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function MonthHeader({ titleId, title, onStep }: { titleId: string; title: string; onStep: (months: number) => void }): ReactElement {
  return (
    <header className="dl-mini-month-header">
      <h3 id={titleId} aria-live="polite">
        {title}
      </h3>
      <button type="button" className="dl-icon-button" aria-label={t('calendar.prevMonth')} title={t('calendar.prevMonth')} onClick={() => onStep(-1)}>
        <Icon name="chevron-left" size={14} />
      </button>
      <button type="button" className="dl-icon-button" aria-label={t('calendar.nextMonth')} title={t('calendar.nextMonth')} onClick={() => onStep(1)}>
        <Icon name="chevron-right" size={14} />
      </button>
    </header>
  );
}
