// RRULE expansion in wall-clock time, limited to a window.
// Recurrence steps through wall-clock readings in the zone of DTSTART (RFC 5545 §3.3.10: a daily 09:00 meeting
// stays at 09:00 across DST), so everything here works on "wall" milliseconds (see time.ts) and knows nothing
// of zones: the caller turns UNTIL into the same wall frame and the results into instants.
//
// Two ways to expand:
// - a fast path for the common simple rules, computed arithmetically from the window (its cost does not depend on
//   how long ago the series began, and COUNT is handled by computing each occurrence's index);
// - ical.js's RecurIterator for everything else. ical.js always iterates from DTSTART (16 s for a month of 1,000
//   daily series begun in 2020), so without COUNT it is restarted at a period boundary just before the window,
//   with every part RFC 5545 derives from DTSTART made explicit so the restart cannot change the rule.
import ICAL from 'ical.js';
import {
  civilFromDays,
  DAY_MS,
  dayOfWall,
  daysFromCivil,
  daysInMonth,
  HOUR_MS,
  MINUTE_MS,
  monthIndexOfDay,
  SECOND_MS,
  wallFromFields,
  weekdayOfDay,
} from './time.ts';
import { parseDateTimeText, type DateTimeText } from './values.ts';

export type Freq = 'SECONDLY' | 'MINUTELY' | 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
const FREQS: readonly Freq[] = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];

/** ord 0 = every such weekday; dow 0 = Sunday ... 6 = Saturday. */
export interface ByDay {
  ord: number;
  dow: number;
}

export interface RuleSpec {
  freq: Freq;
  interval: number;
  count: number | null;
  /** As written: a date, a UTC date-time or a floating date-time. */
  until: DateTimeText | null;
  /** 0 = Sunday ... 6 = Saturday; MO when absent. */
  wkst: number;
  byday: ByDay[] | null;
  bymonthday: number[] | null;
  bymonth: number[] | null;
  byyearday: number[] | null;
  byweekno: number[] | null;
  byhour: number[] | null;
  byminute: number[] | null;
  bysecond: number[] | null;
  bysetpos: number[] | null;
}

const DOW_NAMES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** Reads the jCal form of a RECUR value (what ical.js's parser produces); a reason string when unusable. */
export function parseRule(data: unknown): RuleSpec | string {
  if (typeof data !== 'object' || data === null) return 'the RRULE is empty';
  const d = data as Record<string, unknown>;
  const freq = String(d.freq ?? '').toUpperCase() as Freq;
  if (!FREQS.includes(freq)) return `the RRULE has no valid FREQ (${String(d.freq ?? 'missing')})`;
  const interval = d.interval === undefined ? 1 : Number(d.interval);
  if (!Number.isInteger(interval) || interval < 1) return `the RRULE has an invalid INTERVAL (${String(d.interval)})`;
  let count: number | null = null;
  if (d.count !== undefined) {
    count = Number(d.count);
    if (!Number.isInteger(count) || count < 1) return `the RRULE has an invalid COUNT (${String(d.count)})`;
  }
  let until: DateTimeText | null = null;
  if (d.until !== undefined) {
    until = parseDateTimeText(d.until);
    if (!until) return `the RRULE has an unreadable UNTIL (${String(d.until)})`;
  }
  let wkst = 1;
  if (d.wkst !== undefined) {
    // ical.js gives WKST as its own day number (SU = 1) or as the two-letter name.
    if (typeof d.wkst === 'number' && d.wkst >= 1 && d.wkst <= 7) wkst = d.wkst - 1;
    else if (typeof d.wkst === 'string' && DOW_NAMES.includes(d.wkst.toUpperCase())) wkst = DOW_NAMES.indexOf(d.wkst.toUpperCase());
    else return `the RRULE has an invalid WKST (${String(d.wkst)})`;
  }
  const nums = (key: string, min: number, max: number): number[] | null | string => {
    const v = d[key];
    if (v === undefined) return null;
    const list = (Array.isArray(v) ? v : [v]).map(Number);
    if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < min || n > max || (min < 0 && n === 0))) {
      return `the RRULE has an invalid ${key.toUpperCase()} (${String(v)})`;
    }
    return [...new Set(list)];
  };
  let byday: ByDay[] | null = null;
  if (d.byday !== undefined) {
    byday = [];
    for (const item of Array.isArray(d.byday) ? d.byday : [d.byday]) {
      const m = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/i.exec(String(item).trim());
      const ord = m?.[1] ? Number(m[1]) : 0;
      if (!m || Math.abs(ord) > 53) return `the RRULE has an invalid BYDAY (${String(item)})`;
      byday.push({ ord, dow: DOW_NAMES.indexOf(m[2]!.toUpperCase()) });
    }
  }
  const parts = {
    bymonthday: nums('bymonthday', -31, 31),
    bymonth: nums('bymonth', 1, 12),
    byyearday: nums('byyearday', -366, 366),
    byweekno: nums('byweekno', -53, 53),
    byhour: nums('byhour', 0, 23),
    byminute: nums('byminute', 0, 59),
    bysecond: nums('bysecond', 0, 60),
    bysetpos: nums('bysetpos', -366, 366),
  };
  for (const v of Object.values(parts)) if (typeof v === 'string') return v;
  return { freq, interval, count, until, wkst, byday, ...(parts as { [K in keyof typeof parts]: number[] | null }) };
}

// ---------------------------------------------------------------------------------------------------------------
// Fast path

type MonthSelector = (y: number, m: number) => number | null;

type FastPlan =
  /** Every `stepMs` of wall-clock time: DAILY, and HOURLY/MINUTELY/SECONDLY without BY-parts. */
  | { kind: 'fixed'; stepMs: number }
  | { kind: 'weekly'; stepWeeks: number; offsets: number[]; weekStart0: number; firstIdx: number }
  | { kind: 'monthly'; stepMonths: number; month0: number; select: MonthSelector; alwaysValid: boolean };

function fixedDay(v: number): MonthSelector {
  if (v > 0) return (y, m) => (v <= daysInMonth(y, m) ? v : null);
  return (y, m) => {
    const d = daysInMonth(y, m) + v + 1;
    return d >= 1 ? d : null;
  };
}

function nthWeekday(ord: number, dow: number): MonthSelector {
  return (y, m) => {
    const dim = daysInMonth(y, m);
    let d: number;
    if (ord > 0) {
      d = 1 + ((dow - weekdayOfDay(daysFromCivil(y, m, 1)) + 7) % 7) + (ord - 1) * 7;
    } else {
      d = dim - ((weekdayOfDay(daysFromCivil(y, m, dim)) - dow + 7) % 7) + (ord + 1) * 7;
    }
    return d >= 1 && d <= dim ? d : null;
  };
}

/**
 * Whether a DTSTART that does not match the rule can take the fast path. RFC 5545 calls that recurrence set
 * undefined but counts DTSTART as its first instance; ical.js (and python-dateutil, and this expansion: ruleWalls
 * adds DTSTART itself) yield DTSTART and then the rule's matches after it, computed here as for any rule. Not with
 * COUNT: how DTSTART counts against it is each implementation's own, so that stays ical.js's. Such series are not
 * rare (a weekly rule on other days than the one it was created on; bench:sync's seed has 201 of 409 in a month),
 * and through ical.js a window of them cost ~10x more: its iterator built and stepped per series.
 */
function unsynchronisedOk(rule: RuleSpec): boolean {
  return rule.count === null;
}

/** The rule's instances on `days` (plain weekdays only) of every `stepWeeks`th week from DTSTART's. */
function weeklyPlan(rule: RuleSpec, days: ByDay[], startDay: number, stepWeeks: number): FastPlan | null {
  if (days.some((b) => b.ord !== 0)) return null;
  const offsets = [...new Set(days.map((b) => (b.dow - rule.wkst + 7) % 7))].sort((a, b) => a - b);
  const startOff = (weekdayOfDay(startDay) - rule.wkst + 7) % 7;
  const at = offsets.indexOf(startOff);
  if (at < 0 && !unsynchronisedOk(rule)) return null;
  // Unsynchronised: the first of the rule's days after DTSTART's in its week (none: the week after).
  const firstIdx = at >= 0 ? at : offsets.filter((o) => o < startOff).length;
  return { kind: 'weekly', stepWeeks, offsets, weekStart0: startDay - startOff, firstIdx };
}

/** A plan when the rule is one the fast path computes exactly as RFC 5545 (and ical.js) would; else null. */
export function planFastPath(rule: RuleSpec, start: number, isDate = false): FastPlan | null {
  if (rule.bysetpos || rule.byyearday || rule.byweekno || rule.byhour || rule.byminute || rule.bysecond) return null;
  const startDay = dayOfWall(start);
  const c = civilFromDays(startDay);
  const n = rule.interval;
  switch (rule.freq) {
    case 'DAILY':
    case 'HOURLY':
    case 'MINUTELY':
    case 'SECONDLY':
      // Sub-daily steps from a DATE start are ical.js's to interpret.
      if (isDate && rule.freq !== 'DAILY') return null;
      // Every day on some weekdays (Thunderbird's "every weekday": FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR) is the weekly
      // rule on those days, instance for instance; not with an INTERVAL, which counts days, not weeks.
      if (rule.freq === 'DAILY' && rule.byday && n === 1 && !rule.bymonthday && !rule.bymonth) return weeklyPlan(rule, rule.byday, startDay, 1);
      // A fixed step in the wall clock, as ical.js counts it; a dense series then costs its instances, not
      // ical.js steps (FREQ=SECONDLY: 86,400 a day, 6 us a step through ical.js).
      if (rule.byday || rule.bymonthday || rule.bymonth) return null;
      return { kind: 'fixed', stepMs: n * PERIOD_MS[rule.freq]! };
    case 'WEEKLY':
      if (rule.bymonthday || rule.bymonth) return null;
      return weeklyPlan(rule, rule.byday ?? [{ ord: 0, dow: weekdayOfDay(startDay) }], startDay, n);
    case 'MONTHLY':
    case 'YEARLY': {
      let select: MonthSelector;
      let alwaysValid: boolean;
      if (rule.freq === 'YEARLY') {
        // Only "the same month every N years": a BYMONTH other than DTSTART's month, or BY-day parts without
        // BYMONTH (which mean every month / weeks of the year), go to ical.js.
        if (rule.bymonth && (rule.bymonth.length !== 1 || rule.bymonth[0] !== c.m)) return null;
        if (!rule.bymonth && (rule.byday || rule.bymonthday)) return null;
      } else if (rule.bymonth) {
        return null;
      }
      if (rule.byday && rule.bymonthday) return null;
      if (rule.byday) {
        const only = rule.byday.length === 1 ? rule.byday[0]! : null;
        if (!only || only.ord === 0 || Math.abs(only.ord) > 5) return null;
        select = nthWeekday(only.ord, only.dow);
        alwaysValid = Math.abs(only.ord) <= 4;
      } else if (rule.bymonthday) {
        if (rule.bymonthday.length !== 1) return null;
        const v = rule.bymonthday[0]!;
        select = fixedDay(v);
        alwaysValid = Math.abs(v) <= 28;
      } else {
        // RFC 5545: the day of DTSTART. Months without it are skipped (the 31st, Feb 29 outside leap years).
        select = fixedDay(c.d);
        alwaysValid = c.d <= 28;
      }
      // Unsynchronised, DTSTART's own month holds an instance only when its day comes after DTSTART's (expandFast).
      if (select(c.y, c.m) !== c.d && !unsynchronisedOk(rule)) return null;
      return { kind: 'monthly', stepMonths: rule.freq === 'YEARLY' ? 12 * n : n, month0: c.y * 12 + c.m - 1, select, alwaysValid };
    }
    default:
      return null;
  }
}

/** Occurrences of a fast-path rule in [lo, hi] (wall ms), honouring COUNT and UNTIL. */
export function expandFast(plan: FastPlan, start: number, count: number | null, untilWall: number | null, lo: number, hi: number, max = Infinity): number[] {
  const out: number[] = [];
  const limit = untilWall === null ? hi : Math.min(hi, untilWall);
  const from = Math.max(lo, start);
  if (limit < from) return out;
  if (limit === Infinity && count === null) throw new RangeError('an unbounded rule needs a finite window');
  const startDay = dayOfWall(start);
  const tod = start - startDay * DAY_MS;
  switch (plan.kind) {
    case 'fixed': {
      const step = plan.stepMs;
      let kMax = Math.floor((limit - start) / step);
      if (count !== null) kMax = Math.min(kMax, count - 1);
      for (let k = Math.ceil((from - start) / step); k <= kMax && out.length < max; k++) out.push(start + k * step);
      return out;
    }
    case 'weekly': {
      const { offsets, firstIdx } = plan;
      const len = offsets.length;
      const period = 7 * plan.stepWeeks * DAY_MS;
      const base = plan.weekStart0 * DAY_MS + tod;
      const wMin = Math.max(0, Math.floor((from - base) / period));
      const wMax = Math.floor((limit - base) / period);
      for (let w = wMin; w <= wMax; w++) {
        for (let j = w === 0 ? firstIdx : 0; j < len; j++) {
          const idx = w === 0 ? j - firstIdx : len - firstIdx + (w - 1) * len + j;
          if (count !== null && idx >= count) return out;
          const wall = base + w * period + offsets[j]! * DAY_MS;
          if (wall > limit || out.length >= max) return out;
          if (wall >= from) out.push(wall);
        }
      }
      return out;
    }
    case 'monthly': {
      const step = plan.stepMonths;
      const kMin = Math.max(0, Math.floor((monthIndexOfDay(dayOfWall(from)) - plan.month0) / step));
      const kMax = limit === Infinity ? Infinity : Math.floor((monthIndexOfDay(dayOfWall(limit)) - plan.month0) / step);
      let idx = 0;
      if (count !== null) {
        if (plan.alwaysValid) {
          idx = kMin;
        } else {
          // Months without the day are skipped, so count the real occurrences before the window (bounded by COUNT).
          for (let k = 0; k < kMin && idx < count; k++) {
            const mi = plan.month0 + k * step;
            if (plan.select(Math.floor(mi / 12), (mi % 12) + 1) !== null) idx++;
          }
        }
      }
      for (let k = kMin; k <= kMax; k++) {
        if (count !== null && idx >= count) break;
        const mi = plan.month0 + k * step;
        const y = Math.floor(mi / 12);
        const m = (mi % 12) + 1;
        const d = plan.select(y, m);
        if (d === null) continue;
        idx++;
        const wall = daysFromCivil(y, m, d) * DAY_MS + tod;
        if (wall > limit || out.length >= max) break;
        if (wall >= from) out.push(wall);
      }
      return out;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// ical.js fallback

const PERIOD_MS: Partial<Record<Freq, number>> = { SECONDLY: SECOND_MS, MINUTELY: MINUTE_MS, HOURLY: HOUR_MS, DAILY: DAY_MS };

/** Upper bound on RecurIterator steps for one call, so a pathological rule costs an error, not a hang. */
// Below ITEM_ICAL_STEPS, so that one rule that alone would spend the item's pool fails as itself (and is
// remembered) rather than as the pool.
const MAX_ICAL_STEPS = 100_000;

export class RecurrenceTooLongError extends Error {}

/**
 * What one calendar item may spend in ical.js on one window, across all its rules: steps, and time. A step can
 * cost 40 us (BYSETPOS under FREQ=MINUTELY re-expands a whole set per candidate), so without a shared pool a 2 KB
 * item with 20 such rules took 12 s per query, and 150,000 steps of one rule still took 6 s (both found by
 * fuzzing). Steps keep ordinary answers deterministic; the clock bounds the pathological ones.
 */
export const ITEM_ICAL_STEPS = 150_000;
export const ITEM_ICAL_MS = 1_000;

/** Steps and time left for the item being expanded; running out fails the series at hand, not the rule for ever. */
export class StepPool {
  left: number;
  private readonly deadline: number;
  constructor(steps = ITEM_ICAL_STEPS, ms = ITEM_ICAL_MS) {
    this.left = steps;
    this.deadline = performance.now() + ms;
  }

  /** Takes one step; throws StepPoolExhaustedError when the item has spent its steps or its time. */
  take(): void {
    if (--this.left < 0) throw new StepPoolExhaustedError(`the item's rules need more than ${ITEM_ICAL_STEPS} recurrence steps for one window`);
    if ((this.left & 255) === 0 && performance.now() > this.deadline)
      throw new StepPoolExhaustedError(`the item's rules need more than ${ITEM_ICAL_MS} ms of recurrence steps for one window`);
  }
}

export class StepPoolExhaustedError extends Error {}

const TOO_LONG = 'the rule needs too many recurrence steps for one window (it can never match, or is far too dense)';

function icalTime(wall: number, isDate: boolean): ICAL.Time {
  const day = dayOfWall(wall);
  const c = civilFromDays(day);
  const rest = Math.floor((wall - day * DAY_MS) / SECOND_MS);
  return ICAL.Time.fromData({
    year: c.y,
    month: c.m,
    day: c.d,
    hour: isDate ? 0 : Math.floor(rest / 3600),
    minute: isDate ? 0 : Math.floor((rest % 3600) / 60),
    second: isDate ? 0 : rest % 60,
    isDate,
  });
}

function wallOfIcal(t: ICAL.Time): number {
  return wallFromFields(t.year, t.month, t.day, t.hour, t.minute, t.second);
}

/**
 * The rule with every part RFC 5545 takes from DTSTART written out, so that starting the iterator somewhere other
 * than DTSTART yields the same set (and so that ical.js cannot roll Feb 29 over to Mar 1, which it does for an
 * implicit YEARLY day but not for an explicit BYMONTHDAY).
 */
export function explicitRule(rule: RuleSpec, start: number, isDate: boolean): RuleSpec {
  const day = dayOfWall(start);
  const c = civilFromDays(day);
  const tod = Math.floor((start - day * DAY_MS) / SECOND_MS);
  const r: RuleSpec = { ...rule };
  const f = rule.freq;
  if (!isDate) {
    const coarse = (x: Freq) => FREQS.indexOf(f) >= FREQS.indexOf(x);
    if (!r.bysecond && coarse('MINUTELY')) r.bysecond = [tod % 60];
    if (!r.byminute && coarse('HOURLY')) r.byminute = [Math.floor((tod % 3600) / 60)];
    if (!r.byhour && coarse('DAILY')) r.byhour = [Math.floor(tod / 3600)];
  }
  if (f === 'WEEKLY' && !r.byday) r.byday = [{ ord: 0, dow: weekdayOfDay(day) }];
  if (f === 'MONTHLY' && !r.byday && !r.bymonthday) r.bymonthday = [c.d];
  if (f === 'YEARLY' && !r.byyearday) {
    if (r.byweekno) {
      if (!r.byday && !r.bymonthday) r.byday = [{ ord: 0, dow: weekdayOfDay(day) }];
    } else if (!r.bymonth && !r.bymonthday && !r.byday) {
      r.bymonth = [c.m];
      r.bymonthday = [c.d];
    } else if (r.bymonth && !r.bymonthday && !r.byday) {
      r.bymonthday = [c.d];
    }
  }
  return r;
}

/** ical.js's data form of a rule (UNTIL as a floating wall-clock time, like everything here). */
function icalData(r: RuleSpec, isDate: boolean, interval: number, untilWall: number | null, count: number | null): Record<string, unknown> {
  const data: Record<string, unknown> = { freq: r.freq, interval, wkst: DOW_NAMES[r.wkst] };
  if (count !== null) data.count = count;
  if (untilWall !== null) data.until = icalTime(untilWall, isDate);
  if (r.byday) data.byday = r.byday.map((b) => `${b.ord || ''}${DOW_NAMES[b.dow]}`);
  for (const key of ['bymonthday', 'bymonth', 'byyearday', 'byweekno', 'byhour', 'byminute', 'bysecond', 'bysetpos'] as const) {
    const v = r[key];
    if (v) data[key] = v.slice();
  }
  return data;
}

/** The number of the rule's period (second, minute, hour, day, week from WKST, month, year) a wall time is in. */
function periodIndex(rule: RuleSpec, wall: number): number {
  const fixed = PERIOD_MS[rule.freq];
  if (fixed !== undefined) return Math.floor(wall / fixed);
  const day = dayOfWall(wall);
  if (rule.freq === 'WEEKLY') return Math.floor((day - ((weekdayOfDay(day) - rule.wkst + 7) % 7)) / 7);
  const mi = monthIndexOfDay(day);
  return rule.freq === 'YEARLY' ? Math.floor(mi / 12) : mi;
}

/** The wall time at which period `index` begins. */
function periodStart(rule: RuleSpec, index: number, wkstSample: number): number {
  const fixed = PERIOD_MS[rule.freq];
  if (fixed !== undefined) return index * fixed;
  if (rule.freq === 'WEEKLY') {
    // Week starts are all congruent mod 7; take the one of the sample's week and move by whole weeks.
    const d = dayOfWall(wkstSample);
    const ws = d - ((weekdayOfDay(d) - rule.wkst + 7) % 7);
    return (ws + (index - Math.floor(ws / 7)) * 7) * DAY_MS;
  }
  const mi = rule.freq === 'YEARLY' ? index * 12 : index;
  return daysFromCivil(Math.floor(mi / 12), (mi % 12) + 1, 1) * DAY_MS;
}

/** True when every period of the rule (every day, week, month or year) holds at least one instance. */
function everyPeriodHasInstance(rule: RuleSpec, start: number): boolean {
  if (rule.bysetpos || rule.byyearday || rule.byweekno) return false;
  const dayOfMonth = civilFromDays(dayOfWall(start)).d;
  switch (rule.freq) {
    case 'DAILY':
      return !rule.byday && !rule.bymonthday && !rule.bymonth;
    case 'WEEKLY':
      return !rule.bymonth && !rule.bymonthday && (rule.byday ?? []).every((b) => b.ord === 0);
    case 'MONTHLY':
      if (rule.bymonth || (rule.byday && rule.bymonthday)) return false;
      // Every month has each weekday four times, and days 1-28 (and the last 28).
      if (rule.byday) return rule.byday.some((b) => Math.abs(b.ord) <= 4);
      if (rule.bymonthday) return rule.bymonthday.some((v) => Math.abs(v) <= 28);
      return dayOfMonth <= 28;
    case 'YEARLY':
      return !rule.byday && !rule.bymonthday && dayOfMonth <= 28;
    default:
      // Sub-daily rules: BYHOUR, BYMINUTE and BYDAY may leave whole periods empty.
      return false;
  }
}

/**
 * A wall time no earlier than the last instance of a COUNT rule, found without expanding it (for the store's
 * span, which may be generous): when every period holds an instance, COUNT instances end within COUNT periods;
 * one period more covers a DTSTART that does not match the rule, which ical.js yields besides. Null when a
 * period may be empty (BYSETPOS, the 31st, a fifth weekday...): then only expanding tells.
 */
export function countBound(rule: RuleSpec, start: number): number | null {
  if (rule.count === null || !everyPeriodHasInstance(rule, start)) return null;
  return periodStart(rule, periodIndex(rule, start) + rule.count * rule.interval + 1, start);
}

/**
 * A cheap guard against ical.js normalising impossible dates (Feb 30 -> Mar 2) into results: every real
 * occurrence satisfies the rule's plain BY-parts (the explicit ones included).
 */
function satisfiesSimpleParts(rule: RuleSpec, wall: number, isDate: boolean): boolean {
  const day = dayOfWall(wall);
  const c = civilFromDays(day);
  if (rule.bymonth && !rule.bymonth.includes(c.m)) return false;
  if (rule.bymonthday) {
    const dim = daysInMonth(c.y, c.m);
    if (!rule.bymonthday.some((v) => (v > 0 ? v === c.d : dim + v + 1 === c.d))) return false;
  }
  if (rule.byday && rule.byday.every((b) => b.ord === 0) && !rule.byday.some((b) => b.dow === weekdayOfDay(day))) return false;
  if (!isDate) {
    const tod = Math.floor((wall - day * DAY_MS) / SECOND_MS);
    if (rule.byhour && !rule.byhour.includes(Math.floor(tod / 3600))) return false;
    if (rule.byminute && !rule.byminute.includes(Math.floor((tod % 3600) / 60))) return false;
  }
  return true;
}

/** Calls `each` per instance up to `stopAfter`; `each` returning false stops the walk (enough were found). */
function iterate(data: Record<string, unknown>, from: number, isDate: boolean, stopAfter: number, each: (wall: number) => boolean, pool: StepPool): void {
  const it = ICAL.Recur.fromData(data as Parameters<typeof ICAL.Recur.fromData>[0]).iterator(icalTime(from, isDate));
  // RecurIterator#next loops internally until a date passes the rule's filters, forever for an impossible rule
  // (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30). That loop calls check_contracting_rules once per candidate, so a
  // budget on it turns a hang into an error. A window needs about one step per period it spans.
  const period = PERIOD_MS[data.freq as Freq] ?? DAY_MS;
  let budget = stopAfter === Infinity ? MAX_ICAL_STEPS : Math.min(MAX_ICAL_STEPS, 4 * Math.max(0, Math.ceil((stopAfter - from) / period)) + 2000);
  const step = () => {
    if (--budget < 0) throw new RecurrenceTooLongError(TOO_LONG);
    pool.take();
  };
  // ical.js declares check_contracting_rules on RecurIterator; it is wrapped on this one iterator only.
  const check = it.check_contracting_rules;
  if (typeof check === 'function') {
    it.check_contracting_rules = function (this: typeof it) {
      step();
      return check.call(this);
    };
  }
  for (;;) {
    step();
    const t = it.next();
    if (!t) return;
    const wall = wallOfIcal(t);
    if (wall > stopAfter || !each(wall)) return;
  }
}

const MAX_MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when no date can satisfy BYMONTH with BYMONTHDAY or BYYEARDAY (ical.js would search forever). */
export function provablyEmpty(rule: RuleSpec): boolean {
  const months = rule.bymonth ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  if (rule.bymonthday && !rule.bymonthday.some((v) => months.some((m) => Math.abs(v) <= MAX_MONTH_DAYS[m - 1]!))) return true;
  if (rule.byyearday && rule.bymonth) {
    const fits = (leap: boolean) =>
      rule.byyearday!.some((v) => {
        const len = leap ? 366 : 365;
        const yd = v > 0 ? v : len + v + 1;
        if (yd < 1 || yd > len) return false;
        const c = civilFromDays(daysFromCivil(leap ? 2024 : 2025, 1, 1) + yd - 1);
        return rule.bymonth!.includes(c.m);
      });
    if (!fits(false) && !fits(true)) return true;
  }
  return false;
}

/** Occurrences in [lo, hi] by ical.js iteration (DTSTART included when ical.js yields it), at most `max`. */
export function expandWithIcal(
  rule: RuleSpec,
  start: number,
  isDate: boolean,
  untilWall: number | null,
  lo: number,
  hi: number,
  max = Infinity,
  pool = new StepPool(),
): number[] {
  const out: number[] = [];
  if (provablyEmpty(rule)) return out;
  const explicit = explicitRule(rule, start, isDate);
  const data = icalData(explicit, isDate, rule.interval, untilWall, rule.count);
  const limit = untilWall === null ? hi : Math.min(hi, untilWall);
  if (limit < lo || limit < start) return out;
  const keep = (wall: number): boolean => {
    if (wall >= lo && wall <= limit && satisfiesOrStart(wall)) out.push(wall);
    return out.length < max;
  };
  const satisfiesOrStart = (wall: number) => wall === start || satisfiesSimpleParts(explicit, wall, isDate);
  // Restart near the window: with COUNT the occurrence index matters, so iterate from DTSTART; with BYWEEKNO the
  // year a week belongs to is not the calendar year of its days, so periods cannot be told apart by date.
  const startIndex = periodIndex(rule, start);
  // Two periods of slack; a whole day more for sub-daily rules, where ical.js started at an arbitrary hour skips
  // the first BYHOUR value after its start.
  const fixed = PERIOD_MS[rule.freq];
  const restartIndex = periodIndex(rule, lo) - 2 - (fixed !== undefined && fixed < DAY_MS ? DAY_MS / fixed : 0);
  const canRestart = rule.count === null && !(rule.byweekno && rule.interval > 1) && !(isDate && (fixed ?? DAY_MS) < DAY_MS);
  if (!canRestart || restartIndex <= startIndex + 1) {
    iterate(data, start, isDate, limit, keep, pool);
    return out;
  }
  // The INTERVAL=1 form of the rule yields every period's own set; INTERVAL then only selects periods. Starting
  // it just before a period boundary two periods ahead of the window keeps ical.js's first, not always rule-abiding
  // yield (its DTSTART, or the first BYDAY match ignoring BYSETPOS) out of the window.
  const n = rule.interval;
  const every = n === 1 ? data : icalData(explicit, isDate, 1, untilWall, null);
  const eps = isDate ? DAY_MS : SECOND_MS;
  iterate(
    every,
    periodStart(rule, restartIndex, start) - eps,
    isDate,
    limit,
    (wall) => {
      return n === 1 || (periodIndex(rule, wall) - startIndex) % n === 0 ? keep(wall) : true;
    },
    pool,
  );
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

/** A rule bound to its DTSTART: plans once, expands any number of windows. */
export class RuleExpander {
  readonly rule: RuleSpec;
  readonly start: number;
  readonly isDate: boolean;
  readonly plan: FastPlan | null;
  private full: { untilWall: number | null; list: number[] } | null = null;
  /** A rule ical.js could not expand fails the same way for every window: remember it. */
  private failure: Error | null = null;

  constructor(rule: RuleSpec, start: number, isDate: boolean) {
    this.rule = rule;
    this.start = start;
    this.isDate = isDate;
    this.plan = planFastPath(rule, start, isDate);
  }

  /** Occurrences of the rule with wall time in [lo, hi], the first `max` of them. */
  between(untilWall: number | null, lo: number, hi: number, max = Infinity, pool = new StepPool()): number[] {
    if (this.plan) return expandFast(this.plan, this.start, this.rule.count, untilWall, lo, hi, max);
    if (this.failure) throw this.failure;
    try {
      return this.viaIcal(untilWall, lo, hi, max, pool);
    } catch (e) {
      // An empty pool says nothing about the rule itself: another window (or fewer neighbours) may do.
      if (e instanceof StepPoolExhaustedError) throw e;
      this.failure = e instanceof Error ? e : new Error(String(e));
      throw this.failure;
    }
  }

  private viaIcal(untilWall: number | null, lo: number, hi: number, max: number, pool: StepPool): number[] {
    if (this.rule.count !== null && this.rule.count <= 20_000) {
      // COUNT needs iteration from DTSTART; the whole (bounded) set is computed once and reused for every window.
      if (!this.full || this.full.untilWall !== untilWall) {
        this.full = { untilWall, list: expandWithIcal(this.rule, this.start, this.isDate, untilWall, -Infinity, Infinity, Infinity, pool) };
      }
      const inWindow = this.full.list.filter((w) => w >= lo && w <= hi);
      return inWindow.length > max ? inWindow.slice(0, max) : inWindow;
    }
    return expandWithIcal(this.rule, this.start, this.isDate, untilWall, lo, hi, max, pool);
  }
}
