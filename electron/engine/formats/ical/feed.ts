// A subscribed feed (a webcal or ICS URL) read into the items the store keeps: one per UID, each a VCALENDAR of its
// own with the VTIMEZONEs it names and the feed's X-WR-TIMEZONE, so a feed is stored, indexed, expanded and
// exported like a CalDAV calendar. No server validated a feed before it got here: what its producer wrote wrong
// is mended where the intent is plain, and every such thing is named (`notes`); what cannot be read at all is a
// FeedError, and the last good copy stays.
import { createHash } from 'node:crypto';
import colorNames from 'color-name';
import { componentsOf, physicalLines, props, subcomponents, textValue, type ComponentNode } from '../content-lines.ts';
import { referencedTzids } from '../export/ics.ts';
import { componentLines, foldLine } from '../export/lines.ts';
import { parseDuration } from './values.ts';

/** The feed as a whole cannot be read (an HTML page, not iCalendar, truncated): `message` says why. */
export class FeedError extends Error {}

export interface FeedItem {
  /** Names the item within the feed (its UID; see readFeed): the fragment of its href. */
  key: string;
  /** The item as a calendar resource of its own. */
  data: string;
}

export interface Feed {
  /** X-WR-CALNAME, or RFC 7986 NAME. */
  name: string | null;
  /** #rrggbb from RFC 7986 COLOR (a CSS colour name) or X-APPLE-CALENDAR-COLOR. */
  color: string | null;
  description: string | null;
  /** RFC 7986 REFRESH-INTERVAL, else X-PUBLISHED-TTL, in minutes (at least 1). */
  refreshMinutes: number | null;
  /** The component types it holds (VEVENT, VTODO). */
  components: string[];
  items: FeedItem[];
  /** What was mended or could not be shown as written, as sentences. */
  notes: string[];
}

const SHOWN = new Set(['VEVENT', 'VTODO']);

/** Property names of RFC 5545, 6638, 7986, 9073 and 9074: a line naming none of them (nor X-) is no property line. */
const PROPERTY_NAMES = new Set(
  (
    'BEGIN END CALSCALE METHOD PRODID VERSION ATTACH CATEGORIES CLASS COMMENT DESCRIPTION GEO LOCATION PERCENT-COMPLETE PRIORITY ' +
    'RESOURCES STATUS SUMMARY COMPLETED DTEND DUE DTSTART DURATION FREEBUSY TRANSP TZID TZNAME TZOFFSETFROM TZOFFSETTO TZURL ' +
    'ATTENDEE CONTACT ORGANIZER RECURRENCE-ID RELATED-TO URL UID EXDATE EXRULE RDATE RRULE ACTION REPEAT TRIGGER CREATED DTSTAMP ' +
    'LAST-MODIFIED SEQUENCE REQUEST-STATUS NAME REFRESH-INTERVAL SOURCE COLOR IMAGE CONFERENCE TZUNTIL TZID-ALIAS-OF ACKNOWLEDGED ' +
    'PROXIMITY STRUCTURED-DATA STYLED-DESCRIPTION LOCATION-TYPE PARTICIPANT-TYPE CALENDAR-ADDRESS SCHEDULE-TAG'
  ).split(' '),
);

/** Properties whose value is text: a raw line break inside one is a line break of the text. */
const TEXT_PROPERTIES = new Set(['SUMMARY', 'DESCRIPTION', 'LOCATION', 'COMMENT', 'CONTACT', 'RESOURCES', 'CATEGORIES', 'X-ALT-DESC']);

export function readFeed(text: string): Feed {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (/^\s*<(!doctype\s+html|html|head|body)\b/i.test(body)) throw new FeedError('it is an HTML page, not a calendar');
  if (!/^\s*BEGIN:VCALENDAR[ \t]*(\r|\n|$)/i.test(body))
    throw new FeedError(`it is not an iCalendar file (it begins "${visible(body.trimStart().slice(0, 40))}")`);
  const mended = mendFolds(body);
  let roots: ComponentNode[];
  try {
    // componentsOf refuses nesting deeper than any real calendar's, before anything recursive sees it.
    roots = componentsOf(mended.lines);
  } catch (e) {
    throw new FeedError(`it is not valid iCalendar (${(e as Error).message})`);
  }
  const notes: string[] = [];
  if (mended.joined > 0)
    notes.push(
      `${count(mended.joined, 'line continues', 'lines continue')} the line before without the leading space of a fold (a broken fold): read as part of it`,
    );
  const feed: Feed = { name: null, color: null, description: null, refreshMinutes: null, components: [], items: [], notes };
  const calendars = roots.filter((r) => r.name === 'VCALENDAR');
  if (calendars.length === 0) throw new FeedError('it holds no VCALENDAR');
  const header: string[] = [];
  const zones = new Map<string, ComponentNode>();
  const shown: ComponentNode[] = [];
  for (const cal of calendars) {
    for (const line of props(cal)) {
      const value = textValue(line).trim();
      if (line.name === 'X-WR-CALNAME' || (line.name === 'NAME' && feed.name === null)) feed.name = value || feed.name;
      else if (line.name === 'X-WR-CALDESC' || (line.name === 'DESCRIPTION' && feed.description === null)) feed.description = value || feed.description;
      else if (line.name === 'COLOR' || (line.name === 'X-APPLE-CALENDAR-COLOR' && feed.color === null)) feed.color = cssColor(value) ?? feed.color;
      else if (line.name === 'REFRESH-INTERVAL' || (line.name === 'X-PUBLISHED-TTL' && feed.refreshMinutes === null))
        feed.refreshMinutes = minutesOf(value) ?? feed.refreshMinutes;
      // What each item's own VCALENDAR needs of the feed's: its producer, and the zone of its floating times.
      if ((line.name === 'VERSION' || line.name === 'PRODID' || line.name === 'X-WR-TIMEZONE') && !header.some((h) => h.startsWith(line.name)))
        header.push(line.raw);
    }
    for (const c of subcomponents(cal)) {
      if (c.name === 'VTIMEZONE') {
        const tzid = props(c).find((p) => p.name === 'TZID');
        if (tzid && !zones.has(textValue(tzid))) zones.set(textValue(tzid), c);
      } else if (SHOWN.has(c.name)) {
        shown.push(c);
      }
    }
  }
  if (!header.some((h) => h.startsWith('VERSION'))) header.unshift('VERSION:2.0');
  feed.components = [...SHOWN].filter((name) => shown.some((c) => c.name === name));
  feed.items = itemsOf(shown, header, zones, notes);
  return feed;
}

/**
 * The feed's logical lines: folds joined (RFC 5545 §3.1), blank lines dropped, and each line that is no property
 * line joined to the one before it (a broken fold, see readFeed's notes). One pass, no second split.
 */
function mendFolds(text: string): { lines: string[]; joined: number } {
  const out: string[] = [];
  let joined = 0;
  let property = '';
  for (const line of physicalLines(text)) {
    if (line === '' || line.trim() === '') continue;
    const first = line.charCodeAt(0);
    if (out.length > 0 && (first === 0x20 || first === 0x09)) {
      out[out.length - 1] += line.slice(1);
      continue;
    }
    const name = out.length > 0 ? lineName(line) : null;
    if (out.length > 0 && (name === null || !(PROPERTY_NAMES.has(name) || name.startsWith('X-')))) {
      // A raw line break inside a text value, as most broken folds are; elsewhere a fold that lost its space.
      out[out.length - 1] += TEXT_PROPERTIES.has(property) ? `\\n${line}` : line;
      joined++;
      continue;
    }
    if (name !== null) property = name;
    out.push(line);
  }
  return { lines: out, joined };
}

/** A property line's upper-case name (a BEGIN or END line's too): letters, digits and '-' before ';' or ':'; else null. */
function lineName(line: string): string | null {
  let i = 0;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    const letter = c | 0x20;
    if (!((letter >= 0x61 && letter <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) break;
  }
  if (i === 0 || (line[i] !== ';' && line[i] !== ':')) return null;
  const name = line.slice(0, i);
  return PROPERTY_NAMES.has(name) ? name : name.toUpperCase();
}

/** An event or to-do of the feed: its node, and its lines as served (unfolded), which its item copies. */
interface Entry {
  node: ComponentNode;
  lines: string[];
}

interface UidGroup {
  /** Components without RECURRENCE-ID, each different from the others. */
  masters: Entry[];
  overrides: Entry[];
}

/** One item per UID (the master with its overrides); a UID that several different masters share, one item each. */
function itemsOf(components: ComponentNode[], header: string[], zones: Map<string, ComponentNode>, notes: string[]): FeedItem[] {
  const groups = new Map<string, UidGroup>();
  const seen = new Set<string>();
  let withoutUid = 0;
  let repeated = 0;
  const ownRules: string[] = [];
  for (const node of components) {
    const entry = { node, lines: componentLines(node) };
    const content = contentHash(entry.lines);
    if (seen.has(content)) {
      repeated++;
      continue;
    }
    seen.add(content);
    const own = props(node);
    const uidLine = own.find((p) => p.name === 'UID');
    let uid = uidLine ? textValue(uidLine).trim() : '';
    if (!uid) {
      // RFC 5545 requires a UID: one from the content is stable across refreshes while the event stays the same.
      uid = `davlens-${content.slice(0, 20)}`;
      entry.lines.splice(1, 0, `UID:${uid}`);
      withoutUid++;
    }
    let group = groups.get(uid);
    if (!group) groups.set(uid, (group = { masters: [], overrides: [] }));
    if (own.some((p) => p.name === 'RECURRENCE-ID')) {
      group.overrides.push(entry);
      if (own.some((p) => p.name === 'RRULE')) ownRules.push(uid);
    } else {
      group.masters.push(entry);
    }
  }
  const shared = [...groups].filter(([, g]) => g.masters.length > 1);
  if (withoutUid > 0) notes.push(`${count(withoutUid, 'event has', 'events have')} no UID: each is known by a hash of its content`);
  if (repeated > 0) notes.push(`${count(repeated, 'event is', 'events are')} listed twice word for word: shown once`);
  if (shared.length > 0)
    notes.push(`${listed(shared.map(([uid]) => uid))} ${shared.length === 1 ? 'names' : 'each name'} several different events: each is shown`);
  if (ownRules.length > 0)
    notes.push(
      `${listed([...new Set(ownRules)])} ${ownRules.length === 1 ? 'has' : 'have'} an occurrence with an RRULE of its own: it replaces that one occurrence, its rule is not followed`,
    );
  const items: FeedItem[] = [];
  for (const [uid, g] of groups) {
    const [first, ...others] = g.masters;
    items.push({ key: uid, data: calendarOf([...(first ? [first] : []), ...g.overrides], header, zones) });
    others.forEach((m, i) => items.push({ key: `${uid}~${i + 2}`, data: calendarOf([m], header, zones) }));
  }
  return items;
}

/** A VCALENDAR of the feed's header lines, the VTIMEZONEs the entries name, and the entries, folded. */
function calendarOf(entries: Entry[], header: string[], zones: Map<string, ComponentNode>): string {
  const tzids = new Set<string>();
  for (const e of entries) for (const tzid of referencedTzids(e.node)) tzids.add(tzid);
  let out = 'BEGIN:VCALENDAR\r\n';
  const add = (lines: readonly string[]) => {
    for (const l of lines) out += `${foldLine(l)}\r\n`;
  };
  add(header);
  for (const tzid of tzids) {
    const zone = zones.get(tzid);
    if (zone) add(componentLines(zone));
  }
  for (const e of entries) add(e.lines);
  return `${out}END:VCALENDAR\r\n`;
}

/** What makes two components the same event: their lines except DTSTAMP, which feeds set to the time of each download. */
function contentHash(lines: readonly string[]): string {
  return createHash('sha256')
    .update(lines.filter((l) => !DTSTAMP.test(l)).join('\n'))
    .digest('hex');
}

const DTSTAMP = /^DTSTAMP[;:]/i;

/** #rrggbb of a CSS colour (RFC 7986 COLOR is a CSS3 name; Apple writes #RRGGBB or #RRGGBBAA), or null. */
export function cssColor(value: string): string | null {
  const v = value.trim().toLowerCase();
  const hex = /^#([0-9a-f]{6})(?:[0-9a-f]{2})?$/.exec(v);
  if (hex) return `#${hex[1]}`;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(v);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  const rgb = Object.hasOwn(colorNames, v) ? colorNames[v as keyof typeof colorNames] : null;
  return rgb ? `#${rgb.map((n) => n.toString(16).padStart(2, '0')).join('')}` : null;
}

/** Minutes of a positive duration (P1W, PT1H), rounded up; null for anything else. */
function minutesOf(value: string): number | null {
  const d = parseDuration(value);
  if (!d) return null;
  const minutes = Math.ceil((d.days * 86_400_000 + d.ms) / 60_000);
  return minutes > 0 ? minutes : null;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function listed(uids: string[]): string {
  const shown = uids.slice(0, 3).map((u) => `UID ${u}`);
  return uids.length > 3 ? `${shown.join(', ')} and ${uids.length - 3} more` : shown.join(' and ');
}

/** Text for a sentence, control characters shown escaped. */
function visible(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}
