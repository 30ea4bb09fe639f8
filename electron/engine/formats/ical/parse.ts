// iCalendar text -> Series (model.ts). ical.js does the tokenising (line unfolding, escapes, parameters); the
// jCal arrays it returns are read directly. Leniency, learnt from khal's test corpus and real servers:
// a bare VEVENT without VCALENDAR, dates written without VALUE=DATE, a property line ical.js rejects (found with
// ../content-lines.ts, dropped with a warning unless it carries timing, which makes only its own component
// unusable), missing UIDs, several UIDs in one resource, RECURRENCE-ID without a master.
import ICAL from 'ical.js';
import type { DateVal, Item, RDate, Series } from './model.ts';
import { checkNesting, componentName, readContentLine, unfoldText, type ContentLine, type FaultyLine } from '../content-lines.ts';
import { parseRule, type RuleSpec } from './recur.ts';
import { parseDateTimeText, parseDuration, type Duration } from './values.ts';
import { ianaNameForTzid, ianaZone, zoneFromVTimezone, type JCalComponent, type JCalProperty, type Zone } from './zones.ts';

export interface ParseOutput {
  /** null when the text as a whole could not be read. */
  series: Series[] | null;
  /** Reasons (sentences without the href) why the resource or one of its components cannot be shown. */
  errors: string[];
  /** Things that were tolerated, e.g. an unknown TZID read in the viewer's zone. */
  warnings: string[];
}

const TIMING_PROPS = new Set(['DTSTART', 'DTEND', 'DUE', 'DURATION', 'RRULE', 'RDATE', 'EXDATE', 'RECURRENCE-ID']);

interface Tokenised {
  jcal: unknown;
  /** Ordinals (document order of VEVENT/VTODO) of components that lost a timing property. */
  broken: Map<number, string>;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What readDescriptive and readTiming read of a VEVENT or VTODO; calendarZone reads X-WR-TIMEZONE of the VCALENDAR. */
const ITEM_PROPS = new Set([...TIMING_PROPS, 'UID', 'SUMMARY', 'LOCATION', 'DESCRIPTION', 'STATUS', 'SEQUENCE']);
const CALENDAR_PROPS = new Set(['X-WR-TIMEZONE']);

/**
 * What ical.js is given to tokenise: the text without what would never be read. A VTIMEZONE whose TZID names an
 * IANA (or Windows) zone is cut whole (that zone's own rules are used, see zoneFor below); another is kept whole.
 * Elsewhere a property line stays only if it is read: in a VEVENT or VTODO those of ITEM_PROPS, in the VCALENDAR
 * X-WR-TIMEZONE, in any other component (VALARM, VJOURNAL...) none; BEGIN and END lines all stay, and so does a
 * line that is no property line, for ical.js to refuse as before. Attendees, alarms and stamps were most of what
 * ical.js tokenised (bench:sync's 10,000 events: ICAL.parse 39 -> 23 ms a calendar when warm).
 */
function readableSubset(ics: string): string {
  const kept: string[] = [];
  let keptFrom = 0;
  let at = 0;
  const cut = (from: number, to: number) => {
    if (from > keptFrom) kept.push(ics.slice(keptFrom, from));
    keptFrom = to;
  };
  const open: string[] = [];
  while (at < ics.length) {
    const next = lineAfter(ics, at);
    const name = propertyName(ics, at);
    // A BEGIN or END line as ical.js reads one: no parameters (see boundaryOf).
    if ((name === 'BEGIN' || name === 'END') && ics[at + name.length] === ':') {
      const component = ics
        .slice(at + name.length + 1, next)
        .trim()
        .toUpperCase();
      if (name === 'BEGIN' && component === 'VTIMEZONE') {
        const stop = zoneEnd(ics, at);
        if (stop !== null) {
          if (stop.known) cut(at, stop.at);
          at = stop.at;
          continue;
        }
      }
      if (name === 'BEGIN') open.push(component);
      else open.pop();
    } else if (name !== null && name !== 'BEGIN' && name !== 'END') {
      const within = open[open.length - 1];
      const read = within === 'VEVENT' || within === 'VTODO' ? ITEM_PROPS : within === 'VCALENDAR' ? CALENDAR_PROPS : within === undefined ? null : NOTHING;
      if (read !== null && !read.has(name)) cut(at, next);
    }
    at = next;
  }
  if (keptFrom === 0) return ics;
  kept.push(ics.slice(keptFrom));
  return kept.join('');
}

const NOTHING: ReadonlySet<string> = new Set();

/** Where the logical line starting at `at` ends: after its line break and every folded continuation. */
export function lineAfter(ics: string, at: number): number {
  let end = ics.indexOf('\n', at);
  while (end >= 0 && (ics[end + 1] === ' ' || ics[end + 1] === '\t')) end = ics.indexOf('\n', end + 1);
  return end < 0 ? ics.length : end + 1;
}

/** The upper-cased property name of the line at `at` (up to its first ';' or ':'), or null for a line that has none. */
export function propertyName(ics: string, at: number): string | null {
  let i = at;
  for (; i < ics.length; i++) {
    const c = ics.charCodeAt(i);
    if (c === 0x3a || c === 0x3b) break;
    // Letters, digits and '-' only: anything else (a line break, a space) makes it no property line.
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) return null;
  }
  return i === at || i === ics.length ? null : ics.slice(at, i).toUpperCase();
}

/** The VTIMEZONE beginning at `at`: where it ends (after its END line) and whether its TZID is a zone known by name. */
function zoneEnd(ics: string, at: number): { at: number; known: boolean } | null {
  const end = ics.indexOf('\nEND:VTIMEZONE', at);
  if (end < 0) return null;
  const lineEnd = ics.indexOf('\n', end + 1);
  const stop = lineEnd < 0 ? ics.length : lineEnd + 1;
  const tzid = /\nTZID:([^\r\n]*)\r?\n(?![ \t])/.exec(ics.slice(at, end))?.[1];
  const iana = tzid === undefined ? null : ianaNameForTzid(tzid);
  return { at: stop, known: iana !== null && ianaZone(iana) !== null };
}

/** ICAL.parse, and when it throws, again without the property lines it cannot read. */
function tokenise(text: string, warnings: string[]): Tokenised {
  // A byte-order mark (files saved by Windows tools) is no part of the text: ical.js refuses it as a bad line.
  const ics = readableSubset(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  checkNesting(ics);
  try {
    return { jcal: ICAL.parse(ics), broken: new Map() };
  } catch (first) {
    const readable = readableLines(ics, warnings);
    if (readable.dropped === 0) throw first;
    return { jcal: ICAL.parse(readable.lines.join('\r\n')), broken: readable.broken };
  }
}

/**
 * The text's logical lines without those ical.js cannot read. A dropped line is a warning, or, when it carries
 * timing, the reason why its VEVENT or VTODO (by ordinal) cannot be shown.
 */
function readableLines(ics: string, warnings: string[]): { lines: string[]; broken: Map<number, string>; dropped: number } {
  const lines: string[] = [];
  const broken = new Map<number, string>();
  const stack: (number | null)[] = [];
  let ordinal = -1;
  let dropped = 0;
  for (const text of unfoldText(ics)) {
    if (!text.trim()) continue;
    const line = readContentLine(text);
    const boundary = boundaryOf(text, line);
    if (boundary?.begins) stack.push(boundary.component === 'VEVENT' || boundary.component === 'VTODO' ? ++ordinal : null);
    else if (boundary) stack.pop();
    if (boundary) {
      lines.push(text);
      continue;
    }
    try {
      ICAL.parse.property(text);
      lines.push(text);
    } catch (e) {
      dropped++;
      const name = text.slice(0, line.nameEnd).toUpperCase();
      const owner = stack.findLast((x) => x !== null);
      const reason = `its ${name || 'unnamed'} line could not be read (${errorText(e)})`;
      if (TIMING_PROPS.has(name) && owner !== undefined && owner !== null) {
        if (!broken.has(owner)) broken.set(owner, reason);
      } else {
        warnings.push(`ignored a line: ${reason}`);
      }
    }
  }
  return { lines, broken, dropped };
}

/** A BEGIN or END line as ical.js reads one (no parameters; BEGIN or END directly before the ':'), or null. */
function boundaryOf(text: string, line: ContentLine | FaultyLine): { begins: boolean; component: string } | null {
  if ('fault' in line || line.params.length > 0) return null;
  const name = text.slice(0, line.nameEnd).trimStart().toUpperCase();
  if (name !== 'BEGIN' && name !== 'END') return null;
  return { begins: name === 'BEGIN', component: componentName(line) };
}

function prop3(p: JCalProperty): unknown {
  return p[3];
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(String).join(',');
  return v === undefined || v === null ? '' : String(v);
}

export function parseIcs(href: string, ics: string): ParseOutput {
  const warnings: string[] = [];
  const errors: string[] = [];
  let tok: Tokenised;
  try {
    tok = tokenise(ics, warnings);
  } catch (e) {
    return { series: null, errors: [`it is not valid iCalendar (${errorText(e)})`], warnings };
  }
  const tops: JCalComponent[] = [];
  const j = tok.jcal;
  if (Array.isArray(j) && typeof j[0] === 'string') tops.push(j as JCalComponent);
  else if (Array.isArray(j)) for (const c of j) if (Array.isArray(c) && typeof c[0] === 'string') tops.push(c as JCalComponent);
  if (tops.length === 0) return { series: null, errors: ['it contains no iCalendar data'], warnings };

  const timezones = new Map<string, JCalComponent>();
  const comps: JCalComponent[] = [];
  const walk = (c: JCalComponent) => {
    const name = String(c[0]).toLowerCase();
    if (name === 'vcalendar') for (const sub of c[2] ?? []) walk(sub);
    else if (name === 'vevent' || name === 'vtodo') comps.push(c);
    else if (name === 'vtimezone') {
      const tzid = c[1].find((p) => p[0] === 'tzid');
      if (tzid) timezones.set(textOf(tzid[3]), c);
    }
  };
  for (const c of tops) walk(c);
  const floating = calendarZone(tops, warnings);

  const zones = new Map<string, Zone | null>();
  const zoneFor = (tzid: string): Zone | null => {
    let z = zones.get(tzid);
    if (z !== undefined) return z;
    const iana = ianaNameForTzid(tzid);
    z = iana ? ianaZone(iana) : null;
    if (!z) {
      const vt = timezones.get(tzid);
      if (vt) {
        const r = zoneFromVTimezone(tzid, vt);
        if (typeof r === 'string') warnings.push(r);
        else z = r;
      }
    }
    if (!z) warnings.push(`the TZID "${tzid}" is neither an IANA nor a Windows zone and has no usable VTIMEZONE: its times are read as floating times`);
    zones.set(tzid, z);
    return z;
  };

  const items: Item[] = [];
  comps.forEach((c, ordinal) => {
    const broken = tok.broken.get(ordinal);
    const r = broken ? broken : readItem(c, zoneFor, floating, warnings);
    if (typeof r === 'string') {
      const uid = c[1].find((p) => p[0] === 'uid');
      const kind = String(c[0]).toUpperCase();
      errors.push(`its ${kind}${uid ? ` ${textOf(uid[3])}` : ''} cannot be shown: ${r}`);
    } else {
      items.push(r);
    }
  });
  return { series: groupSeries(href, items, warnings), errors, warnings };
}

/**
 * The zone of the calendar's floating date-times: its X-WR-TIMEZONE (Apple and Google write it, and mean their
 * floating times to be in it), or null (floating: the viewer's zone, RFC 5545 §3.3.5). See the README.
 */
function calendarZone(tops: JCalComponent[], warnings: string[]): Zone | null {
  for (const top of tops) {
    const x = top[1].find((p) => p[0] === 'x-wr-timezone');
    if (!x) continue;
    const name = textOf(x[3]).trim();
    const iana = ianaNameForTzid(name);
    const zone = iana ? ianaZone(iana) : null;
    if (!zone) warnings.push(`the calendar's X-WR-TIMEZONE "${name}" is not a zone Davlens knows: its floating times are read in the viewer's zone`);
    return zone;
  }
  return null;
}

type DateOf = (text: unknown, params: Record<string, unknown>) => DateVal | null;

/** What reading one component's properties needs, and what it has seen so far. */
interface ItemReader {
  item: Item;
  dateOf: DateOf;
  warnings: string[];
  /** The first DTSTART, and the first DTEND (DUE for a to-do), win. */
  sawStart: boolean;
  sawEnd: boolean;
}

/** One VEVENT or VTODO, or the reason it cannot be shown. */
function readItem(c: JCalComponent, zoneFor: (tzid: string) => Zone | null, floating: Zone | null, warnings: string[]): Item | string {
  const item = emptyItem(String(c[0]).toLowerCase() === 'vtodo' ? 'todo' : 'event');
  const reader: ItemReader = { item, dateOf: dateReader(zoneFor, floating), warnings, sawStart: false, sawEnd: false };
  for (const p of c[1]) {
    if (readDescriptive(item, p)) continue;
    const problem = readTiming(reader, p);
    if (problem !== null) return problem;
  }
  if (item.type === 'event' && !item.start) {
    if (!item.recurrenceId) return 'it has no DTSTART';
    // An override may leave DTSTART out; it then happens at its RECURRENCE-ID.
    item.start = item.recurrenceId;
  }
  return item;
}

function emptyItem(type: Item['type']): Item {
  return {
    type,
    uid: '',
    summary: '',
    location: null,
    description: null,
    status: null,
    sequence: 0,
    start: null,
    end: null,
    duration: null,
    rrules: [],
    rdates: [],
    exdates: [],
    recurrenceId: null,
    thisAndFuture: false,
  };
}

/** Reads a date or date-time value with its TZID in the resource's zones. */
function dateReader(zoneFor: (tzid: string) => Zone | null, floating: Zone | null): DateOf {
  return (text, params) => {
    const v = parseDateTimeText(text);
    if (!v) return null;
    if (v.kind === 'date') return v;
    if (v.utc) return { kind: 'utc', ms: v.wall };
    const tzid = typeof params.tzid === 'string' ? params.tzid : null;
    // No TZID, or one that could not be resolved: a floating time, in the calendar's X-WR-TIMEZONE if it has one.
    return { kind: 'local', wall: v.wall, zone: (tzid ? zoneFor(tzid) : null) ?? floating };
  };
}

/** The properties that say what an item is (not when): true when `p` was one of them. */
function readDescriptive(item: Item, p: JCalProperty): boolean {
  switch (p[0]) {
    case 'uid':
      item.uid = textOf(prop3(p)).trim();
      return true;
    case 'summary':
      item.summary = textOf(prop3(p));
      return true;
    case 'location':
      item.location = textOf(prop3(p));
      return true;
    case 'description':
      item.description = textOf(prop3(p));
      return true;
    case 'status':
      item.status = textOf(prop3(p)).trim().toUpperCase() || null;
      return true;
    case 'sequence':
      item.sequence = Number(prop3(p)) || 0;
      return true;
    default:
      return false;
  }
}

/** The properties that say when: null, or the reason the item cannot be shown. Unreadable optional ones warn. */
function readTiming(r: ItemReader, p: JCalProperty): string | null {
  const { item, dateOf, warnings } = r;
  const name = p[0];
  const params = p[1] ?? {};
  switch (name) {
    case 'dtstart':
      if (r.sawStart) break;
      r.sawStart = true;
      item.start = dateOf(prop3(p), params);
      if (!item.start) return `its DTSTART "${textOf(prop3(p))}" is not a date or date-time`;
      break;
    case 'dtend':
    case 'due':
      if ((name === 'due') !== (item.type === 'todo') || r.sawEnd) break;
      r.sawEnd = true;
      item.end = dateOf(prop3(p), params);
      if (!item.end) warnings.push(`ignored the unreadable ${name.toUpperCase()} "${textOf(prop3(p))}" of ${item.uid || 'an item'}`);
      break;
    case 'duration':
      item.duration = parseDuration(prop3(p));
      if (!item.duration) warnings.push(`ignored the unreadable DURATION "${textOf(prop3(p))}"`);
      break;
    case 'rrule': {
      const rule: RuleSpec | string = parseRule(prop3(p));
      if (typeof rule === 'string') return rule;
      item.rrules.push(rule);
      break;
    }
    case 'rdate':
      for (const v of p.slice(3)) {
        const rd = readRDate(v, params, dateOf);
        if (rd) item.rdates.push(rd);
        else warnings.push(`ignored the unreadable RDATE "${textOf(v)}"`);
      }
      break;
    case 'exdate':
      for (const v of p.slice(3)) {
        const d = dateOf(v, params);
        if (d) item.exdates.push(d);
        else warnings.push(`ignored the unreadable EXDATE "${textOf(v)}"`);
      }
      break;
    case 'recurrence-id':
      item.recurrenceId = dateOf(prop3(p), params);
      if (!item.recurrenceId) return `its RECURRENCE-ID "${textOf(prop3(p))}" is not a date or date-time`;
      item.thisAndFuture = String(params.range ?? '').toUpperCase() === 'THISANDFUTURE';
      break;
  }
  return null;
}

function readRDate(v: unknown, params: Record<string, unknown>, dateOf: DateOf): RDate | null {
  if (Array.isArray(v)) {
    const start = dateOf(v[0], params);
    if (!start) return null;
    const duration: Duration | null = parseDuration(v[1]);
    const end = duration ? null : dateOf(v[1], params);
    return { start, end, duration };
  }
  const start = dateOf(v, params);
  return start ? { start, end: null, duration: null } : null;
}

function ridKey(v: DateVal): string {
  if (v.kind === 'date') return `d${v.day}`;
  if (v.kind === 'utc') return `u${v.ms}`;
  return `l${v.wall}@${v.zone?.id ?? ''}`;
}

/** Groups items by UID; a duplicate keeps the higher SEQUENCE (the later one on a tie). */
function groupSeries(href: string, items: Item[], warnings: string[]): Series[] {
  const byUid = new Map<string, Series>();
  // Per series, the index in `overrides` of each RECURRENCE-ID: a map, so that 100k overrides read in linear time.
  const overrideAt = new Map<Series, Map<string, number>>();
  let anonymous = 0;
  for (const item of items) {
    if (!item.uid) {
      // No UID (RFC 5545 requires one): derive a stable one from the href, distinct per master.
      item.uid = item.recurrenceId || anonymous === 0 ? `${href}#no-uid` : `${href}#no-uid-${anonymous + 1}`;
      if (!item.recurrenceId) anonymous++;
    }
    let s = byUid.get(item.uid);
    if (!s) {
      s = { uid: item.uid, master: null, overrides: [] };
      byUid.set(item.uid, s);
    }
    if (item.recurrenceId) {
      const key = ridKey(item.recurrenceId);
      let at = overrideAt.get(s);
      if (!at) overrideAt.set(s, (at = new Map()));
      const i = at.get(key);
      if (i === undefined) at.set(key, s.overrides.push(item) - 1);
      else if (item.sequence >= s.overrides[i]!.sequence) s.overrides[i] = item;
    } else if (s.master) {
      warnings.push(`UID ${item.uid} has more than one master component: kept the one with the highest SEQUENCE`);
      if (item.sequence >= s.master.sequence) s.master = item;
    } else {
      s.master = item;
    }
  }
  return [...byUid.values()];
}
