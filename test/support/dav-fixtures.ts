// What the integration suite uploads to every server: calendar resources (recurrence across a DST change, an
// EXDATE, a moved occurrence, an unescaped comma, an override without its master) and vCards 3.0 and 4.0 with
// UTF-8, each with a tag (up to 12 hex digits) so runs against a shared server never collide.

export const BERLIN_TZ = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** One VCALENDAR around the given lines, CRLF. */
export const cal = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Davlens tests//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');

/** A one-hour event at 09:00Z on `day` (YYYYMMDD). */
export function event(uid: string, summary: string, day = '20261201'): string {
  return cal('BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261101T000000Z', `DTSTART:${day}T090000Z`, `DTEND:${day}T100000Z`, `SUMMARY:${summary}`, 'END:VEVENT');
}

/** A minimal vCard 3.0. */
export function card(uid: string, fn: string): string {
  return ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, `FN:${fn}`, `N:${fn};;;;`, `EMAIL;TYPE=work:${uid}@example.test`, 'END:VCARD', ''].join('\r\n');
}

/** Calendar resources by name (without extension), for the window 2026-10-01 .. 2026-11-04. */
export function calendarFixtures(tag: string): Record<string, string> {
  return {
    // Daily 09:00 Berlin across the end of DST (25 Oct 2026): 07:00Z before, 08:00Z after.
    [`daily-berlin-${tag}`]: cal(
      ...BERLIN_TZ,
      'BEGIN:VEVENT',
      `UID:daily-${tag}`,
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=Europe/Berlin:20261020T090000',
      'DURATION:PT30M',
      'RRULE:FREQ=DAILY;COUNT=14',
      'SUMMARY:Stand-up',
      'END:VEVENT',
    ),
    // An EXDATE, and an override moved a day later and into the afternoon.
    [`weekly-${tag}`]: cal(
      ...BERLIN_TZ,
      'BEGIN:VEVENT',
      `UID:weekly-${tag}`,
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=Europe/Berlin:20261005T100000',
      'DTEND;TZID=Europe/Berlin:20261005T110000',
      'RRULE:FREQ=WEEKLY;UNTIL=20261103T000000Z',
      'EXDATE;TZID=Europe/Berlin:20261019T100000',
      'SUMMARY:Weekly review',
      'LOCATION:Room 1',
      'END:VEVENT',
      'BEGIN:VEVENT',
      `UID:weekly-${tag}`,
      'DTSTAMP:20260101T000000Z',
      'RECURRENCE-ID;TZID=Europe/Berlin:20261026T100000',
      'DTSTART;TZID=Europe/Berlin:20261027T140000',
      'DTEND;TZID=Europe/Berlin:20261027T150000',
      'SUMMARY:Weekly review (moved)',
      'END:VEVENT',
    ),
    [`cancelled-${tag}`]: cal(
      'BEGIN:VEVENT',
      `UID:cancelled-${tag}`,
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20261015T120000Z',
      'DTEND:20261015T130000Z',
      'STATUS:CANCELLED',
      'SUMMARY:Called off',
      'END:VEVENT',
    ),
    [`birthday-${tag}`]: cal(
      'BEGIN:VEVENT',
      `UID:bday-${tag}`,
      'DTSTAMP:20260101T000000Z',
      'DTSTART;VALUE=DATE:19901006',
      'DTEND;VALUE=DATE:19901007',
      'RRULE:FREQ=YEARLY',
      "SUMMARY:Ada's birthday",
      'END:VEVENT',
    ),
  };
}

/** A Windows zone name without VTIMEZONE, as Outlook writes it. */
export const outlookEvent = (tag: string) =>
  cal(
    'BEGIN:VEVENT',
    `UID:outlook-${tag}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART;TZID=W. Europe Standard Time:20261008T100000',
    'DTEND;TZID=W. Europe Standard Time:20261008T110000',
    'SUMMARY:From Outlook',
    'END:VEVENT',
  );

/** An unescaped comma in SUMMARY (RFC 5545 wants "\,"; many producers do not escape it). */
export const commaEvent = (tag: string) =>
  cal(
    'BEGIN:VEVENT',
    `UID:comma-${tag}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20261014T100000Z',
    'DTEND:20261014T110000Z',
    'SUMMARY:Lunch, then walk',
    'END:VEVENT',
  );

/** An invitation to one occurrence: the override alone, without its master (RFC 4791 §4.1 allows it). */
export const orphanOverride = (tag: string) =>
  cal(
    'BEGIN:VEVENT',
    `UID:orphan-${tag}`,
    'DTSTAMP:20260101T000000Z',
    'RECURRENCE-ID:20261015T100000Z',
    'DTSTART:20261015T120000Z',
    'DTEND:20261015T130000Z',
    'SUMMARY:Only this one',
    'END:VEVENT',
  );

/** Stored under a name without extension on every server (Davlens never looks at names). */
export const plainNameEvent = (tag: string) =>
  cal(
    'BEGIN:VEVENT',
    `UID:plain-${tag}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20261016T080000Z',
    'DTEND:20261016T090000Z',
    'SUMMARY:Named without extension',
    'END:VEVENT',
  );

export const todo = (tag: string) =>
  cal('BEGIN:VTODO', `UID:todo-${tag}`, 'DTSTAMP:20260101T000000Z', 'DUE:20261030T170000Z', 'SUMMARY:Send report', 'STATUS:NEEDS-ACTION', 'END:VTODO');

/** vCard 3.0 with UTF-8 in every structured field. */
export const cardV3 = (tag: string) =>
  [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `UID:v3-${tag}`,
    'FN:Zoë Ångström-Łukasz',
    'N:Ångström-Łukasz;Zoë;;Dr.;',
    'ORG:Société Générale;Équipe Zürich',
    'TITLE:Ingénieure',
    'EMAIL;TYPE=INTERNET,WORK:zoe@example.test',
    'TEL;TYPE=CELL:+49 170 1234567',
    'ADR;TYPE=HOME:;;Königstraße 1;München;Bayern;80331;Deutschland',
    'BDAY:1985-03-04',
    'NOTE:Café\\, crème brûlée',
    'CATEGORIES:Kollegen,Freunde',
    'END:VCARD',
    '',
  ].join('\r\n');

/** vCard 4.0 with CJK text, a yearless birthday and typed, preferred values. */
export const cardV4 = (tag: string) =>
  [
    'BEGIN:VCARD',
    'VERSION:4.0',
    `UID:urn:uuid:0c4a7e1c-2f35-4d7e-9a51-${tag.padStart(12, '0')}`,
    'FN:李小龍',
    'N:李;小龍;;;',
    'ORG:東京大学',
    'EMAIL;TYPE=home;PREF=1:lee@example.test',
    'EMAIL;TYPE=work:lee@work.example.test',
    'TEL;TYPE=cell:+81 3 1234 5678',
    'BDAY:--0506',
    'NOTE:誕生日は五月',
    'END:VCARD',
    '',
  ].join('\r\n');
