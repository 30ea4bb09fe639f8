// The date ranges next to the one on screen, so the calendar can fetch them before the user asks
// (previous/next then shows events at once). Dates are YYYY-MM-DD; `to` is exclusive.
import { addDays } from './time.ts';

export type RangeView = 'month' | 'week' | 'day' | 'list';

export interface DayRange {
  from: string;
  to: string;
}

function monthStart(ymd: string, deltaMonths: number): string {
  const y = Number(ymd.slice(0, 4));
  const m = Number(ymd.slice(5, 7)) - 1 + deltaMonths;
  const d = new Date(Date.UTC(y, m, 1, 12));
  return d.toISOString().slice(0, 10);
}

function weekday(ymd: string): number {
  return new Date(`${ymd}T12:00:00Z`).getUTCDay();
}

/** The six-week month grid FullCalendar shows for the month holding `ymd`. */
export function monthGrid(ymd: string, firstDay: number): DayRange {
  const first = monthStart(ymd, 0);
  const from = addDays(first, -((weekday(first) - firstDay + 7) % 7));
  return { from, to: addDays(from, 42) };
}

/**
 * The days a new account's calendar shows first, whatever the view and the first day of the week: the month
 * holding `ymd` with the week before it and two weeks after (a month grid starts up to six days before the 1st
 * and runs six weeks).
 */
export function firstWindow(ymd: string): DayRange {
  return { from: addDays(monthStart(ymd, 0), -7), to: addDays(monthStart(ymd, 1), 14) };
}

/** The ranges of the previous and the next view. */
export function neighbourRanges(view: RangeView, range: DayRange, firstDay: number): DayRange[] {
  switch (view) {
    case 'month': {
      const inMonth = addDays(range.from, 14);
      return [monthGrid(monthStart(inMonth, -1), firstDay), monthGrid(monthStart(inMonth, 1), firstDay)];
    }
    case 'list': {
      const prev = monthStart(range.from, -1);
      return [
        { from: prev, to: range.from },
        { from: range.to, to: monthStart(range.to, 1) },
      ];
    }
    case 'week':
      return [
        { from: addDays(range.from, -7), to: range.from },
        { from: range.to, to: addDays(range.to, 7) },
      ];
    case 'day':
      return [
        { from: addDays(range.from, -1), to: range.from },
        { from: range.to, to: addDays(range.to, 1) },
      ];
  }
}
