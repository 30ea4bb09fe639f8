// Readers for the value strings ical.js leaves in its jCal output (2014-04-09, 2014-04-09T09:30:00Z, +01:00,
// PT1H). Reading the jCal arrays directly, rather than through ICAL.Component/ICAL.Time objects, keeps parsing
// ten thousand items cheap and lets the engine be lenient where ical.js is not.
import { DAY_MS, daysFromCivil, daysInMonth, HOUR_MS, MINUTE_MS, SECOND_MS } from './time.ts';

export type DateTimeText = { kind: 'date'; day: number } | { kind: 'datetime'; wall: number; utc: boolean };

const DATE_RE = /^(\d{4})-?(\d{2})-?(\d{2})$/;
// ical.js turns a bare 20140409 under the default DATE-TIME type into "2014-04-09T::": still a date.
const BROKEN_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})T:*$/;
const DATETIME_RE = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(?:\.\d+)?(Z)?$/i;

export function parseDateTimeText(text: unknown): DateTimeText | null {
  if (typeof text !== 'string') return null;
  const s = text.trim();
  let m = DATE_RE.exec(s) ?? BROKEN_DATE_RE.exec(s);
  if (m) {
    const day = validDay(Number(m[1]), Number(m[2]), Number(m[3]));
    return day === null ? null : { kind: 'date', day };
  }
  m = DATETIME_RE.exec(s);
  if (!m) return null;
  const day = validDay(Number(m[1]), Number(m[2]), Number(m[3]));
  const h = Number(m[4]);
  const mi = Number(m[5]);
  // A leap second (:60) is read as :59, as RFC 5545 allows implementations to do.
  const sec = Math.min(Number(m[6]), 59);
  if (day === null || h > 23 || mi > 59) return null;
  return { kind: 'datetime', wall: day * DAY_MS + h * HOUR_MS + mi * MINUTE_MS + sec * SECOND_MS, utc: m[7] !== undefined };
}

function validDay(y: number, mo: number, d: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return daysFromCivil(y, mo, d);
}

/** A UTC offset (+01:00, -0500, +03:41:52) in milliseconds; null when malformed or 24 hours or more. */
export function parseUtcOffset(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = /^([+-])(\d{2}):?(\d{2})(?::?(\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const h = Number(m[2]);
  const mi = Number(m[3]);
  const s = Number(m[4] ?? 0);
  if (h >= 24 || mi > 59 || s > 59) return null;
  const ms = h * HOUR_MS + mi * MINUTE_MS + s * SECOND_MS;
  return m[1] === '-' ? -ms : ms;
}

/** RFC 5545 durations keep days (nominal: a day is 23 or 25 hours across DST) apart from exact time. */
export interface Duration {
  days: number;
  ms: number;
}

export function parseDuration(text: unknown): Duration | null {
  if (typeof text !== 'string') return null;
  const m = /^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(text.trim());
  if (!m || text.trim().toUpperCase().endsWith('T') || /^[+-]?P$/i.test(text.trim())) return null;
  const sign = m[1] === '-' ? -1 : 1;
  const days = Number(m[2] ?? 0) * 7 + Number(m[3] ?? 0);
  const ms = Number(m[4] ?? 0) * HOUR_MS + Number(m[5] ?? 0) * MINUTE_MS + Number(m[6] ?? 0) * SECOND_MS;
  return { days: sign * days, ms: sign * ms };
}
