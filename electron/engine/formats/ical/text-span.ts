// A bound on a calendar object's occurrences read from its text without parsing it, for a first window that
// fetched a whole calendar (app/window.ts) and needs only the items within its days: bench:ui's first month parses
// about a fifth of the 3,333 items Radicale sends for it. Only the plainest object is bounded: one VEVENT without
// RDATE, RECURRENCE-ID or DURATION, with one DTSTART and at most one DTEND, each written as a date or a date-time;
// anything else (to-dos, several components, a line it cannot read) is null, and the caller parses the item.
// A series (RRULE) is bounded too: no instance starts before DTSTART (RFC 5545 §3.8.5.3: it is the first), none
// after its rules' UNTIL (§3.3.10), and a rule without UNTIL leaves the end open; a past series with UNTIL, or one
// starting after the window, is then left out unread (EXRULE only takes instances away). The bound is never
// narrower than the parsed object's span (span.ts; tested against it): an item it leaves out could not have shown
// in those days.
import { lineAfter, propertyName } from './parse.ts';
import type { WallSpan } from './span.ts';
import { DAY_MS, daysFromCivil, daysInMonth } from './time.ts';

/** Properties that add instances anywhere, or whose length it would have to read: the item is parsed. */
const PARSE_INSTEAD = new Set(['RDATE', 'RECURRENCE-ID', 'DURATION']);
/** Components an event's object may hold besides the event; any other (a VTODO, a VJOURNAL) is parsed. */
const ALLOWED = new Set(['VCALENDAR', 'VEVENT', 'VALARM', 'VTIMEZONE', 'STANDARD', 'DAYLIGHT']);
/**
 * Days added after the last day the object reaches (the later of DTSTART and DTEND, or its rules' UNTIL plus its
 * length). The parsed span ends a day after the end (span.ts), and a DTEND or a UTC UNTIL in another zone than
 * DTSTART counts by its instant: up to 26 hours apart on the wall clock.
 */
const END_MARGIN_DAYS = 4;
const DAY_TEXT = /^(\d{4})-?(\d{2})-?(\d{2})(?:T[\d:.]*Z?)?$/i;
const UNTIL = /(?:^|;)UNTIL=([^;]*)/i;

/** The value of a property line (unfolded), or null when a quoted parameter may hide its colon. */
function propertyValue(line: string): string | null {
  const colon = line.indexOf(':');
  // A quoted parameter may hold a colon: left to the parser.
  if (colon < 0 || line.lastIndexOf('"', colon) >= 0) return null;
  return line.slice(colon + 1).trim();
}

/** The day (days since 1970-01-01) a date or date-time names, or null when it cannot be read plainly. */
function dayOf(value: string | null): number | null {
  const m = value === null ? null : DAY_TEXT.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) ? daysFromCivil(y, mo, d) : null;
}

/**
 * The day of a rule's UNTIL; Infinity for a rule without one (or with a COUNT as well, which a reader may follow
 * instead); null when it cannot be read plainly.
 */
function untilDay(value: string | null): number | null {
  if (value === null) return null;
  const until = UNTIL.exec(value);
  if (!until || /(?:^|;)COUNT=/i.test(value)) return Infinity;
  return dayOf(until[1]!.trim());
}

/** A generous wall-clock span of the object's one event (see the top of the file), or null: parse it. */
export function textSpan(ics: string): WallSpan | null {
  let depth = 0;
  let eventDepth = -1;
  let events = 0;
  let start: number | null = null;
  let end: number | null = null;
  // The latest UNTIL of the series' rules (Infinity: open); null when it does not recur.
  let lastRuleDay: number | null = null;
  for (let at = 0; at < ics.length; at = lineAfter(ics, at)) {
    // Only BEGIN, END, DTSTART, DTEND, DURATION, RDATE, RRULE and RECURRENCE-ID lines matter here.
    const first = ics.charCodeAt(at) | 0x20;
    if (first !== 0x62 && first !== 0x64 && first !== 0x65 && first !== 0x72) continue;
    const name = propertyName(ics, at);
    if (name === 'BEGIN' || name === 'END') {
      const next = lineAfter(ics, at);
      if (ics[at + name.length] !== ':') return null;
      const component = ics
        .slice(at + name.length + 1, next)
        .trim()
        .toUpperCase();
      if (!ALLOWED.has(component)) return null;
      if (name === 'END') {
        if (depth === eventDepth) eventDepth = -1;
        depth--;
      } else if (component === 'VTIMEZONE' || component === 'VALARM') {
        // Nothing in a zone or an alarm is read here: on to its END line (a zone's rules are most of an object's lines).
        const stop = ics.indexOf(`\nEND:${component}`, at);
        if (stop < 0) return null;
        at = stop + 1;
      } else {
        depth++;
        if (component === 'VEVENT') {
          if (++events > 1) return null;
          eventDepth = depth;
        }
      }
    } else if (name !== null && depth === eventDepth) {
      if (PARSE_INSTEAD.has(name)) return null;
      if (name === 'DTSTART' || name === 'DTEND' || name === 'RRULE') {
        const value = propertyValue(ics.slice(at, lineAfter(ics, at)).replace(/\r?\n[ \t]/g, ''));
        const day = name === 'RRULE' ? untilDay(value) : dayOf(value);
        if (day === null) return null;
        if (name === 'RRULE') lastRuleDay = Math.max(lastRuleDay ?? -Infinity, day);
        else if ((name === 'DTSTART' ? start : end) !== null) return null;
        else if (name === 'DTSTART') start = day;
        else end = day;
      }
    }
  }
  if (depth !== 0 || events !== 1 || start === null) return null;
  const first = Math.min(start, end ?? start);
  // The last instance starts by the UNTIL day and lasts as the first (DTEND - DTSTART).
  const last = Math.max(start, end ?? start, lastRuleDay === null ? -Infinity : lastRuleDay + Math.max(0, (end ?? start) - start));
  return { start: first * DAY_MS, end: last === Infinity ? null : (last + END_MARGIN_DAYS) * DAY_MS };
}
