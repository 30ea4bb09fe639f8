// Subscribed feeds as their producers write them (test/fixtures/feeds): each defect is mended where the intent is
// plain, named, and never hides the rest; and the refresh interval a feed asks for is followed within bounds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeedError, cssColor, readFeed } from '../../electron/engine/formats/ical/feed.ts';
import { expandOccurrences, parseCalendarResource, type ParsedCalendarResource } from '../../electron/engine/formats/ical/index.ts';
import { feedUrl, isDue, refreshMinutesOf } from '../../electron/engine/app/subscriptions.ts';
import type { StoredSubscription } from '../../electron/engine/store/store.ts';
import { FIXTURES } from '../support/peers.ts';

const fixture = (name: string) => readFileSync(join(FIXTURES, 'feeds', name), 'utf8');

/** The feed's occurrences as the store would show them: each item parsed on its own, expanded together. */
function occurrences(text: string, from: string, to: string, tz = 'UTC') {
  const feed = readFeed(text);
  const resources = feed.items.map((i) => {
    const p = parseCalendarResource(`https://feed.test/f.ics#${encodeURIComponent(i.key)}`, i.data);
    expect(p.errors).toEqual([]);
    return p.resource as ParsedCalendarResource;
  });
  return expandOccurrences(resources, { from, to, tz }, { displayName: 'Feed', url: 'https://feed.test/f.ics' }).occurrences.map(
    (o) => `${o.start} ${o.end} ${o.summary}`,
  );
}

describe('reading a feed', () => {
  it('gives events without UID an identity from their content (stable across downloads) and names them', () => {
    const feed = readFeed(fixture('no-uid.ics'));
    expect(feed.name).toBe('Club fixtures');
    expect(feed.color).toBe('#40e0d0');
    const derived = expect.stringMatching(/^davlens-[0-9a-f]{20}$/);
    expect(feed.items.map((i) => i.key)).toEqual([derived, derived, 'training@club.example']);
    expect(feed.notes).toEqual([expect.stringContaining('2 events have no UID')]);
    // A new download stamps every event anew: the identity stays; a changed event is another.
    const again = readFeed(fixture('no-uid.ics').replaceAll('DTSTAMP:20261101T080000Z', 'DTSTAMP:20261202T101010Z'));
    expect(again.items.map((i) => i.key)).toEqual(feed.items.map((i) => i.key));
    const changed = readFeed(fixture('no-uid.ics').replace('SUMMARY:Away match', 'SUMMARY:Away match (moved)'));
    expect(changed.items[1]!.key).not.toBe(feed.items[1]!.key);
    expect(changed.items[0]!.key).toBe(feed.items[0]!.key);
    // The identity is written into the item, so an export is valid iCalendar.
    expect(feed.items[0]!.data).toContain(`UID:${feed.items[0]!.key}\r\n`);
    expect(occurrences(fixture('no-uid.ics'), '2026-11-01', '2026-12-01')).toEqual([
      '2026-11-03T17:00:00+00:00 2026-11-03T18:30:00+00:00 Training',
      '2026-11-07T14:00:00+00:00 2026-11-07T16:00:00+00:00 Home match',
      '2026-11-14T14:00:00+00:00 2026-11-14T16:00:00+00:00 Away match',
    ]);
  });

  it('shows each of several different events under one UID, and an event listed twice once', () => {
    const feed = readFeed(fixture('duplicate-uid.ics'));
    expect(feed.items.map((i) => i.key)).toEqual(['shift@rota.example', 'shift@rota.example~2', 'handover@rota.example']);
    expect(feed.refreshMinutes).toBe(360);
    expect(feed.notes).toEqual(['1 event is listed twice word for word: shown once', 'UID shift@rota.example names several different events: each is shown']);
    expect(occurrences(fixture('duplicate-uid.ics'), '2026-11-01', '2026-12-01')).toEqual([
      '2026-11-02 2026-11-03 Early shift (Ana)',
      '2026-11-03 2026-11-04 Late shift (Ben)',
      '2026-11-04 2026-11-05 Handover',
    ]);
  });

  it('reads an override that carries an RRULE of its own as the one occurrence it replaces, and says so', () => {
    const feed = readFeed(fixture('override-rrule.ics'));
    expect(feed.items).toHaveLength(1);
    expect(feed.notes).toEqual([expect.stringMatching(/^UID lecture@uni\.example has an occurrence with an RRULE of its own/)]);
    expect(occurrences(fixture('override-rrule.ics'), '2026-11-01', '2026-12-01')).toEqual([
      '2026-11-02T09:00:00+00:00 2026-11-02T10:30:00+00:00 Lecture',
      '2026-11-10T09:00:00+00:00 2026-11-10T10:30:00+00:00 Lecture (moved)',
      '2026-11-16T09:00:00+00:00 2026-11-16T10:30:00+00:00 Lecture',
      '2026-11-23T09:00:00+00:00 2026-11-23T10:30:00+00:00 Lecture',
    ]);
  });

  it('shows RDATE PERIOD values with their own ends and durations', () => {
    expect(occurrences(fixture('rdate-period.ics'), '2026-11-01', '2027-01-01')).toEqual([
      '2026-12-01T09:00:00+00:00 2026-12-01T11:00:00+00:00 Exam',
      '2026-12-03T13:00:00+00:00 2026-12-03T16:00:00+00:00 Exam',
      '2026-12-07T09:00:00+00:00 2026-12-07T10:00:00+00:00 Exam',
    ]);
  });

  it('mends broken folds: a raw line break inside a text is a line break of it, elsewhere the fold that lost its space', () => {
    const feed = readFeed(fixture('broken-fold.ics'));
    expect(feed.notes).toEqual(['3 lines continue the line before without the leading space of a fold (a broken fold): read as part of it']);
    const unfolded = feed.items[0]!.data.replace(/\r\n[ \t]/g, '');
    expect(unfolded).toContain('DESCRIPTION:Agenda:\\n1. Welcome\\n2. Talks, then pizza\r\n');
    expect(unfolded).toContain('URL:https://meetup.example.org/events/2026-11-05/long-path-that-the-producer-wrapped-without-a-space\r\n');
    expect(unfolded).toContain('LOCATION:Hall 2\r\n');
    expect(occurrences(fixture('broken-fold.ics'), '2026-11-01', '2026-12-01')).toEqual(['2026-11-05T18:00:00+00:00 2026-11-05T20:00:00+00:00 Meetup']);
  });

  it('keeps X-WR-TIMEZONE with every item: floating times in that zone, UTC times where they are', () => {
    const feed = readFeed(fixture('x-wr-timezone.ics'));
    expect(feed.color).toBe('#1badf8');
    for (const item of feed.items) expect(item.data).toContain('X-WR-TIMEZONE:America/New_York\r\n');
    expect(occurrences(fixture('x-wr-timezone.ics'), '2026-11-01', '2026-12-01', 'Europe/Berlin')).toEqual([
      '2026-11-26T15:00:00+01:00 2026-11-26T18:00:00+01:00 Parade',
      '2026-11-27T16:00:00+01:00 2026-11-27T17:00:00+01:00 Call (UTC)',
    ]);
  });

  it('copies into each item the VTIMEZONEs its events name, and no other', () => {
    const zone = (tzid: string) => [
      `BEGIN:VTIMEZONE`,
      `TZID:${tzid}`,
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0300',
      'TZOFFSETTO:+0300',
      'END:STANDARD',
      'END:VTIMEZONE',
    ];
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      ...zone('Office A'),
      ...zone('Office B'),
      'BEGIN:VEVENT',
      'UID:a',
      'DTSTART;TZID=Office A:20261102T090000',
      'SUMMARY:A',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:b',
      'DTSTART;TZID="Office B":20261102T090000',
      'SUMMARY:B',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const [a, b] = readFeed(text).items;
    expect(a!.data).toContain('TZID:Office A\r\n');
    expect(a!.data).not.toContain('TZID:Office B');
    expect(b!.data).toContain('TZID:Office B\r\n');
    expect(occurrences(text, '2026-11-01', '2026-11-05')).toEqual([
      '2026-11-02T06:00:00+00:00 2026-11-02T06:00:00+00:00 A',
      '2026-11-02T06:00:00+00:00 2026-11-02T06:00:00+00:00 B',
    ]);
  });

  it('refuses what is no calendar, naming it: an HTML page, plain text, a truncated feed', () => {
    expect(() => readFeed(fixture('html-page.ics'))).toThrow(new FeedError('it is an HTML page, not a calendar'));
    expect(() => readFeed('Not found\n')).toThrow(/not an iCalendar file \(it begins "Not found\\n"\)/);
    expect(() => readFeed(fixture('no-uid.ics').split('BEGIN:VEVENT').slice(0, 3).join('BEGIN:VEVENT'))).toThrow(
      /not valid iCalendar \(BEGIN:VCALENDAR is never closed \(truncated\?\)\)/,
    );
    expect(() => readFeed('\uFEFFBEGIN:VCALENDAR\r\n' + 'BEGIN:X\r\n'.repeat(20) + 'END:VCALENDAR\r\n')).toThrow(/nest more than 8 levels/);
  });

  it('reads colours as CSS names, #RGB, #RRGGBB and Apple #RRGGBBAA', () => {
    expect(['turquoise', 'RebeccaPurple', '#abc', '#FF2968', '#FF2968FF', 'no-colour', '#12345'].map(cssColor)).toEqual([
      '#40e0d0',
      '#663399',
      '#aabbcc',
      '#ff2968',
      '#ff2968',
      null,
      null,
    ]);
  });
});

describe('subscription URLs and refresh intervals', () => {
  const sub = (over: Partial<StoredSubscription>): StoredSubscription => ({
    id: 1,
    url: 'https://feed.test/f.ics',
    name: null,
    refreshMinutes: null,
    feedRefreshMinutes: null,
    etag: null,
    lastModified: null,
    options: {},
    addedAt: '2026-12-01T00:00:00Z',
    checkedAt: null,
    syncedAt: null,
    lastError: null,
    notes: [],
    ...over,
  });

  it('takes webcal and webcals as https, keeps http(s), refuses other schemes and credentials in the URL', () => {
    expect(feedUrl('webcal://Calendar.Example/Holidays%20DE.ics')).toBe('https://calendar.example/Holidays%20DE.ics');
    expect(feedUrl('WEBCALS://calendar.example/h.ics#x')).toBe('https://calendar.example/h.ics');
    expect(feedUrl('http://calendar.example/h.ics?k=1')).toBe('http://calendar.example/h.ics?k=1');
    expect(() => feedUrl('ftp://calendar.example/h.ics')).toThrow(/not a webcal, webcals, https or http URL/);
    expect(() => feedUrl('https://me:secret@calendar.example/h.ics')).toThrow(/user:password@ is refused/);
  });

  it("follows the feed's interval, never under 15 minutes; the user's, whatever it is; else a day", () => {
    expect(refreshMinutesOf(sub({}))).toBe(1440);
    expect(refreshMinutesOf(sub({ feedRefreshMinutes: 360 }))).toBe(360);
    expect(refreshMinutesOf(sub({ feedRefreshMinutes: 5 }))).toBe(15);
    expect(refreshMinutesOf(sub({ feedRefreshMinutes: 5, refreshMinutes: 2 }))).toBe(2);
    expect(readFeed(fixture('override-rrule.ics')).refreshMinutes).toBe(5);
  });

  it('is due when never tried, or an interval after the last try', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(isDue(sub({}), now)).toBe(true);
    expect(isDue(sub({ checkedAt: '2026-12-01T11:50:00Z', feedRefreshMinutes: 5 }), now)).toBe(false);
    expect(isDue(sub({ checkedAt: '2026-12-01T11:45:00Z', feedRefreshMinutes: 5 }), now)).toBe(true);
    expect(isDue(sub({ checkedAt: '2026-11-30T12:00:01Z' }), now)).toBe(false);
    expect(isDue(sub({ checkedAt: '2026-11-30T12:00:00Z' }), now)).toBe(true);
  });
});
