// npm run bench — the iCalendar engine against plain ical.js, in one run:
// 1. parsing 10,000 single-event resources (Davlens) vs ICAL.parse alone on the same texts;
// 2. one month (2026-11, Europe/Berlin) of 1,000 open-ended daily/weekly series begun 2019-2021:
//    Davlens's windowed expansion (fast path), the same series forced onto the ical.js fallback,
//    and naive ical.js iteration from DTSTART (ICAL.Event#iterator, run over a subset and scaled);
// 3. a feed of the same 10,000 events as one file (a subscribed calendar): split into items (readFeed) vs ICAL.parse
//    of the whole file alone;
// 4. peak memory (rss and heap) seen between the phases.
// Targets: the month under 50 ms and at least 100x faster than naive iteration.
import ICAL from 'ical.js';
import { expandOccurrences, parseCalendarResource, type ParsedCalendarResource } from '../../electron/engine/formats/ical/index.ts';
import { readFeed } from '../../electron/engine/formats/ical/feed.ts';
import { prng } from '../support/prng.ts';

let peakRss = 0;
let peakHeap = 0;
function sampleMemory(): void {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}

const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}00`;

function vevent(uid: string, lines: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//davlens//bench//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    ...lines,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const rand = prng(20261101);
sampleMemory();

// --- 1. parsing ------------------------------------------------------------------------------------------------
const PARSE_N = 10_000;
const texts: string[] = [];
for (let i = 0; i < PARSE_N; i++) {
  const start = new Date(Date.UTC(2024, 0, 1) + Math.floor(rand() * 3 * 365) * 86_400_000 + Math.floor(rand() * 20) * 1_800_000);
  const end = new Date(start.getTime() + 3_600_000);
  const kind = i % 4;
  const lines = [`SUMMARY:Bench event ${i}`, `LOCATION:Room ${i % 50}`, `DESCRIPTION:Generated event number ${i} for the parse benchmark`];
  if (kind === 0) lines.push(`DTSTART;TZID=Europe/Berlin:${stamp(start)}`, `DTEND;TZID=Europe/Berlin:${stamp(end)}`);
  else if (kind === 1) lines.push(`DTSTART:${stamp(start)}Z`, `DTEND:${stamp(end)}Z`);
  else if (kind === 2)
    lines.push(`DTSTART;VALUE=DATE:${stamp(start).slice(0, 8)}`, `DTEND;VALUE=DATE:${stamp(new Date(start.getTime() + 86_400_000)).slice(0, 8)}`);
  else lines.push(`DTSTART;TZID=America/New_York:${stamp(start)}`, 'DURATION:PT45M', 'RRULE:FREQ=WEEKLY;COUNT=10');
  texts.push(vevent(`bench-${i}`, lines));
}
const bytes = texts.reduce((n, t) => n + t.length, 0);
// Warm both paths up, then alternate the timed runs so neither profits from the other's JIT or GC state.
for (const t of texts.slice(0, 500)) {
  ICAL.parse(t);
  parseCalendarResource('/warm.ics', t);
}
const icalRuns: number[] = [];
const davRuns: number[] = [];
let parsed: ParsedCalendarResource[] = [];
for (let run = 0; run < 3; run++) {
  icalRuns.push(
    time(() => {
      for (const t of texts) ICAL.parse(t);
    }).ms,
  );
  const r = time(() => texts.map((t, i) => parseCalendarResource(`/cal/${i}.ics`, t).resource!));
  parsed = r.value;
  davRuns.push(r.ms);
}
const icalParse = median(icalRuns);
const davParse = median(davRuns);
sampleMemory();
const wholeYear = time(() => expandOccurrences(parsed, { from: '2025-01-01', to: '2026-01-01', tz: 'Europe/Berlin' }, { displayName: 'Bench', url: '/cal/' }));
sampleMemory();

// --- 2. one month of 1,000 long-running series ------------------------------------------------------------------
const SERIES_N = 1_000;
const NAIVE_N = 50;
const seriesTexts: string[] = [];
const forcedFallback: string[] = [];
for (let i = 0; i < SERIES_N; i++) {
  const day = new Date(Date.UTC(2019, 0, 1) + Math.floor(rand() * 3 * 365) * 86_400_000);
  const hour = 7 + Math.floor(rand() * 10);
  const startText = `${stamp(day).slice(0, 8)}T${pad(hour)}0000`;
  const weekly = i % 2 === 1;
  const rule = weekly ? (i % 4 === 1 ? 'FREQ=WEEKLY' : 'FREQ=WEEKLY;BYDAY=MO,WE,FR') : i % 6 === 0 ? 'FREQ=DAILY;INTERVAL=2' : 'FREQ=DAILY';
  const dtstart = `DTSTART;TZID=Europe/Berlin:${startText}`;
  // A weekly BYDAY series must start on one of its days for the fast path (RFC 5545 leaves other starts undefined).
  const synced =
    weekly && rule.includes('BYDAY')
      ? `DTSTART;TZID=Europe/Berlin:${stamp(new Date(Date.UTC(2019, 0, 7) + Math.floor(rand() * 150) * 7 * 86_400_000)).slice(0, 8)}T${pad(hour)}0000`
      : dtstart;
  const common = [`SUMMARY:Series ${i}`, synced, 'DURATION:PT1H'];
  seriesTexts.push(vevent(`series-${i}`, [...common, `RRULE:${rule}`]));
  // Same instants, but BYHOUR (equal to DTSTART's hour) keeps the rule off the fast path: the ical.js fallback.
  forcedFallback.push(vevent(`series-${i}`, [...common, `RRULE:${rule};BYHOUR=${hour}`]));
}
const seriesResources = seriesTexts.map((t, i) => parseCalendarResource(`/s/${i}.ics`, t).resource!);
const fallbackResources = forcedFallback.map((t, i) => parseCalendarResource(`/f/${i}.ics`, t).resource!);
const month = { from: '2026-11-01', to: '2026-12-01', tz: 'Europe/Berlin' };
const cal = { displayName: 'Bench', url: '/s/' };

const firstMonth = time(() => expandOccurrences(seriesResources, month, cal));
const monthRuns = [0, 1, 2, 3, 4].map(() => time(() => expandOccurrences(seriesResources, month, cal)).ms);
const occurrences = firstMonth.value.occurrences.length;
sampleMemory();
const fallbackFirst = time(() => expandOccurrences(fallbackResources, month, cal));
const fallbackRuns = [0, 1, 2].map(() => time(() => expandOccurrences(fallbackResources, month, cal)).ms);
sampleMemory();
const otherYear = time(() => expandOccurrences(seriesResources, { from: '2031-11-01', to: '2031-12-01', tz: 'Europe/Berlin' }, cal));

// Naive: what ical.js does out of the box, iterating every occurrence from DTSTART up to the window's end.
const windowStart = ICAL.Time.fromDateTimeString('2026-11-01T00:00:00');
const windowEnd = ICAL.Time.fromDateTimeString('2026-12-01T00:00:00');
let naiveCount = 0;
const naive = time(() => {
  for (const text of seriesTexts.slice(0, NAIVE_N)) {
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text) as unknown[]).getFirstSubcomponent('vevent')!);
    const it = event.iterator();
    for (let t = it.next(); t && t.compare(windowEnd) < 0; t = it.next()) if (t.compare(windowStart) >= 0) naiveCount++;
  }
});
sampleMemory();
const naiveScaled = (naive.ms * SERIES_N) / NAIVE_N;
const davMonth = median(monthRuns);

// --- 3. one feed of the same 10,000 events -------------------------------------------------------------------------
const feedText = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//davlens//bench//EN',
  ...texts.map((t) => t.split('\r\n').slice(3, -2).join('\r\n')),
  'END:VCALENDAR',
  '',
].join('\r\n');
readFeed(feedText);
const feedIcalRuns: number[] = [];
const feedRuns: number[] = [];
let feedItems = 0;
for (let run = 0; run < 3; run++) {
  feedIcalRuns.push(time(() => ICAL.parse(feedText)).ms);
  const r = time(() => readFeed(feedText));
  feedItems = r.value.items.length;
  feedRuns.push(r.ms);
}
sampleMemory();

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)).padStart(9);
const line = (label: string, ms: number, note = '') => console.log(`${label.padEnd(58)}${fmt(ms)} ms  ${note}`);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

console.log(`Davlens iCalendar engine benchmark (Node ${process.version}, median of repeated runs)\n`);
console.log(`Parse ${PARSE_N.toLocaleString('en')} single-event resources (${(bytes / 1024).toFixed(0)} KB)`);
line('  ICAL.parse only (tokenising, reference)', icalParse);
line('  Davlens parseCalendarResource', davParse, `${((davParse / PARSE_N) * 1000).toFixed(1)} us per resource`);
line('  Davlens expand all of them for 2025 (one year window)', wholeYear.ms, `${wholeYear.value.occurrences.length} occurrences`);
console.log(`\nExpand one month (2026-11, Europe/Berlin) of ${SERIES_N.toLocaleString('en')} daily/weekly series begun 2019-2021`);
line('  Davlens, first call (zone tables built)', firstMonth.ms, `${occurrences} occurrences`);
line('  Davlens, again (median of 5)', davMonth, `target < 50 ms: ${davMonth < 50 ? 'met' : 'MISSED'}`);
line('  Davlens, 2031-11 (five years later: cost must not grow)', otherYear.ms, `${otherYear.value.occurrences.length} occurrences`);
line('  Davlens, same series forced onto ical.js fallback (first)', fallbackFirst.ms, `${fallbackFirst.value.occurrences.length} occurrences`);
line('  Davlens, ical.js fallback again (median of 3)', median(fallbackRuns));
line(`  naive ical.js from DTSTART, ${NAIVE_N} series measured`, naive.ms, `${naiveCount} occurrences`);
line(`  naive ical.js, scaled x${SERIES_N / NAIVE_N} to ${SERIES_N.toLocaleString('en')} series`, naiveScaled, '(estimate from the subset)');
const speedup = naiveScaled / davMonth;
console.log(`  speed-up over naive: ${speedup.toFixed(0)}x (target >= 100x: ${speedup >= 100 ? 'met' : 'MISSED'})`);
console.log(`\nOne feed of the same ${PARSE_N.toLocaleString('en')} events (${(feedText.length / 1024).toFixed(0)} KB), as a subscription reads it`);
line('  ICAL.parse of the whole file (tokenising, reference)', median(feedIcalRuns));
line('  Davlens readFeed: split into one item per UID (median of 3)', median(feedRuns), `${feedItems} items`);
console.log(`\nPeak memory seen between phases: rss ${mb(peakRss)}, heap used ${mb(peakHeap)}`);
