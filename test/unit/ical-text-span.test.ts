// textSpan: a first window leaves out, unparsed, an item whose text alone bounds it outside the window's days. It
// must never be narrower than the parsed item's span (span.ts), or the window would hide an event the sync then
// shows; checked on every .ics fixture (khal's corpus among them) and on generated events in zones from UTC-11 to
// UTC+14, with dates and date-times, folded lines, alarms, lower-case names, an end before the start, and rules
// with an UNTIL (a date or a UTC time, before or after the start), a COUNT or neither.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCalendarResource, resourceSpan, textSpan } from '../../electron/engine/formats/ical/index.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

function icsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return icsFiles(path);
    return name.endsWith('.ics') ? [path] : [];
  });
}

/** The parsed span, or null when the text cannot be read at all (or has nothing dated). */
function parsedSpan(ics: string) {
  const { resource } = parseCalendarResource('/cal/x.ics', ics);
  if (!resource) return null;
  const span = resourceSpan(resource);
  return span.start === null ? null : span;
}

/** The text's bound contains the parsed span: no later start, no earlier end (an open end is never bounded). */
function expectContains(ics: string): boolean {
  const bound = textSpan(ics);
  const real = parsedSpan(ics);
  if (bound === null || real === null) return bound !== null;
  expect(bound.start!).toBeLessThanOrEqual(real.start!);
  if (bound.end !== null) {
    expect(real.end, 'an item bounded by its text has an end').not.toBeNull();
    expect(bound.end).toBeGreaterThanOrEqual(real.end!);
  }
  return true;
}

const wrap = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const event = (...lines: string[]) => wrap('BEGIN:VEVENT', 'UID:u1', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT');

describe('textSpan', () => {
  it('bounds no fixture narrower than its parsed span, and bounds some of them', () => {
    const files = icsFiles(FIXTURES);
    expect(files.length).toBeGreaterThan(60);
    const bounded = files.filter((f) => expectContains(readFileSync(f, 'utf8')));
    expect(bounded.length).toBeGreaterThan(15);
  });

  it('bounds a generated event or series no narrower than its parsed span', () => {
    const zones = ['Europe/Berlin', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/St_Johns', 'Asia/Kathmandu', 'Not/A_Zone'];
    const written = fc.oneof(
      fc.constant({ kind: 'date' as const }),
      fc.constant({ kind: 'floating' as const }),
      fc.constant({ kind: 'utc' as const }),
      fc.constantFrom(...zones).map((tz) => ({ kind: 'zoned' as const, tz })),
    );
    const dateTime = fc.record({ day: fc.integer({ min: 0, max: 20_000 }), minute: fc.integer({ min: 0, max: 1439 }), how: written });
    const text = (name: string, v: { day: number; minute: number; how: { kind: string; tz?: string } }) => {
      const d = new Date(Date.UTC(1990, 0, 1) + v.day * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
      const t = `${String(Math.floor(v.minute / 60)).padStart(2, '0')}${String(v.minute % 60).padStart(2, '0')}00`;
      if (v.how.kind === 'date') return `${name};VALUE=DATE:${d}`;
      if (v.how.kind === 'utc') return `${name}:${d}T${t}Z`;
      return v.how.kind === 'zoned' ? `${name};TZID=${v.how.tz}:${d}T${t}` : `${name}:${d}T${t}`;
    };
    fc.assert(
      fc.property(
        dateTime,
        fc.option(fc.record({ after: fc.integer({ min: -3, max: 400 }), minute: fc.integer({ min: 0, max: 1439 }), how: written })),
        fc.record({ alarm: fc.boolean(), lower: fc.boolean(), fold: fc.boolean(), zoneBlock: fc.boolean() }),
        fc.option(
          fc.record({
            freq: fc.constantFrom('DAILY', 'WEEKLY;BYDAY=MO,TH', 'MONTHLY', 'YEARLY', 'DAILY;INTERVAL=3'),
            end: fc.oneof(
              fc.record({ untilAfter: fc.integer({ min: -5, max: 800 }), utc: fc.boolean() }),
              fc.integer({ min: 1, max: 60 }).map((count) => ({ count })),
              fc.constant({}),
            ),
          }),
        ),
        (start, endAfter, style, rule) => {
          let dtstart = text('DTSTART', start);
          if (style.lower) dtstart = dtstart.replace('DTSTART', 'dtstart');
          if (style.fold) dtstart = `${dtstart.slice(0, 10)}\r\n ${dtstart.slice(10)}`;
          const lines = [dtstart];
          if (endAfter) lines.push(text('DTEND', { ...endAfter, day: start.day + endAfter.after }));
          if (rule) {
            const u =
              'untilAfter' in rule.end
                ? text('UNTIL', { day: start.day + rule.end.untilAfter, minute: 1439, how: { kind: rule.end.utc ? 'utc' : 'date' } })
                : '';
            const until = u ? `;UNTIL=${u.slice(u.indexOf(':') + 1)}` : 'count' in rule.end ? `;COUNT=${rule.end.count}` : '';
            lines.push(`RRULE:FREQ=${rule.freq}${until}`, 'EXDATE:19900101T000000Z');
          }
          if (style.alarm) lines.push('BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT5M', 'REPEAT:2', 'DURATION:PT5M', 'END:VALARM');
          const zone = style.zoneBlock
            ? [
                'BEGIN:VTIMEZONE',
                'TZID:Europe/Berlin',
                'BEGIN:STANDARD',
                'DTSTART:19701025T030000',
                'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
                'TZOFFSETFROM:+0200',
                'TZOFFSETTO:+0100',
                'END:STANDARD',
                'END:VTIMEZONE',
              ]
            : [];
          const ics = wrap(...zone, 'BEGIN:VEVENT', 'UID:u1', 'DTSTAMP:20260101T000000Z', ...lines, 'SUMMARY:x', 'END:VEVENT');
          expect(textSpan(ics), ics).not.toBeNull();
          expectContains(ics);
        },
      ),
      { seed: 42, numRuns: 3000 },
    );
  });

  it.each([
    ['a rule whose UNTIL it cannot read', event('DTSTART:20260105T090000', 'RRULE:FREQ=WEEKLY;UNTIL=soon')],
    ['extra dates', event('DTSTART:20260105T090000', 'RDATE:20270105T090000')],
    ['an exception of a series', event('DTSTART:20260105T090000', 'RECURRENCE-ID:20260105T090000')],
    ['a length given as DURATION', event('DTSTART:20260105T090000', 'DURATION:P400D')],
    ['two events', wrap('BEGIN:VEVENT', 'UID:a', 'DTSTART:20260105', 'END:VEVENT', 'BEGIN:VEVENT', 'UID:b', 'DTSTART:20300105', 'END:VEVENT')],
    ['a to-do', wrap('BEGIN:VTODO', 'UID:a', 'DTSTART:20260105', 'DUE:20300105', 'END:VTODO')],
    ['no DTSTART', event('DTEND:20260105T090000')],
    ['two DTSTARTs', event('DTSTART:20260105T090000', 'DTSTART:20300105T090000')],
    ['a quoted parameter', event('DTSTART;TZID="Zone: odd":20260105T090000')],
    ['a value it cannot read', event('DTSTART:next Tuesday')],
    ['an event never closed', wrap('BEGIN:VEVENT', 'UID:a', 'DTSTART:20260105')],
    ['a BEGIN with parameters', wrap('BEGIN;X=1:VEVENT', 'UID:a', 'DTSTART:20260105', 'END:VEVENT')],
  ])('leaves %s to the parser', (_what, ics) => {
    expect(textSpan(ics)).toBeNull();
  });

  it('reads a date, a zoned time, a UTC end, and an end before the start', () => {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
    expect(textSpan(event('DTSTART;VALUE=DATE:20260105'))).toEqual({ start: day('2026-01-05'), end: day('2026-01-09') });
    expect(textSpan(event('DTSTART;TZID=Europe/Berlin:20260105T230000', 'DTEND:20260106T010000Z'))).toEqual({
      start: day('2026-01-05'),
      end: day('2026-01-10'),
    });
    expect(textSpan(event('DTSTART:20260110T090000', 'DTEND:20260105T090000'))).toEqual({ start: day('2026-01-05'), end: day('2026-01-14') });
  });

  it('bounds a series from its start to its UNTIL plus its length; without UNTIL its end is open', () => {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
    const series = event('DTSTART:20260105T220000', 'DTEND:20260107T010000', 'RRULE:FREQ=WEEKLY;UNTIL=20260301T000000Z', 'EXRULE:FREQ=MONTHLY');
    expect(textSpan(series)).toEqual({ start: day('2026-01-05'), end: day('2026-03-07') });
    expect(textSpan(event('DTSTART;VALUE=DATE:20260105', 'RRULE:FREQ=YEARLY'))).toEqual({ start: day('2026-01-05'), end: null });
    expect(textSpan(event('DTSTART:20260105T090000', 'RRULE:FREQ=DAILY;COUNT=3;UNTIL=20260106'))).toEqual({ start: day('2026-01-05'), end: null });
    // A rule whose UNTIL is before its start still has its first instance, DTSTART.
    expect(textSpan(event('DTSTART:20260105T090000', 'rrule:freq=daily;until=20250101'))).toEqual({ start: day('2026-01-05'), end: day('2026-01-09') });
  });
});
