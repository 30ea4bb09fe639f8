// A zone-independent bound on when a resource can have occurrences, for the store's range index: the earliest
// start and latest end as wall-clock milliseconds (a zoned time in its own zone's wall clock, a floating time as
// written, a date at midnight). The store pads it by two days, which covers every difference between a wall
// clock and the viewer's; expansion then filters exactly. It may be generous, never too narrow.
import type { DateVal, Item, Series } from './model.ts';
import { countBound, RuleExpander, StepPool } from './recur.ts';
import { DAY_MS } from './time.ts';
import { toWall, UTC_ZONE, type Zone } from './zones.ts';

export interface WallSpan {
  /** null: no dated component at all (nothing can ever show). */
  start: number | null;
  /** null: open-ended (a rule without COUNT or UNTIL, or one too long to bound cheaply). */
  end: number | null;
}

/** COUNT rules longer than this are treated as open-ended rather than expanded to find their last instance. */
const MAX_COUNT_TO_EXPAND = 5000;

function wallOf(v: DateVal): number {
  if (v.kind === 'date') return v.day * DAY_MS;
  if (v.kind === 'utc') return v.ms;
  return v.wall;
}

/** Length of an item's instances in ms, generously (a DTEND in another zone counts by its instant). */
function lengthOf(item: Item, anchor: DateVal): number {
  const end = item.type === 'todo' && !item.start ? null : item.end;
  let len = anchor.kind === 'date' ? DAY_MS : 0;
  if (end) len = Math.max(len, toUtcish(end) - toUtcish(anchor) + (anchor.kind === 'date' ? 0 : DAY_MS));
  if (item.duration) len = Math.max(len, item.duration.days * DAY_MS + item.duration.ms);
  return len;
}

/** An approximate instant (zoned times via their zone, floating as UTC): only used for lengths, padded. */
function toUtcish(v: DateVal): number {
  if (v.kind === 'local' && v.zone) return v.wall - v.zone.offsetAt(v.wall);
  return wallOf(v);
}

/**
 * No earlier than the rule's last instance (wall ms); null for an open-ended rule, or a COUNT too long to expand
 * cheaply (more than MAX_COUNT_TO_EXPAND instances, or more steps than the item's pool has left).
 */
function lastInstanceBound(ex: RuleExpander, startWall: number, isDate: boolean, zone: Zone, pool: StepPool): number | null {
  const u = ex.rule.until;
  if (u) return u.kind === 'date' ? u.day * DAY_MS + DAY_MS : u.utc && !isDate ? toWall(zone, u.wall) : u.wall;
  const bound = countBound(ex.rule, startWall);
  if (bound !== null) return bound;
  if (ex.rule.count === null || ex.rule.count > MAX_COUNT_TO_EXPAND) return null;
  try {
    return ex.between(null, startWall, Infinity, Infinity, pool).at(-1) ?? startWall;
  } catch {
    // Too costly to bound (or never matching): open-ended is the generous answer; expansion reports the rule.
    return null;
  }
}

export function seriesSpan(series: Series, pool = new StepPool()): WallSpan {
  let start = Infinity;
  let end = -Infinity;
  const include = (s: number, e: number) => {
    start = Math.min(start, s);
    end = Math.max(end, e);
  };
  let open = false;
  let masterLen = 0;
  const m = series.master;
  const anchor = m ? (m.start ?? m.end) : null;
  if (m && anchor) {
    const startWall = wallOf(anchor);
    const isDate = anchor.kind === 'date';
    masterLen = lengthOf(m, anchor);
    include(startWall, startWall + masterLen);
    for (const rd of m.rdates) {
      const w = wallOf(rd.start);
      const len = rd.duration ? rd.duration.days * DAY_MS + rd.duration.ms : rd.end ? Math.max(0, wallOf(rd.end) - w) : masterLen;
      include(w, w + Math.max(len, masterLen) + DAY_MS);
    }
    m.expanders ??= m.rrules.map((r) => new RuleExpander(r, startWall, isDate));
    for (const ex of m.expanders) {
      const zone = anchor.kind === 'local' ? (anchor.zone ?? UTC_ZONE) : UTC_ZONE;
      const last = lastInstanceBound(ex, startWall, isDate, zone, pool);
      if (last === null) {
        open = true;
        continue;
      }
      include(startWall, Math.max(startWall, last) + masterLen);
    }
  }
  let maxShift = 0;
  for (const o of series.overrides) {
    const s = o.start ?? o.recurrenceId!;
    const w = wallOf(s);
    include(Math.min(w, wallOf(o.recurrenceId!)), w + Math.max(lengthOf(o, s), masterLen));
    if (o.thisAndFuture) {
      maxShift = Math.max(maxShift, Math.abs(w - wallOf(o.recurrenceId!)) + lengthOf(o, s));
      // A THISANDFUTURE on an open series keeps it open; on a bounded one it can move the last instance.
    }
  }
  if (start === Infinity) return { start: null, end: null };
  return { start: start - maxShift, end: open ? null : end + maxShift };
}

export function resourceSpanOf(series: readonly Series[]): WallSpan & { uid: string | null } {
  let start: number | null = null;
  let end: number | null = null;
  let open = false;
  // One pool of recurrence steps for the whole item, as for expansion.
  const pool = new StepPool();
  for (const s of series) {
    const sp = seriesSpan(s, pool);
    if (sp.start === null) continue;
    start = start === null ? sp.start : Math.min(start, sp.start);
    if (sp.end === null) open = true;
    else end = end === null ? sp.end : Math.max(end, sp.end);
  }
  return { uid: series[0]?.uid ?? null, start, end: start === null ? null : open ? null : end };
}
