// The iCalendar engine: parse a calendar resource once, expand it for any window in the viewer's zone.
// Pure functions over strings; no I/O. One malformed resource (or component, or recurrence) yields a DavlensError
// and never hides its neighbours.
import { davlensError, type DavlensError } from '../../../../shared/errors.ts';
import type { Occurrence } from '../../../../shared/models.ts';
import { OCCURRENCES_PER_WINDOW, SeriesExpander, type Draft, type Window } from './expand.ts';
import type { Series } from './model.ts';
import { parseIcs } from './parse.ts';
import { resourceSpanOf, type WallSpan } from './span.ts';

export type { WallSpan } from './span.ts';
export { textSpan } from './text-span.ts';
import { DAY_MS, parseDay } from './time.ts';
import { ianaZone, toInstant } from './zones.ts';

export interface ParsedCalendarResource {
  href: string;
  /** What was tolerated while reading it (unknown TZID read in the viewer's zone, ignored lines...). */
  readonly warnings: readonly string[];
}

/** The parsed form; callers hold it as the opaque ParsedCalendarResource. */
class ParsedResource implements ParsedCalendarResource {
  readonly href: string;
  readonly warnings: readonly string[];
  readonly series: readonly Series[];

  constructor(href: string, series: Series[], warnings: string[]) {
    this.href = href;
    this.series = series;
    this.warnings = warnings;
  }
}

function unparsable(href: string, reason: string): DavlensError {
  return davlensError('item-unparsable', `The calendar item ${href} could not be read: ${reason}.`, 'parse', { href });
}

function tooMany(href: string, uid: string, window: ExpandWindow, shown: number): DavlensError {
  const what = `The calendar item ${href} (${uid}) has more occurrences between ${window.from} and ${window.to} than Davlens shows for one series`;
  const kept = shown > 0 ? `the first ${shown} are shown` : `none is shown, the answer already holds ${OCCURRENCES_PER_WINDOW}`;
  return davlensError('too-many-occurrences', `${what}: ${kept}.`, 'parse', { href });
}

export function parseCalendarResource(href: string, ics: string): { resource: ParsedCalendarResource | null; errors: DavlensError[]; warnings: string[] } {
  const out = parseIcs(href, ics);
  const errors = out.errors.map((reason) => unparsable(href, reason));
  const resource = out.series ? new ParsedResource(href, out.series, out.warnings) : null;
  return { resource, errors, warnings: out.warnings };
}

export interface ExpandWindow {
  /** YYYY-MM-DD, inclusive: midnight in tz. */
  from: string;
  /** YYYY-MM-DD, exclusive. */
  to: string;
  /** IANA zone of the viewer. */
  tz: string;
}

export function expandOccurrences(
  resources: ParsedCalendarResource[],
  window: ExpandWindow,
  calendar: { displayName: string; url: string },
): { occurrences: Occurrence[]; errors: DavlensError[] } {
  const errors: DavlensError[] = [];
  const viewer = ianaZone(window.tz);
  const fromDay = parseDay(window.from);
  const toDay = parseDay(window.to);
  if (!viewer || fromDay === null || toDay === null || toDay < fromDay) {
    const what = !viewer
      ? `the time zone "${window.tz}" is not an IANA zone`
      : `the window ${window.from}..${window.to} is not a pair of ascending YYYY-MM-DD dates`;
    return { occurrences: [], errors: [davlensError('bad-input', `Cannot list events: ${what}.`, 'input')] };
  }
  const win: Window = {
    viewer,
    fromDay,
    toDay,
    fromMs: toInstant(viewer, fromDay * DAY_MS),
    toMs: toInstant(viewer, toDay * DAY_MS),
  };
  const ex = new SeriesExpander(win, calendar);
  for (const resource of resources) {
    if (!(resource instanceof ParsedResource)) {
      errors.push(davlensError('internal', `The calendar item ${resource.href} was not produced by parseCalendarResource.`, 'parse', { href: resource.href }));
      continue;
    }
    ex.startItem();
    for (const series of resource.series) {
      const before = ex.out.length;
      try {
        ex.expand(series, resource.href);
        if (ex.cut) errors.push(tooMany(resource.href, series.uid, window, ex.out.length - before));
      } catch (e) {
        ex.out.length = before;
        const reason = e instanceof Error ? e.message : String(e);
        errors.push(unparsable(resource.href, `the recurrence of ${series.uid} could not be expanded (${reason})`));
      }
    }
  }
  const drafts: Draft[] = ex.out;
  drafts.sort(
    (a, b) =>
      a.startKey - b.startKey ||
      (a.occ.uid < b.occ.uid ? -1 : a.occ.uid > b.occ.uid ? 1 : 0) ||
      a.endKey - b.endKey ||
      (a.occ.recurrenceId ?? '').localeCompare(b.occ.recurrenceId ?? ''),
  );
  return { occurrences: drafts.map((d) => d.occ), errors };
}

/**
 * For the store's range index: the resource's UID and a zone-independent wall-clock bound of its occurrences
 * (see span.ts); end null = open-ended, start null = nothing dated.
 */
export function resourceSpan(resource: ParsedCalendarResource): WallSpan & { uid: string | null } {
  if (!(resource instanceof ParsedResource)) return { uid: null, start: null, end: null };
  return resourceSpanOf(resource.series);
}

/** Lower-case SUMMARY, LOCATION and DESCRIPTION of every event and to-do in the resource, for substring search. */
export function resourceSearchText(resource: ParsedCalendarResource): string {
  if (!(resource instanceof ParsedResource)) return '';
  const parts: string[] = [];
  for (const s of resource.series) {
    for (const item of s.master ? [s.master, ...s.overrides] : s.overrides) {
      for (const text of [item.summary, item.location, item.description]) if (text) parts.push(text.replace(/\r?\n/g, ' '));
    }
  }
  return parts.join('\n').toLowerCase();
}
