// Formatting of the engine's times. Timed values are ISO strings carrying the offset of the viewer's zone
// (the engine computed the wall-clock time); they are formatted in that same zone, so the text shows
// exactly the wall-clock time the engine computed. All-day values are plain dates.
import { t } from '../i18n/messages.ts';
import { uiLocale } from './locale.ts';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A plain date at noon UTC, so formatting it in UTC never shifts the day. */
export function dateOnly(s: string): Date | null {
  const m = DATE_ONLY.exec(s);
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
}

export function addDays(ymd: string, days: number): string {
  const d = dateOnly(ymd);
  if (!d) return ymd;
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function ymdInZone(date: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();

function fmt(tz: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tz}|${JSON.stringify(opts)}`;
  let f = fmtCache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(uiLocale(), { ...opts, timeZone: tz });
    fmtCache.set(key, f);
  }
  return f;
}

const LONG_DATE: Intl.DateTimeFormatOptions = { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' };
const SHORT_DATE: Intl.DateTimeFormatOptions = { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' };
const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };

export function formatLongDate(ymd: string): string {
  const d = dateOnly(ymd);
  return d ? fmt('UTC', LONG_DATE).format(d) : ymd;
}

export function formatShortDate(ymd: string): string {
  const d = dateOnly(ymd);
  return d ? fmt('UTC', SHORT_DATE).format(d) : ymd;
}

export function formatTime(iso: string, tz: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : fmt(tz, TIME).format(d);
}

export function formatDateTime(iso: string, tz: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : fmt(tz, { ...SHORT_DATE, ...TIME }).format(d);
}

/** "Tuesday, 3 March 2026, 09:00 – 10:00" / "3 – 5 March 2026" (all-day end is exclusive). */
export function formatRange(start: string, end: string, allDay: boolean, tz: string): string {
  if (allDay) {
    const last = end && end > start ? addDays(end, -1) : start;
    if (last === start) return formatLongDate(start);
    return t('time.allDayRange', { from: formatShortDate(start), to: formatShortDate(last) });
  }
  const s = new Date(start);
  const e = new Date(end);
  if (Number.isNaN(s.getTime())) return start;
  const sameDay = !Number.isNaN(e.getTime()) && ymdInZone(s, tz) === ymdInZone(new Date(e.getTime() - 1), tz);
  if (Number.isNaN(e.getTime()) || e.getTime() === s.getTime()) return `${fmt(tz, LONG_DATE).format(s)}, ${formatTime(start, tz)}`;
  if (sameDay) return `${fmt(tz, LONG_DATE).format(s)}, ${t('time.range', { from: formatTime(start, tz), to: formatTime(end, tz) })}`;
  return t('time.range', { from: formatDateTime(start, tz), to: formatDateTime(end, tz) });
}

/** "5 minutes ago" for a past ISO time. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - now) / 1000);
  if (Math.abs(seconds) < 45) return t('sync.justNow');
  const rtf = new Intl.RelativeTimeFormat(uiLocale(), { numeric: 'auto' });
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return rtf.format(hours, 'hour');
  return rtf.format(Math.round(hours / 24), 'day');
}

/** A birthday as "6 May 1985" or "6 May" (no year); free text stays as it is. */
export function formatBirthday(bday: string): { text: string; age: number | null } {
  const full = /^(\d{4})-(\d{2})-(\d{2})/.exec(bday);
  if (full) {
    const d = dateOnly(`${full[1]}-${full[2]}-${full[3]}`);
    if (!d) return { text: bday, age: null };
    const now = new Date();
    let age = now.getFullYear() - Number(full[1]);
    const m = Number(full[2]);
    const day = Number(full[3]);
    if (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < day)) age -= 1;
    return { text: fmt('UTC', { year: 'numeric', month: 'long', day: 'numeric' }).format(d), age: age >= 0 && age < 150 ? age : null };
  }
  const noYear = /^--(\d{2})-?(\d{2})$/.exec(bday);
  if (noYear) {
    // 2000 is a leap year, so --02-29 formats.
    const d = new Date(Date.UTC(2000, Number(noYear[1]) - 1, Number(noYear[2]), 12));
    return { text: fmt('UTC', { month: 'long', day: 'numeric' }).format(d), age: null };
  }
  return { text: bday, age: null };
}
