// Expansion cross-checked by an independent peer over the whole calendar fixture corpus: Debian's
// python3-recurring-ical-events (on python3-icalendar) lists each file's occurrences in a window, and the
// set must equal Davlens's, apart from the differences listed below, each with the RFC's reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Occurrence } from '../../shared/models.ts';
import { expandOccurrences, parseCalendarResource, type ParsedCalendarResource } from '../../electron/engine/formats/ical/index.ts';
import { FeedError, readFeed } from '../../electron/engine/formats/ical/feed.ts';
import { FIXTURES, fixtureFiles, havePythonModule, runPeer } from '../support/peers.ts';

const FROM = '1980-01-01';
const TO = '2028-01-01';

interface PeerOccurrence {
  uid: string | null;
  summary: string | null;
  start: string | null;
  end: string | null;
}

/** One line per occurrence: uid|start|end|summary, times as UTC instants (floating times read as UTC). */
const peerLine = (o: PeerOccurrence) => `${o.uid}|${utc(o.start)}|${utc(o.end)}|${o.summary}`;
const davlensLine = (o: Occurrence) => `${o.uid}|${utc(o.start)}|${utc(o.end)}|${o.summary}`;

function utc(t: string | null): string {
  if (t === null || t.length === 10) return String(t);
  // Davlens lists timed occurrences in the viewer's zone (UTC here) with an offset; the peer gives Z or none.
  return `${t.replace(/(\+00:00|Z)$/, '')}Z`;
}

interface Difference {
  /** Why they differ, with the RFC's word on it. */
  why: string;
  onlyPeer?: string[] | '*';
  onlyDavlens?: string[] | '*';
}

const PEER_REFUSES = (what: string): Difference => ({
  why: `The peer (python3-icalendar 4.0.3) refuses the whole file over ${what}; Davlens reads the rest and shows every event, as a viewer should.`,
  onlyDavlens: '*',
});
const DUPLICATE_UID: Difference = {
  why: 'Two VEVENTs with UID def and no RECURRENCE-ID in one resource: RFC 5545 §3.8.4.7 makes the UID name one event (and RFC 4791 §4.1 one master per resource), so Davlens shows it once, as the later definition has it; the peer lists both.',
  onlyPeer: ['def|2018-01-04T22:00:00Z|2018-01-04T23:00:00Z|Test next'],
};
const NON_DST = PEER_REFUSES('a negative TRIGGER duration (-PT2H, which RFC 5545 §3.3.6 allows)');

const OVER_BUDGET = (what: string): Difference => ({
  why: `A fuzzing finding kept as a fixture: ${what}. Davlens stops an item at its recurrence budget (ITEM_ICAL_STEPS, ITEM_ICAL_MS in recur.ts) and names it, so that no item can stall the engine; the peer takes as long as it takes.`,
  onlyPeer: '*',
});

const KNOWN_DIFFERENCES: Record<string, Difference> = {
  'fuzz/costly-rules.ics': OVER_BUDGET('20 series of FREQ=HOURLY;BYSETPOS=-1, each needing more ical.js steps than an item may spend'),
  'export/khal/event_dt_multi_uid.ics': DUPLICATE_UID,
  'ics/khal/event_dt_multi_uid.ics': DUPLICATE_UID,
  'export/khal/non_dst_error.ics': NON_DST,
  'ics/khal/non_dst_error.ics': NON_DST,
  'ics/khal/invalid_tzoffset.ics': PEER_REFUSES('a TZOFFSETFROM of +5328 (RFC 5545 §3.3.14 allows no such offset; Davlens ignores the broken observance)'),
  'export/own/allday-todo.ics': {
    why: 'A VTODO with a DUE date: Davlens shows to-dos on their due day; the peer expands VEVENTs only.',
    onlyDavlens: ['todo@davlens.test|2024-03-05|2024-03-06|Book train tickets'],
  },
  'ics/khal/event_d_same_start_end.ics': {
    why: 'An all-day event whose DTEND equals its DTSTART: RFC 5545 §3.6.1 wants DTEND later, and a DATE DTSTART alone is one day long, so Davlens shows one day (as khal does); the peer, zero days.',
    onlyPeer: ['V042MJ8B3SJNFXQOJL6P53OFMHJE8Z3VZWOU|2014-04-09|2014-04-09|Another Event'],
    onlyDavlens: ['V042MJ8B3SJNFXQOJL6P53OFMHJE8Z3VZWOU|2014-04-09|2014-04-10|Another Event'],
  },
  'ics/khal/event_dt_mixed_awareness.ics': {
    why: 'A floating DTSTART with a DTEND that has both TZID and "Z" (RFC 5545 §3.3.5: TZID MUST NOT go with UTC): Davlens reads the floating time in the viewer\'s zone (§3.3.5 form 1) and the "Z" as UTC; the peer reads both as Europe/Berlin.',
    onlyPeer: [
      'S9HZETRQne|2015-06-02T10:00:00Z|2015-06-02T14:00:00Z|An event with mixed tz-aware/tz-naive dates',
      'http://wiki.hamburg.ccc.de/Termin:Junghackertag|2015-05-30T10:00:00Z|2015-05-30T14:00:00Z|Termin:Junghackertag',
    ],
    onlyDavlens: [
      'S9HZETRQne|2015-06-02T12:00:00Z|2015-06-02T16:00:00Z|An event with mixed tz-aware/tz-naive dates',
      'http://wiki.hamburg.ccc.de/Termin:Junghackertag|2015-05-30T12:00:00Z|2015-05-30T16:00:00Z|Termin:Junghackertag',
    ],
  },
  'ics/khal/without_uid.ics': {
    why: 'An event without UID (RFC 5545 §3.6.1 requires one): Davlens gives it an identity from its href and shows it; the peer has none.',
    onlyPeer: ['null|2014-04-09|2014-04-10|An Event'],
    onlyDavlens: ['/fixtures/ics/khal/without_uid.ics#no-uid|2014-04-09|2014-04-10|An Event'],
  },
  'ics/own/x-wr-timezone.ics': {
    why: 'A weekly series in UTC across the end of summer time in a calendar with X-WR-TIMEZONE:Europe/Berlin: a UTC time is one instant (RFC 5545 §3.3.5 form 2) and X-WR-TIMEZONE, not in the RFC, is read by Davlens for floating times only, so the series stays at 16:00 UTC; the peer (through x-wr-timezone) moves UTC times into that zone first and keeps 18:00 Berlin time. Both read the floating series in Berlin time.',
    onlyPeer: ['utc-weekly@davlens.test|2026-10-27T17:00:00Z|2026-10-27T18:00:00Z|Review (UTC series)'],
    onlyDavlens: ['utc-weekly@davlens.test|2026-10-27T16:00:00Z|2026-10-27T17:00:00Z|Review (UTC series)'],
  },
  'feeds/no-uid.ics': {
    why: 'Feed events without UID (RFC 5545 §3.6.1 requires one): Davlens gives each an identity from its content (stable across downloads, formats/ical/feed.ts); the peer has none.',
    onlyPeer: ['null|2026-11-07T14:00:00Z|2026-11-07T16:00:00Z|Home match', 'null|2026-11-14T14:00:00Z|2026-11-14T16:00:00Z|Away match'],
    onlyDavlens: [
      'davlens-26d3144ccfedef470c41|2026-11-07T14:00:00Z|2026-11-07T16:00:00Z|Home match',
      'davlens-80cef83d0acd69a85fba|2026-11-14T14:00:00Z|2026-11-14T16:00:00Z|Away match',
    ],
  },
  'feeds/rdate-period.ics': {
    why: 'RDATE;VALUE=PERIOD (RFC 5545 §3.8.5.2 allows PERIOD values, each with its own end or duration): the peer (recurring-ical-events 2.0.1) fails on the file with a TypeError comparing a datetime with a period; Davlens shows each period.',
    onlyDavlens: '*',
  },
  'ics/own/thisandfuture.ics': {
    why: 'RECURRENCE-ID;RANGE=THISANDFUTURE (RFC 5545 §3.8.4.4) moves its own and every later instance: Davlens moves the three after it to the afternoon; recurring-ical-events 2.0.1 ignores RANGE and changes the one instance only.',
    onlyPeer: ['2026-01-26', '2026-02-02', '2026-02-09'].map((d) => `thisandfuture@davlens.test|${d}T09:00:00Z|${d}T10:00:00Z|Planning`),
    onlyDavlens: ['2026-01-26', '2026-02-02', '2026-02-09'].map(
      (d) => `thisandfuture@davlens.test|${d}T13:00:00Z|${d}T14:00:00Z|Planning (afternoons from now on)`,
    ),
  },
};

/**
 * What Davlens shows of a fixture: a calendar resource as a server serves it; a feed (fixtures/feeds/) as a
 * subscription stores it, split into its items (formats/ical/feed.ts).
 */
function resourcesOf(file: string, text: string): ParsedCalendarResource[] {
  if (!file.startsWith('feeds/')) {
    const p = parseCalendarResource(`/fixtures/${file}`, text);
    return p.resource ? [p.resource] : [];
  }
  try {
    return readFeed(text).items.flatMap((i) => parseCalendarResource(`/fixtures/${file}#${i.key}`, i.data).resource ?? []);
  } catch (e) {
    if (e instanceof FeedError) return [];
    throw e;
  }
}

const havePeer = havePythonModule('recurring_ical_events');

describe.skipIf(!havePeer)('expansion cross-checked with python3-recurring-ical-events', () => {
  const files = fixtureFiles('.ics');

  it('lists the same occurrences for every calendar fixture, apart from the known differences', () => {
    const peer = runPeer<{ occurrences?: PeerOccurrence[] }>('expand.py', files, [FROM, TO]);
    expect(peer.size).toBe(files.length);
    const report: string[] = [];
    for (const file of files) {
      const resources = resourcesOf(file, readFileSync(join(FIXTURES, file), 'utf8'));
      const mine = expandOccurrences(resources, { from: FROM, to: TO, tz: 'UTC' }, { displayName: 'fixtures', url: '/fixtures/' }).occurrences.map(davlensLine);
      const theirs = (peer.get(file)?.occurrences ?? []).map(peerLine);
      const onlyPeer = theirs.filter((l) => !mine.includes(l)).sort();
      const onlyDavlens = mine.filter((l) => !theirs.includes(l)).sort();
      const known = KNOWN_DIFFERENCES[file];
      const expectPeer = known?.onlyPeer === '*' ? theirs.sort() : (known?.onlyPeer ?? []);
      const expectDavlens = known?.onlyDavlens === '*' ? mine.sort() : (known?.onlyDavlens ?? []);
      if (JSON.stringify(onlyPeer) !== JSON.stringify([...expectPeer].sort()) || JSON.stringify(onlyDavlens) !== JSON.stringify([...expectDavlens].sort())) {
        report.push(
          `${file}${peer.get(file)?.error ? ` (peer: ${peer.get(file)!.error})` : ''}\n  only peer:    ${JSON.stringify(onlyPeer)}\n  only Davlens: ${JSON.stringify(onlyDavlens)}`,
        );
      }
    }
    expect(report.join('\n')).toBe('');
  });

  it('lists known differences only for files of the corpus', () => {
    for (const file of Object.keys(KNOWN_DIFFERENCES)) expect(files).toContain(file);
  });
});

describe.skipIf(havePeer)('peer cross-check', () => {
  it.skip("skipped: Debian's python3-recurring-ical-events is not installed (.ci/apt-packages.txt)", () => {});
});
