// Cross-check with khal (pimutils' terminal calendar, Debian package): the khal corpus files are written into a
// temporary vdir, one calendar per file, khal lists them for viewers in two zones, and the occurrence sets must
// equal Davlens's expansion except for the differences listed (and justified) in KNOWN_DIFFERENCES.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Occurrence } from '../../shared/models.ts';
import { expandOccurrences, parseCalendarResource } from '../../electron/engine/formats/ical/index.ts';

const KHAL_BIN = '/usr/bin/khal';
const FIXTURES = new URL('../fixtures/ics/khal/', import.meta.url);
const FILES = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.ics'))
  .sort();
// khal's END is inclusive: 1980-01-01..2027-12-31 is Davlens's [1980-01-01, 2028-01-01).
const FROM = '1980-01-01';
const TO_INCLUSIVE = '2027-12-31';
const TO = '2028-01-01';
const ZONES = ['Europe/Berlin', 'America/New_York'];

interface Difference {
  /** Why Davlens differs from khal here. */
  why: string;
  /** Lines (start|end|title, khal's format) only khal lists, or only Davlens lists; '*' = every line of the file. */
  onlyKhal?: string[];
  onlyDavlens?: string[] | '*';
}

// Every difference that remains, per file, in both viewer zones: files khal does not list at all, and one
// deliberate reading of RFC 5545 (event_dt_no_end.ics, whose lines are computed per zone).
const KNOWN_DIFFERENCES: Record<string, Difference> = {
  'cal_lots_of_timezones.ics': {
    why: 'khal skips a vdir file holding several UIDs ("This should not occur in vdir .ics files"); Davlens shows each UID, since hiding a server\'s data helps nobody.',
    onlyDavlens: '*',
  },
  'event_dt_multi_uid.ics': { why: 'Several UIDs in one file: skipped by khal, shown by Davlens (see cal_lots_of_timezones.ics).', onlyDavlens: '*' },
  'event_dt_mixed_awareness.ics': { why: 'Several UIDs in one file: skipped by khal, shown by Davlens.', onlyDavlens: '*' },
  'mult_uids_and_recuid_no_order.ics': { why: 'Several UIDs in one file: skipped by khal, shown by Davlens.', onlyDavlens: '*' },
  'without_uid.ics': {
    why: "khal fails on an event without UID (KeyError: 'UID') and skips it; Davlens derives a stable UID from the href and shows it.",
    onlyDavlens: '*',
  },
  'non_dst_error.ics': {
    why: 'khal 0.10.5 crashes reading this file (UnboundLocalError in cal_from_ics) and skips it; Davlens shows both trips at their Europe/Brussels times.',
    onlyDavlens: '*',
  },
  'event_dt_rrule_until_before_start.ics': {
    why: 'khal refuses the event ("UNTIL is before DTSTART"); RFC 5545 §3.8.5.3 makes DTSTART the first instance of the set, so Davlens shows that one instance.',
    onlyDavlens: '*',
  },
  'event_rrule_no_occurence.ics': {
    why: 'DTSTART (a Friday) does not match BYDAY=TU and UNTIL ends the rule before a Tuesday: khal (dateutil) drops the event; RFC 5545 §3.8.5.3 (and ical.js) keep DTSTART as the first instance, so Davlens shows it.',
    onlyDavlens: '*',
  },
  'event_dt_no_end.ics': {
    why: 'A DATE-TIME DTSTART without DTEND or DURATION: khal assumes one hour; RFC 5545 §3.6.1 says the event ends at its start, so Davlens shows it with zero length (same start).',
    onlyKhal: ['@@NO_END_KHAL@@'],
    onlyDavlens: ['@@NO_END_DAVLENS@@'],
  },
};

/** khal's rendering of an occurrence with the config below: local wall times, all-day end inclusive. */
function asKhal(o: Occurrence): string {
  if (o.allDay) {
    const end = new Date(Date.parse(`${o.end}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    return `${o.start}|${end}|${o.summary}`;
  }
  return `${o.start.slice(0, 16)}|${o.end.slice(0, 16)}|${o.summary}`;
}

function noEndLines(tz: string): { khal: string; davlens: string } {
  // 2016-01-16T07:00:00Z
  const wall = new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const at = (ms: number) => wall.format(ms).replace(' ', 'T');
  const start = Date.UTC(2016, 0, 16, 7);
  return { khal: `${at(start)}|${at(start + 3_600_000)}|Test`, davlens: `${at(start)}|${at(start)}|Test` };
}

const haveKhal = existsSync(KHAL_BIN);

describe.skipIf(!haveKhal)('khal cross-check (khal installed at /usr/bin/khal)', () => {
  let dir = '';
  const khalLines = new Map<string, Map<string, Set<string>>>();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'davlens-khal-'));
    const calendars: string[] = [];
    for (const file of FILES) {
      const name = file.replace(/\.ics$/, '');
      mkdirSync(join(dir, 'vdir', name), { recursive: true });
      writeFileSync(join(dir, 'vdir', name, file), readFileSync(new URL(file, FIXTURES)));
      calendars.push(`[[${name}]]`, `path = ${join(dir, 'vdir', name)}`);
    }
    for (const tz of ZONES) {
      const slug = tz.replace('/', '_');
      const conf = join(dir, `khal-${slug}.conf`);
      writeFileSync(
        conf,
        [
          '[calendars]',
          ...calendars,
          '[sqlite]',
          `path = ${join(dir, `khal-${slug}.db`)}`,
          '[locale]',
          `local_timezone = ${tz}`,
          `default_timezone = ${tz}`,
          'timeformat = %H:%M',
          'dateformat = %Y-%m-%d',
          'longdateformat = %Y-%m-%d',
          'datetimeformat = %Y-%m-%dT%H:%M',
          'longdatetimeformat = %Y-%m-%dT%H:%M',
          '',
        ].join('\n'),
      );
      const xdg = join(dir, `xdg-${slug}`);
      mkdirSync(xdg);
      const out = execFileSync(KHAL_BIN, ['-c', conf, 'list', '--format', '{calendar}|{start}|{end}|{title}', '--day-format', '', FROM, TO_INCLUSIVE], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, XDG_CACHE_HOME: xdg, TZ: tz },
        timeout: 120_000,
      });
      // A multi-day event is listed once per day it touches: a set per calendar.
      const byFile = new Map<string, Set<string>>(FILES.map((f) => [f, new Set<string>()]));
      for (const line of out.split('\n')) {
        const i = line.indexOf('|');
        if (i < 0) continue;
        byFile.get(`${line.slice(0, i)}.ics`)?.add(line.slice(i + 1));
      }
      khalLines.set(tz, byFile);
    }
  }, 180_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(ZONES)('lists the same occurrences as khal for a viewer in %s, apart from the known differences', (tz) => {
    const byFile = khalLines.get(tz)!;
    // khal really ran: it listed most files.
    expect([...byFile.values()].filter((s) => s.size > 0).length).toBeGreaterThan(40);
    const noEnd = noEndLines(tz);
    const report: string[] = [];
    for (const file of FILES) {
      const p = parseCalendarResource(`/khal/${file}`, readFileSync(new URL(file, FIXTURES), 'utf8'));
      const out = expandOccurrences([p.resource!], { from: FROM, to: TO, tz }, { displayName: 'khal', url: '/khal/' });
      const mine = new Set(out.occurrences.map(asKhal));
      const theirs = byFile.get(file)!;
      const onlyKhal = [...theirs].filter((l) => !mine.has(l)).sort();
      const onlyDavlens = [...mine].filter((l) => !theirs.has(l)).sort();
      const known = KNOWN_DIFFERENCES[file];
      const expectKhal = (known?.onlyKhal ?? []).map((l) => (l === '@@NO_END_KHAL@@' ? noEnd.khal : l));
      const expectDavlens =
        known?.onlyDavlens === '*' ? [...mine].sort() : (known?.onlyDavlens ?? []).map((l) => (l === '@@NO_END_DAVLENS@@' ? noEnd.davlens : l));
      if (known?.onlyDavlens === '*') expect(theirs.size, `${file}: khal now lists it; update KNOWN_DIFFERENCES`).toBe(0);
      if (JSON.stringify(onlyKhal) !== JSON.stringify(expectKhal) || JSON.stringify(onlyDavlens) !== JSON.stringify(expectDavlens.sort())) {
        report.push(`${file}\n  only khal:    ${JSON.stringify(onlyKhal)}\n  only Davlens: ${JSON.stringify(onlyDavlens)}`);
      }
    }
    expect(report.join('\n')).toBe('');
  });

  it('lists every known difference for a file that is in the corpus', () => {
    for (const file of Object.keys(KNOWN_DIFFERENCES)) expect(FILES).toContain(file);
  });
});

describe.skipIf(haveKhal)('khal cross-check', () => {
  it.skip('skipped: khal is not installed at /usr/bin/khal (Debian package "khal")', () => {});
});
