// The parsed form of a calendar resource: plain data read once from ical.js's jCal output and expanded for any
// number of windows. Nothing here depends on the viewer's zone; floating times stay wall-clock readings.
import type { RuleExpander, RuleSpec } from './recur.ts';
import type { Duration } from './values.ts';
import type { Zone } from './zones.ts';

/**
 * A DATE or DATE-TIME value as written:
 * - date: an all-day date;
 * - utc: a UTC date-time (…Z), `ms` is the instant;
 * - local: a wall-clock reading in `zone` (its TZID's; for a time without one, or with a TZID that could not be
 *   resolved, the calendar's X-WR-TIMEZONE), or floating when `zone` is null (then read in the viewer's zone).
 */
export type DateVal = { kind: 'date'; day: number } | { kind: 'utc'; ms: number } | { kind: 'local'; wall: number; zone: Zone | null };

export interface RDate {
  start: DateVal;
  /** PERIOD values carry their own end or duration. */
  end: DateVal | null;
  duration: Duration | null;
}

export interface Item {
  type: 'event' | 'todo';
  uid: string;
  summary: string;
  location: string | null;
  /** Read for search only. */
  description: string | null;
  status: string | null;
  sequence: number;
  /** DTSTART; a VTODO may lack it. */
  start: DateVal | null;
  /** DTEND, or DUE for a VTODO. */
  end: DateVal | null;
  duration: Duration | null;
  rrules: RuleSpec[];
  rdates: RDate[];
  exdates: DateVal[];
  recurrenceId: DateVal | null;
  /** RECURRENCE-ID;RANGE=THISANDFUTURE */
  thisAndFuture: boolean;
  /** Lazily built expanders, one per RRULE, bound to this item's start. */
  expanders?: RuleExpander[];
}

/** All components of one UID in a resource: the master (if any) and its RECURRENCE-ID overrides. */
export interface Series {
  uid: string;
  master: Item | null;
  overrides: Item[];
}
