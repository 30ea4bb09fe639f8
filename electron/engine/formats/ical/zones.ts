// Time zones: IANA zones through Intl (Node's full ICU), zones defined by an embedded VTIMEZONE, and the mapping
// of the TZIDs found in the wild to them. ical.js is not used for zones: it silently treats a TZID it has no
// VTIMEZONE for as floating (09:00 Europe/Berlin read as 09:00 in the viewer's zone).
import { parseRule, RuleExpander } from './recur.ts';
import { civilFromDays, DAY_MS, daysFromCivil } from './time.ts';
import { parseDateTimeText, parseUtcOffset } from './values.ts';
import { WINDOWS_ZONES } from './windows-zones.ts';

export interface Zone {
  readonly id: string;
  /** Offset from UTC in ms (east positive) in force at the instant. */
  offsetAt(utcMs: number): number;
}

export const UTC_ZONE: Zone = { id: 'UTC', offsetAt: () => 0 };

export function toWall(zone: Zone, utcMs: number): number {
  return utcMs + zone.offsetAt(utcMs);
}

/**
 * The instant of a wall-clock reading. RFC 5545 §3.3.5: a time in a DST gap is read with the offset before the
 * gap (02:30 on a spring-forward night becomes 03:30); a time that occurs twice means the first occurrence.
 */
export function toInstant(zone: Zone, wall: number): number {
  const before = zone.offsetAt(wall - DAY_MS);
  const after = zone.offsetAt(wall + DAY_MS);
  if (before === after) return wall - before;
  const u1 = wall - before;
  const u2 = wall - after;
  const ok1 = zone.offsetAt(u1) === before;
  const ok2 = zone.offsetAt(u2) === after;
  if (ok1 && ok2) return Math.min(u1, u2);
  if (ok2 && !ok1) return u2;
  return u1;
}

interface YearTable {
  start: number;
  end: number;
  at: number[];
  off: number[];
}

/** Offsets cached per UTC year as a list of transitions; each lookup is then a short binary search. */
abstract class TransitionZone implements Zone {
  readonly id: string;
  private readonly years = new Map<number, YearTable>();
  private last: YearTable | null = null;

  constructor(id: string) {
    this.id = id;
  }

  offsetAt(utcMs: number): number {
    let t = this.last;
    if (!t || utcMs < t.start || utcMs >= t.end) {
      const y = civilFromDays(Math.floor(utcMs / DAY_MS)).y;
      t = this.years.get(y) ?? null;
      if (!t) {
        t = this.buildYear(y, daysFromCivil(y, 1, 1) * DAY_MS, daysFromCivil(y + 1, 1, 1) * DAY_MS);
        this.years.set(y, t);
      }
      this.last = t;
    }
    const { at, off } = t;
    if (at.length === 1) return off[0]!;
    let lo = 0;
    let hi = at.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (at[mid]! <= utcMs) lo = mid;
      else hi = mid - 1;
    }
    return off[lo]!;
  }

  protected abstract buildYear(y: number, start: number, end: number): YearTable;
}

const OFFSET_RE = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/;
// Transitions of modern tzdata are months apart; sampling every 4 days and bisecting to the second finds them
// all (some 110 Intl calls per zone and year, once).
const SAMPLE_MS = 4 * DAY_MS;

class IanaZone extends TransitionZone {
  private readonly fmt: Intl.DateTimeFormat;

  constructor(id: string) {
    super(id);
    this.fmt = new Intl.DateTimeFormat('en-US', { timeZone: id, timeZoneName: 'longOffset' });
  }

  private raw(utcMs: number): number {
    const m = OFFSET_RE.exec(this.fmt.format(utcMs));
    if (!m || !m[1]) return 0;
    const ms = (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)) * 1000;
    return m[1] === '-' ? -ms : ms;
  }

  protected buildYear(_y: number, start: number, end: number): YearTable {
    const at = [start];
    const off = [this.raw(start)];
    let prevT = start;
    let prevO = off[0]!;
    while (prevT < end) {
      const t = Math.min(prevT + SAMPLE_MS, end);
      const o = this.raw(t);
      if (o !== prevO) {
        let a = prevT;
        let b = t;
        while (b - a > 1000) {
          const mid = a + Math.max(1000, Math.floor((b - a) / 2000) * 1000);
          if (this.raw(mid) === o) b = mid;
          else a = mid;
        }
        if (b < end) {
          at.push(b);
          off.push(o);
        }
      }
      prevT = t;
      prevO = o;
    }
    return { start, end, at, off };
  }
}

const ianaZones = new Map<string, Zone | null>();

/** The zone for an IANA name (any spelling Intl accepts, e.g. europe/berlin, US/Eastern); null if unknown. */
export function ianaZone(name: string): Zone | null {
  let z = ianaZones.get(name);
  if (z === undefined) {
    try {
      // Intl also accepts offsets such as "+01:00"; they are fixed zones, which is what such a TZID means.
      const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
      z = resolved === 'UTC' || resolved === 'Etc/UTC' ? UTC_ZONE : new IanaZone(name);
    } catch {
      z = null;
    }
    ianaZones.set(name, z);
  }
  return z;
}

const windowsByLowerName = new Map(Object.entries(WINDOWS_ZONES).map(([k, v]) => [k.toLowerCase(), v]));

/**
 * The IANA name a TZID stands for: the name itself; a Windows zone name through CLDR's table
 * ("W. Europe Standard Time" -> Europe/Berlin); or a vendor-prefixed name with the prefix stripped
 * ("/mozilla.org/20050126_1/Europe/Berlin", "/softwarestudio.org/Olson_20011030_5/America/New_York").
 */
export function ianaNameForTzid(tzid: string): string | null {
  let name = tzidNames.get(tzid);
  if (name === undefined) {
    name = resolveTzidName(tzid);
    if (tzidNames.size > 10_000) tzidNames.clear();
    tzidNames.set(tzid, name);
  }
  return name;
}

const tzidNames = new Map<string, string | null>();

function resolveTzidName(tzid: string): string | null {
  const t = tzid
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();
  if (!t) return null;
  if (ianaZone(t)) return t;
  const win = windowsByLowerName.get(t.toLowerCase());
  if (win) return win;
  const parts = t.split('/').filter(Boolean);
  for (let i = 1; i < parts.length; i++) {
    const candidate = parts.slice(i).join('/');
    if ((candidate.includes('/') || candidate === 'UTC') && ianaZone(candidate)) return candidate;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// VTIMEZONE

/** jCal component: [name, properties, subcomponents]. */
export type JCalComponent = [string, JCalProperty[], JCalComponent[]];
export type JCalProperty = [string, Record<string, unknown>, string, ...unknown[]];

interface Observance {
  /** Onset in local time before the change (the observance's DTSTART). */
  onsetWall: number;
  from: number;
  to: number;
  rule: RuleExpander | null;
  untilWall: number | null;
  rdates: number[];
}

/** Observances are expanded only up to the years asked for; a VTIMEZONE's rules are yearly, so this is cheap. */
class VTimezoneZone extends TransitionZone {
  private readonly observances: Observance[];
  private onsets: { at: number; to: number }[] = [];
  private coveredUntil = -Infinity;
  private readonly before: number;

  constructor(id: string, observances: Observance[]) {
    super(id);
    this.observances = observances;
    const first = observances.reduce((a, b) => (b.onsetWall - b.from < a.onsetWall - a.from ? b : a));
    // Before its first onset a zone keeps the offset it changed from.
    this.before = first.from;
  }

  private cover(until: number): void {
    if (until <= this.coveredUntil) return;
    const hi = until + 2 * 366 * DAY_MS;
    const onsets: { at: number; to: number }[] = [];
    for (const o of this.observances) {
      const walls = new Set<number>([o.onsetWall, ...o.rdates]);
      if (o.rule) for (const w of o.rule.between(o.untilWall, o.onsetWall, hi + o.from)) walls.add(w);
      for (const w of walls) onsets.push({ at: w - o.from, to: o.to });
    }
    onsets.sort((a, b) => a.at - b.at);
    this.onsets = onsets;
    this.coveredUntil = hi;
  }

  protected buildYear(_y: number, start: number, end: number): YearTable {
    this.cover(end);
    const at = [start];
    const off = [this.before];
    for (const o of this.onsets) {
      if (o.at <= start) off[0] = o.to;
      else if (o.at < end) {
        at.push(o.at);
        off.push(o.to);
      } else break;
    }
    return { start, end, at, off };
  }
}

/**
 * A zone from an embedded VTIMEZONE, or a reason it cannot be used. Offsets of 24 hours or more (seen in the
 * wild: TZOFFSETFROM:+5328) make that observance unusable; a zone with no usable observance is refused.
 */
export function zoneFromVTimezone(tzid: string, comp: JCalComponent): Zone | string {
  const observances: Observance[] = [];
  for (const sub of comp[2]) {
    const kind = String(sub[0]).toLowerCase();
    if (kind !== 'standard' && kind !== 'daylight') continue;
    let start: number | null = null;
    let from: number | null = null;
    let to: number | null = null;
    let rule: ReturnType<typeof parseRule> | null = null;
    const rdates: number[] = [];
    for (const p of sub[1]) {
      const name = String(p[0]).toLowerCase();
      if (name === 'dtstart') {
        const v = parseDateTimeText(p[3]);
        if (v) start = v.kind === 'date' ? v.day * DAY_MS : v.wall;
      } else if (name === 'tzoffsetfrom') from = parseUtcOffset(p[3]);
      else if (name === 'tzoffsetto') to = parseUtcOffset(p[3]);
      else if (name === 'rrule') rule = parseRule(p[3]);
      else if (name === 'rdate') {
        for (const v of p.slice(3)) {
          const d = parseDateTimeText(Array.isArray(v) ? v[0] : v);
          if (d) rdates.push(d.kind === 'date' ? d.day * DAY_MS : d.wall);
        }
      }
    }
    if (start === null || to === null) continue;
    const fromOffset = from ?? to;
    let expander: RuleExpander | null = null;
    let untilWall: number | null = null;
    if (rule && typeof rule !== 'string') {
      expander = new RuleExpander(rule, start, false);
      // UNTIL of an observance is UTC by RFC 5545; the wall clock it is compared with runs on the old offset.
      if (rule.until) untilWall = rule.until.kind === 'date' ? rule.until.day * DAY_MS + DAY_MS - 1 : rule.until.wall + (rule.until.utc ? fromOffset : 0);
    }
    observances.push({ onsetWall: start, from: fromOffset, to, rule: expander, untilWall, rdates });
  }
  if (observances.length === 0) return `the VTIMEZONE ${tzid} has no usable STANDARD or DAYLIGHT part`;
  return new VTimezoneZone(tzid, observances);
}
