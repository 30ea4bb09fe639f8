// What a calendar search and an opened .ics show first: the matches to come (soonest first) with a series as one
// line at its next occurrence, the past ones apart (most recent first); a file around today, inside its own span.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Occurrence } from '../../shared/models.ts';
import { byStart, searchHits } from '../../shared/event-search.ts';
import { readLocalFile, shownWindow } from '../../electron/engine/app/local-file.ts';
import { occurrence } from '../support/models.ts';

/** A weekly series on Mondays at 10:00 UTC, from `first` for `weeks` weeks (its instances as the engine expands them). */
function weekly(summary: string, first: string, weeks: number): Occurrence[] {
  return Array.from({ length: weeks }, (_, i) => {
    const start = new Date(Date.parse(`${first}T10:00:00Z`) + i * 7 * 86_400_000);
    const end = new Date(start.getTime() + 3600_000);
    const iso = (d: Date) => d.toISOString().replace('.000Z', '+00:00');
    return occurrence(summary, iso(start), iso(end), { recurring: true, recurrenceId: start.toISOString().replace('.000', '') });
  });
}

const NOW = { ms: Date.parse('2026-06-10T12:00:00Z'), today: '2026-06-10' };
const titles = (hits: { occurrence: Occurrence; matches: number }[]) =>
  hits.map((h) => `${h.occurrence.start.slice(0, 16)} ${h.occurrence.summary} ×${h.matches}`);

describe('byStart', () => {
  it("orders by the viewer's date, all-day first, then by instant (across a DST change too), then by UID", () => {
    const o = (summary: string, start: string) => occurrence(summary, start, start);
    const shuffled = [
      o('b tie', '2026-10-25T09:00:00+01:00'),
      o('late', '2026-10-25T10:00:00+01:00'),
      // 02:30 in summer time (00:30Z) comes before 02:15 in winter time (01:15Z) on the night the clocks go back.
      o('winter 02:15', '2026-10-25T02:15:00+01:00'),
      o('next day', '2026-10-26'),
      o('a tie', '2026-10-25T09:00:00+01:00'),
      o('summer 02:30', '2026-10-25T02:30:00+02:00'),
      o('all day', '2026-10-25'),
      o('day before', '2026-10-24T23:00:00+02:00'),
    ];
    expect([...shuffled].sort(byStart).map((x) => x.summary)).toEqual([
      'day before',
      'all day',
      'summer 02:30',
      'winter 02:15',
      'a tie',
      'b tie',
      'late',
      'next day',
    ]);
  });
});

describe('searchHits', () => {
  it('lists a weekly series of two years once, at its next occurrence, among single events in start order', () => {
    const events = [
      ...weekly('Team meeting', '2025-06-09', 104),
      occurrence('Dentist', '2026-07-01T09:00:00+00:00', '2026-07-01T09:30:00+00:00'),
      occurrence('Old dentist', '2026-01-05T09:00:00+00:00', '2026-01-05T09:30:00+00:00'),
      occurrence('Older dentist', '2025-09-05T09:00:00+00:00', '2025-09-05T09:30:00+00:00'),
      occurrence('Holiday', '2026-06-20', '2026-06-27'),
    ].sort((a, b) => a.start.localeCompare(b.start));
    const { upcoming, past } = searchHits(events, NOW);
    expect(titles(upcoming)).toEqual(['2026-06-15T10:00 Team meeting ×104', '2026-06-20 Holiday ×1', '2026-07-01T09:00 Dentist ×1']);
    // Most recent first; the series is not here: it has matches to come.
    expect(titles(past)).toEqual(['2026-01-05T09:00 Old dentist ×1', '2025-09-05T09:00 Older dentist ×1']);
  });

  it('counts an ongoing event as upcoming (all-day until its exclusive end, timed until its end instant)', () => {
    const { upcoming, past } = searchHits(
      [
        occurrence('Conference', '2026-06-09', '2026-06-11'),
        occurrence('Ended yesterday', '2026-06-08', '2026-06-10'),
        occurrence('Workshop', '2026-06-10T11:00:00+00:00', '2026-06-10T13:00:00+00:00'),
        occurrence('Breakfast', '2026-06-10T07:00:00+00:00', '2026-06-10T08:00:00+00:00'),
      ],
      NOW,
    );
    expect(upcoming.map((h) => h.occurrence.summary)).toEqual(['Conference', 'Workshop']);
    expect(past.map((h) => h.occurrence.summary)).toEqual(['Breakfast', 'Ended yesterday']);
  });

  it('shows an ended series at its last occurrence, keeps an override with its series, and keeps two series of one card apart', () => {
    const ended = weekly('Course', '2026-01-05', 10);
    const series = weekly('Stand-up', '2026-06-01', 4);
    // The third stand-up moved to Tuesday (an override of the same item): it is the next one.
    series[2] = { ...series[2]!, start: '2026-06-16T10:00:00+00:00', end: '2026-06-16T11:00:00+00:00' };
    const card = { calendarUrl: 'birthdays:ann', href: 'birthdays:ann', uid: 'card-1', recurring: true };
    const birthday = occurrence("Ann's birthday", '2026-08-02', '2026-08-03', { ...card, source: 'birthday' });
    const anniversary = occurrence("Ann's anniversary", '2026-09-12', '2026-09-13', { ...card, source: 'anniversary' });
    const { upcoming, past } = searchHits([...ended, ...series, birthday, anniversary], NOW);
    expect(titles(upcoming)).toEqual(['2026-06-16T10:00 Stand-up ×4', "2026-08-02 Ann's birthday ×1", "2026-09-12 Ann's anniversary ×1"]);
    expect(titles(past)).toEqual(['2026-03-09T10:00 Course ×10']);
  });

  it('keeps two events of one item that are not a series apart', () => {
    const one = occurrence('Lunch', '2026-06-11T12:00:00+00:00', '2026-06-11T13:00:00+00:00');
    const two = { ...one, start: '2026-06-12T12:00:00+00:00', end: '2026-06-12T13:00:00+00:00' };
    expect(searchHits([one, two], NOW).upcoming).toHaveLength(2);
  });
});

describe('an opened .ics', () => {
  const DAY = 86_400_000;
  const at = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const shown = (start: string | null, end: string | null, now: string) => {
    const w = shownWindow({ start: start === null ? null : at(start), end: end === null ? null : at(end) }, at(now));
    return [day(w.from), day(w.to)];
  };

  it('is shown a year either side of today, inside its own span', () => {
    // Open-ended since 2015: this year and the next.
    expect(shown('2015-01-01', null, '2026-06-10')).toEqual(['2025-06-10', '2027-06-11']);
    // Ended: its last two years. Not begun: its first two. Short: all of it.
    expect(shown('2010-01-01', '2020-01-01', '2026-06-10')).toEqual(['2017-12-31', '2020-01-01']);
    expect(shown('2030-01-01', null, '2026-06-10')).toEqual(['2030-01-01', '2032-01-02']);
    expect(shown('2026-03-01', '2026-03-05', '2026-06-10')).toEqual(['2026-03-01', '2026-03-05']);
    expect(at('2027-06-11') - at('2025-06-10')).toBe(731 * DAY);
  });

  it('lists the demo family.ics from a year before today, not from its first event in January 2024', () => {
    const content = readFileSync(join(import.meta.dirname, '../../assets/demo/family.ics'), 'utf8');
    const file = readLocalFile({ name: 'family.ics', content, tz: 'Europe/Berlin' }, Date.parse('2027-03-01T12:00:00Z'));
    expect(file.errors).toEqual([]);
    const starts = file.events.map((o) => o.start.slice(0, 10));
    expect(starts[0]! >= '2026-02-28' && starts[0]! <= '2026-03-08').toBe(true);
    expect(starts.at(-1)! <= '2028-03-03').toBe(true);
    // The series from 2024 are there around today; the trip in 2027 too.
    expect(file.events.some((o) => o.summary === 'Book club' && o.start.startsWith('2027-03-17'))).toBe(true);
    expect(file.events.some((o) => o.summary === 'Trip to Norway')).toBe(true);
  });
});
