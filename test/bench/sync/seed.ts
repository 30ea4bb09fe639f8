// Seed data for the sync benchmark, written straight into Radicale's filesystem storage (Radicale 3.1
// multifilesystem layout, checked against radicale/storage/multifilesystem/: base.py, meta.py, get.py):
//   <folder>/collection-root/<user>/                        the principal collection (a plain directory)
//   <folder>/collection-root/<user>/<collection>/.Radicale.props   JSON of the collection's properties:
//        {"tag": "VCALENDAR" | "VADDRESSBOOK", "D:displayname": ..., ...} (keys as "NS:name", see xmlutils.py)
//   <folder>/collection-root/<user>/<collection>/<href>      one item per file, a whole VCALENDAR / VCARD
// Radicale builds its item cache (.Radicale.cache/item/) and sync-token history on first read; the benchmark
// warms both before timing anything. PUT would serialise 15,000 writes through Radicale's write lock.
//
// The data is deterministic (seeded PRNG) and meant to look like a real account: timed events in a named
// zone (with its VTIMEZONE), weekly/daily/monthly series (some with EXDATEs and a moved instance),
// all-day and multi-day events, meetings with an organiser, attendees and an alarm; descriptions of a few
// hundred characters. Events average about 1 KB, vCards about 0.5 KB.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BERLIN_TZ } from '../../support/dav-fixtures.ts';
import { prng } from '../../support/prng.ts';
import { foldLine as fold } from '../../../electron/engine/formats/export/index.ts';

/** RFC 5545 folding, the engine's own (re-exported for the benchmark). */
export { fold };

export { prng };

const WORDS = (
  'review planning budget roadmap sync design sprint retro customer onboarding quarterly release ' +
  'security audit hiring interview workshop training demo launch migration backlog research kickoff offsite ' +
  'dentist lunch dinner yoga football piano school parents birthday flight train hotel conference keynote ' +
  'garden repair insurance tax doctor haircut groceries concert cinema museum hiking swimming marathon'
).split(' ');
const TEXT = (
  'Please bring the latest figures and any open questions. We will go through the action items from ' +
  'last time, agree on owners and dates, and leave ten minutes at the end for anything else. The dial-in ' +
  'details are below; the room has a projector and a whiteboard. If you cannot attend, send your notes to ' +
  'the organiser beforehand so they can be covered. Parking is available in the underground garage, level ' +
  'minus two; visitors sign in at the front desk. Agenda: 1. status 2. risks 3. next steps 4. decisions.'
).split(' ');
const PLACES = [
  'Room 4.12, Main Building',
  'Conference room Berlin',
  'Café Einstein, Unter den Linden 42',
  'Online (video call)',
  'Town Hall, Marktplatz 1, 80331 München',
  'Sports centre, court 3',
  'Home',
  'Office, 2nd floor kitchen',
  'Terminal 2, Gate B14',
];
const FIRST = [
  'Anna',
  'Ben',
  'Clara',
  'David',
  'Emma',
  'Felix',
  'Greta',
  'Hugo',
  'Ida',
  'Jonas',
  'Klara',
  'Leon',
  'Mia',
  'Noah',
  'Olivia',
  'Paul',
  'Rosa',
  'Simon',
  'Tara',
  'Uwe',
  'Vera',
  'Wim',
  'Xenia',
  'Yusuf',
  'Zoë',
  'José',
  'François',
  'Søren',
  'Łukasz',
  'Ágnes',
];
const LAST = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Hoffmann',
  'Schulz',
  'Koch',
  'Richter',
  'Klein',
  'Wolf',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Hofmann',
  'Hartmann',
  'García',
  'Rossi',
  'Dubois',
  'Nowak',
  'Smith',
];
const ORGS = ['Acme GmbH', 'Globex Corporation', 'Initech', 'Umbrella AG', 'Stark Industries', 'Wayne Enterprises', 'Hooli', 'Vandelay Industries'];
const TITLES = ['Engineer', 'Product Manager', 'Designer', 'Sales Director', 'Accountant', 'CEO', 'Consultant', 'Teacher', 'Nurse'];
const CITIES = [
  ['Berlin', '10115', 'Germany'],
  ['München', '80331', 'Germany'],
  ['Wien', '1010', 'Austria'],
  ['Zürich', '8001', 'Switzerland'],
  ['Paris', '75001', 'France'],
  ['Madrid', '28013', 'Spain'],
  ['Kraków', '31-001', 'Poland'],
] as const;

const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dateOf = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
const local = (d: Date) => `${dateOf(d)}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}00`;
const utc = (d: Date) => `${local(d)}Z`;

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function words(r: () => number, n: number): string {
  return Array.from({ length: n }, () => pick(r, WORDS)).join(' ');
}

function text(r: () => number, n: number): string {
  const from = Math.floor(r() * (TEXT.length - n));
  return TEXT.slice(Math.max(0, from), Math.max(0, from) + n).join(' ');
}

function person(r: () => number): { first: string; last: string; email: string } {
  const first = pick(r, FIRST);
  const last = pick(r, LAST);
  const ascii = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase();
  return { first, last, email: `${ascii(first)}.${ascii(last)}${Math.floor(r() * 100)}@${pick(r, ['example.com', 'example.org', 'mail.example.net'])}` };
}

export type EventKind = 'timed' | 'recurring' | 'allday' | 'meeting';

/** One calendar object resource: the whole VCALENDAR text with CRLF line ends. */
export function makeEvent(uid: string, r: () => number, kind?: EventKind): { kind: EventKind; text: string } {
  const x = r();
  const k: EventKind = kind ?? (x < 0.5 ? 'timed' : x < 0.68 ? 'recurring' : x < 0.88 ? 'allday' : 'meeting');
  // Spread over 2024-2027.
  const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(r() * 4 * 365) * 86_400_000);
  const start = new Date(day.getTime() + (7 + Math.floor(r() * 12)) * 3_600_000 + (r() < 0.5 ? 0 : 30 * 60_000));
  const end = new Date(start.getTime() + (1 + Math.floor(r() * 4)) * 30 * 60_000);
  const created = new Date(Date.UTC(2023, 6, 1) + Math.floor(r() * 500) * 86_400_000);
  const w = words(r, 2 + Math.floor(r() * 3));
  const summary = `${w[0]!.toUpperCase()}${w.slice(1)}`;
  const common = [
    `UID:${uid}`,
    `DTSTAMP:${utc(created)}`,
    `CREATED:${utc(created)}`,
    `LAST-MODIFIED:${utc(created)}`,
    `SUMMARY:${esc(summary)}`,
    `DESCRIPTION:${esc(`${text(r, 25 + Math.floor(r() * 35))}\n\n${text(r, 10 + Math.floor(r() * 20))}`)}`,
  ];
  const tz = `;TZID=Europe/Berlin`;
  let body: string[];
  let zone = false;
  switch (k) {
    case 'timed':
      zone = true;
      body = [
        ...common,
        `DTSTART${tz}:${local(start)}`,
        `DTEND${tz}:${local(end)}`,
        `LOCATION:${esc(pick(r, PLACES))}`,
        `CATEGORIES:${pick(r, ['Work', 'Personal', 'Family', 'Travel'])}`,
        'STATUS:CONFIRMED',
        'SEQUENCE:0',
        'TRANSP:OPAQUE',
      ];
      body = [`BEGIN:VEVENT`, ...body, 'END:VEVENT'];
      break;
    case 'recurring': {
      zone = true;
      const y = r();
      const rule =
        y < 0.55
          ? `FREQ=WEEKLY;BYDAY=${pick(r, ['MO', 'TU', 'WE', 'TH', 'FR', 'MO,WE', 'TU,TH'])}${r() < 0.5 ? `;COUNT=${10 + Math.floor(r() * 40)}` : ''}`
          : y < 0.8
            ? `FREQ=DAILY;INTERVAL=${1 + Math.floor(r() * 2)};UNTIL=${utc(new Date(start.getTime() + (30 + Math.floor(r() * 300)) * 86_400_000))}`
            : `FREQ=MONTHLY;BYDAY=${pick(r, ['1MO', '2TU', '-1FR', '3WE'])}`;
      const master = [
        'BEGIN:VEVENT',
        ...common,
        `DTSTART${tz}:${local(start)}`,
        `DTEND${tz}:${local(end)}`,
        `RRULE:${rule}`,
        `LOCATION:${esc(pick(r, PLACES))}`,
        'SEQUENCE:1',
        'TRANSP:OPAQUE',
      ];
      if (r() < 0.4) master.push(`EXDATE${tz}:${local(new Date(start.getTime() + 7 * 86_400_000))}`);
      master.push('END:VEVENT');
      body = master;
      if (rule.startsWith('FREQ=WEEKLY') && r() < 0.3) {
        // One instance moved by an hour: the override lives in the same resource.
        const rid = new Date(start.getTime() + 14 * 86_400_000);
        const moved = new Date(rid.getTime() + 3_600_000);
        body = [
          ...body,
          'BEGIN:VEVENT',
          `UID:${uid}`,
          `DTSTAMP:${utc(created)}`,
          `RECURRENCE-ID${tz}:${local(rid)}`,
          `DTSTART${tz}:${local(moved)}`,
          `DTEND${tz}:${local(new Date(moved.getTime() + end.getTime() - start.getTime()))}`,
          `SUMMARY:${esc(`${summary} (moved)`)}`,
          'SEQUENCE:2',
          'END:VEVENT',
        ];
      }
      break;
    }
    case 'allday': {
      const days = r() < 0.7 ? 1 : 2 + Math.floor(r() * 6);
      body = [
        'BEGIN:VEVENT',
        ...common,
        `DTSTART;VALUE=DATE:${dateOf(day)}`,
        `DTEND;VALUE=DATE:${dateOf(new Date(day.getTime() + days * 86_400_000))}`,
        'TRANSP:TRANSPARENT',
        `CATEGORIES:${pick(r, ['Holiday', 'Birthday', 'Travel', 'Conference'])}`,
        ...(r() < 0.3 ? ['RRULE:FREQ=YEARLY'] : []),
        `LOCATION:${esc(pick(r, PLACES))}`,
        `X-MICROSOFT-CDO-ALLDAYEVENT:TRUE`,
        'END:VEVENT',
      ];
      break;
    }
    case 'meeting': {
      const org = person(r);
      const attendees = Array.from({ length: 2 + Math.floor(r() * 3) }, () => person(r));
      body = [
        'BEGIN:VEVENT',
        ...common,
        `DTSTART:${utc(start)}`,
        `DTEND:${utc(end)}`,
        `LOCATION:${esc(pick(r, PLACES))}`,
        `ORGANIZER;CN=${org.first} ${org.last}:mailto:${org.email}`,
        ...attendees.map(
          (a) =>
            `ATTENDEE;CN=${a.first} ${a.last};ROLE=REQ-PARTICIPANT;PARTSTAT=${pick(r, ['ACCEPTED', 'NEEDS-ACTION', 'TENTATIVE'])};RSVP=TRUE:mailto:${a.email}`,
        ),
        'STATUS:CONFIRMED',
        'SEQUENCE:0',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'DESCRIPTION:Reminder',
        'TRIGGER:-PT15M',
        'END:VALARM',
        'END:VEVENT',
      ];
      break;
    }
  }
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Davlens//sync benchmark//EN',
    'CALSCALE:GREGORIAN',
    ...(zone ? BERLIN_TZ : []),
    ...body,
    'END:VCALENDAR',
  ];
  return { kind: k, text: `${lines.map(fold).join('\r\n')}\r\n` };
}

/** One vCard 3.0. */
export function makeCard(uid: string, r: () => number): string {
  const p = person(r);
  const [city, zip, country] = pick(r, CITIES);
  const lines = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    'PRODID:-//Davlens//sync benchmark//EN',
    `UID:${uid}`,
    `FN:${p.first} ${p.last}`,
    `N:${p.last};${p.first};;;`,
    `ORG:${esc(pick(r, ORGS))}`,
    `TITLE:${pick(r, TITLES)}`,
    `EMAIL;TYPE=INTERNET,WORK:${p.email}`,
    ...(r() < 0.5
      ? [
          `EMAIL;TYPE=INTERNET,HOME:${p.first
            .normalize('NFD')
            .replace(/[^A-Za-z]/g, '')
            .toLowerCase()}${Math.floor(r() * 1000)}@home.example`,
        ]
      : []),
    `TEL;TYPE=CELL:+49 15${Math.floor(r() * 10)} ${pad(Math.floor(r() * 1e7), 7)}`,
    ...(r() < 0.6 ? [`TEL;TYPE=WORK,VOICE:+49 30 ${pad(Math.floor(r() * 1e6), 6)}`] : []),
    `ADR;TYPE=WORK:;;${pick(r, ['Hauptstraße', 'Bahnhofstraße', 'Rue de Rivoli', 'Calle Mayor', 'Ringstraße'])} ${1 + Math.floor(r() * 120)};${city};;${zip};${country}`,
    ...(r() < 0.4 ? [`BDAY:${1950 + Math.floor(r() * 50)}-${pad(1 + Math.floor(r() * 12))}-${pad(1 + Math.floor(r() * 28))}`] : []),
    ...(r() < 0.3 ? [`NICKNAME:${p.first.slice(0, 3)}`] : []),
    ...(r() < 0.35 ? [`URL:https://www.example.com/people/${encodeURIComponent(p.last.toLowerCase())}`] : []),
    ...(r() < 0.6 ? [`NOTE:${esc(text(r, 8 + Math.floor(r() * 16)))}`] : []),
    `CATEGORIES:${pick(r, ['Colleagues', 'Friends', 'Family', 'Customers'])}`,
    `REV:2025${pad(1 + Math.floor(r() * 12))}${pad(1 + Math.floor(r() * 28))}T120000Z`,
    'END:VCARD',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** What bench:sync and bench:ui's first month seed: 10,000 events in 3 calendars and 5,000 vCards. */
export const BENCH_PLAN = [
  { name: 'work', kind: 'calendar', displayName: 'Work', count: 3334, color: '#3a87adff' },
  { name: 'personal', kind: 'calendar', displayName: 'Personal', count: 3333, color: '#e6c800ff' },
  { name: 'family', kind: 'calendar', displayName: 'Family', count: 3333, color: '#b30000ff' },
  { name: 'contacts', kind: 'addressbook', displayName: 'Contacts', count: 5000 },
] as const;

export interface SeedCollection {
  /** Path segment under the user, e.g. "work". */
  name: string;
  kind: 'calendar' | 'addressbook';
  displayName: string;
  count: number;
  /** Hrefs (file names) written, in order. */
  hrefs: string[];
  bytes: number;
}

export interface SeedResult {
  collections: SeedCollection[];
  eventKinds: Record<EventKind, number>;
  ms: number;
}

/** Writes the collections under <folder>/collection-root/<user>/. */
export function seedStorage(
  folder: string,
  user: string,
  plan: { name: string; kind: 'calendar' | 'addressbook'; displayName: string; count: number; color?: string }[],
): SeedResult {
  const t0 = performance.now();
  const r = prng(20260101);
  const userDir = join(folder, 'collection-root', user);
  mkdirSync(userDir, { recursive: true });
  const eventKinds: Record<EventKind, number> = { timed: 0, recurring: 0, allday: 0, meeting: 0 };
  const collections: SeedCollection[] = [];
  for (const c of plan) {
    const dir = join(userDir, c.name);
    mkdirSync(dir);
    const props =
      c.kind === 'calendar'
        ? {
            tag: 'VCALENDAR',
            'D:displayname': c.displayName,
            'C:supported-calendar-component-set': 'VEVENT',
            ...(c.color ? { 'ICAL:calendar-color': c.color } : {}),
          }
        : { tag: 'VADDRESSBOOK', 'D:displayname': c.displayName };
    writeFileSync(join(dir, '.Radicale.props'), JSON.stringify(props));
    const hrefs: string[] = [];
    let bytes = 0;
    for (let i = 0; i < c.count; i++) {
      const uid = `${c.name}-${pad(i, 5)}-${Math.floor(r() * 0xffffffff)
        .toString(16)
        .padStart(8, '0')}@bench.davlens.test`;
      const href = `${uid.replace(/@.*/, '')}.${c.kind === 'calendar' ? 'ics' : 'vcf'}`;
      let data: string;
      if (c.kind === 'calendar') {
        const e = makeEvent(uid, r);
        eventKinds[e.kind] += 1;
        data = e.text;
      } else {
        data = makeCard(uid, r);
      }
      writeFileSync(join(dir, href), data);
      bytes += Buffer.byteLength(data);
      hrefs.push(href);
    }
    collections.push({ name: c.name, kind: c.kind, displayName: c.displayName, count: c.count, hrefs, bytes });
  }
  return { collections, eventKinds, ms: performance.now() - t0 };
}
