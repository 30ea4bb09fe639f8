// The items of one calendar that may have occurrences in a time range, for the first view of an account before
// its full sync (app/window.ts): one calendar-query per component type the calendar holds (RFC 4791 §7.8.1; the
// comp-filters of one query are ANDed, so events and to-dos take one each). Events are asked with a time-range
// (§9.9); to-dos without one (quirk todo-time-range: DAViCal leaves out a to-do with only a DUE), as a person's
// to-dos are few and the expansion keeps those in the window.
// The server decides which items overlap (expanding recurrences on its side); Davlens expands what comes back
// for the window itself, as for stored items. Where an answer cannot be taken as the whole of the range (the
// REPORT refused, a 507), null sends the caller to fetch the calendar whole.
import type { DavlensError } from '../../../shared/errors.ts';
import type { Calendar, RawItem } from '../../../shared/models.ts';
import type { Requester } from '../net/session.ts';
import { componentQueryBody } from '../dav/bodies.ts';
import { quirkNote } from './quirks.ts';
import { multiget, queryMembers } from './members.ts';

/** UTC instants, start inclusive, end exclusive. */
export interface TimeRange {
  start: Date;
  end: Date;
}

/** The component types a window shows, as far as the calendar holds them. */
export function windowComponents(calendar: Calendar): ('VEVENT' | 'VTODO')[] {
  return (['VEVENT', 'VTODO'] as const).filter((c) => calendar.components.includes(c));
}

/** The calendar's items overlapping `range`, or null when the server's answer cannot be taken as all of them. */
export async function timeRangeItems(via: Requester, calendar: Calendar, range: TimeRange): Promise<{ items: RawItem[]; errors: DavlensError[] } | null> {
  const byHref = new Map<string, RawItem>();
  const missing = new Set<string>();
  for (const component of windowComponents(calendar)) {
    if (component === 'VTODO') via.trace.note('items', null, quirkNote('todo-time-range', calendar.url));
    const within = component === 'VEVENT' ? range : null;
    const what = within ? `the events of ${calendar.url} from ${within.start.toISOString()} to ${within.end.toISOString()}` : `the to-dos of ${calendar.url}`;
    const answer = await queryMembers(via, calendar.url, 'calendar', componentQueryBody(component, within), what);
    if (answer.refused !== null) {
      via.trace.note('items', null, `${calendar.url} refused a calendar-query with a time-range (${answer.refused}): fetching it whole instead.`);
      return null;
    }
    if (answer.truncated) {
      via.trace.note('items', null, `${calendar.url} truncated its time-range answer (507): fetching it whole instead.`);
      return null;
    }
    for (const item of answer.items) byHref.set(item.href, item);
    for (const href of answer.missing) missing.add(href);
  }
  for (const href of byHref.keys()) missing.delete(href);
  if (missing.size === 0) return { items: [...byHref.values()], errors: [] };
  // Hrefs without data (a server that answers queries with hrefs only): their data by multiget.
  const more = await multiget(via, calendar.url, 'calendar', [...missing]);
  return { items: [...byHref.values(), ...more.items], errors: more.errors };
}
