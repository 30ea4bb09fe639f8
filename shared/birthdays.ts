// The Birthdays calendar Davlens makes for each account from its contacts: every BDAY and ANNIVERSARY a yearly
// all-day occurrence. It is no server's calendar: it has a URL of Davlens's own scheme (davlens-birthdays:<account>),
// is read-only, and is computed from the stored contacts for each window (nothing is stored for it).
import type { Calendar, Contact, Occurrence } from './models.ts';

const SCHEME = 'davlens-birthdays:';

export const BIRTHDAYS_NAME = 'Birthdays';

export function birthdaysUrl(accountId: string): string {
  return `${SCHEME}${accountId}`;
}

/** The account a Birthdays URL names, or null for any other URL. */
export function birthdaysAccount(url: string): string | null {
  return url.startsWith(SCHEME) ? url.slice(SCHEME.length) : null;
}

/** The account's Birthdays calendar as a calendar listing shows one. */
export function birthdaysCalendar(accountId: string): Calendar {
  return {
    url: birthdaysUrl(accountId),
    displayName: BIRTHDAYS_NAME,
    color: '#c2410c',
    order: null,
    components: ['VEVENT'],
    ctag: null,
    syncToken: null,
    readOnly: true,
    description: "Birthdays and anniversaries from the account's contacts, made by Davlens.",
  };
}

/** YYYY-MM-DD or --MM-DD as month, day and the year if known; null for text and anything else. */
function dateParts(value: string | null): { year: number | null; month: number; day: number } | null {
  const m = value ? /^(?:(\d{4})|--)-?(\d{2})-(\d{2})$/.exec(value) : null;
  if (!m) return null;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { year: m[1] ? Number(m[1]) : null, month, day };
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The day a date falls on in `year`: itself, or for 29 February in a common year the 28th (the birthday stays in
 * its month, as Apple, Google and Outlook show it); null for a day the month never has (31 April).
 */
function dayIn(year: number, month: number, day: number): string | null {
  const days = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day > days) {
    if (month === 2 && day === 29) return `${pad(year, 4)}-02-28`;
    return null;
  }
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The contacts' birthdays and anniversaries in [from, to) (YYYY-MM-DD), as all-day occurrences of `calendar`. */
export function birthdayOccurrences(contacts: readonly Contact[], from: string, to: string, calendar: { displayName: string; url: string }): Occurrence[] {
  const out: Occurrence[] = [];
  const first = Number(from.slice(0, 4));
  const last = Number(to.slice(0, 4));
  for (const c of contacts) {
    if (c.kind === 'group') continue;
    for (const source of ['birthday', 'anniversary'] as const) {
      const parts = dateParts(source === 'birthday' ? c.bday : (c.anniversary ?? null));
      if (!parts) continue;
      for (let year = first; year <= last; year++) {
        // Nothing before the day itself (a birth in 2020 has no 2019 birthday).
        if (parts.year !== null && year < parts.year) continue;
        const start = dayIn(year, parts.month, parts.day);
        if (start === null || start < from || start >= to) continue;
        out.push({
          type: 'event',
          uid: `${c.uid}#${source}`,
          summary: `${c.fn}'s ${source}`,
          start,
          end: nextDay(start),
          allDay: true,
          calendar: calendar.displayName,
          calendarUrl: calendar.url,
          recurrenceId: start,
          location: null,
          status: null,
          href: c.href,
          recurring: true,
          source,
          contact: c.href,
          age: parts.year === null ? null : year - parts.year,
        });
      }
    }
  }
  return out;
}
