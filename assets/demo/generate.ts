// Generates the demo account's data (run: `node assets/demo/generate.ts`; the output is committed):
// calendars.json, work.ics, important.ics, family.ics and contacts.vcf (no birthdays calendar: Davlens makes one
// from the contacts' birthdays, as for every account). Deterministic: the same files on every run. Recurring
// events begin in 2024 so every month from 2026 to 2028 shows something.
// Its people are data in people.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { foldLine as fold } from '../../electron/engine/formats/export/index.ts';

const OUT = new URL('.', import.meta.url);
const STAMP = '20251201T090000Z';
const PRODID = '-//Davlens//Demo data//EN';

// ---------- iCalendar helpers ----------

function text(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
}

function lines(...ls: (string | false | null | undefined)[]): string[] {
  return ls.filter((l): l is string => typeof l === 'string');
}

const VTIMEZONES: Record<string, string[]> = {
  'Europe/Berlin': [
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
  ],
  'America/New_York': [
    'BEGIN:VTIMEZONE',
    'TZID:America/New_York',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:-0500',
    'TZOFFSETTO:-0400',
    'TZNAME:EDT',
    'DTSTART:20070311T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:-0400',
    'TZOFFSETTO:-0500',
    'TZNAME:EST',
    'DTSTART:20071104T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
    'END:STANDARD',
    'END:VTIMEZONE',
  ],
  'Asia/Tokyo': [
    'BEGIN:VTIMEZONE',
    'TZID:Asia/Tokyo',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:+0900',
    'TZOFFSETTO:+0900',
    'TZNAME:JST',
    'DTSTART:19700101T000000',
    'END:STANDARD',
    'END:VTIMEZONE',
  ],
};

interface Ev {
  uid: string;
  summary: string;
  /** 'YYYYMMDD' (all-day) or 'YYYYMMDDTHHMMSS' (in tz) or '...Z' (UTC). */
  start: string;
  end?: string;
  duration?: string;
  tz?: string;
  rrule?: string;
  exdates?: string[];
  recurrenceId?: string;
  location?: string;
  description?: string;
  status?: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  klass?: 'PUBLIC' | 'PRIVATE' | 'CONFIDENTIAL';
  url?: string;
  categories?: string[];
  organizer?: [string, string];
  attendees?: [string, string, string, string?][];
  alarms?: [string, string?][];
  transp?: 'TRANSPARENT';
  extra?: string[];
}

function dt(name: string, value: string, tz?: string): string {
  if (/^\d{8}$/.test(value)) return `${name};VALUE=DATE:${value}`;
  if (value.endsWith('Z') || !tz) return `${name}:${value}`;
  return `${name};TZID=${tz}:${value}`;
}

/** A component with its UID and DTSTAMP first; absent properties (false, null, undefined) are left out. */
function component(name: string, uid: string, ...props: (string | false | null | undefined)[]): string[] {
  return lines(`BEGIN:${name}`, `UID:${uid}`, `DTSTAMP:${STAMP}`, ...props, `END:${name}`);
}

function vevent(e: Ev): string[] {
  return component(
    'VEVENT',
    e.uid,
    e.recurrenceId ? dt('RECURRENCE-ID', e.recurrenceId, e.tz) : null,
    dt('DTSTART', e.start, e.tz),
    e.end ? dt('DTEND', e.end, e.tz) : null,
    e.duration ? `DURATION:${e.duration}` : null,
    e.rrule ? `RRULE:${e.rrule}` : null,
    ...(e.exdates ?? []).map((x) => dt('EXDATE', x, e.tz)),
    `SUMMARY:${text(e.summary)}`,
    e.location ? `LOCATION:${text(e.location)}` : null,
    e.description ? `DESCRIPTION:${text(e.description)}` : null,
    e.status ? `STATUS:${e.status}` : null,
    e.klass ? `CLASS:${e.klass}` : null,
    e.url ? `URL:${e.url}` : null,
    e.categories ? `CATEGORIES:${e.categories.map(text).join(',')}` : null,
    e.transp ? `TRANSP:${e.transp}` : null,
    e.organizer ? `ORGANIZER;CN=${e.organizer[0]}:mailto:${e.organizer[1]}` : null,
    ...(e.attendees ?? []).map(([cn, mail, partstat, role]) => `ATTENDEE;CN=${cn};ROLE=${role ?? 'REQ-PARTICIPANT'};PARTSTAT=${partstat}:mailto:${mail}`),
    ...(e.extra ?? []),
    ...(e.alarms ?? []).flatMap(([trigger, desc]) => [
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      `TRIGGER:${trigger}`,
      `DESCRIPTION:${text(desc ?? e.summary)}`,
      'END:VALARM',
    ]),
  );
}

interface Todo {
  uid: string;
  summary: string;
  due: string;
  tz?: string;
  start?: string;
  status?: 'NEEDS-ACTION' | 'COMPLETED' | 'IN-PROCESS';
  completed?: string;
  priority?: number;
  rrule?: string;
  description?: string;
}

function vtodo(t: Todo): string[] {
  return component(
    'VTODO',
    t.uid,
    t.start ? dt('DTSTART', t.start, t.tz) : null,
    dt('DUE', t.due, t.tz),
    t.rrule ? `RRULE:${t.rrule}` : null,
    `SUMMARY:${text(t.summary)}`,
    t.description ? `DESCRIPTION:${text(t.description)}` : null,
    `STATUS:${t.status ?? 'NEEDS-ACTION'}`,
    t.completed ? `COMPLETED:${t.completed}` : null,
    t.priority ? `PRIORITY:${t.priority}` : null,
  );
}

function calendar(name: string, zones: string[], components: string[][]): string {
  const all = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${text(name)}`,
    ...zones.flatMap((z) => VTIMEZONES[z]!),
    ...components.flat(),
    'END:VCALENDAR',
  ];
  return all.map(fold).join('\r\n') + '\r\n';
}

// ---------- PNG avatars (tiny, inline) ----------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A 48x48 avatar: a coloured disc background with a light head-and-shoulders silhouette. */
function avatarPng(bg: [number, number, number], fg: [number, number, number]): string {
  const size = 48;
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const head = (x - 24) ** 2 + (y - 19) ** 2 <= 9 ** 2;
      const body = (x - 24) ** 2 / 16 ** 2 + (y - 46) ** 2 / 14 ** 2 <= 1;
      const c = head || body ? fg : bg;
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = c[0];
      raw[o + 1] = c[1];
      raw[o + 2] = c[2];
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return png.toString('base64');
}

// ---------- contacts ----------

interface Person {
  uid: string;
  version: '3.0' | '4.0';
  given: string;
  family: string;
  prefix?: string;
  additional?: string;
  nickname?: string;
  org?: string;
  dept?: string;
  title?: string;
  emails: [string, string[], number?][];
  phones: [string, string[], number?][];
  adr?: { types: string[]; street: string; locality: string; region?: string; code: string; country: string; pref?: number }[];
  bday?: string;
  note?: string;
  urls?: string[];
  photo?: [[number, number, number], [number, number, number]];
  categories?: string[];
  impp?: string;
}

// The people are data, kept in people.json beside this script.
const PEOPLE = JSON.parse(readFileSync(new URL('people.json', OUT), 'utf8')) as Person[];

function vcardText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\n/g, '\\n');
}

function vcard(p: Person): string {
  const v4 = p.version === '4.0';
  const fn = [p.prefix, p.given, p.additional, p.family].filter(Boolean).join(' ');
  const type = (types: string[], pref?: number): string => {
    if (v4) return `${types.length ? `;TYPE=${types.join(',')}` : ''}${pref ? `;PREF=${pref}` : ''}`;
    const all = [...types, ...(pref === 1 ? ['pref'] : [])];
    return all.length ? `;TYPE=${all.join(',')}` : '';
  };
  const bday = p.bday
    ? p.bday.startsWith('--')
      ? v4
        ? `BDAY:${p.bday}`
        : `BDAY;X-APPLE-OMIT-YEAR=1604:1604-${p.bday.slice(2, 4)}-${p.bday.slice(4)}`
      : `BDAY:${v4 ? p.bday.replace(/-/g, '') : p.bday}`
    : null;
  const photo = p.photo ? (v4 ? `PHOTO:data:image/png;base64,${avatarPng(...p.photo)}` : `PHOTO;ENCODING=b;TYPE=PNG:${avatarPng(...p.photo)}`) : null;
  const ls = lines(
    'BEGIN:VCARD',
    `VERSION:${p.version}`,
    `UID:${v4 ? `urn:uuid:${uuidFor(p.uid)}` : p.uid}`,
    `FN:${vcardText(fn)}`,
    `N:${[p.family, p.given, p.additional ?? '', p.prefix ?? '', ''].map(vcardText).join(';')}`,
    p.nickname ? `NICKNAME:${vcardText(p.nickname)}` : null,
    p.org ? `ORG:${vcardText(p.org)}${p.dept ? `;${vcardText(p.dept)}` : ''}` : null,
    p.title ? `TITLE:${vcardText(p.title)}` : null,
    ...p.emails.map(([v, types, pref]) => `EMAIL${type(types, pref)}:${v}`),
    ...p.phones.map(([v, types, pref]) => (v4 ? `TEL${type(types, pref)};VALUE=uri:tel:${v.replace(/\s+/g, '-')}` : `TEL${type(types, pref)}:${v}`)),
    ...(p.adr ?? []).map(
      (a) =>
        `ADR${type(a.types, a.pref)}:;;${vcardText(a.street)};${vcardText(a.locality)};${vcardText(a.region ?? '')};${vcardText(a.code)};${vcardText(a.country)}`,
    ),
    bday,
    p.note ? `NOTE:${vcardText(p.note)}` : null,
    ...(p.urls ?? []).map((u) => `URL:${u}`),
    p.categories ? `CATEGORIES:${p.categories.map(vcardText).join(',')}` : null,
    photo,
    `REV:${v4 ? '20251201T090000Z' : '2025-12-01T09:00:00Z'}`,
    'END:VCARD',
  );
  return ls.map(fold).join('\r\n') + '\r\n';
}

/** A stable UUID-shaped id for a name (not random: the demo files must not change between runs). */
function uuidFor(name: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${name}#${round}`) {
      h1 = Math.imul(h1 ^ ch.charCodeAt(0), 16777619) >>> 0;
      h2 = Math.imul(h2 + ch.charCodeAt(0), 2246822519) >>> 0;
    }
    hex.push(((h1 ^ h2) >>> 0).toString(16).padStart(8, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-a${s.slice(17, 20)}-${s.slice(20, 32)}`;
}

function groupCard(): string {
  const members = PEOPLE.filter((p) => p.categories?.includes('Book Club'));
  return (
    lines(
      'BEGIN:VCARD',
      'VERSION:4.0',
      `UID:urn:uuid:${uuidFor('g-book-club')}`,
      'KIND:group',
      'FN:Book Club',
      'N:Book Club;;;;',
      'NOTE:Meets on the third Wednesday of the month. Reading list: https://bookclub.example/list',
      ...members.map((m) => `MEMBER:urn:uuid:${uuidFor(m.uid)}`),
      'END:VCARD',
    )
      .map(fold)
      .join('\r\n') + '\r\n'
  );
}

// ---------- calendars ----------

const BERLIN = 'Europe/Berlin';
const TEAM: [string, string, string, string?][] = [
  ['Anna Schmidt', 'anna.schmidt@nordlicht.example', 'ACCEPTED', 'CHAIR'],
  ['Ben Müller', 'ben.mueller@nordlicht.example', 'ACCEPTED'],
  ['Priya Raman', 'priya.raman@nordlicht.example', 'TENTATIVE'],
  ['Noah Becker', 'noah.becker@nordlicht.example', 'DECLINED'],
  ['Felix Schulz', 'felix.schulz@nordlicht.example', 'NEEDS-ACTION'],
  ['Oscar Lindqvist', 'oscar.lindqvist@nordlicht.example', 'ACCEPTED', 'OPT-PARTICIPANT'],
];
const ME: [string, string] = ['Alex Demo', 'alex@davlens.example'];

function workCalendar(): string {
  const holidays = ['20261224', '20261225', '20261231', '20270101', '20271224', '20271227', '20271231', '20281225', '20281229'];
  const events: string[][] = [
    vevent({
      uid: 'work-team-meeting@davlens.demo',
      summary: 'Weekly team meeting',
      start: '20240108T100000',
      end: '20240108T110000',
      tz: BERLIN,
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
      location: 'Room Ada, 3rd floor',
      organizer: ['Anna Schmidt', 'anna.schmidt@nordlicht.example'],
      attendees: TEAM,
      alarms: [['-PT15M', 'Team meeting in 15 minutes']],
      description:
        'Agenda: https://wiki.example.com/team/agenda\nNotes go to the shared doc. Questions beforehand to mailto:anna.schmidt@nordlicht.example\n<b>Tags like this stay text.</b>',
      categories: ['Meeting'],
      klass: 'PUBLIC',
    }),
    // A moved instance (Whit Monday 2026 is a holiday) and a cancelled one.
    vevent({
      uid: 'work-team-meeting@davlens.demo',
      recurrenceId: '20260525T100000',
      summary: 'Weekly team meeting (moved: Whit Monday)',
      start: '20260526T140000',
      end: '20260526T150000',
      tz: BERLIN,
      location: 'Room Ada, 3rd floor',
      organizer: ['Anna Schmidt', 'anna.schmidt@nordlicht.example'],
      attendees: TEAM,
    }),
    vevent({
      uid: 'work-team-meeting@davlens.demo',
      recurrenceId: '20261228T100000',
      summary: 'Weekly team meeting',
      start: '20261228T100000',
      end: '20261228T110000',
      tz: BERLIN,
      status: 'CANCELLED',
      description: 'Cancelled: most of the team is on holiday.',
    }),
    vevent({
      uid: 'work-team-meeting@davlens.demo',
      recurrenceId: '20270104T100000',
      summary: 'Weekly team meeting',
      start: '20270104T100000',
      end: '20270104T110000',
      tz: BERLIN,
      status: 'CANCELLED',
      description: 'Cancelled: New Year.',
    }),
    vevent({
      uid: 'work-standup@davlens.demo',
      summary: 'Daily stand-up',
      start: '20240102T091500',
      duration: 'PT15M',
      tz: BERLIN,
      rrule: 'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR',
      exdates: holidays.map((d) => `${d}T091500`),
      location: 'https://meet.example.com/standup',
      description: 'Fifteen minutes: yesterday, today, blockers.',
    }),
    vevent({
      uid: 'work-one-on-one@davlens.demo',
      summary: '1:1 with Priya',
      start: '20240111T140000',
      end: '20240111T143000',
      tz: BERLIN,
      rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TH',
      location: 'Priya’s office',
      klass: 'CONFIDENTIAL',
      organizer: ['Priya Raman', 'priya.raman@nordlicht.example'],
      attendees: [
        ['Priya Raman', 'priya.raman@nordlicht.example', 'ACCEPTED', 'CHAIR'],
        [ME[0], ME[1], 'ACCEPTED'],
      ],
    }),
    vevent({
      uid: 'work-all-hands@davlens.demo',
      summary: 'All-hands',
      start: '20240201T160000',
      end: '20240201T170000',
      tz: BERLIN,
      rrule: 'FREQ=MONTHLY;BYDAY=1TH',
      location: 'Canteen and https://meet.example.com/all-hands',
      alarms: [['-PT10M']],
    }),
    vevent({
      uid: 'work-sprint-review@davlens.demo',
      summary: 'Sprint review',
      start: '20240126T150000',
      end: '20240126T160000',
      tz: BERLIN,
      rrule: 'FREQ=MONTHLY;BYDAY=-1FR',
      location: 'Room Turing',
      description: 'Demo what shipped this month. Board: https://tracker.example.com/boards/7',
    }),
    vevent({
      uid: 'work-ny-call@davlens.demo',
      summary: 'Call with the New York office',
      start: '20240306T110000',
      end: '20240306T113000',
      tz: 'America/New_York',
      rrule: 'FREQ=WEEKLY;BYDAY=WE',
      location: 'https://meet.example.com/nyc',
      organizer: ['Emily Johnson', 'emily.johnson@hudson.example'],
      attendees: [
        ['Emily Johnson', 'emily.johnson@hudson.example', 'ACCEPTED', 'CHAIR'],
        ['Michael Chen', 'michael.chen@hudson.example', 'ACCEPTED'],
        [ME[0], ME[1], 'ACCEPTED'],
      ],
    }),
    vevent({
      uid: 'work-tokyo-sync@davlens.demo',
      summary: 'Sync with the Tokyo team',
      start: '20240213T170000',
      end: '20240213T180000',
      tz: 'Asia/Tokyo',
      rrule: 'FREQ=MONTHLY;BYDAY=2TU',
      location: 'https://meet.example.com/tokyo',
      organizer: ['Yuki Tanaka', 'yuki.tanaka@sakura.example'],
      attendees: [
        ['Yuki Tanaka', 'yuki.tanaka@sakura.example', 'ACCEPTED', 'CHAIR'],
        ['Kenji Sato', 'kenji.sato@sakura.example', 'TENTATIVE'],
      ],
    }),
    vevent({
      uid: 'work-caldav-summit-2026@davlens.demo',
      summary: 'CalDAV Summit 2026',
      start: '20260922',
      end: '20260925',
      location: 'Centro de Congressos, Lisboa',
      url: 'https://caldav-summit.example/2026',
      description: 'Three days of calendaring talks. Programme: https://caldav-summit.example/2026/programme\nTravel booked, see the to-do.',
      categories: ['Conference', 'Travel'],
      transp: 'TRANSPARENT',
    }),
    vevent({
      uid: 'work-talk-2026@davlens.demo',
      summary: 'My talk: Discovery done right (RFC 6764)',
      start: '20260923T143000Z',
      end: '20260923T151500Z',
      location: 'Room B, Centro de Congressos, Lisboa',
      alarms: [['-PT1H', 'Talk in one hour']],
    }),
    vevent({
      uid: 'work-offsite-2026@davlens.demo',
      summary: 'Team offsite',
      start: '20260512T090000',
      end: '20260514T170000',
      tz: BERLIN,
      location: 'Gut Sarnow, Brandenburg',
      description: 'Bus leaves at 8:00 from the office.',
    }),
    vevent({
      uid: 'work-fosdem-2027@davlens.demo',
      summary: 'FOSDEM 2027',
      start: '20270206',
      end: '20270208',
      location: 'ULB Solbosch, Brussels',
      url: 'https://fosdem.example/2027',
      categories: ['Conference'],
    }),
    vevent({
      uid: 'work-product-launch@davlens.demo',
      summary: 'Product launch',
      start: '20271005T090000',
      end: '20271005T120000',
      tz: 'America/New_York',
      location: 'Hudson Analytics, 350 5th Ave, New York',
      status: 'TENTATIVE',
    }),
    vevent({
      uid: 'work-summit-2028@davlens.demo',
      summary: 'CalDAV Summit 2028',
      start: '20280919',
      end: '20280922',
      location: 'Kulturbrauerei, Berlin',
      url: 'https://caldav-summit.example/2028',
    }),
  ];
  const todos = [
    vtodo({ uid: 'work-todo-timesheet@davlens.demo', summary: 'Fill in the timesheet', due: '20250103T160000', tz: BERLIN, rrule: 'FREQ=WEEKLY;BYDAY=FR' }),
    vtodo({
      uid: 'work-todo-expenses@davlens.demo',
      summary: 'Submit Q1 expense report',
      due: '20260331T170000',
      tz: BERLIN,
      priority: 5,
      description: 'Receipts are in the shared folder: https://files.example.com/expenses',
    }),
    vtodo({
      uid: 'work-todo-slides@davlens.demo',
      summary: 'Prepare talk slides',
      due: '20260918T180000',
      tz: BERLIN,
      start: '20260901T090000',
      priority: 1,
      status: 'IN-PROCESS',
    }),
    vtodo({ uid: 'work-todo-flights@davlens.demo', summary: 'Book flights to Lisbon', due: '20260801', status: 'COMPLETED', completed: '20260715T101500Z' }),
    vtodo({ uid: 'work-todo-certificate@davlens.demo', summary: 'Renew the TLS certificate', due: '20261130T120000', tz: BERLIN, priority: 2 }),
  ];
  return calendar('Work', [BERLIN, 'America/New_York', 'Asia/Tokyo'], [...events, ...todos]);
}

function familyCalendar(): string {
  return calendar(
    'Family',
    [BERLIN],
    [
      vevent({
        uid: 'family-dinner@davlens.demo',
        summary: 'Family dinner',
        start: '20240107T180000',
        end: '20240107T200000',
        tz: BERLIN,
        rrule: 'FREQ=WEEKLY;BYDAY=SU',
        location: 'Kastanienallee 7',
      }),
      vevent({
        uid: 'family-swimming@davlens.demo',
        summary: 'Swimming lessons (Mia)',
        start: '20240109T163000',
        end: '20240109T171500',
        tz: BERLIN,
        rrule: 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20270713T143000Z',
        location: 'Stadtbad Prenzlauer Berg',
        alarms: [['-PT30M', 'Pack the swimming bag']],
      }),
      vevent({
        uid: 'family-bins@davlens.demo',
        summary: 'Bin collection',
        start: '20240104',
        end: '20240105',
        rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TH',
        transp: 'TRANSPARENT',
      }),
      vevent({
        uid: 'family-book-club@davlens.demo',
        summary: 'Book club',
        start: '20240117T193000',
        end: '20240117T213000',
        tz: BERLIN,
        rrule: 'FREQ=MONTHLY;BYDAY=3WE',
        location: 'Café Buchwald, Bartningallee 29, Berlin',
        url: 'https://bookclub.example/list',
        description: 'This month’s book is on the list: https://bookclub.example/list',
      }),
      vevent({
        uid: 'family-garda-2026@davlens.demo',
        summary: 'Summer holiday: Lake Garda',
        start: '20260725',
        end: '20260809',
        location: 'Riva del Garda, Italy',
        categories: ['Holiday'],
      }),
      vevent({
        uid: 'family-christmas-2026@davlens.demo',
        summary: 'Christmas at grandma’s',
        start: '20261223',
        end: '20261228',
        location: 'Leopoldstraße 44, München',
      }),
      vevent({
        uid: 'family-recital-2026@davlens.demo',
        summary: 'Piano recital (Mia)',
        start: '20260620T150000',
        end: '20260620T163000',
        tz: BERLIN,
        location: 'Musikschule Pankow',
        url: 'https://musikschule.example/konzerte',
      }),
      vevent({
        uid: 'family-doctor-2026@davlens.demo',
        summary: 'Doctor’s appointment',
        start: '20260414T083000',
        end: '20260414T091500',
        tz: BERLIN,
        klass: 'PRIVATE',
        location: 'Charité, Charitéplatz 1, Berlin',
        alarms: [['-P1D', 'Doctor tomorrow morning']],
      }),
      vevent({
        uid: 'family-norway-2027@davlens.demo',
        summary: 'Trip to Norway',
        start: '20270710',
        end: '20270725',
        location: 'Oslo and the fjords',
        description: 'Staying with Ingrid in Oslo for the first weekend.',
      }),
      vevent({ uid: 'family-christmas-2027@davlens.demo', summary: 'Christmas at home', start: '20271224', end: '20271227' }),
      vevent({ uid: 'family-easter-2028@davlens.demo', summary: 'Easter in Lisbon', start: '20280414', end: '20280419', location: 'Lisboa, Portugal' }),
      vevent({ uid: 'family-school-start-2028@davlens.demo', summary: 'First day of school (Mia, 6th grade)', start: '20280807', end: '20280808' }),
    ],
  );
}

function importantCalendar(): string {
  return calendar(
    'Important Dates',
    [BERLIN],
    [
      vevent({
        uid: 'important-new-year@davlens.demo',
        summary: 'New Year’s Day',
        start: '20200101',
        end: '20200102',
        rrule: 'FREQ=YEARLY',
        transp: 'TRANSPARENT',
      }),
      vevent({
        uid: 'important-anniversary@davlens.demo',
        summary: 'Wedding anniversary',
        start: '20150612',
        end: '20150613',
        rrule: 'FREQ=YEARLY',
        alarms: [['-P7D', 'Anniversary next week: book a table']],
      }),
      vevent({
        uid: 'important-tax@davlens.demo',
        summary: 'Tax return deadline',
        start: '20240731',
        end: '20240801',
        rrule: 'FREQ=YEARLY',
        description: 'Documents to Johann Krause two weeks before.',
        alarms: [['-P14D']],
      }),
      vevent({
        uid: 'important-dst-start@davlens.demo',
        summary: 'Clocks go forward (summer time)',
        start: '20240331',
        end: '20240401',
        rrule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
        transp: 'TRANSPARENT',
      }),
      vevent({
        uid: 'important-dst-end@davlens.demo',
        summary: 'Clocks go back (winter time)',
        start: '20241027',
        end: '20241028',
        rrule: 'FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
        transp: 'TRANSPARENT',
      }),
      vevent({
        uid: 'important-car-2027@davlens.demo',
        summary: 'Car inspection (TÜV)',
        start: '20270315T080000',
        end: '20270315T090000',
        tz: BERLIN,
        location: 'Kfz-Werkstatt Braun',
      }),
      vevent({
        uid: 'important-passport-2028@davlens.demo',
        summary: 'Passport expires',
        start: '20280210',
        end: '20280211',
        alarms: [['-P90D', 'Passport expires in three months']],
      }),
      vevent({ uid: 'important-leap-day-2028@davlens.demo', summary: 'Leap day', start: '20280229', end: '20280301' }),
      vevent({ uid: 'important-lease-2026@davlens.demo', summary: 'Flat lease renewal', start: '20261001', end: '20261002', klass: 'CONFIDENTIAL' }),
    ],
  );
}

const CALENDARS = [
  { file: 'work.ics', displayName: 'Work', color: '#3584e4', order: 1, body: workCalendar },
  { file: 'important.ics', displayName: 'Important Dates', color: '#9141ac', order: 3, body: importantCalendar },
  { file: 'family.ics', displayName: 'Family', color: '#2ec27e', order: 2, body: familyCalendar },
];

for (const c of CALENDARS) writeFileSync(new URL(c.file, OUT), c.body());
writeFileSync(
  new URL('calendars.json', OUT),
  JSON.stringify(
    CALENDARS.map(({ file, displayName, color, order }) => ({ file, displayName, color, order })),
    null,
    2,
  ) + '\n',
);
writeFileSync(new URL('contacts.vcf', OUT), [...PEOPLE.map(vcard), groupCard()].join(''));
console.log(`demo: ${CALENDARS.length} calendars, ${PEOPLE.length} contacts and 1 group written to ${OUT.pathname}`);
