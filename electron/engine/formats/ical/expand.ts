// Series -> occurrences overlapping a window, in the viewer's zone.
// Overlap follows RFC 4791 §9.9, with a zero-length item counted when it starts inside [from, to) (also exactly
// at `from`). All-day items compare as calendar dates, so a birthday stays on its date in every zone.
import type { Occurrence } from '../../../../shared/models.ts';
import type { DateVal, Item, Series } from './model.ts';
import { RuleExpander, StepPool, type RuleSpec } from './recur.ts';
import { DAY_MS, dayOfWall, formatDay, formatOffset, formatWall, HOUR_MS } from './time.ts';
import type { Duration } from './values.ts';
import { toInstant, toWall, UTC_ZONE, type Zone } from './zones.ts';

export interface Window {
  viewer: Zone;
  /** Day numbers of the window's dates: [fromDay, toDay). */
  fromDay: number;
  toDay: number;
  /** Instants of midnight of those dates in the viewer's zone. */
  fromMs: number;
  toMs: number;
}

export interface CalendarRef {
  displayName: string;
  url: string;
}

/** An occurrence with numeric keys for sorting. */
export interface Draft {
  occ: Occurrence;
  startKey: number;
  endKey: number;
}

// Wall clock and instant differ by at most the zone offset (under 15 h, historic zones included) plus a DST jump.
const WALL_MARGIN = 16 * HOUR_MS;

/** How long each instance lasts: whole days (all-day), exact time, or nominal days plus exact time. */
type Span = { days: number; ms: number };

function zoneOf(v: DateVal, viewer: Zone): Zone {
  return v.kind === 'local' ? (v.zone ?? viewer) : UTC_ZONE;
}

function wallOf(v: DateVal): number {
  return v.kind === 'date' ? v.day * DAY_MS : v.kind === 'utc' ? v.ms : v.wall;
}

function instantOf(v: DateVal, viewer: Zone): number {
  if (v.kind === 'utc') return v.ms;
  if (v.kind === 'date') return toInstant(viewer, v.day * DAY_MS);
  return toInstant(v.zone ?? viewer, v.wall);
}

/**
 * The span of an item's instances (RFC 5545: DTEND, else DURATION, else one day for a date, else zero). An
 * override with neither DTEND nor DURATION keeps its master's length (`inherited`), as clients mean it to.
 */
function spanOf(item: Item, anchor: DateVal, viewer: Zone, inherited: Span | null): Span {
  const isDate = anchor.kind === 'date';
  const end = item.type === 'todo' && !item.start ? null : item.end;
  if (end) {
    if (isDate) {
      const endDay = end.kind === 'date' ? end.day : dayOfWall(wallOf(end));
      return { days: Math.max(1, endDay - anchor.day), ms: 0 };
    }
    return { days: 0, ms: Math.max(0, instantOf(end, viewer) - instantOf(anchor, viewer)) };
  }
  if (item.duration) return durationSpan(item.duration, isDate);
  if (inherited) return inherited;
  return { days: isDate ? 1 : 0, ms: 0 };
}

function durationSpan(d: Duration, isDate: boolean): Span {
  if (isDate) return { days: Math.max(1, d.days + Math.floor(d.ms / DAY_MS)), ms: 0 };
  return { days: Math.max(0, d.days), ms: Math.max(0, d.ms) };
}

/** Output strings, cached: occurrences share few distinct days, times of day and offsets. */
class Formatter {
  private readonly days = new Map<number, string>();
  private readonly times = new Map<number, string>();
  private readonly offsets = new Map<number, string>();

  day(day: number): string {
    let s = this.days.get(day);
    if (s === undefined) {
      s = formatDay(day);
      this.days.set(day, s);
    }
    return s;
  }

  /** Local ISO without offset. */
  wall(wall: number): string {
    const day = dayOfWall(wall);
    const tod = wall - day * DAY_MS;
    let t = this.times.get(tod);
    if (t === undefined) {
      t = formatWall(tod).slice(10);
      this.times.set(tod, t);
    }
    return this.day(day) + t;
  }

  instant(ms: number, viewer: Zone): string {
    const off = viewer.offsetAt(ms);
    let o = this.offsets.get(off);
    if (o === undefined) {
      o = formatOffset(off);
      this.offsets.set(off, o);
    }
    return this.wall(ms + off) + o;
  }

  /** A RECURRENCE-ID as the item writes it: ...Z, local ISO without offset, or a date. */
  rid(v: DateVal): string {
    if (v.kind === 'date') return this.day(v.day);
    if (v.kind === 'utc') return `${this.wall(v.ms)}Z`;
    return this.wall(v.wall);
  }
}

type Future = { key: number; item: Item; shift: number; zone: Zone; span: Span };

/**
 * Occurrence budgets, so that a runaway series (FREQ=SECONDLY: 86,400 a day) costs its own cut, not the whole
 * answer's memory. No person reads more than a few thousand instances of one series in one window (an event every
 * 15 minutes for a year is 35,040); whatever is cut is reported per series (see `cut`).
 */
export const OCCURRENCES_PER_SERIES = 20_000;
export const OCCURRENCES_PER_WINDOW = 200_000;
/**
 * Rule instances computed per series and window: more than the budget, since the wall-clock range searched is
 * wider than the window (WALL_MARGIN: 57,600 instances of a SECONDLY rule) and EXDATEs remove some.
 */
const WALLS_PER_SERIES = 4 * OCCURRENCES_PER_SERIES;

export class SeriesExpander {
  private readonly win: Window;
  private readonly cal: CalendarRef;
  private readonly fmt = new Formatter();
  private href = '';
  readonly out: Draft[] = [];
  /** What the current series may still emit (its own budget, bounded by what the window has left). */
  private left = 0;
  /** True when the last expanded series had more occurrences in the window than it was allowed. */
  cut = false;
  /** The ical.js steps the current item has left (see recur.ts ITEM_ICAL_STEPS); `startItem` refills it. */
  private pool = new StepPool();

  constructor(win: Window, cal: CalendarRef) {
    this.win = win;
    this.cal = cal;
  }

  private push(
    props: Item,
    uid: string,
    allDay: boolean,
    start: string,
    end: string,
    startKey: number,
    endKey: number,
    recurrenceId: string | null,
    recurring: boolean,
  ): void {
    if (this.left <= 0) {
      this.cut = true;
      return;
    }
    this.left--;
    this.out.push({
      startKey,
      endKey,
      occ: {
        type: props.type,
        uid,
        summary: props.summary,
        start,
        end,
        allDay,
        calendar: this.cal.displayName,
        calendarUrl: this.cal.url,
        recurrenceId,
        location: props.location,
        status: props.status,
        href: this.href,
        recurring,
        source: 'calendar',
      },
    });
  }

  /** Emits an all-day instance [startDay, endDay) if it overlaps the window's dates. */
  private allDay(props: Item, uid: string, startDay: number, endDay: number, rid: DateVal | null, recurring: boolean): void {
    const { viewer, fromDay, toDay } = this.win;
    if (endDay <= startDay) endDay = startDay + 1;
    if (!(startDay < toDay && endDay > fromDay)) return;
    const f = this.fmt;
    this.push(
      props,
      uid,
      true,
      f.day(startDay),
      f.day(endDay),
      toInstant(viewer, startDay * DAY_MS),
      toInstant(viewer, endDay * DAY_MS),
      rid ? f.rid(rid) : null,
      recurring,
    );
  }

  /** Emits a timed instance [s, e) (instants) if it overlaps the window; zero length counts at its start. */
  private timed(props: Item, uid: string, s: number, e: number, rid: DateVal | null, recurring: boolean): void {
    const { viewer, fromMs, toMs } = this.win;
    if (e < s) e = s;
    if (e === s ? !(s >= fromMs && s < toMs) : !(s < toMs && e > fromMs)) return;
    const f = this.fmt;
    this.push(props, uid, false, f.instant(s, viewer), f.instant(e, viewer), s, e, rid ? f.rid(rid) : null, recurring);
  }

  /** An instance starting at `start` lasting `span`. */
  private emit(props: Item, uid: string, start: DateVal, span: Span, rid: DateVal | null, recurring: boolean): void {
    if (start.kind === 'date') {
      this.allDay(props, uid, start.day, start.day + Math.max(1, span.days), rid, recurring);
      return;
    }
    const viewer = this.win.viewer;
    const s = instantOf(start, viewer);
    const e = (span.days ? toInstant(zoneOf(start, viewer), wallOf(start) + span.days * DAY_MS) : s) + span.ms;
    this.timed(props, uid, s, e, rid, recurring);
  }

  /** Called before the series of the next calendar item: each item gets its own pool of recurrence steps. */
  startItem(): void {
    this.pool = new StepPool();
  }

  /** Emits the series' occurrences in the window, at most its budget (`cut` then says so). */
  expand(series: Series, href: string): void {
    this.href = href;
    this.cut = false;
    this.left = Math.min(OCCURRENCES_PER_SERIES, OCCURRENCES_PER_WINDOW - this.out.length);
    const { master } = series;
    const viewer = this.win.viewer;
    let masterSpan: Span | null = null;
    if (master) {
      const anchor = master.start ?? master.end;
      if (anchor) {
        masterSpan = spanOf(master, anchor, viewer, null);
        this.expandMaster(series, master, anchor, masterSpan);
      }
    }
    for (const o of series.overrides) {
      const start = o.start ?? o.recurrenceId!;
      this.emit(o, series.uid, start, spanOf(o, start, viewer, masterSpan), o.recurrenceId, true);
    }
  }

  private expandMaster(series: Series, master: Item, anchor: DateVal, span: Span): void {
    const recurring = master.rrules.length > 0 || master.rdates.length > 0 || series.overrides.length > 0;
    if (!recurring) {
      this.emit(master, series.uid, anchor, span, null, false);
      return;
    }
    const plan = planMaster(series, master, anchor, span, this.win.viewer);
    // RDATEs already given by the rules are not given again.
    const seen = master.rdates.length ? new Set<number>() : null;
    this.emitRuleInstances(plan, this.ruleWalls(plan), seen);
    if (seen) this.emitRDates(plan, seen);
  }

  /**
   * Instances from DTSTART (RFC 5545: always the first, whether or not the rule matches it) and the rules, as
   * wall-clock readings in DTSTART's zone, ascending and without repeats, within the window in that wall clock
   * widened by the instance length and any THISANDFUTURE move.
   */
  private ruleWalls(plan: MasterPlan): number[] {
    const { master, anchor, span, isDate, zone, future, maxShift } = plan;
    const { fromDay, toDay, fromMs, toMs } = this.win;
    let longest = span.days * DAY_MS + span.ms;
    for (const f of future) longest = Math.max(longest, f.span.days * DAY_MS + f.span.ms);
    const lo = isDate ? (fromDay - 1) * DAY_MS - longest - maxShift : fromMs - WALL_MARGIN - longest - maxShift;
    const hi = isDate ? toDay * DAY_MS + maxShift : toMs + WALL_MARGIN + maxShift;

    const startWall = wallOf(anchor);
    let walls: number[] = [];
    if (startWall >= lo && startWall <= hi) walls.push(startWall);
    if (!master.rrules.length) return walls;
    master.expanders ??= master.rrules.map((r) => new RuleExpander(r, startWall, isDate));
    for (const ex of master.expanders) {
      const found = ex.between(untilWall(ex.rule, isDate, zone), lo, hi, WALLS_PER_SERIES + 1, this.pool);
      if (found.length > WALLS_PER_SERIES) this.cut = true;
      walls = walls.length ? walls.concat(found) : found;
    }
    if (master.expanders.length > 1 || walls[0] === startWall) {
      walls.sort((a, b) => a - b);
      walls = walls.filter((w, i) => i === 0 || w !== walls[i - 1]);
    }
    return walls;
  }

  /** Emits the instances at `walls`, each as the master, a THISANDFUTURE override, or not at all (EXDATE, override). */
  private emitRuleInstances(plan: MasterPlan, walls: number[], seen: Set<number> | null): void {
    const { uid, master, anchor, isDate, zone, future } = plan;
    const { fromDay, toDay, fromMs, toMs } = this.win;
    const plain = future.length === 0 && plan.single.size === 0 && plan.excludedKeys.size === 0 && plan.excludedDays.size === 0;
    const spanMs = plan.span.ms;
    const spanDays = plan.span.days;
    for (const wall of walls) {
      if (isDate) {
        const day = dayOfWall(wall);
        seen?.add(day);
        if (!plain && skipped(plan, day, wall)) continue;
        const f = plain ? undefined : lastAtOrBefore(future, day);
        if (f) this.emit(f.item, uid, { kind: 'date', day: day + f.shift }, f.span, ridOf(anchor, wall), true);
        else if (day + Math.max(1, spanDays) > fromDay && day < toDay) this.allDay(master, uid, day, day + spanDays, ridOf(anchor, wall), true);
        continue;
      }
      const s = toInstant(zone, wall);
      seen?.add(s);
      if (!plain && skipped(plan, s, wall)) continue;
      const f = plain ? undefined : lastAtOrBefore(future, s);
      if (f) {
        this.emit(f.item, uid, { kind: 'local', wall: toWall(f.zone, s) + f.shift, zone: f.zone }, f.span, ridOf(anchor, wall), true);
        continue;
      }
      const e = (spanDays ? toInstant(zone, wall + spanDays * DAY_MS) : s) + spanMs;
      // Cheap reject before any string is built.
      if (s >= toMs || (e > s ? e <= fromMs : s < fromMs)) continue;
      this.timed(master, uid, s, e, ridOf(anchor, wall), true);
    }
  }

  /** Emits the RDATE instances the rules did not give (`seen`), each with its own length if it has one. */
  private emitRDates(plan: MasterPlan, seen: Set<number>): void {
    const { uid, master, anchor, span, isDate, future } = plan;
    const viewer = this.win.viewer;
    for (const rd of master.rdates) {
      const rid = coerceKind(rd.start, anchor);
      const key = plan.keyOf(rid);
      if (seen.has(key)) continue;
      seen.add(key);
      if (skipped(plan, key, wallOf(rid))) continue;
      let own = span;
      if (rd.duration) own = durationSpan(rd.duration, isDate);
      else if (rd.end) own = spanOf({ ...master, start: rid, end: rd.end, duration: null }, rid, viewer, null);
      const f = lastAtOrBefore(future, key);
      if (!f) this.emit(master, uid, rid, own, rid, true);
      else if (rid.kind === 'date') this.emit(f.item, uid, { kind: 'date', day: rid.day + f.shift }, f.span, rid, true);
      else this.emit(f.item, uid, { kind: 'local', wall: toWall(f.zone, key) + f.shift, zone: f.zone }, f.span, rid, true);
    }
  }
}

/** A recurring master with what changes its instances: overrides and EXDATEs, by instance key. */
interface MasterPlan {
  uid: string;
  master: Item;
  anchor: DateVal;
  span: Span;
  isDate: boolean;
  /** The zone of DTSTART's wall clock, in which the rules run. */
  zone: Zone;
  /** An instance's identity: its day (all-day series) or its instant. */
  keyOf: (v: DateVal) => number;
  /** Instances replaced by an override of their own. */
  single: Set<number>;
  /** THISANDFUTURE overrides, ascending: each also reshapes every later instance. */
  future: Future[];
  /** The largest move of a THISANDFUTURE override, in ms. */
  maxShift: number;
  excludedKeys: Set<number>;
  /** EXDATEs written as dates on a timed series: every instance on that day. */
  excludedDays: Set<number>;
}

function planMaster(series: Series, master: Item, anchor: DateVal, span: Span, viewer: Zone): MasterPlan {
  const isDate = anchor.kind === 'date';
  const keyOf = (v: DateVal): number => (isDate ? (v.kind === 'date' ? v.day : dayOfWall(wallOf(v))) : instantOf(v, viewer));
  const single = new Set<number>();
  const future: Future[] = [];
  let maxShift = 0;
  for (const o of series.overrides) {
    const rid = o.recurrenceId!;
    const key = keyOf(rid);
    single.add(key);
    if (o.thisAndFuture) {
      const start = o.start ?? rid;
      const oz = zoneOf(start, viewer);
      const shift = isDate ? (start.kind === 'date' ? start.day : dayOfWall(wallOf(start))) - key : wallOf(start) - toWall(oz, instantOf(rid, viewer));
      future.push({ key, item: o, shift, zone: oz, span: spanOf(o, start, viewer, span) });
      maxShift = Math.max(maxShift, Math.abs(isDate ? shift * DAY_MS : shift));
    }
  }
  future.sort((a, b) => a.key - b.key);

  const excludedKeys = new Set<number>();
  const excludedDays = new Set<number>();
  for (const x of master.exdates) {
    if (!isDate && x.kind === 'date') excludedDays.add(x.day);
    else excludedKeys.add(keyOf(x));
  }
  const zone = zoneOf(anchor, viewer);
  return { uid: series.uid, master, anchor, span, isDate, zone, keyOf, single, future, maxShift, excludedKeys, excludedDays };
}

/** The RECURRENCE-ID of the instance at `wall`, in DTSTART's value type. */
function ridOf(anchor: DateVal, wall: number): DateVal {
  if (anchor.kind === 'date') return { kind: 'date', day: dayOfWall(wall) };
  if (anchor.kind === 'utc') return { kind: 'utc', ms: wall };
  return { kind: 'local', wall, zone: anchor.zone };
}

/** Excluded by EXDATE, or replaced by an override of its own. */
function skipped(plan: MasterPlan, key: number, wall: number): boolean {
  return plan.excludedKeys.has(key) || plan.single.has(key) || (plan.excludedDays.size > 0 && plan.excludedDays.has(dayOfWall(wall)));
}

/** The THISANDFUTURE override in force for an instance: the latest one at or before it. */
function lastAtOrBefore(future: Future[], key: number): Future | undefined {
  for (let i = future.length - 1; i >= 0; i--) if (future[i]!.key <= key) return future[i];
  return undefined;
}

/** An RDATE of the other value type than DTSTART is read in DTSTART's type (date of the time, or time of DTSTART). */
function coerceKind(v: DateVal, anchor: DateVal): DateVal {
  if (anchor.kind === 'date' && v.kind !== 'date') return { kind: 'date', day: dayOfWall(wallOf(v)) };
  if (anchor.kind !== 'date' && v.kind === 'date') {
    const tod = wallOf(anchor) - dayOfWall(wallOf(anchor)) * DAY_MS;
    const wall = v.day * DAY_MS + tod;
    return anchor.kind === 'utc' ? { kind: 'utc', ms: wall } : { kind: 'local', wall, zone: anchor.zone };
  }
  return v;
}

/** UNTIL in the wall clock of DTSTART. A date UNTIL on a timed series includes that whole day (lenient). */
function untilWall(rule: RuleSpec, isDate: boolean, zone: Zone): number | null {
  const u = rule.until;
  if (!u) return null;
  if (u.kind === 'date') return isDate ? u.day * DAY_MS : u.day * DAY_MS + DAY_MS - 1;
  if (u.utc && !isDate) return toWall(zone, u.wall);
  return u.wall;
}
