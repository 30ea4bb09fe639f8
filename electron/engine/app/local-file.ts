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

export function readLocalFile({ name, content, tz }: LocalFileRequest): LocalFileView {
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
  // A file is shown from its first event for up to two years (open-ended series would never end).
  const span = resourceSpan(parsed.resource);
  const from = span.start ?? Date.now();
  const to = Math.min(span.end ?? Infinity, from + 731 * 86_400_000);
  const out = expandOccurrences(
    [parsed.resource],
    { from: isoDay(from - 86_400_000), to: isoDay(to + 2 * 86_400_000), tz },
    { displayName: name, url: `file:${name}` },
  );
  return { name, kind: 'ics', events: out.occurrences, contacts: [], errors: [...parsed.errors, ...out.errors] };
}
