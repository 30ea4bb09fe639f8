// Opening a local .ics or .vcf file: a pure function of its text, so a large file is read off the engine's thread
// (off-thread.ts).
import type { LocalFileView } from '../../../shared/api.ts';
import type { Contact } from '../../../shared/models.ts';
import { expandOccurrences, parseCalendarResource, resourceSpan } from '../formats/ical/index.ts';
import { parseVcfFile } from '../formats/vcard/index.ts';
import { groupsOf, withGroups } from './groups.ts';

export interface LocalFileRequest {
  name: string;
  content: string;
  tz: string;
}

/** YYYY-MM-DD of a wall-clock millisecond value. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;
/** How much of a file's calendar is shown: two years (open-ended series would never end). */
const SHOWN_MS = 731 * DAY_MS;

/**
 * The part of a file's span [start, end] that is shown: a year either side of now, moved inside the span when now is
 * outside it (a past file shows its last two years, a future one its first two). Wall-clock milliseconds.
 */
export function shownWindow(span: { start: number | null; end: number | null }, now: number): { from: number; to: number } {
  const start = span.start ?? now;
  const end = span.end ?? Infinity;
  const from = Math.max(start, Math.min(now - 365 * DAY_MS, end - SHOWN_MS));
  return { from, to: Math.min(end, from + SHOWN_MS) };
}

export function readLocalFile({ name, content, tz }: LocalFileRequest, now: number = Date.now()): LocalFileView {
  if (/\.vcf$/i.test(name) || /^\s*BEGIN:VCARD/i.test(content)) {
    const out = parseVcfFile(content, name, name);
    // A file's group cards name their members, as in an address book: the people carry the groups, the group
    // cards are not people (app/groups.ts).
    const cards = out.contacts as Contact[];
    const people = withGroups(
      cards.filter((c) => c.kind !== 'group'),
      groupsOf(cards),
    );
    return { name, kind: 'vcf', events: [], contacts: people, errors: out.errors };
  }
  const parsed = parseCalendarResource(name, content);
  if (!parsed.resource) return { name, kind: 'ics', events: [], contacts: [], errors: parsed.errors };
  // Shown around today, where the UI opens it (a file of a weekly series since 2015 is opened at this week).
  const { from, to } = shownWindow(resourceSpan(parsed.resource), now);
  const out = expandOccurrences(
    [parsed.resource],
    { from: isoDay(from - DAY_MS), to: isoDay(to + 2 * DAY_MS), tz },
    { displayName: name, url: `file:${name}` },
  );
  return { name, kind: 'ics', events: out.occurrences, contacts: [], errors: [...parsed.errors, ...out.errors] };
}
