// The iCalendar engine: every khal corpus file it ships with, then each behaviour the issue asks for, asserted
// on real values (the strings the UI and the CLI show).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Occurrence } from '../../shared/models.ts';
import {
  expandOccurrences,
  parseCalendarResource,
  resourceSearchText,
  resourceSpan,
  type ParsedCalendarResource,
} from '../../electron/engine/formats/ical/index.ts';
import { parseRule, planFastPath } from '../../electron/engine/formats/ical/recur.ts';
import { WINDOWS_ZONES } from '../../electron/engine/formats/ical/windows-zones.ts';
import { ianaNameForTzid } from '../../electron/engine/formats/ical/zones.ts';

const KHAL = new URL('../fixtures/ics/khal/', import.meta.url);
const CAL = { displayName: 'Work', url: 'https://dav.example.test/cal/work/' };

/** One line per occurrence: start, end, summary, then the RECURRENCE-ID and STATUS when set. */
function show(o: Occurrence): string {
  return `${o.start} ${o.end} ${o.summary}${o.recurrenceId ? ` rid=${o.recurrenceId}` : ''}${o.status ? ` ${o.status}` : ''}`;
}

function parse(ics: string, href = '/cal/work/item.ics'): ParsedCalendarResource {
  const p = parseCalendarResource(href, ics);
  expect(p.errors).toEqual([]);
  return p.resource!;
}

function expand(ics: string | ParsedCalendarResource[], from: string, to: string, tz = 'Europe/Berlin') {
  const resources = typeof ics === 'string' ? [parse(ics)] : ics;
  return expandOccurrences(resources, { from, to, tz }, CAL);
}

function lines(ics: string, from: string, to: string, tz = 'Europe/Berlin'): string[] {
  const out = expand(ics, from, to, tz);
  expect(out.errors).toEqual([]);
  return out.occurrences.map(show);
}

/** A VCALENDAR around components given as lists of content lines. */
function cal(...components: string[][]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//davlens//test//EN', ...components.flat(), 'END:VCALENDAR', ''].join('\r\n');
}

function vevent(...props: string[]): string[] {
  const uid = props.some((p) => p.startsWith('UID:')) ? [] : ['UID:test-event'];
  return ['BEGIN:VEVENT', ...uid, 'DTSTAMP:20260101T000000Z', ...props, 'END:VEVENT'];
}

function vtodo(...props: string[]): string[] {
  return ['BEGIN:VTODO', 'DTSTAMP:20260101T000000Z', ...props, 'END:VTODO'];
}

interface Expectation {
  from?: string;
  to?: string;
  /** Every occurrence, in order. */
  occ?: string[];
  /** Or: how many, and some of them. */
  count?: number;
  some?: string[];
  /** Substrings of the warnings parseCalendarResource must give. */
  warnings?: string[];
}

// Expected occurrences of every khal file, viewer in Europe/Berlin, 2000-2030 unless said otherwise. Where khal
// itself lists these files, ical-khal.test.ts compares with it; the differences are listed and justified there.
const CORPUS: Record<string, Expectation> = {
  'cal_d.ics': {
    occ: ['2014-04-09 2014-04-10 An Event'],
  },
  'cal_dt_two_tz.ics': {
    occ: ['2014-04-09T09:30:00+02:00 2014-04-09T16:30:00+02:00 An Event'],
  },
  'cal_lots_of_timezones.ics': {
    occ: [
      '2014-04-09T09:30:00+02:00 2014-04-09T16:30:00+02:00 An Event rid=2014-04-09T09:30:00',
      '2014-04-09T09:30:00+02:00 2014-04-09T16:30:00+02:00 An Updated Event rid=2014-07-07T07:00:00',
      '2014-04-11T18:30:00+02:00 2014-04-12T01:30:00+02:00 An Event rid=2014-04-11T11:30:00',
      '2014-04-13T18:30:00+02:00 2014-04-14T01:30:00+02:00 An Event rid=2014-04-13T11:30:00',
      '2014-04-15T18:30:00+02:00 2014-04-16T01:30:00+02:00 An Event rid=2014-04-15T11:30:00',
      '2014-04-18T09:30:00+02:00 2014-04-18T16:30:00+02:00 An Event rid=2014-04-18T11:30:00',
      '2014-05-09T09:30:00+02:00 2014-05-09T16:30:00+02:00 An Event rid=2014-05-09T09:30:00',
      '2014-05-09T20:30:00+02:00 2014-05-09T21:30:00+02:00 An Event',
      '2014-06-09T09:30:00+02:00 2014-06-09T16:30:00+02:00 An Event rid=2014-06-09T09:30:00',
      '2014-07-09T09:30:00+02:00 2014-07-09T16:30:00+02:00 An Event rid=2014-07-09T09:30:00',
      '2014-08-09T09:30:00+02:00 2014-08-09T16:30:00+02:00 An Event rid=2014-08-09T09:30:00',
      '2014-09-09T09:30:00+02:00 2014-09-09T16:30:00+02:00 An Event rid=2014-09-09T09:30:00',
    ],
  },
  'cal_no_dst.ics': {
    occ: ['2014-04-09T16:30:00+02:00 2014-04-09T17:30:00+02:00 An Event'],
  },
  'event_d.ics': {
    occ: ['2014-04-09 2014-04-10 An Event'],
  },
  'event_d_15.ics': {
    occ: ['2015-04-09 2015-04-10 An Event'],
  },
  'event_d_long.ics': {
    occ: ['2014-04-09 2014-04-12 Another Event'],
  },
  'event_d_no_value.ics': {
    occ: ['2014-04-09 2014-04-10 Another Event'],
  },
  'event_d_rdate.ics': {
    occ: [
      '2015-08-12 2015-08-13 this events last for a day and recurrs on four subsequent days rid=2015-08-12',
      '2015-08-13 2015-08-14 this events last for a day and recurrs on four subsequent days rid=2015-08-13',
      '2015-08-14 2015-08-15 this events last for a day and recurrs on four subsequent days rid=2015-08-14',
      '2015-08-15 2015-08-16 this events last for a day and recurrs on four subsequent days rid=2015-08-15',
    ],
  },
  'event_d_rr.ics': {
    occ: [
      '2014-04-09 2014-04-10 Another Event rid=2014-04-09',
      '2014-04-10 2014-04-11 Another Event rid=2014-04-10',
      '2014-04-11 2014-04-12 Another Event rid=2014-04-11',
      '2014-04-12 2014-04-13 Another Event rid=2014-04-12',
      '2014-04-13 2014-04-14 Another Event rid=2014-04-13',
      '2014-04-14 2014-04-15 Another Event rid=2014-04-14',
      '2014-04-15 2014-04-16 Another Event rid=2014-04-15',
      '2014-04-16 2014-04-17 Another Event rid=2014-04-16',
      '2014-04-17 2014-04-18 Another Event rid=2014-04-17',
      '2014-04-18 2014-04-19 Another Event rid=2014-04-18',
    ],
  },
  'event_d_same_start_end.ics': {
    occ: ['2014-04-09 2014-04-10 Another Event'],
  },
  'event_dt_description.ics': {
    occ: ['2023-04-09T09:30:00+02:00 2023-04-09T10:30:00+02:00 An Event'],
  },
  'event_dt_duration.ics': {
    occ: ['2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 An Event'],
  },
  'event_dt_floating.ics': {
    occ: ['2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 An Event'],
  },
  'event_dt_local_missing_tz.ics': {
    occ: ['2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 An Event'],
    warnings: ['TZID "FOO"'],
  },
  'event_dt_london.ics': {
    occ: ['2014-04-09T15:00:00+02:00 2014-04-09T20:00:00+02:00 An Event'],
  },
  'event_dt_long.ics': {
    occ: ['2014-04-09T09:30:00+02:00 2014-04-12T10:30:00+02:00 An Event'],
  },
  'event_dt_mixed_awareness.ics': {
    occ: [
      '2015-05-30T12:00:00+02:00 2015-05-30T18:00:00+02:00 Termin:Junghackertag',
      '2015-06-02T14:00:00+02:00 2015-06-02T16:00:00+02:00 An event with mixed tz-aware/tz-naive dates',
    ],
  },
  'event_dt_multi_recuid_no_master.ics': {
    occ: [
      '2014-06-30T07:30:00+02:00 2014-06-30T12:00:00+02:00 Arbeit rid=2014-07-14T05:30:00',
      '2014-07-07T08:30:00+02:00 2014-07-07T12:00:00+02:00 Arbeit rid=2014-07-07T05:30:00',
    ],
  },
  'event_dt_multi_uid.ics': {
    occ: ['2017-12-28T19:00:00+01:00 2017-12-28T20:00:00+01:00 Test original', '2018-01-04T22:00:00+01:00 2018-01-04T23:00:00+01:00 Test last'],
    warnings: ['more than one master component'],
  },
  'event_dt_no_end.ics': {
    occ: ['2016-01-16T08:00:00+01:00 2016-01-16T08:00:00+01:00 Test'],
  },
  'event_dt_partstat.ics': {
    occ: ['2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 An Event'],
  },
  'event_dt_rd.ics': {
    occ: [
      '2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 An Event rid=2014-04-09T09:30:00',
      '2014-04-10T09:30:00+02:00 2014-04-10T10:30:00+02:00 An Event rid=2014-04-10T09:30:00',
    ],
  },
  'event_dt_recuid_no_master.ics': {
    occ: ['2017-03-29T16:00:00+02:00 2017-03-29T16:25:00+02:00 Infrastructure Planning rid=2017-03-29T16:00:00'],
  },
  'event_dt_rr.ics': {
    occ: [
      '2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 An Event rid=2014-04-09T09:30:00',
      '2014-04-10T09:30:00+02:00 2014-04-10T10:30:00+02:00 An Event rid=2014-04-10T09:30:00',
      '2014-04-11T09:30:00+02:00 2014-04-11T10:30:00+02:00 An Event rid=2014-04-11T09:30:00',
      '2014-04-12T09:30:00+02:00 2014-04-12T10:30:00+02:00 An Event rid=2014-04-12T09:30:00',
      '2014-04-13T09:30:00+02:00 2014-04-13T10:30:00+02:00 An Event rid=2014-04-13T09:30:00',
      '2014-04-14T09:30:00+02:00 2014-04-14T10:30:00+02:00 An Event rid=2014-04-14T09:30:00',
      '2014-04-15T09:30:00+02:00 2014-04-15T10:30:00+02:00 An Event rid=2014-04-15T09:30:00',
      '2014-04-16T09:30:00+02:00 2014-04-16T10:30:00+02:00 An Event rid=2014-04-16T09:30:00',
      '2014-04-17T09:30:00+02:00 2014-04-17T10:30:00+02:00 An Event rid=2014-04-17T09:30:00',
      '2014-04-18T09:30:00+02:00 2014-04-18T10:30:00+02:00 An Event rid=2014-04-18T09:30:00',
    ],
  },
  'event_dt_rrule_invalid_until.ics': {
    occ: [
      '2007-12-01 2007-12-02 This event is invalid but should still be supported by khal rid=2007-12-01',
      '2008-01-01 2008-01-02 This event is invalid but should still be supported by khal rid=2008-01-01',
      '2008-02-01 2008-02-02 This event is invalid but should still be supported by khal rid=2008-02-01',
    ],
  },
  'event_dt_rrule_invalid_until2.ics': {
    count: 35,
    some: [
      '2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 This event is invalid but should still be supported by khal rid=2014-04-09T09:30:00',
      '2014-08-06T09:30:00+02:00 2014-08-06T10:30:00+02:00 This event is invalid but should still be supported by khal rid=2014-08-06T09:30:00',
      '2014-12-03T09:30:00+01:00 2014-12-03T10:30:00+01:00 This event is invalid but should still be supported by khal rid=2014-12-03T09:30:00',
    ],
  },
  'event_dt_rrule_until_before_start.ics': {
    from: '1980-01-01',
    to: '1981-01-01',
    occ: ['1980-11-09T19:30:00+01:00 1980-11-09T20:30:00+01:00 Stop recurring before we start rid=1980-11-09T19:30:00'],
  },
  'event_dt_simple.ics': {
    occ: ['2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 An Event'],
  },
  'event_dt_simple_inkl_vtimezone.ics': {
    occ: ['2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 An Event'],
  },
  'event_dt_simple_nocat.ics': {
    occ: ['2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 A not so simple Event'],
  },
  'event_dt_simple_updated.ics': {
    occ: ['2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 A not so simple Event'],
  },
  'event_dt_simple_zulu.ics': {
    occ: ['2014-04-09T11:30:00+02:00 2014-04-09T12:30:00+02:00 An Event'],
  },
  'event_dt_status_confirmed.ics': {
    occ: ['2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 An Event CONFIRMED'],
  },
  'event_dt_two_rd.ics': {
    occ: [
      '2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 An Event rid=2014-04-09T09:30:00',
      '2014-04-10T09:30:00+02:00 2014-04-10T10:30:00+02:00 An Event rid=2014-04-10T09:30:00',
      '2014-04-11T09:30:00+02:00 2014-04-11T10:30:00+02:00 An Event rid=2014-04-11T09:30:00',
      '2014-04-12T09:30:00+02:00 2014-04-12T10:30:00+02:00 An Event rid=2014-04-12T09:30:00',
    ],
  },
  'event_dt_two_tz.ics': {
    occ: ['2014-04-09T09:30:00+02:00 2014-04-09T16:30:00+02:00 An Event'],
  },
  'event_dt_url.ics': {
    occ: ['2014-04-09T09:30:00+02:00 2014-04-09T10:30:00+02:00 An Event'],
  },
  'event_dtr_exdatez.ics': {
    occ: [
      '2014-06-30T07:30:00+02:00 2014-06-30T12:01:00+02:00 event_dtr_exdatez rid=2014-06-30T07:30:00',
      '2014-07-07T07:30:00+02:00 2014-07-07T12:01:00+02:00 event_dtr_exdatez rid=2014-07-07T07:30:00',
      '2014-07-14T07:30:00+02:00 2014-07-14T12:01:00+02:00 event_dtr_exdatez rid=2014-07-14T07:30:00',
    ],
  },
  'event_dtr_no_tz_exdatez.ics': {
    occ: [
      '2012-04-03T10:00:00+02:00 2012-04-03T10:30:00+02:00 Conf Call rid=2012-04-03T10:00:00',
      '2012-05-03T10:00:00+02:00 2012-05-03T10:30:00+02:00 Conf Call rid=2012-05-03T10:00:00',
      '2012-07-03T10:00:00+02:00 2012-07-03T10:30:00+02:00 Conf Call rid=2012-07-03T10:00:00',
      '2012-08-03T10:00:00+02:00 2012-08-03T10:30:00+02:00 Conf Call rid=2012-08-03T10:00:00',
      '2012-09-03T10:00:00+02:00 2012-09-03T10:30:00+02:00 Conf Call rid=2012-09-03T10:00:00',
    ],
    warnings: ['TZID "LOLOLOL"'],
  },
  'event_dtr_notz_untilz.ics': {
    occ: [
      '2012-07-26T13:00:00+02:00 2012-07-26T14:00:00+02:00 Storage Meeting rid=2012-07-26T13:00:00',
      '2012-08-09T13:00:00+02:00 2012-08-09T14:00:00+02:00 Storage Meeting rid=2012-08-09T13:00:00',
      '2012-08-23T13:00:00+02:00 2012-08-23T14:00:00+02:00 Storage Meeting rid=2012-08-23T13:00:00',
      '2012-09-06T13:00:00+02:00 2012-09-06T14:00:00+02:00 Storage Meeting rid=2012-09-06T13:00:00',
      '2012-09-20T13:00:00+02:00 2012-09-20T14:00:00+02:00 Storage Meeting rid=2012-09-20T13:00:00',
      '2012-10-04T13:00:00+02:00 2012-10-04T14:00:00+02:00 Storage Meeting rid=2012-10-04T13:00:00',
      '2012-10-18T13:00:00+02:00 2012-10-18T14:00:00+02:00 Storage Meeting rid=2012-10-18T13:00:00',
    ],
    warnings: ['TZID "GMT-05.00/-04.00"'],
  },
  'event_invalid_exdate.ics': {
    occ: [
      '2011-11-12T21:50:00+01:00 2011-11-12T23:00:00+01:00 Soccer rid=2011-11-12T15:50:00',
      '2011-11-19T21:50:00+01:00 2011-11-19T23:00:00+01:00 Soccer rid=2011-11-19T15:50:00',
      '2011-12-03T21:50:00+01:00 2011-12-03T23:00:00+01:00 Soccer rid=2011-12-03T15:50:00',
    ],
  },
  'event_no_dst.ics': {
    occ: ['2014-04-09T16:30:00+02:00 2014-04-09T17:30:00+02:00 An Event'],
  },
  'event_r_past.ics': {
    from: '2026-01-01',
    to: '2028-01-01',
    occ: ["2026-04-23 2026-04-24 Dummy's Birthday (1965) rid=2026-04-23", "2027-04-23 2027-04-24 Dummy's Birthday (1965) rid=2027-04-23"],
  },
  'event_rdate_no_value.ics': {
    count: 27,
    some: [
      '2015-08-31T11:30:00+02:00 2015-08-31T12:30:00+02:00 An event with rdates which have no VALUE rid=2015-08-31T11:30:00',
      '2016-06-27T11:30:00+02:00 2016-06-27T12:30:00+02:00 An event with rdates which have no VALUE rid=2016-06-27T11:30:00',
      '2016-12-26T11:30:00+01:00 2016-12-26T12:30:00+01:00 An event with rdates which have no VALUE rid=2016-12-26T11:30:00',
    ],
  },
  'event_rrule_no_occurence.ics': {
    occ: ['2021-01-01T10:30:00+01:00 2021-01-01T10:45:00+01:00 This event will never happen rid=2021-01-01T09:30:00Z'],
  },
  'event_rrule_recuid.ics': {
    occ: [
      '2014-06-30T07:00:00+02:00 2014-06-30T12:00:00+02:00 Arbeit rid=2014-06-30T07:00:00',
      '2014-07-07T09:00:00+02:00 2014-07-07T14:00:00+02:00 Arbeit rid=2014-07-07T05:00:00Z',
      '2014-07-14T07:00:00+02:00 2014-07-14T12:00:00+02:00 Arbeit rid=2014-07-14T07:00:00',
      '2014-07-21T07:00:00+02:00 2014-07-21T12:00:00+02:00 Arbeit rid=2014-07-21T07:00:00',
      '2014-07-28T07:00:00+02:00 2014-07-28T12:00:00+02:00 Arbeit rid=2014-07-28T07:00:00',
      '2014-08-04T07:00:00+02:00 2014-08-04T12:00:00+02:00 Arbeit rid=2014-08-04T07:00:00',
    ],
  },
  'event_rrule_recuid_cancelled.ics': {
    occ: [
      '2014-06-30T07:00:00+02:00 2014-06-30T12:00:00+02:00 Arbeit rid=2014-06-30T07:00:00',
      '2014-07-07T09:00:00+02:00 2014-07-07T14:00:00+02:00 Arbeit rid=2014-07-07T05:00:00Z',
      '2014-07-14T07:00:00+02:00 2014-07-14T12:00:00+02:00 Arbeit rid=2014-07-14T05:00:00Z CANCELLED',
      '2014-07-21T07:00:00+02:00 2014-07-21T12:00:00+02:00 Arbeit rid=2014-07-21T07:00:00',
      '2014-07-28T07:00:00+02:00 2014-07-28T12:00:00+02:00 Arbeit rid=2014-07-28T07:00:00',
      '2014-08-04T07:00:00+02:00 2014-08-04T12:00:00+02:00 Arbeit rid=2014-08-04T07:00:00',
    ],
  },
  'event_rrule_recuid_invalid_tzid.ics': {
    occ: [
      '2014-06-30T07:00:00+02:00 2014-06-30T12:00:00+02:00 Arbeit rid=2014-06-30T07:00:00',
      '2014-07-07T09:00:00+02:00 2014-07-07T14:00:00+02:00 Arbeit rid=2014-07-07T07:00:00',
      '2014-07-14T07:00:00+02:00 2014-07-14T12:00:00+02:00 Arbeit rid=2014-07-14T07:00:00',
      '2014-07-21T07:00:00+02:00 2014-07-21T12:00:00+02:00 Arbeit rid=2014-07-21T07:00:00',
      '2014-07-28T07:00:00+02:00 2014-07-28T12:00:00+02:00 Arbeit rid=2014-07-28T07:00:00',
      '2014-08-04T07:00:00+02:00 2014-08-04T12:00:00+02:00 Arbeit rid=2014-08-04T07:00:00',
    ],
    warnings: ['TZID "foo"'],
  },
  'event_rrule_recuid_update.ics': {
    occ: [
      '2014-06-30T07:00:00+02:00 2014-06-30T12:00:00+02:00 ArbeitXXX rid=2014-06-30T07:00:00',
      '2014-07-07T07:00:00+02:00 2014-07-07T12:00:00+02:00 ArbeitXXX rid=2014-07-07T07:00:00',
      '2014-07-21T07:00:00+02:00 2014-07-21T12:00:00+02:00 ArbeitXXX rid=2014-07-21T07:00:00',
      '2014-07-28T07:00:00+02:00 2014-07-28T12:00:00+02:00 ArbeitXXX rid=2014-07-28T07:00:00',
      '2014-08-04T07:00:00+02:00 2014-08-04T12:00:00+02:00 ArbeitXXX rid=2014-08-04T07:00:00',
    ],
  },
  'invalid_tzoffset.ics': {
    occ: ['2012-12-02T08:00:00+01:00 2012-12-02T09:30:00+01:00 Some event'],
  },
  'mult_uids_and_recuid_no_order.ics': {
    occ: [
      '2013-03-01 2013-03-02 Event with Ümläutß rid=2013-03-01',
      '2013-05-01 2013-05-02 Event with Ümläutß rid=2013-05-01',
      '2013-07-01 2013-07-02 Event with Ümläutß rid=2013-07-01',
      '2013-09-01 2013-09-02 Event with Ümläutß rid=2013-09-01',
      '2013-11-01 2013-11-02 Event with Ümläutß rid=2013-11-01',
      '2014-01-01 2014-01-02 Event with Ümläutß rid=2014-01-01',
      '2014-06-30T07:00:00+02:00 2014-06-30T12:00:00+02:00 Arbeit rid=2014-06-30T07:00:00',
      '2014-07-07T09:00:00+02:00 2014-07-07T14:00:00+02:00 Arbeit rid=2014-07-07T05:00:00Z',
      '2014-07-14T07:00:00+02:00 2014-07-14T12:00:00+02:00 Arbeit rid=2014-07-14T07:00:00',
      '2014-07-21T07:00:00+02:00 2014-07-21T12:00:00+02:00 Arbeit rid=2014-07-21T07:00:00',
      '2014-07-28T07:00:00+02:00 2014-07-28T12:00:00+02:00 Arbeit rid=2014-07-28T07:00:00',
      '2014-08-04T07:00:00+02:00 2014-08-04T12:00:00+02:00 Arbeit rid=2014-08-04T07:00:00',
    ],
  },
  'non_dst_error.ics': {
    occ: [
      '2023-02-03T15:15:00+01:00 2023-02-03T18:06:00+01:00 Trip from Utrecht to Bruxelles Central/Brussel Centraal',
      '2023-02-06T09:50:00+01:00 2023-02-06T12:50:00+01:00 Trip from Bruxelles Central/Brussel Centraal to Utrecht',
    ],
  },
  'part0.ics': {
    occ: ['2014-05-09T20:30:00+02:00 2014-05-09T21:30:00+02:00 An Event'],
  },
  'part1.ics': {
    occ: [
      '2014-04-09T09:30:00+02:00 2014-04-09T16:30:00+02:00 An Event rid=2014-04-09T09:30:00',
      '2014-04-09T09:30:00+02:00 2014-04-09T16:30:00+02:00 An Updated Event rid=2014-07-07T07:00:00',
      '2014-04-11T18:30:00+02:00 2014-04-12T01:30:00+02:00 An Event rid=2014-04-11T11:30:00',
      '2014-04-13T18:30:00+02:00 2014-04-14T01:30:00+02:00 An Event rid=2014-04-13T11:30:00',
      '2014-04-15T18:30:00+02:00 2014-04-16T01:30:00+02:00 An Event rid=2014-04-15T11:30:00',
      '2014-04-18T09:30:00+02:00 2014-04-18T16:30:00+02:00 An Event rid=2014-04-18T11:30:00',
      '2014-05-09T09:30:00+02:00 2014-05-09T16:30:00+02:00 An Event rid=2014-05-09T09:30:00',
      '2014-06-09T09:30:00+02:00 2014-06-09T16:30:00+02:00 An Event rid=2014-06-09T09:30:00',
      '2014-07-09T09:30:00+02:00 2014-07-09T16:30:00+02:00 An Event rid=2014-07-09T09:30:00',
      '2014-08-09T09:30:00+02:00 2014-08-09T16:30:00+02:00 An Event rid=2014-08-09T09:30:00',
      '2014-09-09T09:30:00+02:00 2014-09-09T16:30:00+02:00 An Event rid=2014-09-09T09:30:00',
    ],
  },
  'tz_windows_format.ics': {
    occ: ['2019-11-20T01:00:00+01:00 2019-11-20T02:30:00+01:00 Event with Windows TZ name'],
  },
  'without_uid.ics': {
    occ: ['2014-04-09 2014-04-10 An Event'],
  },
};

describe('khal corpus (test/fixtures/ics/khal)', () => {
  it('has an expectation for every file', () => {
    const files = readdirSync(KHAL)
      .filter((f) => f.endsWith('.ics'))
      .sort();
    expect(files.length).toBe(56);
    expect(Object.keys(CORPUS).sort()).toEqual(files);
  });

  it.each(Object.entries(CORPUS))('%s', (file, exp) => {
    const p = parseCalendarResource(`/khal/${file}`, readFileSync(new URL(file, KHAL), 'utf8'));
    expect(p.errors).toEqual([]);
    for (const w of exp.warnings ?? []) expect(p.warnings.join('\n')).toContain(w);
    if (!exp.warnings) expect(p.warnings.filter((w) => w.includes('TZID'))).toEqual([]);
    const out = expandOccurrences([p.resource!], { from: exp.from ?? '2000-01-01', to: exp.to ?? '2031-01-01', tz: 'Europe/Berlin' }, CAL);
    expect(out.errors).toEqual([]);
    const got = out.occurrences.map(show);
    if (exp.occ) expect(got).toEqual(exp.occ);
    if (exp.count !== undefined) expect(got.length).toBe(exp.count);
    for (const s of exp.some ?? []) expect(got).toContain(s);
  });

  it('derives a stable UID from the href when an item has none', () => {
    const text = readFileSync(new URL('without_uid.ics', KHAL), 'utf8');
    const a = expand([parse(text, '/cal/a.ics')], '2014-04-01', '2014-05-01').occurrences;
    const again = expand([parse(text, '/cal/a.ics')], '2014-04-01', '2014-05-01').occurrences;
    const b = expand([parse(text, '/cal/b.ics')], '2014-04-01', '2014-05-01').occurrences;
    expect(a[0]!.uid).toBe('/cal/a.ics#no-uid');
    expect(again[0]!.uid).toBe(a[0]!.uid);
    expect(b[0]!.uid).not.toBe(a[0]!.uid);
  });

  it('keeps every UID of a file with several, and overrides without a master', () => {
    const occ = expand([parse(readFileSync(new URL('mult_uids_and_recuid_no_order.ics', KHAL), 'utf8'))], '2013-01-01', '2015-01-01').occurrences;
    expect(new Set(occ.map((o) => o.uid))).toEqual(new Set(['date123', 'event_rrule_recurrence_id']));
    const lone = expand([parse(readFileSync(new URL('event_dt_recuid_no_master.ics', KHAL), 'utf8'))], '2017-03-01', '2017-04-01').occurrences;
    expect(lone.map((o) => [o.uid, o.recurring, o.recurrenceId])).toEqual([['406336', true, '2017-03-29T16:00:00']]);
  });

  it('reads a file that starts with a byte-order mark (as Windows tools save them) like one without', () => {
    const text = readFileSync(new URL('event_dt_simple.ics', KHAL), 'utf8');
    const plain = lines(text, '2014-04-01', '2014-05-01');
    expect(plain.length).toBeGreaterThan(0);
    expect(lines(`\uFEFF${text}`, '2014-04-01', '2014-05-01')).toEqual(plain);
  });

  it('keeps a cancelled instance, with its status', () => {
    const occ = expand([parse(readFileSync(new URL('event_rrule_recuid_cancelled.ics', KHAL), 'utf8'))], '2014-07-14', '2014-07-15').occurrences;
    expect(occ.map((o) => [o.start, o.status, o.recurrenceId])).toEqual([['2014-07-14T07:00:00+02:00', 'CANCELLED', '2014-07-14T05:00:00Z']]);
  });
});

describe('time zones', () => {
  const daily = (dtstart: string, ...more: string[]) => cal(vevent(`DTSTART;${dtstart}`, 'DURATION:PT1H', 'RRULE:FREQ=DAILY', 'SUMMARY:Standup', ...more));

  it('keeps a daily 09:00 Europe/Berlin meeting at 09:00 across the spring change', () => {
    const ics = daily('TZID=Europe/Berlin:20260320T090000');
    expect(lines(ics, '2026-03-28', '2026-03-31').map((l) => l.split(' ')[0])).toEqual([
      '2026-03-28T09:00:00+01:00',
      '2026-03-29T09:00:00+02:00',
      '2026-03-30T09:00:00+02:00',
    ]);
    expect(lines(ics, '2026-03-28', '2026-03-30', 'UTC').map((l) => l.split(' ')[0])).toEqual(['2026-03-28T08:00:00+00:00', '2026-03-29T07:00:00+00:00']);
  });

  it('keeps a daily 09:00 America/New_York meeting at 09:00 across the autumn change, seen from Berlin too', () => {
    const ics = daily('TZID=America/New_York:20261025T090000');
    expect(lines(ics, '2026-10-31', '2026-11-03', 'America/New_York').map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      '2026-10-31T09:00:00-04:00 2026-10-31T10:00:00-04:00',
      '2026-11-01T09:00:00-05:00 2026-11-01T10:00:00-05:00',
      '2026-11-02T09:00:00-05:00 2026-11-02T10:00:00-05:00',
    ]);
    // Berlin left summer time a week earlier: the meeting moves from 14:00 to 15:00 there.
    expect(lines(ics, '2026-10-31', '2026-11-03').map((l) => l.split(' ')[0])).toEqual([
      '2026-10-31T14:00:00+01:00',
      '2026-11-01T15:00:00+01:00',
      '2026-11-02T15:00:00+01:00',
    ]);
  });

  describe('X-WR-TIMEZONE (Google and Apple exports): floating times are in that zone', () => {
    const withX = (zone: string, ...events: string[][]) => {
      const c = cal(...events);
      return c.replace('PRODID:-//davlens//test//EN\r\n', `PRODID:-//davlens//test//EN\r\nX-WR-TIMEZONE:${zone}\r\n`);
    };
    const floating = vevent('UID:f', 'DTSTART:20261019T090000', 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY;COUNT=3', 'SUMMARY:Floating');

    it("reads a floating series in the calendar's zone, across its DST change, for viewers anywhere", () => {
      const ics = withX('Europe/Berlin', floating);
      expect(lines(ics, '2026-10-19', '2026-11-03', 'UTC').map((l) => l.split(' ')[0])).toEqual([
        '2026-10-19T07:00:00+00:00',
        '2026-10-26T08:00:00+00:00',
        '2026-11-02T08:00:00+00:00',
      ]);
      expect(lines(ics, '2026-10-19', '2026-10-20', 'America/New_York').map((l) => l.split(' ')[0])).toEqual(['2026-10-19T03:00:00-04:00']);
      // Without it, the same text floats: 09:00 wherever the viewer is.
      expect(lines(cal(floating), '2026-10-19', '2026-10-20', 'America/New_York').map((l) => l.split(' ')[0])).toEqual(['2026-10-19T09:00:00-04:00']);
    });

    it('leaves UTC times, TZIDs and dates as they are, and takes a Windows zone name', () => {
      const ics = withX(
        'W. Europe Standard Time',
        vevent('UID:u', 'DTSTART:20261020T120000Z', 'DURATION:PT1H', 'SUMMARY:UTC'),
        vevent('UID:t', 'DTSTART;TZID=America/New_York:20261020T090000', 'DURATION:PT1H', 'SUMMARY:New York'),
        vevent('UID:d', 'DTSTART;VALUE=DATE:20261020', 'SUMMARY:All day'),
        vevent('UID:w', 'DTSTART:20261020T150000', 'DURATION:PT1H', 'SUMMARY:Floating'),
      );
      expect(lines(ics, '2026-10-20', '2026-10-21', 'UTC')).toEqual([
        '2026-10-20 2026-10-21 All day',
        '2026-10-20T12:00:00+00:00 2026-10-20T13:00:00+00:00 UTC',
        '2026-10-20T13:00:00+00:00 2026-10-20T14:00:00+00:00 New York',
        '2026-10-20T13:00:00+00:00 2026-10-20T14:00:00+00:00 Floating',
      ]);
    });

    it('an unknown zone name is said, and the times float as before', () => {
      const p = parseCalendarResource('/x.ics', withX('Atlantis/Capital', floating));
      expect(p.warnings).toContain(
        'the calendar\'s X-WR-TIMEZONE "Atlantis/Capital" is not a zone Davlens knows: its floating times are read in the viewer\'s zone',
      );
      expect(expandOccurrences([p.resource!], { from: '2026-10-19', to: '2026-10-20', tz: 'Asia/Tokyo' }, CAL).occurrences.map((o) => o.start)).toEqual([
        '2026-10-19T09:00:00+09:00',
      ]);
    });
  });

  // A zone no IANA name describes: +03:00, +04:00 from the first Sunday of April to the last Sunday of September.
  const customZone = [
    'BEGIN:VTIMEZONE',
    'TZID:Custom Zone',
    'BEGIN:STANDARD',
    'DTSTART:20000924T030000',
    'RRULE:FREQ=YEARLY;BYMONTH=9;BYDAY=-1SU',
    'TZOFFSETFROM:+0400',
    'TZOFFSETTO:+0300',
    'TZNAME:CST',
    'END:STANDARD',
    'BEGIN:DAYLIGHT',
    'DTSTART:20000402T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU',
    'TZOFFSETFROM:+0300',
    'TZOFFSETTO:+0400',
    'TZNAME:CDT',
    'END:DAYLIGHT',
    'END:VTIMEZONE',
  ];

  it('reads a TZID through its embedded VTIMEZONE, across both of its changes', () => {
    const ics = cal(customZone, vevent('DTSTART;TZID=Custom Zone:20260301T090000', 'DURATION:PT1H', 'RRULE:FREQ=DAILY', 'SUMMARY:Custom'));
    const starts = (from: string, to: string) => lines(ics, from, to, 'UTC').map((l) => l.split(' ')[0]);
    expect(starts('2026-04-04', '2026-04-06')).toEqual(['2026-04-04T06:00:00+00:00', '2026-04-05T05:00:00+00:00']);
    expect(starts('2026-09-26', '2026-09-28')).toEqual(['2026-09-26T05:00:00+00:00', '2026-09-27T06:00:00+00:00']);
    expect(parseCalendarResource('/x.ics', ics).warnings).toEqual([]);
  });

  it('reads an IANA TZID by its IANA rules, whatever its VTIMEZONE says, and custom zones beside it by theirs', () => {
    // A wrong Europe/Berlin VTIMEZONE (a fixed +05:00) is never read (nor even tokenised), so its lines cannot
    // break the resource; the Custom Zone block after it still is.
    const wrongBerlin = [
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Berlin',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0500',
      'TZOFFSETTO:+0500',
      'X-BROKEN;=:',
      'END:STANDARD',
      'END:VTIMEZONE',
    ];
    const ics = cal(
      wrongBerlin,
      customZone,
      vevent('UID:b', 'DTSTART;TZID=Europe/Berlin:20260715T090000', 'SUMMARY:Berlin'),
      vevent('UID:c', 'DTSTART;TZID=Custom Zone:20260715T090000', 'SUMMARY:Custom'),
    );
    expect(lines(ics, '2026-07-15', '2026-07-16', 'UTC')).toEqual([
      '2026-07-15T05:00:00+00:00 2026-07-15T05:00:00+00:00 Custom',
      '2026-07-15T07:00:00+00:00 2026-07-15T07:00:00+00:00 Berlin',
    ]);
    expect(parseCalendarResource('/z.ics', ics).warnings).toEqual([]);
  });

  it('ignores a VTIMEZONE observance with an impossible offset and keeps the rest of the zone', () => {
    const broken = [
      'BEGIN:VTIMEZONE',
      'TZID:Broken Berlin',
      'BEGIN:STANDARD',
      'DTSTART:18930401T000000',
      'RDATE:18930401T000000',
      'TZOFFSETFROM:+5328',
      'TZOFFSETTO:+0100',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:19810329T020000',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'END:DAYLIGHT',
      'BEGIN:STANDARD',
      'DTSTART:19961027T030000',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'END:STANDARD',
      'END:VTIMEZONE',
    ];
    const ics = cal(broken, vevent('DTSTART;TZID=Broken Berlin:20260110T090000', 'RRULE:FREQ=MONTHLY;INTERVAL=6', 'SUMMARY:B'));
    expect(lines(ics, '2026-01-01', '2027-01-01', 'UTC').map((l) => l.split(' ')[0])).toEqual(['2026-01-10T08:00:00+00:00', '2026-07-10T07:00:00+00:00']);
  });

  it('reads a wall time inside a DST gap with the offset before it, and a repeated one as its first occurrence', () => {
    expect(lines(cal(vevent('DTSTART;TZID=Europe/Berlin:20260329T023000', 'SUMMARY:Gap')), '2026-03-29', '2026-03-30')).toEqual([
      '2026-03-29T03:30:00+02:00 2026-03-29T03:30:00+02:00 Gap',
    ]);
    expect(lines(cal(vevent('DTSTART;TZID=Europe/Berlin:20261025T023000', 'SUMMARY:Twice')), '2026-10-25', '2026-10-26')).toEqual([
      '2026-10-25T02:30:00+02:00 2026-10-25T02:30:00+02:00 Twice',
    ]);
    const ics = cal(customZone, vevent('DTSTART;TZID=Custom Zone:20260405T023000', 'SUMMARY:Custom gap'));
    expect(lines(ics, '2026-04-04', '2026-04-06', 'UTC')).toEqual(['2026-04-04T23:30:00+00:00 2026-04-04T23:30:00+00:00 Custom gap']);
  });

  it('resolves Windows zone names without a VTIMEZONE instead of reading them as floating', () => {
    const at = (tzid: string, tz: string) =>
      lines(cal(vevent(`DTSTART;TZID=${tzid}:20260715T090000`, 'SUMMARY:W')), '2026-07-14', '2026-07-17', tz)[0]!.split(' ')[0];
    expect(at('W. Europe Standard Time', 'UTC')).toBe('2026-07-15T07:00:00+00:00');
    expect(at('W. Europe Standard Time', 'Asia/Tokyo')).toBe('2026-07-15T16:00:00+09:00');
    expect(at('Eastern Standard Time', 'UTC')).toBe('2026-07-15T13:00:00+00:00');
    expect(at('Tokyo Standard Time', 'UTC')).toBe('2026-07-15T00:00:00+00:00');
    expect(at('"Pacific Standard Time"', 'UTC')).toBe('2026-07-15T16:00:00+00:00');
    expect(parseCalendarResource('/w.ics', cal(vevent('DTSTART;TZID=W. Europe Standard Time:20260715T090000'))).warnings).toEqual([]);
  });

  it('strips vendor prefixes such as /mozilla.org/20050126_1/ to an IANA name', () => {
    const at = (tzid: string) => lines(cal(vevent(`DTSTART;TZID=${tzid}:20260115T090000`, 'SUMMARY:M')), '2026-01-15', '2026-01-16', 'UTC')[0]!.split(' ')[0];
    expect(at('/mozilla.org/20050126_1/Europe/Berlin')).toBe('2026-01-15T08:00:00+00:00');
    expect(at('/softwarestudio.org/Olson_20011030_5/America/New_York')).toBe('2026-01-15T14:00:00+00:00');
    expect(ianaNameForTzid('/mozilla.org/20070129_1/America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(ianaNameForTzid('GMT-05.00/-04.00')).toBeNull();
  });

  it('ships the full CLDR windowsZones table, every entry a zone Intl knows', () => {
    const entries = Object.entries(WINDOWS_ZONES);
    expect(entries.length).toBeGreaterThanOrEqual(135);
    expect(WINDOWS_ZONES['W. Europe Standard Time']).toBe('Europe/Berlin');
    expect(WINDOWS_ZONES['Pacific Standard Time']).toBe('America/Los_Angeles');
    expect(WINDOWS_ZONES['China Standard Time']).toBe('Asia/Shanghai');
    expect(WINDOWS_ZONES['UTC']).toBe('Etc/UTC');
    for (const [, iana] of entries) expect(() => new Intl.DateTimeFormat('en', { timeZone: iana })).not.toThrow();
  });

  it('reads an unknown TZID without VTIMEZONE in the viewer zone, and says so', () => {
    const p = parseCalendarResource('/u.ics', cal(vevent('DTSTART;TZID=Mars/Olympus_Mons:20260715T090000', 'SUMMARY:U')));
    expect(p.warnings.join()).toContain('"Mars/Olympus_Mons"');
    expect(expand([p.resource!], '2026-07-15', '2026-07-16', 'Asia/Tokyo').occurrences[0]!.start).toBe('2026-07-15T09:00:00+09:00');
  });

  it('shows floating times at the same wall clock in every viewer zone', () => {
    const ics = cal(vevent('DTSTART:20260715T090000', 'DTEND:20260715T100000', 'SUMMARY:Floating'));
    expect(lines(ics, '2026-07-15', '2026-07-16')).toEqual(['2026-07-15T09:00:00+02:00 2026-07-15T10:00:00+02:00 Floating']);
    expect(lines(ics, '2026-07-15', '2026-07-16', 'America/New_York')).toEqual(['2026-07-15T09:00:00-04:00 2026-07-15T10:00:00-04:00 Floating']);
    expect(lines(ics, '2026-07-15', '2026-07-16', 'Asia/Tokyo')).toEqual(['2026-07-15T09:00:00+09:00 2026-07-15T10:00:00+09:00 Floating']);
  });

  it('shows UTC times in the viewer zone', () => {
    const ics = cal(vevent('DTSTART:20260715T070000Z', 'DTEND:20260715T080000Z', 'SUMMARY:Zulu'));
    expect(lines(ics, '2026-07-15', '2026-07-16')).toEqual(['2026-07-15T09:00:00+02:00 2026-07-15T10:00:00+02:00 Zulu']);
    expect(lines(ics, '2026-07-15', '2026-07-16', 'America/New_York')).toEqual(['2026-07-15T03:00:00-04:00 2026-07-15T04:00:00-04:00 Zulu']);
  });

  it.each(['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC', 'Europe/Berlin'])('keeps all-day items on their dates for a viewer in %s', (tz) => {
    const ics = cal(vevent('DTSTART;VALUE=DATE:20260510', 'DTEND;VALUE=DATE:20260511', 'SUMMARY:Holiday'));
    expect(lines(ics, '2026-05-10', '2026-05-11', tz)).toEqual(['2026-05-10 2026-05-11 Holiday']);
    expect(lines(ics, '2026-05-11', '2026-05-12', tz)).toEqual([]);
    expect(lines(ics, '2026-05-09', '2026-05-10', tz)).toEqual([]);
    const birthday = readFileSync(new URL('event_r_past.ics', KHAL), 'utf8');
    expect(lines(birthday, '2026-04-01', '2026-05-01', tz)).toEqual(["2026-04-23 2026-04-24 Dummy's Birthday (1965) rid=2026-04-23"]);
    expect(lines(birthday, '2026-04-24', '2026-05-01', tz)).toEqual([]);
  });
});

describe('recurrence', () => {
  it('moves an overridden instance into another zone, matched by a RECURRENCE-ID in the master zone, in UTC or in a third zone', () => {
    const ics = cal(
      vevent(
        'UID:moves',
        'DTSTART;TZID=Europe/Berlin:20260302T090000',
        'DTEND;TZID=Europe/Berlin:20260302T100000',
        'RRULE:FREQ=DAILY;COUNT=10',
        'SUMMARY:Daily',
      ),
      vevent(
        'UID:moves',
        'RECURRENCE-ID;TZID=Europe/Berlin:20260305T090000',
        'DTSTART;TZID=America/New_York:20260305T090000',
        'DTEND;TZID=America/New_York:20260305T100000',
        'SUMMARY:From New York',
      ),
      vevent(
        'UID:moves',
        'RECURRENCE-ID:20260307T080000Z',
        'DTSTART;TZID=Asia/Tokyo:20260307T200000',
        'DTEND;TZID=Asia/Tokyo:20260307T210000',
        'SUMMARY:From Tokyo',
      ),
      vevent(
        'UID:moves',
        'RECURRENCE-ID;TZID=Europe/London:20260308T080000',
        'DTSTART;TZID=Europe/London:20260308T083000',
        'DURATION:PT30M',
        'SUMMARY:London half hour later',
      ),
    );
    expect(lines(ics, '2026-03-04', '2026-03-09')).toEqual([
      '2026-03-04T09:00:00+01:00 2026-03-04T10:00:00+01:00 Daily rid=2026-03-04T09:00:00',
      '2026-03-05T15:00:00+01:00 2026-03-05T16:00:00+01:00 From New York rid=2026-03-05T09:00:00',
      '2026-03-06T09:00:00+01:00 2026-03-06T10:00:00+01:00 Daily rid=2026-03-06T09:00:00',
      '2026-03-07T12:00:00+01:00 2026-03-07T13:00:00+01:00 From Tokyo rid=2026-03-07T08:00:00Z',
      '2026-03-08T09:30:00+01:00 2026-03-08T10:00:00+01:00 London half hour later rid=2026-03-08T08:00:00',
    ]);
    // An override moved into the window from outside it shows; the instance it replaces does not.
    expect(lines(ics, '2026-03-05', '2026-03-06').map((l) => l.split(' ')[2])).toEqual(['From']);
  });

  it('applies RANGE=THISANDFUTURE to every later instance, also in windows after the override', () => {
    const ics = cal(
      vevent(
        'UID:taf',
        'DTSTART;TZID=Europe/Berlin:20260105T100000',
        'DTEND;TZID=Europe/Berlin:20260105T110000',
        'RRULE:FREQ=WEEKLY;COUNT=8',
        'SUMMARY:Weekly',
      ),
      vevent(
        'UID:taf',
        'RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260126T100000',
        'DTSTART;TZID=Europe/Berlin:20260126T113000',
        'DTEND;TZID=Europe/Berlin:20260126T130000',
        'SUMMARY:Later',
      ),
      vevent(
        'UID:taf',
        'RECURRENCE-ID;TZID=Europe/Berlin:20260209T100000',
        'DTSTART;TZID=Europe/Berlin:20260210T090000',
        'DTEND;TZID=Europe/Berlin:20260210T100000',
        'SUMMARY:Tuesday once',
      ),
    );
    expect(lines(ics, '2026-01-01', '2026-03-01')).toEqual([
      '2026-01-05T10:00:00+01:00 2026-01-05T11:00:00+01:00 Weekly rid=2026-01-05T10:00:00',
      '2026-01-12T10:00:00+01:00 2026-01-12T11:00:00+01:00 Weekly rid=2026-01-12T10:00:00',
      '2026-01-19T10:00:00+01:00 2026-01-19T11:00:00+01:00 Weekly rid=2026-01-19T10:00:00',
      '2026-01-26T11:30:00+01:00 2026-01-26T13:00:00+01:00 Later rid=2026-01-26T10:00:00',
      '2026-02-02T11:30:00+01:00 2026-02-02T13:00:00+01:00 Later rid=2026-02-02T10:00:00',
      '2026-02-10T09:00:00+01:00 2026-02-10T10:00:00+01:00 Tuesday once rid=2026-02-09T10:00:00',
      '2026-02-16T11:30:00+01:00 2026-02-16T13:00:00+01:00 Later rid=2026-02-16T10:00:00',
      '2026-02-23T11:30:00+01:00 2026-02-23T13:00:00+01:00 Later rid=2026-02-23T10:00:00',
    ]);
    expect(lines(ics, '2026-02-16', '2026-02-17')).toEqual(['2026-02-16T11:30:00+01:00 2026-02-16T13:00:00+01:00 Later rid=2026-02-16T10:00:00']);
  });

  it('stops at COUNT and at UNTIL (inclusive), also when the window starts after the last instance', () => {
    const count = cal(vevent('DTSTART;TZID=Europe/Berlin:20260601T080000', 'RRULE:FREQ=DAILY;COUNT=5', 'SUMMARY:C'));
    expect(lines(count, '2026-06-01', '2026-07-01').map((l) => l.split(' ')[0])).toEqual([
      '2026-06-01T08:00:00+02:00',
      '2026-06-02T08:00:00+02:00',
      '2026-06-03T08:00:00+02:00',
      '2026-06-04T08:00:00+02:00',
      '2026-06-05T08:00:00+02:00',
    ]);
    expect(lines(count, '2026-06-06', '2026-07-01')).toEqual([]);
    const until = cal(vevent('DTSTART;TZID=Europe/Berlin:20260601T080000', 'RRULE:FREQ=WEEKLY;UNTIL=20260622T060000Z', 'SUMMARY:U'));
    expect(lines(until, '2026-06-01', '2026-08-01').map((l) => l.split(' ')[0])).toEqual([
      '2026-06-01T08:00:00+02:00',
      '2026-06-08T08:00:00+02:00',
      '2026-06-15T08:00:00+02:00',
      '2026-06-22T08:00:00+02:00',
    ]);
    // The 31st skips the months without one, and COUNT counts only real instances.
    const monthly = cal(vevent('DTSTART;VALUE=DATE:20260131', 'RRULE:FREQ=MONTHLY;COUNT=4', 'SUMMARY:M'));
    expect(lines(monthly, '2026-01-01', '2027-01-01').map((l) => l.split(' ')[0])).toEqual(['2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31']);
    expect(lines(monthly, '2026-07-01', '2026-08-01').map((l) => l.split(' ')[0])).toEqual(['2026-07-31']);
    expect(lines(monthly, '2026-08-01', '2027-01-01')).toEqual([]);
  });

  it('repeats a yearly Feb 29 in leap years only (RFC 5545), all-day and timed', () => {
    const day = cal(vevent('DTSTART;VALUE=DATE:20240229', 'RRULE:FREQ=YEARLY', 'SUMMARY:Leap'));
    expect(lines(day, '2024-01-01', '2033-01-01').map((l) => l.split(' ')[0])).toEqual(['2024-02-29', '2028-02-29', '2032-02-29']);
    const counted = cal(vevent('DTSTART;TZID=Europe/Berlin:20240229T120000', 'RRULE:FREQ=YEARLY;COUNT=3', 'SUMMARY:Leap'));
    expect(lines(counted, '2024-01-01', '2040-01-01').map((l) => l.split(' ')[0])).toEqual([
      '2024-02-29T12:00:00+01:00',
      '2028-02-29T12:00:00+01:00',
      '2032-02-29T12:00:00+01:00',
    ]);
    expect(lines(counted, '2025-03-01', '2028-01-01')).toEqual([]);
  });

  it('repeats yearly all-day birthdays from decades ago on their date', () => {
    const ics = cal(
      vevent('DTSTART;VALUE=DATE:19500101', 'RRULE:FREQ=YEARLY', 'SUMMARY:New year'),
      vevent('UID:b2', 'DTSTART;VALUE=DATE:19721231', 'RRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31', 'SUMMARY:Eve'),
    );
    expect(lines(ics, '2026-12-31', '2027-01-02', 'Pacific/Kiritimati')).toEqual([
      '2026-12-31 2027-01-01 Eve rid=2026-12-31',
      '2027-01-01 2027-01-02 New year rid=2027-01-01',
    ]);
  });

  it('excludes an EXDATE given in UTC, in the local zone, or as a date, from a local series', () => {
    const ics = cal(
      vevent(
        'DTSTART;TZID=America/New_York:20260105T090000',
        'RRULE:FREQ=WEEKLY;COUNT=6',
        'EXDATE:20260112T140000Z',
        'EXDATE;TZID=America/New_York:20260119T090000',
        'EXDATE;VALUE=DATE:20260126',
        'SUMMARY:NY',
      ),
    );
    expect(lines(ics, '2026-01-01', '2026-03-01', 'America/New_York').map((l) => l.split(' ')[0])).toEqual([
      '2026-01-05T09:00:00-05:00',
      '2026-02-02T09:00:00-05:00',
      '2026-02-09T09:00:00-05:00',
    ]);
  });

  it('adds RDATEs, including PERIODs with their own length and dates in another zone', () => {
    const ics = cal(
      vevent(
        'DTSTART;TZID=Europe/Berlin:20260105T100000',
        'DURATION:PT1H',
        'RDATE;VALUE=PERIOD:20260110T120000Z/PT2H',
        'RDATE;TZID=Asia/Tokyo:20260112T180000',
        'SUMMARY:R',
      ),
    );
    expect(lines(ics, '2026-01-01', '2026-02-01')).toEqual([
      '2026-01-05T10:00:00+01:00 2026-01-05T11:00:00+01:00 R rid=2026-01-05T10:00:00',
      '2026-01-10T13:00:00+01:00 2026-01-10T15:00:00+01:00 R rid=2026-01-10T12:00:00Z',
      '2026-01-12T10:00:00+01:00 2026-01-12T11:00:00+01:00 R rid=2026-01-12T18:00:00',
    ]);
  });

  it("marks series members recurring and single items not, with the RECURRENCE-ID in the item's own form", () => {
    const ics = cal(
      vevent('UID:a', 'DTSTART:20260105T100000Z', 'RRULE:FREQ=DAILY;COUNT=1', 'SUMMARY:Z'),
      vevent('UID:b', 'DTSTART;VALUE=DATE:20260105', 'RRULE:FREQ=DAILY;COUNT=1', 'SUMMARY:D'),
      vevent('UID:c', 'DTSTART:20260105T120000', 'SUMMARY:Single'),
    );
    const occ = expand(ics, '2026-01-05', '2026-01-06').occurrences;
    expect(occ.map((o) => [o.uid, o.recurring, o.recurrenceId])).toEqual([
      ['b', true, '2026-01-05'],
      ['a', true, '2026-01-05T10:00:00Z'],
      ['c', false, null],
    ]);
  });

  it('expands one month of a series begun in 1900 without walking the 126 years before it', () => {
    const ics = cal(vevent('DTSTART;TZID=Europe/Berlin:19000101T090000', 'RRULE:FREQ=DAILY', 'SUMMARY:Old'));
    const rule = parseRule({ freq: 'DAILY' });
    expect(typeof rule !== 'string' && planFastPath(rule, Date.UTC(1900, 0, 1, 9))).toBeTruthy();
    const resource = parse(ics);
    expand([resource], '1900-02-01', '1900-03-01');
    const t0 = performance.now();
    const occ = expand([resource], '2026-11-01', '2026-12-01').occurrences;
    // Walking from 1900 would take ical.js about half a second; the arithmetic takes well under a millisecond.
    expect(performance.now() - t0).toBeLessThan(100);
    expect(occ.length).toBe(30);
    expect(occ[0]!.start).toBe('2026-11-01T09:00:00+01:00');
  });
});

describe('window overlap (RFC 4791 §9.9)', () => {
  it('counts a zero-length event at the window start, not one at the window end', () => {
    const ics = cal(vevent('DTSTART;TZID=Europe/Berlin:20260501T000000', 'DTEND;TZID=Europe/Berlin:20260501T000000', 'SUMMARY:Point'));
    expect(lines(ics, '2026-05-01', '2026-05-02')).toEqual(['2026-05-01T00:00:00+02:00 2026-05-01T00:00:00+02:00 Point']);
    expect(lines(ics, '2026-04-30', '2026-05-01')).toEqual([]);
  });

  it('does not count an event that ends exactly at the window start', () => {
    const ics = cal(vevent('DTSTART;TZID=Europe/Berlin:20260430T230000', 'DTEND;TZID=Europe/Berlin:20260501T000000', 'SUMMARY:Late'));
    expect(lines(ics, '2026-05-01', '2026-05-02')).toEqual([]);
    expect(lines(ics, '2026-04-30', '2026-05-01')).toEqual(['2026-04-30T23:00:00+02:00 2026-05-01T00:00:00+02:00 Late']);
  });

  it('gives a timed event without DTEND zero length and an all-day one a day; DURATION days are calendar days', () => {
    expect(lines(cal(vevent('DTSTART:20260601T100000Z', 'SUMMARY:T')), '2026-06-01', '2026-06-02', 'UTC')).toEqual([
      '2026-06-01T10:00:00+00:00 2026-06-01T10:00:00+00:00 T',
    ]);
    expect(lines(cal(vevent('DTSTART;VALUE=DATE:20260601', 'SUMMARY:D')), '2026-06-01', '2026-06-02')).toEqual(['2026-06-01 2026-06-02 D']);
    // P1D across the spring change is 23 hours; PT24H is 24.
    expect(lines(cal(vevent('DTSTART;TZID=Europe/Berlin:20260328T120000', 'DURATION:P1D', 'SUMMARY:P1D')), '2026-03-28', '2026-03-29')).toEqual([
      '2026-03-28T12:00:00+01:00 2026-03-29T12:00:00+02:00 P1D',
    ]);
    expect(lines(cal(vevent('DTSTART;TZID=Europe/Berlin:20260328T120000', 'DURATION:PT24H', 'SUMMARY:PT24H')), '2026-03-28', '2026-03-29')).toEqual([
      '2026-03-28T12:00:00+01:00 2026-03-29T13:00:00+02:00 PT24H',
    ]);
  });

  it('includes a multi-day all-day event in every window it touches, by date', () => {
    const ics = cal(vevent('DTSTART;VALUE=DATE:20260529', 'DTEND;VALUE=DATE:20260603', 'SUMMARY:Trip'));
    expect(lines(ics, '2026-06-01', '2026-07-01', 'Pacific/Kiritimati')).toEqual(['2026-05-29 2026-06-03 Trip']);
    expect(lines(ics, '2026-06-03', '2026-07-01', 'Pacific/Pago_Pago')).toEqual([]);
  });
});

describe('to-dos', () => {
  it('shows a to-do at its DUE, over DTSTART..DUE, or on its due date; not at all without either', () => {
    const ics = cal(
      vtodo('UID:t1', 'DUE:20260610T150000Z', 'SUMMARY:Due only', 'STATUS:NEEDS-ACTION'),
      vtodo('UID:t2', 'DTSTART;TZID=Europe/Berlin:20260610T090000', 'DUE;TZID=Europe/Berlin:20260610T120000', 'SUMMARY:Span'),
      vtodo('UID:t3', 'DUE;VALUE=DATE:20260611', 'SUMMARY:Date'),
      vtodo('UID:t4', 'SUMMARY:Someday'),
    );
    const occ = expand(ics, '2026-06-10', '2026-06-12').occurrences;
    expect(occ.map((o) => [o.type, show(o)])).toEqual([
      ['todo', '2026-06-10T09:00:00+02:00 2026-06-10T12:00:00+02:00 Span'],
      ['todo', '2026-06-10T17:00:00+02:00 2026-06-10T17:00:00+02:00 Due only NEEDS-ACTION'],
      ['todo', '2026-06-11 2026-06-12 Date'],
    ]);
  });
});

describe('malformed input', () => {
  const good = cal(vevent('UID:good', 'DTSTART:20260601T100000Z', 'SUMMARY:Good'));

  it('returns an item-unparsable error for text that is not iCalendar, and its neighbours still expand', () => {
    const bad = parseCalendarResource('/cal/work/broken.ics', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n');
    expect(bad.resource).toBeNull();
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]).toMatchObject({ code: 'item-unparsable', step: 'parse', href: '/cal/work/broken.ics' });
    expect(bad.errors[0]!.message).toMatch(/^The calendar item \/cal\/work\/broken\.ics could not be read: .+\.$/);
    expect(parseCalendarResource('/empty.ics', '').errors[0]!.message).toContain('no iCalendar data');
    expect(lines(good, '2026-06-01', '2026-06-02')).toEqual(['2026-06-01T12:00:00+02:00 2026-06-01T12:00:00+02:00 Good']);
  });

  it('reports a component with a broken RRULE and keeps the other components of the same resource', () => {
    const p = parseCalendarResource(
      '/two.ics',
      cal(vevent('UID:bad', 'DTSTART:20260601T090000Z', 'RRULE:FREQ=FORTNIGHTLY', 'SUMMARY:Bad'), vevent('UID:ok', 'DTSTART:20260601T100000Z', 'SUMMARY:Ok')),
    );
    expect(p.errors).toHaveLength(1);
    expect(p.errors[0]!.message).toContain('VEVENT bad cannot be shown');
    expect(p.errors[0]!.message).toContain('RRULE');
    expect(expand([p.resource!], '2026-06-01', '2026-06-02').occurrences.map((o) => o.summary)).toEqual(['Ok']);
  });

  it('drops an unreadable non-timing line with a warning and shows the event', () => {
    const p = parseCalendarResource('/line.ics', cal(vevent('UID:l', 'DTSTART:20260601T100000Z', 'X-BROKEN-LINE-WITHOUT-A-COLON', 'SUMMARY:Shown')));
    expect(p.errors).toEqual([]);
    expect(p.warnings.join()).toContain('X-BROKEN-LINE-WITHOUT-A-COLON');
    expect(expand([p.resource!], '2026-06-01', '2026-06-02').occurrences.map((o) => o.summary)).toEqual(['Shown']);
  });

  it('never reads what it does not show: a broken attendee or alarm line costs nothing, the alarm never lends its text', () => {
    const text = cal(
      vevent(
        'UID:m',
        'DTSTART:20260601T100000Z',
        'ATTENDEE;CN="Never closed:mailto:a@example.org',
        'ORGANIZER;CN=Boss:mailto:boss@example.org',
        'SUMMARY:Meeting',
        'BEGIN:VALARM',
        'TRIGGER;BROKEN',
        'DESCRIPTION:Alarm text',
        'SUMMARY:Alarm summary',
        'END:VALARM',
        'DESCRIPTION:The event',
      ),
    );
    const p = parseCalendarResource('/m.ics', text);
    expect(p.errors).toEqual([]);
    expect(p.warnings).toEqual([]);
    expect(expand([p.resource!], '2026-06-01', '2026-06-02').occurrences.map((o) => o.summary)).toEqual(['Meeting']);
    // The event's own SUMMARY and DESCRIPTION, not the alarm's.
    expect(resourceSearchText(p.resource!)).toBe('meeting\nthe event');
    // A lower-case or folded property it reads is still read.
    const folded = parseCalendarResource('/f.ics', cal(vevent('uid:f', 'dtstart:20260601T100000Z', 'summary:Fol', ' ded')));
    expect(expand([folded.resource!], '2026-06-01', '2026-06-02').occurrences.map((x) => x.summary)).toEqual(['Folded']);
  });

  it('reports an event without DTSTART', () => {
    const p = parseCalendarResource('/nostart.ics', cal(vevent('UID:n', 'SUMMARY:When?')));
    expect(p.errors[0]!.message).toContain('has no DTSTART');
  });

  it('isolates a recurrence that cannot be expanded: an error for it, occurrences for the rest', () => {
    // Every second, with a BYMONTH that keeps it on ical.js's path (a plain FREQ=SECONDLY is stepped cheaply and
    // cut at its occurrence budget instead).
    const bad = parse(
      cal(vevent('UID:dense', 'DTSTART:20260101T000000Z', 'RRULE:FREQ=SECONDLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12', 'SUMMARY:Every second')),
      '/cal/work/dense.ics',
    );
    const out = expand([bad, parse(good, '/cal/work/good.ics')], '2026-06-01', '2026-06-02');
    expect(out.occurrences.map((o) => o.summary)).toEqual(['Good']);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ code: 'item-unparsable', step: 'parse', href: '/cal/work/dense.ics' });
    expect(out.errors[0]!.message).toContain('dense');
  });

  it('refuses a window that is not two dates in an IANA zone', () => {
    expect(expandOccurrences([], { from: '2026-06-01', to: '2026-07-01', tz: 'Mars/Base' }, CAL).errors[0]).toMatchObject({ code: 'bad-input' });
    expect(expandOccurrences([], { from: '2026-06-31', to: '2026-07-01', tz: 'UTC' }, CAL).errors[0]).toMatchObject({ code: 'bad-input' });
  });
});

describe('output', () => {
  it('fills every field and sorts by start, then UID', () => {
    const ics = cal(
      vevent(
        'UID:b',
        'DTSTART;TZID=Europe/Berlin:20260601T100000',
        'DTEND;TZID=Europe/Berlin:20260601T110000',
        'SUMMARY:Second',
        'LOCATION:Room 2',
        'STATUS:TENTATIVE',
      ),
      vevent('UID:a', 'DTSTART:20260601T080000Z', 'DTEND:20260601T090000Z', 'SUMMARY:First'),
      vevent('UID:c', 'DTSTART;VALUE=DATE:20260601', 'SUMMARY:All day'),
    );
    const occ = expand([parse(ics, '/cal/work/x.ics')], '2026-06-01', '2026-06-02').occurrences;
    expect(occ.map((o) => o.uid)).toEqual(['c', 'a', 'b']);
    expect(occ[2]).toEqual({
      type: 'event',
      uid: 'b',
      summary: 'Second',
      start: '2026-06-01T10:00:00+02:00',
      end: '2026-06-01T11:00:00+02:00',
      allDay: false,
      calendar: 'Work',
      calendarUrl: 'https://dav.example.test/cal/work/',
      recurrenceId: null,
      location: 'Room 2',
      status: 'TENTATIVE',
      href: '/cal/work/x.ics',
      recurring: false,
      source: 'calendar',
    });
    expect(occ[0]).toMatchObject({ allDay: true, start: '2026-06-01', end: '2026-06-02', location: null, status: null });
  });
});

describe('resourceSearchText (what the store searches)', () => {
  it('holds the summary, location and description of every event and override, unescaped and lower-case, not alarm texts', () => {
    const ics = cal(
      vevent(
        'UID:s',
        'DTSTART:20260601T100000Z',
        'RRULE:FREQ=DAILY',
        'SUMMARY:Team Lunch',
        'LOCATION:Café\\, Berlin',
        'DESCRIPTION:Line one\\nLine two',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'DESCRIPTION:Reminder',
        'TRIGGER:-PT5M',
        'END:VALARM',
      ),
      vevent('UID:s', 'RECURRENCE-ID:20260602T100000Z', 'DTSTART:20260602T110000Z', 'SUMMARY:Team Lunch (moved)'),
    );
    expect(resourceSearchText(parse(ics))).toBe('team lunch\ncafé, berlin\nline one line two\nteam lunch (moved)');
  });
});

describe("resourceSpan (the store's range index)", () => {
  const span = (ics: string) => resourceSpan(parse(ics));
  const day = (s: string) => Date.parse(`${s}Z`);

  it('bounds a single event by its wall-clock start and end', () => {
    expect(span(cal(vevent('UID:s', 'DTSTART;TZID=Europe/Berlin:20260601T100000', 'DTEND;TZID=Europe/Berlin:20260601T110000')))).toMatchObject({
      uid: 's',
      start: day('2026-06-01T10:00:00'),
    });
    expect(span(cal(vevent('DTSTART;VALUE=DATE:20260601')))).toEqual({ uid: 'test-event', start: day('2026-06-01T00:00:00'), end: day('2026-06-02T00:00:00') });
  });

  it('leaves an open-ended series open and bounds COUNT and UNTIL', () => {
    expect(span(cal(vevent('DTSTART;VALUE=DATE:19650423', 'RRULE:FREQ=YEARLY'))).end).toBeNull();
    // A COUNT rule whose every period holds an instance is bounded without expanding it: generous by a period or two.
    const daily = span(cal(vevent('DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=DAILY;COUNT=10'))).end!;
    expect(daily).toBeGreaterThanOrEqual(day('2026-01-11T00:00:00'));
    expect(daily).toBeLessThanOrEqual(day('2026-01-13T00:00:00'));
    // Months without a 31st are skipped: that one is expanded, exactly (Jan 31, Mar 31, May 31).
    expect(span(cal(vevent('DTSTART;VALUE=DATE:20260131', 'RRULE:FREQ=MONTHLY;COUNT=3'))).end).toBe(day('2026-06-01T00:00:00'));
    expect(span(cal(vevent('DTSTART:20260101T100000Z', 'RRULE:FREQ=DAILY;UNTIL=20260110T100000Z'))).end).toBeGreaterThanOrEqual(day('2026-01-10T10:00:00'));
  });

  it('starts at an RDATE before DTSTART, and is empty for a to-do without dates', () => {
    const s = span(readFileSync(new URL('event_rdate_no_value.ics', KHAL), 'utf8'));
    expect(s.start).toBe(day('2015-08-31T11:30:00'));
    expect(span(cal(vtodo('UID:t', 'SUMMARY:Someday')))).toEqual({ uid: 't', start: null, end: null });
  });
});
