import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { exportCalendar, exportEvent, PRODID } from '../../electron/engine/formats/export/index.ts';

const FIXTURES = new URL('../fixtures/export/', import.meta.url);
const load = (path: string): { href: string; data: string } => ({
  href: `/dav/calendars/me/work/${path.split('/').pop() ?? path}`,
  data: readFileSync(new URL(path, FIXTURES), 'utf8'),
});

const unfold = (s: string): string => s.replace(/\r\n[ \t]/g, '');
/** The logical (unfolded) lines of a text, any line ending accepted. */
const logicalLines = (s: string): string[] =>
  unfold(s.replace(/\r?\n/g, '\r\n'))
    .split('\r\n')
    .filter((l) => l.length > 0);

function parseIcs(ics: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(unfold(ics)) as unknown[]);
}

interface EventFacts {
  uid: string;
  recurrenceId: string | null;
  dtstart: string;
  /** The instant, resolved with the VTIMEZONE of the same file: a wrong TZID rename changes it. */
  dtstartUtc: number;
  isDate: boolean;
  rrule: string | null;
  summary: string;
}

function eventFacts(root: ICAL.Component): EventFacts[] {
  return root
    .getAllSubcomponents('vevent')
    .map((ev) => {
      const start = ev.getFirstPropertyValue('dtstart') as ICAL.Time;
      const rid = ev.getFirstPropertyValue('recurrence-id') as ICAL.Time | null;
      const rrule = ev.getFirstPropertyValue('rrule') as ICAL.Recur | null;
      return {
        uid: String(ev.getFirstPropertyValue('uid')),
        recurrenceId: rid ? rid.toString() : null,
        dtstart: start.toString(),
        dtstartUtc: start.toUnixTime(),
        isDate: start.isDate,
        rrule: rrule ? rrule.toString() : null,
        summary: String(ev.getFirstPropertyValue('summary')),
      };
    })
    .sort((a, b) => `${a.uid}${a.recurrenceId}${a.summary}`.localeCompare(`${b.uid}${b.recurrenceId}${b.summary}`));
}

function expectValidShape(ics: string): void {
  expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
  expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  // CRLF only, and no physical line over 75 octets.
  expect(/[^\r]\n|\r[^\n]/.test(ics)).toBe(false);
  for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  const lines = logicalLines(ics);
  expect(lines.filter((l) => l === 'BEGIN:VCALENDAR')).toHaveLength(1);
  expect(lines.filter((l) => l.startsWith('PRODID:'))).toEqual([`PRODID:${PRODID}`]);
  expect(lines.filter((l) => l.startsWith('VERSION:'))).toEqual(['VERSION:2.0']);
  expect(lines.some((l) => l.startsWith('METHOD:'))).toBe(false);
}

/** The lines inside the VCALENDAR's components (VTIMEZONEs excluded), in order. */
function componentLines(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inTimezone = false;
  for (const line of logicalLines(text)) {
    if (line.startsWith('BEGIN:')) depth++;
    if (depth === 2 && line === 'BEGIN:VTIMEZONE') inTimezone = true;
    if (depth >= 2 && !inTimezone) out.push(line);
    if (depth === 2 && line === 'END:VTIMEZONE') inTimezone = false;
    if (line.startsWith('END:')) depth--;
  }
  return out;
}

const timezoneIds = (ics: string): string[] => logicalLines(ics).filter((l) => l.startsWith('TZID:'));

describe('exportCalendar', () => {
  it('writes one VCALENDAR with our PRODID, CALSCALE kept, METHOD dropped, CRLF and folded lines', () => {
    const { ics, errors } = exportCalendar([load('own/weekly-berlin.ics'), load('own/allday-todo.ics')]);
    expect(errors).toEqual([]);
    expectValidShape(ics);
    const lines = logicalLines(ics);
    expect(lines.slice(0, 5)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`, 'CALSCALE:GREGORIAN', 'X-WR-CALNAME:Team']);
  });

  it('writes no CALSCALE when no resource has one', () => {
    const { ics } = exportCalendar([load('own/single-berlin.ics')]);
    expectValidShape(ics);
    expect(ics).not.toContain('CALSCALE');
  });

  it('keeps every component line as served: X- properties, VALARMs, overrides, VTODOs, unknown components', () => {
    const inputs = [
      load('own/weekly-berlin.ics'),
      load('own/allday-todo.ics'),
      load('khal/non_dst_error.ics'),
      // Overrides, one cancelled, of an event whose Europe/Berlin is not in its resource: left as it is.
      load('khal/event_rrule_recuid_cancelled.ics'),
    ];
    const { ics, errors } = exportCalendar(inputs);
    expect(errors).toEqual([]);
    expect(componentLines(ics)).toEqual(inputs.flatMap((r) => componentLines(r.data)));
    const lines = logicalLines(ics);
    for (const expected of [
      'X-MOZ-GENERATION:3',
      'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC',
      'X-DAVLENS-TEST;X-PARAM=keep:this\\, exactly',
      'BEGIN:VALARM',
      'TRIGGER;VALUE=DURATION:-PT15M',
      'X-WR-ALARMUID:0F0B8B57-5C5C-4A3E-9F43-0F2D2A8C2E11',
      'RECURRENCE-ID;TZID=Europe/Berlin:20240311T100000',
      'BEGIN:VTODO',
      'BEGIN:X-DAVLENS-NOTE',
      'X-TEXT:an unknown component must survive',
      'TRIGGER;RELATED=START:PT-2H',
    ]) {
      expect(lines).toContain(expected);
    }
    // The DESCRIPTION with multi-byte text was refolded, not altered.
    const description = lines.find((l) => l.startsWith('DESCRIPTION:Agenda'));
    expect(description).toBe(logicalLines(inputs[0]?.data ?? '').find((l) => l.startsWith('DESCRIPTION:Agenda')));
    expect(description).toContain('🎉🎉🎉');
  });

  it('writes a VTIMEZONE shared by three resources once', () => {
    const { ics, errors } = exportCalendar([load('own/weekly-berlin.ics'), load('own/single-berlin.ics'), load('own/lunch-berlin.ics')]);
    expect(errors).toEqual([]);
    expectValidShape(ics);
    // single-berlin.ics has the same zone in another order, without X-LIC-LOCATION, with LAST-MODIFIED.
    expect(timezoneIds(ics)).toEqual(['TZID:Europe/Berlin']);
    expect(logicalLines(ics).filter((l) => l === 'BEGIN:VTIMEZONE')).toHaveLength(1);
    expect(ics).not.toContain('Europe/Berlin-2');
  });

  it('renames one of two different definitions under one TZID, with every reference to it', () => {
    const inputs = [
      load('own/weekly-berlin.ics'),
      load('khal/event_dt_simple_inkl_vtimezone.ics'),
      load('khal/cal_dt_two_tz.ics'),
      load('own/single-berlin.ics'),
    ];
    const { ics, errors } = exportCalendar(inputs);
    expect(errors).toEqual([]);
    expectValidShape(ics);
    // khal's two files carry the same short-lived Berlin definition (in different orders): one rename for both.
    expect(timezoneIds(ics)).toEqual(['TZID:Europe/Berlin', 'TZID:Europe/Berlin-2', 'TZID:America/New_York']);
    const root = parseIcs(ics);
    const berlin2 = root.getAllSubcomponents('vtimezone').find((tz) => tz.getFirstPropertyValue('tzid') === 'Europe/Berlin-2');
    expect(berlin2?.getFirstSubcomponent('standard')?.getFirstPropertyValue('dtstart')?.toString()).toBe('2014-10-26T02:00:00');
    for (const ev of root.getAllSubcomponents('vevent')) {
      const tzid = ev.getFirstProperty('dtstart')?.getParameter('tzid');
      const uid = String(ev.getFirstPropertyValue('uid'));
      expect(tzid).toBe(uid.endsWith('@davlens.test') ? 'Europe/Berlin' : 'Europe/Berlin-2');
    }
    // The same instants as in the input, each resolved with its own file's zones.
    expect(eventFacts(root)).toEqual(
      inputs
        .flatMap((r) => eventFacts(parseIcs(r.data)))
        .sort((a, b) => `${a.uid}${a.recurrenceId}${a.summary}`.localeCompare(`${b.uid}${b.recurrenceId}${b.summary}`)),
    );
  });

  it('picks a rename that no resource already uses, and keeps a quoted TZID parameter quoted', () => {
    const zone = (tzid: string, offset: string): string =>
      `BEGIN:VTIMEZONE\r\nTZID:${tzid}\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:${offset}\r\nTZOFFSETTO:${offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n`;
    const cal = (body: string): string => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n${body}END:VCALENDAR\r\n`;
    const event = (uid: string, tzparam: string): string =>
      `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;${tzparam}:20240102T100000\r\nEND:VEVENT\r\n`;
    const { ics, errors } = exportCalendar([
      { href: '/a.ics', data: cal(zone('Mars/Base', '+0100') + event('a', 'TZID=Mars/Base')) },
      { href: '/b.ics', data: cal(zone('Mars/Base-2', '+0300') + event('b', 'TZID=Mars/Base-2')) },
      { href: '/c.ics', data: cal(zone('Mars/Base', '+0200') + event('c', 'TZID="Mars/Base"')) },
    ]);
    expect(errors).toEqual([]);
    expect(timezoneIds(ics)).toEqual(['TZID:Mars/Base', 'TZID:Mars/Base-2', 'TZID:Mars/Base-3']);
    const lines = logicalLines(ics);
    expect(lines).toContain('DTSTART;TZID=Mars/Base:20240102T100000');
    expect(lines).toContain('DTSTART;TZID=Mars/Base-2:20240102T100000');
    expect(lines).toContain('DTSTART;TZID="Mars/Base-3":20240102T100000');
    const utc = Object.fromEntries(eventFacts(parseIcs(ics)).map((f) => [f.uid, f.dtstartUtc]));
    expect(utc).toEqual({ a: Date.UTC(2024, 0, 2, 9) / 1000, b: Date.UTC(2024, 0, 2, 7) / 1000, c: Date.UTC(2024, 0, 2, 8) / 1000 });
  });

  it('keeps two definitions of a real zone apart: stale Europe/Moscow (with summer time) vs current', () => {
    const { ics, errors } = exportCalendar([load('own/moscow-current.ics'), load('own/moscow-stale.ics')]);
    expect(errors).toEqual([]);
    expect(timezoneIds(ics)).toEqual(['TZID:Europe/Moscow', 'TZID:Europe/Moscow-2']);
    const utc = Object.fromEntries(eventFacts(parseIcs(ics)).map((f) => [f.uid, f.dtstartUtc]));
    // Both say 12:00 local on 2024-07-03: +03 in the current zone, +04 in the stale one.
    expect(utc).toEqual({
      'moscow-current@davlens.test': Date.UTC(2024, 6, 3, 9) / 1000,
      'moscow-stale@davlens.test': Date.UTC(2024, 6, 3, 8) / 1000,
    });
  });

  it('reports a resource that does not parse by href and exports the others', () => {
    const broken = [
      load('own/truncated.ics'),
      // khal's bare VEVENT: not an iCalendar object.
      load('khal/event_d.ics'),
      { href: '/dav/calendars/me/work/error-page.ics', data: '<html><body>502 Bad Gateway</body></html>' },
      {
        href: '/dav/calendars/me/work/bad-date.ics',
        data: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:tomorrow\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
      },
      {
        href: '/dav/calendars/me/work/mismatched.ics',
        data: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:y\r\nEND:VTODO\r\nEND:VCALENDAR\r\n',
      },
      { href: '/dav/calendars/me/work/empty.ics', data: '' },
    ];
    const good = [load('own/single-berlin.ics'), load('own/allday-todo.ics')];
    const { ics, errors } = exportCalendar([good[0]!, ...broken, good[1]!]);
    expectValidShape(ics);
    expect(errors.map((e) => e.href)).toEqual(broken.map((b) => b.href));
    for (const e of errors) {
      expect(e).toMatchObject({ code: 'item-unparsable', step: 'export' });
      expect(e.message).toContain(e.href);
    }
    expect(componentLines(ics)).toEqual(good.flatMap((r) => componentLines(r.data)));
  });

  it('gives back the same events (uid, dtstart, rrule, overrides, all-day) when unfolded and reparsed', () => {
    const inputs = [
      load('own/weekly-berlin.ics'),
      load('own/single-berlin.ics'),
      load('own/new-york.ics'),
      load('own/allday-todo.ics'),
      load('khal/event_dt_multi_uid.ics'),
      load('khal/non_dst_error.ics'),
    ];
    const { ics, errors } = exportCalendar(inputs);
    expect(errors).toEqual([]);
    const out = eventFacts(parseIcs(ics));
    const expected = inputs.flatMap((r) => eventFacts(parseIcs(r.data)));
    expect(out).toEqual(expected.sort((a, b) => `${a.uid}${a.recurrenceId}${a.summary}`.localeCompare(`${b.uid}${b.recurrenceId}${b.summary}`)));
    expect(out.find((f) => f.uid === 'weekly-berlin@davlens.test' && !f.recurrenceId)?.rrule).toBe('FREQ=WEEKLY;COUNT=4');
    expect(out.find((f) => f.uid === 'holiday@davlens.test')?.isDate).toBe(true);
    expect(parseIcs(ics).getAllSubcomponents('vtodo')).toHaveLength(1);
  });

  it('writes an empty VCALENDAR for an empty collection', () => {
    expect(exportCalendar([])).toEqual({ ics: `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:${PRODID}\r\nEND:VCALENDAR\r\n`, errors: [] });
  });
});

describe('exportEvent', () => {
  it('exports a whole resource: master, override, alarm and its time zone, without METHOD', () => {
    const resource = load('own/weekly-berlin.ics');
    const { ics, errors } = exportEvent(resource);
    expect(errors).toEqual([]);
    expectValidShape(ics);
    expect(componentLines(ics)).toEqual(componentLines(resource.data));
    expect(timezoneIds(ics)).toEqual(['TZID:Europe/Berlin']);
    expect(eventFacts(parseIcs(ics))).toEqual(eventFacts(parseIcs(resource.data)));
  });

  it('with a uid, exports only that UID and the time zones it uses', () => {
    const resource = load('khal/event_dt_multi_uid.ics');
    const { ics, errors } = exportEvent(resource, 'def');
    expect(errors).toEqual([]);
    expectValidShape(ics);
    expect(eventFacts(parseIcs(ics)).map((f) => f.summary)).toEqual(['Test last', 'Test next']);

    const two = load('khal/cal_dt_two_tz.ics');
    const berlinOnly = {
      href: '/x.ics',
      data: two.data.replace(
        /BEGIN:VEVENT[\s\S]*END:VEVENT\n/,
        (ev) =>
          `${ev.replace('DTEND;TZID=America/New_York', 'DTEND;TZID=Europe/Berlin')}BEGIN:VEVENT\nUID:ny\nDTSTART;TZID=America/New_York:20140409T103000\nEND:VEVENT\n`,
      ),
    };
    expect(timezoneIds(exportEvent(berlinOnly, 'V042MJ8B3SJNFXQOJL6P53OFMHJE8Z3VZWOU').ics)).toEqual(['TZID:Europe/Berlin']);
    expect(timezoneIds(exportEvent(berlinOnly, 'ny').ics)).toEqual(['TZID:America/New_York']);
  });

  it('reports an unknown uid as not-found and a broken resource by href, with no .ics', () => {
    const missing = exportEvent(load('own/single-berlin.ics'), 'nope');
    expect(missing.ics).toBe('');
    expect(missing.errors).toMatchObject([{ code: 'not-found', step: 'export', href: '/dav/calendars/me/work/single-berlin.ics' }]);
    const broken = exportEvent(load('own/truncated.ics'));
    expect(broken.ics).toBe('');
    expect(broken.errors).toMatchObject([{ code: 'item-unparsable', step: 'export', href: '/dav/calendars/me/work/truncated.ics' }]);
  });
});
