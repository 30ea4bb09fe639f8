// One event's full details for the UI's details panel, read from the stored item with ical.js: description,
// organizer, attendees and their replies, alarms, privacy class, URL, categories, recurrence in words.
// Times stay as the expansion computed them (the occurrence); only the event's own zone is added.
import ICAL from 'ical.js';
import type { Alarm, Attendee, EventDetails } from '../../../shared/api.ts';
import type { Occurrence } from '../../../shared/models.ts';

type Component = InstanceType<typeof ICAL.Component>;

function text(c: Component, name: string): string | null {
  const v = c.getFirstPropertyValue(name);
  if (v === null || v === undefined) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

function person(p: InstanceType<typeof ICAL.Property>): Attendee {
  const value = String(p.getFirstValue() ?? '');
  const email = /^mailto:/i.test(value) ? value.replace(/^mailto:/i, '') : value || null;
  const param = (n: string) => {
    const v = p.getParameter(n);
    return v === undefined || v === null ? null : String(v);
  };
  return { name: param('cn'), email, partstat: param('partstat')?.toUpperCase() ?? null, role: param('role')?.toUpperCase() ?? null };
}

/** "15 minutes before start", "at start", "1 day after end", or an absolute time. */
function describeTrigger(p: InstanceType<typeof ICAL.Property> | null): string {
  if (!p) return 'unknown time';
  const v = p.getFirstValue() as unknown;
  if (v instanceof ICAL.Duration) {
    const related = String(p.getParameter('related') ?? 'START').toUpperCase() === 'END' ? 'end' : 'start';
    const secs = Math.abs(v.toSeconds());
    if (secs === 0) return `at ${related}`;
    const units: [number, string][] = [
      [604_800, 'week'],
      [86_400, 'day'],
      [3600, 'hour'],
      [60, 'minute'],
      [1, 'second'],
    ];
    const parts: string[] = [];
    let rest = secs;
    for (const [size, name] of units) {
      const n = Math.floor(rest / size);
      if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
      rest %= size;
    }
    return `${parts.join(' ')} ${v.isNegative ? 'before' : 'after'} ${related}`;
  }
  return `at ${String(v)}`;
}

const WEEKDAYS: Record<string, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const ORDINALS: Record<string, string> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '5': 'fifth', '-1': 'last', '-2': 'second to last' };

/** RRULE in English words: "every year on 6 May", "every 2 weeks on Monday and Wednesday, 10 times". */
function recurrenceInWords(rrule: InstanceType<typeof ICAL.Recur>, start: { month: number; day: number } | null): string {
  const interval = rrule.interval || 1;
  const unit = { DAILY: 'day', WEEKLY: 'week', MONTHLY: 'month', YEARLY: 'year', HOURLY: 'hour', MINUTELY: 'minute', SECONDLY: 'second' }[rrule.freq] ?? 'time';
  let s = interval === 1 ? `every ${unit}` : `every ${interval} ${unit}s`;
  const parts = rrule.parts as Record<string, (string | number)[] | undefined>;
  const byday = parts.BYDAY?.map(String) ?? [];
  const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
  const dayName = (d: string) => {
    const m = /^([+-]?\d+)?([A-Z]{2})$/.exec(d);
    if (!m) return d;
    return m[1] ? `the ${ORDINALS[String(Number(m[1]))] ?? `${m[1]}th`} ${WEEKDAYS[m[2]!]}` : (WEEKDAYS[m[2]!] ?? d);
  };
  if (byday.length) s += ` on ${list(byday.map(dayName))}`;
  else if (parts.BYMONTHDAY?.length) s += ` on day ${list(parts.BYMONTHDAY.map(String))}`;
  else if (rrule.freq === 'YEARLY' && start) s += ` on ${start.day} ${MONTHS[start.month - 1]}`;
  else if (rrule.freq === 'MONTHLY' && start) s += ` on day ${start.day}`;
  if (rrule.freq === 'YEARLY' && parts.BYMONTH?.length && (byday.length || parts.BYMONTHDAY?.length))
    s += ` in ${list(parts.BYMONTH.map((m) => MONTHS[Number(m) - 1] ?? String(m)))}`;
  if (rrule.count) s += `, ${rrule.count} time${rrule.count === 1 ? '' : 's'}`;
  else if (rrule.until) s += `, until ${rrule.until.toString().slice(0, 10)}`;
  return s;
}

function sameRecurrenceId(c: Component, recurrenceId: string | null): boolean {
  const rid = c.getFirstPropertyValue('recurrence-id') as InstanceType<typeof ICAL.Time> | null;
  if (!rid || recurrenceId === null) return false;
  const ridText = rid.isDate
    ? rid.toString().slice(0, 10)
    : rid.zone === ICAL.Timezone.utcTimezone
      ? `${rid.toString().slice(0, 19)}Z`
      : rid.toString().slice(0, 19);
  return ridText === recurrenceId || rid.toString() === recurrenceId;
}

/** Details of the occurrence (found by the caller), read from the item's iCalendar data. */
export function eventDetails(ics: string, occurrence: Occurrence, viewerTz: string): EventDetails {
  const root = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  const comps = [...root.getAllSubcomponents('vevent'), ...root.getAllSubcomponents('vtodo')].filter((c) => text(c, 'uid') === occurrence.uid);
  const master = comps.find((c) => !c.hasProperty('recurrence-id')) ?? comps[0];
  const comp = comps.find((c) => sameRecurrenceId(c, occurrence.recurrenceId)) ?? master;
  if (!comp) throw new Error(`the item has no component with UID ${occurrence.uid}`);
  const dtstart = comp.getFirstProperty('dtstart');
  const ownTz = dtstart ? String(dtstart.getParameter('tzid') ?? '') : '';
  const rruleValue = master?.getFirstPropertyValue('rrule') as InstanceType<typeof ICAL.Recur> | null | undefined;
  const masterStart = master?.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time> | null | undefined;
  const organizer = comp.getFirstProperty('organizer');
  const due = comp.getFirstPropertyValue('due') as InstanceType<typeof ICAL.Time> | null;
  return {
    occurrence,
    description: text(comp, 'description'),
    ownZone:
      ownTz && ownTz !== viewerTz && !occurrence.allDay ? { tz: ownTz, start: wallIn(occurrence.start, ownTz), end: wallIn(occurrence.end, ownTz) } : null,
    recurrenceText: rruleValue ? recurrenceInWords(rruleValue, masterStart ? { month: masterStart.month, day: masterStart.day } : null) : null,
    organizer: organizer ? person(organizer) : null,
    attendees: comp.getAllProperties('attendee').map(person),
    alarms: comp.getAllSubcomponents('valarm').map((a): Alarm => ({
      action: text(a, 'action')?.toUpperCase() ?? 'DISPLAY',
      trigger: describeTrigger(a.getFirstProperty('trigger')),
      description: text(a, 'description'),
    })),
    privacy: text(comp, 'class')?.toUpperCase() ?? null,
    url: text(comp, 'url'),
    categories: comp.getAllProperties('categories').flatMap((p) => p.getValues().map(String)),
    due: due ? due.toString() : null,
  };
}

/** An ISO instant with offset shown as wall-clock time in another zone, ISO with that zone's offset. */
function wallIn(iso: string, tz: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  try {
    const f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    const offset = String(p.timeZoneName).replace('GMT', '') || '+00:00';
    return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${offset}`;
  } catch {
    return iso;
  }
}
