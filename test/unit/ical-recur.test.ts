// The hand-written recurrence paths checked against plain ical.js, iterating every occurrence from DTSTART (the
// slow, obviously-windowless reference), over hundreds of seeded random rules, starts and windows.
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import {
  countBound,
  expandFast,
  expandWithIcal,
  parseRule,
  planFastPath,
  provablyEmpty,
  RuleExpander,
  type RuleSpec,
} from '../../electron/engine/formats/ical/recur.ts';
import { civilFromDays, DAY_MS, daysFromCivil, daysInMonth, formatWall, HOUR_MS, MINUTE_MS, weekdayOfDay } from '../../electron/engine/formats/ical/time.ts';
import { prng } from '../support/prng.ts';

const DOW = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The rule as production parses it: through ICAL.parse's jCal, then parseRule. */
function rule(text: string): RuleSpec {
  const jcal = ICAL.parse(`BEGIN:VEVENT\r\nRRULE:${text}\r\nEND:VEVENT\r\n`) as [string, [string, object, string, unknown][]];
  const r = parseRule(jcal[1][0]![3]);
  if (typeof r === 'string') throw new Error(`${text}: ${r}`);
  return r;
}

function icalTime(wall: number, isDate: boolean): ICAL.Time {
  const day = Math.floor(wall / DAY_MS);
  const c = civilFromDays(day);
  const s = Math.floor((wall - day * DAY_MS) / 1000);
  return ICAL.Time.fromData({
    year: c.y,
    month: c.m,
    day: c.d,
    hour: isDate ? 0 : Math.floor(s / 3600),
    minute: isDate ? 0 : Math.floor((s % 3600) / 60),
    second: isDate ? 0 : s % 60,
    isDate,
  });
}

/** Reference: ical.js's own iterator over the rule text as written, from DTSTART, everything in [lo, hi]. */
function naive(text: string, start: number, isDate: boolean, lo: number, hi: number): number[] {
  const it = ICAL.Recur.fromString(text).iterator(icalTime(start, isDate));
  const out: number[] = [];
  for (let n = 0; n < 200_000; n++) {
    const t = it.next();
    if (!t) break;
    const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
    if (wall > hi) break;
    if (wall >= lo) out.push(wall);
  }
  return out;
}

const show = (xs: number[]) => xs.map((w) => formatWall(w));

interface Case {
  text: string;
  start: number;
  isDate: boolean;
  lo: number;
  hi: number;
  untilWall: number | null;
}

function randomStart(rand: () => number, isDate: boolean): number {
  const day = daysFromCivil(1995 + Math.floor(rand() * 35), 1, 1) + Math.floor(rand() * 366);
  const tod = isDate ? 0 : Math.floor(rand() * 24) * HOUR_MS + [0, 15, 30, 45][Math.floor(rand() * 4)]! * MINUTE_MS;
  return day * DAY_MS + tod;
}

function untilPart(rand: () => number, start: number, isDate: boolean, spanDays: number): { text: string; wall: number } {
  const wall = start + Math.floor(rand() * spanDays) * DAY_MS + (isDate ? 0 : Math.floor(rand() * 24) * HOUR_MS);
  const f = formatWall(wall).replace(/[-:]/g, '');
  return { text: isDate ? f.slice(0, 8) : f, wall };
}

/** A random DTSTART (a date three times in ten), with its civil date and weekday. */
function caseStart(rand: () => number): { isDate: boolean; start: number; c: ReturnType<typeof civilFromDays>; dow: number } {
  const isDate = rand() < 0.3;
  const start = randomStart(rand, isDate);
  const day = Math.floor(start / DAY_MS);
  return { isDate, start, c: civilFromDays(day), dow: weekdayOfDay(day) };
}

/** A rule the fast path should take: synchronised with its DTSTART, no BYSETPOS/BYHOUR... */
function fastCase(rand: () => number): Case {
  const { isDate, start, c, dow } = caseStart(rand);
  const freq = (['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const)[Math.floor(rand() * 4)]!;
  const interval = rand() < 0.5 ? 1 : 2 + Math.floor(rand() * 3);
  const parts = [`FREQ=${freq}`];
  if (interval > 1) parts.push(`INTERVAL=${interval}`);
  if (freq === 'WEEKLY' || (freq === 'DAILY' && interval === 1)) {
    // DAILY;BYDAY (interval 1) is the weekly rule on those days ("every weekday").
    if (rand() < 0.6) {
      const days = new Set([dow]);
      for (let d = 0; d < 7; d++) if (rand() < 0.3) days.add(d);
      parts.push(`BYDAY=${[...days].map((d) => DOW[d]).join(',')}`);
    }
    if (rand() < 0.4) parts.push(`WKST=${DOW[Math.floor(rand() * 7)]}`);
  }
  const nth = Math.ceil(c.d / 7);
  const nthFromEnd = -Math.ceil((daysInMonth(c.y, c.m) - c.d + 1) / 7);
  const ord = rand() < 0.5 ? nth : nthFromEnd;
  const negDay = c.d - daysInMonth(c.y, c.m) - 1;
  if (freq === 'MONTHLY') {
    const k = rand();
    if (k < 0.33) parts.push(`BYMONTHDAY=${rand() < 0.5 ? c.d : negDay}`);
    else if (k < 0.66) parts.push(`BYDAY=${ord}${DOW[dow]}`);
  }
  if (freq === 'YEARLY') {
    const k = rand();
    if (k < 0.25) parts.push(`BYMONTH=${c.m}`);
    // A negative BYMONTHDAY in a YEARLY rule makes ical.js ignore INTERVAL (it yields 2006 for every 3 years from
    // 2004): the reference would be wrong, so YEARLY uses the positive day here and the negative one is checked below.
    else if (k < 0.5) parts.push(`BYMONTH=${c.m}`, `BYMONTHDAY=${c.d}`);
    else if (k < 0.75) parts.push(`BYMONTH=${c.m}`, `BYDAY=${ord}${DOW[dow]}`);
  }
  let untilWall: number | null = null;
  const k = rand();
  if (k < 0.3) parts.push(`COUNT=${1 + Math.floor(rand() * 80)}`);
  else if (k < 0.55) {
    const u = untilPart(rand, start, isDate, freq === 'DAILY' || freq === 'WEEKLY' ? 800 : 8000);
    parts.push(`UNTIL=${u.text}`);
    untilWall = u.wall;
  }
  const reach = freq === 'DAILY' ? 3 * 365 : freq === 'WEEKLY' ? 8 * 365 : 40 * 365;
  const lo = start + Math.floor((rand() * 1.1 - 0.1) * reach) * DAY_MS;
  const hi = lo + (1 + Math.floor(rand() * 400)) * DAY_MS;
  return { text: parts.join(';'), start, isDate, lo, hi, untilWall };
}

/** A rule the fast path takes although DTSTART is not one of its days: WEEKLY, DAILY, MONTHLY or YEARLY BY-days, no COUNT. */
function unsynchronisedCase(rand: () => number): Case {
  const { isDate, start, c, dow } = caseStart(rand);
  const other = (x: number, n: number) => (x + 1 + Math.floor(rand() * (n - 1))) % n;
  const freq = (['WEEKLY', 'DAILY', 'MONTHLY', 'YEARLY'] as const)[Math.floor(rand() * 4)]!;
  const interval = freq === 'DAILY' || rand() < 0.5 ? 1 : 2 + Math.floor(rand() * 3);
  const parts = [`FREQ=${freq}`];
  if (interval > 1) parts.push(`INTERVAL=${interval}`);
  if (freq === 'WEEKLY' || freq === 'DAILY') {
    const days = new Set([other(dow, 7)]);
    for (let d = 0; d < 7; d++) if (d !== dow && rand() < 0.3) days.add(d);
    parts.push(`BYDAY=${[...days].map((d) => DOW[d]).join(',')}`);
    if (rand() < 0.5) parts.push(`WKST=${DOW[Math.floor(rand() * 7)]}`);
  } else {
    if (freq === 'YEARLY') parts.push(`BYMONTH=${c.m}`);
    // Another day of the month, or a weekday's nth (which may fall on DTSTART's day: synchronised after all).
    if (rand() < 0.5) parts.push(`BYMONTHDAY=${1 + ((c.d + Math.floor(rand() * 27)) % 28)}`);
    else parts.push(`BYDAY=${rand() < 0.7 ? 1 + Math.floor(rand() * 4) : -1}${DOW[Math.floor(rand() * 7)]}`);
  }
  let untilWall: number | null = null;
  if (rand() < 0.4) {
    const u = untilPart(rand, start, isDate, freq === 'MONTHLY' || freq === 'YEARLY' ? 8000 : 800);
    parts.push(`UNTIL=${u.text}`);
    untilWall = u.wall;
  }
  const reach = freq === 'WEEKLY' || freq === 'DAILY' ? 8 * 365 : 40 * 365;
  // Windows near DTSTART half the time: its own week or month is where an unsynchronised start differs.
  const lo = rand() < 0.5 ? start - Math.floor(rand() * 40) * DAY_MS : start + Math.floor((rand() * 1.1 - 0.1) * reach) * DAY_MS;
  const hi = lo + (1 + Math.floor(rand() * 400)) * DAY_MS;
  return { text: parts.join(';'), start, isDate, lo, hi, untilWall };
}

/** The case's rule and the fast path's plan for it, which must not be a refusal; counted by its kind. */
function takenByFastPath(cs: Case, kinds: Map<string, number>): { r: RuleSpec; plan: NonNullable<ReturnType<typeof planFastPath>> } {
  const r = rule(cs.text);
  const plan = planFastPath(r, cs.start);
  if (!plan) throw new Error(`fast path refused ${cs.text} from ${formatWall(cs.start)}`);
  kinds.set(plan.kind, (kinds.get(plan.kind) ?? 0) + 1);
  return { r, plan };
}

describe('fast path against ical.js (randomized)', () => {
  it('yields exactly what ical.js iterating from DTSTART yields, for 600 random rules, starts and windows', () => {
    const rand = prng(Number(process.env.ICAL_TEST_SEED ?? 0xdab1e5));
    const kinds = new Map<string, number>();
    let compared = 0;
    let occurrences = 0;
    for (let i = 0; i < 600; i++) {
      const cs = fastCase(rand);
      const { r, plan } = takenByFastPath(cs, kinds);
      const c = civilFromDays(Math.floor(cs.start / DAY_MS));
      // ical.js rolls an implicit yearly Feb 29 over to Mar 1 (against RFC 5545); checked separately below.
      if (r.freq === 'YEARLY' && c.m === 2 && c.d === 29 && !r.bymonthday && !r.byday) continue;
      const mine = expandFast(plan, cs.start, r.count, cs.untilWall, cs.lo, cs.hi);
      const ref = naive(cs.text, cs.start, cs.isDate, cs.lo, cs.hi);
      expect(show(mine), `${cs.text} from ${formatWall(cs.start)} in ${formatWall(cs.lo)}..${formatWall(cs.hi)}`).toEqual(show(ref));
      compared++;
      occurrences += ref.length;
    }
    expect(compared).toBeGreaterThan(550);
    expect(occurrences).toBeGreaterThan(2000);
    for (const k of ['fixed', 'weekly', 'monthly']) expect(kinds.get(k) ?? 0).toBeGreaterThan(60);
  });

  it('steps sub-daily rules without BY-parts by a fixed wall-clock step, as ical.js does', () => {
    const start = Date.UTC(2026, 9, 24, 22, 17, 5);
    for (const text of [
      'FREQ=HOURLY',
      'FREQ=HOURLY;INTERVAL=7',
      'FREQ=MINUTELY;INTERVAL=13;COUNT=400',
      'FREQ=SECONDLY;INTERVAL=97',
      'FREQ=MINUTELY;UNTIL=20261025T120000',
    ]) {
      const r = rule(text);
      const plan = planFastPath(r, start);
      expect(plan, text).toMatchObject({ kind: 'fixed' });
      const [lo, hi] = [start + 3 * 3_600_000, start + 2 * DAY_MS];
      const until = r.until && r.until.kind !== 'date' ? r.until.wall : null;
      expect(show(expandFast(plan!, start, r.count, until, lo, hi)), text).toEqual(show(naive(text, start, false, lo, hi)));
    }
    expect(planFastPath(rule('FREQ=HOURLY'), Date.UTC(2026, 0, 1), true)).toBeNull();
    expect(planFastPath(rule('FREQ=HOURLY;BYHOUR=9'), start)).toBeNull();
  });

  it("takes Thunderbird's every weekday (FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR) as the weekly rule, COUNT included", () => {
    const start = Date.UTC(2026, 0, 5, 9); // a Monday
    for (const text of ['FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR', 'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=13', 'FREQ=DAILY;BYDAY=SA,SU']) {
      const r = rule(text);
      const plan = planFastPath(r, start);
      expect(plan, text).toMatchObject({ kind: 'weekly', stepWeeks: 1 });
      const [lo, hi] = [start, start + 30 * DAY_MS];
      const got = [...new Set([start, ...expandFast(plan!, start, r.count, null, lo, hi)])];
      expect(show(got), text).toEqual(show([...new Set([start, ...naive(text, start, false, lo, hi)])]));
    }
    expect(show(expandFast(planFastPath(rule('FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR'), start)!, start, null, null, start, start + 7 * DAY_MS))).toEqual([
      '2026-01-05T09:00:00',
      '2026-01-06T09:00:00',
      '2026-01-07T09:00:00',
      '2026-01-08T09:00:00',
      '2026-01-09T09:00:00',
      '2026-01-12T09:00:00',
    ]);
  });

  it('finds COUNT-limited occurrences far from DTSTART without iterating to them', () => {
    // 100,000th day of a daily series: the fast path computes the index; the window sees exactly the last one.
    const r = rule('FREQ=DAILY;COUNT=100000');
    const start = Date.UTC(1800, 0, 1, 9);
    const plan = planFastPath(r, start)!;
    const last = start + 99_999 * DAY_MS;
    expect(show(expandFast(plan, start, r.count, null, last - 2.5 * DAY_MS, last + 10 * DAY_MS))).toEqual(show([last - 2 * DAY_MS, last - DAY_MS, last]));
  });

  it('counts INTERVAL years with a negative BYMONTHDAY (where ical.js alone does not)', () => {
    const r = rule('FREQ=YEARLY;INTERVAL=3;BYMONTH=1;BYMONTHDAY=-13');
    const start = Date.UTC(2004, 0, 19);
    expect(show(expandFast(planFastPath(r, start)!, start, null, null, start, Date.UTC(2011, 0, 1)))).toEqual([
      '2004-01-19T00:00:00',
      '2007-01-19T00:00:00',
      '2010-01-19T00:00:00',
    ]);
  });

  it('takes rules whose DTSTART does not match them (without COUNT): DTSTART, then the matches after it, as ical.js', () => {
    const rand = prng(Number(process.env.ICAL_TEST_SEED ?? 0x5eed5));
    const kinds = new Map<string, number>();
    let occurrences = 0;
    for (let i = 0; i < 600; i++) {
      const cs = unsynchronisedCase(rand);
      const { plan } = takenByFastPath(cs, kinds);
      // DTSTART is not among the rule's matches; the expansion adds it (ruleWalls: RFC 5545's first instance), which
      // ical.js, iterating from an unsynchronised DTSTART, yields only sometimes. The matches after it must agree.
      const inWindow = cs.start >= cs.lo && cs.start <= cs.hi ? [cs.start] : [];
      const mine = [...new Set([...inWindow, ...expandFast(plan, cs.start, null, cs.untilWall, cs.lo, cs.hi)])];
      const ref = [...new Set([...inWindow, ...naive(cs.text, cs.start, cs.isDate, cs.lo, cs.hi)])].sort((a, b) => a - b);
      expect(show(mine), `${cs.text} from ${formatWall(cs.start)} in ${formatWall(cs.lo)}..${formatWall(cs.hi)}`).toEqual(show(ref));
      occurrences += ref.length;
    }
    expect(occurrences).toBeGreaterThan(3000);
    for (const k of ['weekly', 'monthly']) expect(kinds.get(k) ?? 0).toBeGreaterThan(200);
    // With COUNT, how DTSTART counts is ical.js's own: left to it.
    expect(planFastPath(rule('FREQ=WEEKLY;BYDAY=TU;COUNT=5'), Date.UTC(2026, 0, 5, 9))).toBeNull();
    expect(planFastPath(rule('FREQ=MONTHLY;BYDAY=2TU;COUNT=5'), Date.UTC(2026, 0, 6, 9))).toBeNull();
  });

  it('refuses rules it cannot compute exactly, leaving them to ical.js', () => {
    const start = Date.UTC(2026, 0, 5, 9); // a Monday
    for (const text of [
      'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1',
      'FREQ=DAILY;INTERVAL=2;BYDAY=MO,TU',
      'FREQ=DAILY;BYDAY=1MO',
      'FREQ=HOURLY;BYMINUTE=5',
      'FREQ=YEARLY;BYWEEKNO=2',
      'FREQ=MONTHLY;BYMONTHDAY=1,15',
      'FREQ=YEARLY;BYMONTH=3',
    ]) {
      expect(planFastPath(rule(text), start), text).toBeNull();
    }
  });
});

/** A rule for the ical.js fallback: BY-parts the fast path leaves alone, no COUNT (so the restart applies). */
function fallbackCase(rand: () => number): Case {
  const isDate = rand() < 0.25;
  const start = randomStart(rand, isDate);
  const day = Math.floor(start / DAY_MS);
  const c = civilFromDays(day);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const days = () => {
    const s = new Set<string>();
    while (s.size < 1 + Math.floor(rand() * 3)) s.add(pick(DOW));
    return [...s].join(',');
  };
  const interval = rand() < 0.6 ? 1 : 2 + Math.floor(rand() * 3);
  const iv = interval > 1 ? `;INTERVAL=${interval}` : '';
  const hours = isDate ? '' : `;BYHOUR=${Math.floor(start / HOUR_MS) % 24},${(Math.floor(start / HOUR_MS) + 5) % 24}`;
  const templates = [
    `FREQ=MONTHLY${iv};BYDAY=${days()};BYSETPOS=${pick([1, 2, -1])}`,
    `FREQ=MONTHLY${iv};BYDAY=${pick(['1', '2', '-1', '3'])}${pick(DOW)},${pick(['1', '-2'])}${pick(DOW)}`,
    `FREQ=MONTHLY${iv};BYMONTHDAY=${pick([1, 5, 15])},${pick([-1, 20, 28])}`,
    `FREQ=DAILY${iv};BYDAY=${days()}`,
    `FREQ=DAILY${iv};BYMONTH=${c.m},${(c.m % 12) + 1}`,
    `FREQ=WEEKLY${iv};BYDAY=${days()}${hours}`,
    `FREQ=YEARLY${iv};BYMONTH=${pick([1, 3, 6, 10])},${pick([2, 7, 11])};BYDAY=${pick(['1', '-1', '2'])}${pick(DOW)}`,
    `FREQ=YEARLY${iv};BYWEEKNO=${pick([1, 10, 20, 52])};BYDAY=${pick(DOW)}`,
    `FREQ=YEARLY${iv};BYYEARDAY=${pick([1, 100, 200, -1])}`,
    `FREQ=YEARLY${iv};BYMONTH=${pick([2, 4, 9])}`,
    // HOURLY without INTERVAL: ical.js ignores INTERVAL when BYHOUR is given (RFC 5545: BYHOUR limits HOURLY).
    ...(isDate ? [] : [`FREQ=HOURLY;BYHOUR=9,10,17;BYDAY=${days()}`, `FREQ=DAILY${iv}${hours};BYMINUTE=0,30`]),
  ];
  const text = pick(templates);
  let untilWall: number | null = null;
  let full = text;
  if (rand() < 0.25) {
    const u = untilPart(rand, start, isDate, 6000);
    full += `;UNTIL=${u.text}`;
    untilWall = u.wall;
  }
  const reach = text.startsWith('FREQ=HOURLY') ? 400 : text.startsWith('FREQ=DAILY') || text.startsWith('FREQ=WEEKLY') ? 6 * 365 : 25 * 365;
  const lo = start + Math.floor((rand() * 1.05 - 0.05) * reach) * DAY_MS;
  const hi = lo + (1 + Math.floor(rand() * 120)) * DAY_MS;
  return { text: full, start, isDate, lo, hi, untilWall };
}

describe('ical.js fallback restarted near the window', () => {
  it('matches ical.js iterating from DTSTART, for 300 random complex rules', () => {
    const rand = prng(Number(process.env.ICAL_TEST_SEED ?? 0x1ca15));
    let restarted = 0;
    for (let i = 0; i < 300; i++) {
      const cs = fallbackCase(rand);
      const r = rule(cs.text);
      const c = civilFromDays(Math.floor(cs.start / DAY_MS));
      // A yearly rule that takes its day from DTSTART, in a month without that day (Feb 29/30/31, Sep 31): ical.js
      // rolls it over into the next month instead of skipping it as RFC 5545 asks, so it cannot be the reference.
      if (c.d > 28 && r.freq === 'YEARLY' && !r.bymonthday && !r.byday && !r.byyearday && !r.byweekno) continue;
      let mine: number[];
      try {
        mine = expandWithIcal(r, cs.start, cs.isDate, cs.untilWall, cs.lo, cs.hi).filter((w) => w !== cs.start);
      } catch (e) {
        throw new Error(`${cs.text} from ${formatWall(cs.start)} in ${formatWall(cs.lo)}..${formatWall(cs.hi)}: ${String(e)}`);
      }
      const ref = naive(cs.text, cs.start, cs.isDate, cs.lo, cs.hi).filter((w) => w !== cs.start);
      expect(show(mine), `${cs.text} from ${formatWall(cs.start)} in ${formatWall(cs.lo)}..${formatWall(cs.hi)}`).toEqual(show(ref));
      if (cs.lo - cs.start > 400 * DAY_MS) restarted++;
    }
    expect(restarted).toBeGreaterThan(150);
  });

  it('turns rules that can never match into no occurrences instead of a hang', () => {
    const start = Date.UTC(2026, 0, 5, 10);
    for (const text of ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=MINUTELY;BYMONTH=4;BYMONTHDAY=31', 'FREQ=YEARLY;BYYEARDAY=366;BYMONTH=1']) {
      const r = rule(text);
      expect(provablyEmpty(r), text).toBe(true);
      const t0 = performance.now();
      expect(new RuleExpander(r, start, false).between(null, Date.UTC(2026, 5, 1), Date.UTC(2026, 6, 1))).toEqual([]);
      expect(performance.now() - t0).toBeLessThan(1000);
    }
  });

  it('stops a pathological rule with an error after a bounded number of steps, and remembers it', () => {
    // Every second of a month is 2.6 million occurrences: refused rather than computed (BYMONTH keeps it off the
    // fast path, which would step it cheaply).
    const ex = new RuleExpander(rule('FREQ=SECONDLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12'), Date.UTC(2026, 0, 1), false);
    expect(() => ex.between(null, Date.UTC(2026, 5, 1), Date.UTC(2026, 6, 1))).toThrow(/steps/);
    const t0 = performance.now();
    expect(() => ex.between(null, Date.UTC(2026, 7, 1), Date.UTC(2026, 8, 1))).toThrow(/steps/);
    expect(performance.now() - t0).toBeLessThan(5);
  });

  it('applies INTERVAL before BYHOUR limits an HOURLY rule (where ical.js alone does not)', () => {
    // Every 4 hours from 14:00 is 14, 18, 22, 2, 6, 10: of BYHOUR=9,10,17 only 10 is ever reached.
    const got = expandWithIcal(
      rule('FREQ=HOURLY;INTERVAL=4;BYHOUR=9,10,17'),
      Date.UTC(2026, 0, 1, 14),
      false,
      null,
      Date.UTC(2026, 2, 1),
      Date.UTC(2026, 2, 3),
    );
    expect(show(got)).toEqual(['2026-03-01T10:00:00', '2026-03-02T10:00:00']);
  });

  it('skips months without the day of DTSTART in a yearly BYMONTH rule (where ical.js rolls over)', () => {
    // From Jan 31 every February and September: none of them has a 31st.
    const got = expandWithIcal(rule('FREQ=YEARLY;BYMONTH=2,9'), Date.UTC(1999, 0, 31, 4, 45), false, null, Date.UTC(1999, 1, 1), Date.UTC(2003, 0, 1));
    expect(got).toEqual([]);
    const april = expandWithIcal(rule('FREQ=YEARLY;BYMONTH=3,4'), Date.UTC(1999, 0, 31), true, null, Date.UTC(1999, 1, 1), Date.UTC(2001, 0, 1));
    expect(show(april)).toEqual(['1999-03-31T00:00:00', '2000-03-31T00:00:00']);
  });

  it('keeps an explicit yearly Feb 29 to leap years, like RFC 5545 asks', () => {
    const start = Date.UTC(2024, 1, 29, 9);
    const got = expandWithIcal(rule('FREQ=YEARLY;BYHOUR=9'), start, false, null, Date.UTC(2025, 0, 1), Date.UTC(2034, 0, 1));
    expect(show(got)).toEqual(['2028-02-29T09:00:00', '2032-02-29T09:00:00']);
  });
});

describe('the COUNT bound of the store span', () => {
  it('is never before the last instance ical.js yields, for 600 random COUNT rules, and bounds the common ones', () => {
    const rand = prng(Number(process.env.ICAL_TEST_SEED ?? 0xc0a7));
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    let bounded = 0;
    for (let i = 0; i < 600; i++) {
      const isDate = rand() < 0.25;
      const start = randomStart(rand, isDate);
      const count = 1 + Math.floor(rand() * 60);
      const iv = rand() < 0.6 ? '' : `;INTERVAL=${2 + Math.floor(rand() * 3)}`;
      // DTSTART often does not match BYDAY (as in real data): ical.js then yields it as an extra instance.
      const text = `${pick([
        'FREQ=DAILY',
        'FREQ=WEEKLY',
        `FREQ=WEEKLY;BYDAY=${pick(DOW)},${pick(DOW)}`,
        `FREQ=MONTHLY;BYDAY=${pick(['1', '2', '-1', '4', '5'])}${pick(DOW)}`,
        `FREQ=MONTHLY;BYMONTHDAY=${pick([1, 15, 28, 30, 31, -1])}`,
        'FREQ=MONTHLY',
        'FREQ=YEARLY',
        `FREQ=YEARLY;BYMONTH=${pick([2, 4, 9])}`,
        `FREQ=DAILY;BYDAY=${pick(DOW)}`,
        `FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=${pick([1, -1])}`,
      ])}${iv};COUNT=${count}`;
      const bound = countBound(rule(text), start);
      if (bound === null) continue;
      bounded++;
      const all = naive(text, start, isDate, -Infinity, Infinity);
      expect(all.length, text).toBeGreaterThan(0);
      expect(bound, `${text} from ${formatWall(start)}: last ${formatWall(all.at(-1)!)}, bound ${formatWall(bound)}`).toBeGreaterThanOrEqual(all.at(-1)!);
    }
    expect(bounded).toBeGreaterThan(300);
  });

  it('gives up where a period may be empty', () => {
    const start = Date.UTC(2026, 0, 31, 9);
    for (const text of [
      'FREQ=MONTHLY;COUNT=5',
      'FREQ=MONTHLY;BYDAY=5FR;COUNT=3',
      'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=2;COUNT=3',
      'FREQ=DAILY;BYMONTH=3;COUNT=4',
      'FREQ=HOURLY;COUNT=4',
    ]) {
      expect(countBound(rule(text), start), text).toBeNull();
    }
    expect(countBound(rule('FREQ=WEEKLY;UNTIL=20270101T000000Z'), start)).toBeNull();
  });
});
