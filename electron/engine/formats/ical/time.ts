// Civil-calendar arithmetic on plain numbers. The engine keeps two kinds of time:
// - "wall" milliseconds: a wall-clock reading encoded as if it were UTC (2026-03-29 09:00 -> Date.UTC(2026, 2, 29, 9)),
//   which is what recurrence rules step through (RFC 5545 repeats wall-clock times, not elapsed time);
// - instants: real UTC milliseconds.
// Days are counted from 1970-01-01 (day 0). Hinnant's algorithms instead of Date: no year 0-99 quirk, no objects.

export const SECOND_MS = 1000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface Civil {
  y: number;
  m: number;
  d: number;
}

export function civilFromDays(days: number): Civil {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : (MONTH_DAYS[m - 1] ?? 30);
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfDay(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

export function dayOfWall(wall: number): number {
  return Math.floor(wall / DAY_MS);
}

export function wallFromFields(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  return daysFromCivil(y, mo, d) * DAY_MS + h * HOUR_MS + mi * MINUTE_MS + s * SECOND_MS;
}

/** Month counter (year * 12 + month - 1), for rules that step through months. */
export function monthIndexOfDay(days: number): number {
  const c = civilFromDays(days);
  return c.y * 12 + c.m - 1;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatDay(days: number): string {
  const c = civilFromDays(days);
  return `${pad(c.y, 4)}-${pad(c.m)}-${pad(c.d)}`;
}

/** Wall milliseconds as local ISO 8601 without offset: 2026-03-29T09:00:00. */
export function formatWall(wall: number): string {
  const day = dayOfWall(wall);
  const rest = Math.floor((wall - day * DAY_MS) / SECOND_MS);
  const h = Math.floor(rest / 3600);
  const mi = Math.floor((rest % 3600) / 60);
  const s = rest % 60;
  return `${formatDay(day)}T${pad(h)}:${pad(mi)}:${pad(s)}`;
}

/** +02:00, -04:30; seconds only when the offset has them (historic local mean time). */
export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const total = Math.round(Math.abs(offsetMs) / SECOND_MS);
  const h = Math.floor(total / 3600);
  const mi = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${sign}${pad(h)}:${pad(mi)}${s ? `:${pad(s)}` : ''}`;
}

/** Parses YYYY-MM-DD into a day number; null when malformed or not a real date. */
export function parseDay(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return daysFromCivil(y, mo, d);
}
