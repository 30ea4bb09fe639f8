// What a calendar search shows: the matches still to come first, soonest first, and the past ones apart (most
// recent first), with a series as one line at its next occurrence rather than a line per week for two years.
// An opened .ics starts at the same place: its first occurrence not over yet.
import type { Occurrence } from './models.ts';

export interface SearchHit {
  /** The series' next occurrence (its last one when all are past), or the single event. */
  occurrence: Occurrence;
  /** How many of the series' occurrences matched in the searched range: 1 for a single event. */
  matches: number;
}

export interface SearchHits {
  /** Not over yet at `now` (ongoing ones included), soonest first. */
  upcoming: SearchHit[];
  /** Over, most recent first; a series is here only when none of its matches is to come. */
  past: SearchHit[];
}

/** The moment the search is made: an instant for timed occurrences, the viewer's date for all-day ones. */
export interface SearchNow {
  ms: number;
  /** YYYY-MM-DD in the viewer's zone. */
  today: string;
}

export function searchHits(events: readonly Occurrence[], now: SearchNow): SearchHits {
  const series = new Map<string, Occurrence[]>();
  for (const o of events) {
    // An override is part of its series (same item, same UID); a birthday and an anniversary of one card are two.
    const key = o.recurring ? `${o.calendarUrl}\u0000${o.href}\u0000${o.uid}\u0000${o.source}` : `${series.size}\u0001single`;
    const list = series.get(key);
    if (list) list.push(o);
    else series.set(key, [o]);
  }
  const upcoming: SearchHit[] = [];
  const past: SearchHit[] = [];
  for (const list of series.values()) {
    list.sort(byStart);
    const next = list.find((o) => !isOver(o, now));
    if (next) upcoming.push({ occurrence: next, matches: list.length });
    else past.push({ occurrence: list[list.length - 1]!, matches: list.length });
  }
  upcoming.sort((a, b) => byStart(a.occurrence, b.occurrence));
  past.sort((a, b) => byStart(b.occurrence, a.occurrence));
  return { upcoming, past };
}

/** Where a list of occurrences is opened: the first not over at `now`, else the last one (null for none). */
export function nearNow(events: readonly Occurrence[], now: SearchNow): Occurrence | null {
  const sorted = [...events].sort(byStart);
  return sorted.find((o) => !isOver(o, now)) ?? sorted.at(-1) ?? null;
}

function isOver(o: Occurrence, now: SearchNow): boolean {
  // An all-day end is an exclusive date: over once that date has come.
  return o.allDay ? o.end <= now.today : Date.parse(o.end) <= now.ms;
}

/**
 * Chronological order across calendars: by the viewer's date, all-day items first, then by instant (the
 * start strings carry offsets, so plain string order would be wrong across a DST change).
 */
export function byStart(a: Occurrence, b: Occurrence): number {
  const as = a.start;
  const bs = b.start;
  // The dates (YYYY-MM-DD) compare as text; then the times too, when both carry the same offset (everything but a
  // DST change): a month's 5,865 occurrences sorted in 2 ms instead of 8 with localeCompare and two Date.parse each.
  const day = compareText(as.slice(0, 10), bs.slice(0, 10));
  if (day !== 0) return day;
  if (a.allDay !== b.allDay) return a.allDay ? -1 : 1;
  const instant = as.slice(19) === bs.slice(19) ? compareText(as, bs) : Date.parse(as) - Date.parse(bs);
  return instant || a.uid.localeCompare(b.uid);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
