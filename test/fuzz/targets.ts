// Property-based fuzzing (fast-check) of every parser that reads server or DNS data. Each target draws
// inputs two ways: mutations of the project's own fixtures (real data from khal, khard, Apple, Outlook...)
// and generated structures (component trees, multistatus trees, challenge lines, SRV/TXT answers). The
// property is what a user needs from hostile input: no exception escapes, every answer has the shape the
// callers rely on, and no single input takes longer than a bound (a stall is a finding too).
// `npm run fuzz` runs them for a time budget; test/unit/fuzz.test.ts runs each briefly in `npm test`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseWwwAuthenticate, chooseChallenge, digestStateFromChallenge, digestAuthorization } from '../../electron/engine/net/digest.ts';
import { exportAddressBook, exportCalendar } from '../../electron/engine/formats/export/index.ts';
import { expandOccurrences, parseCalendarResource, resourceSearchText, resourceSpan } from '../../electron/engine/formats/ical/index.ts';
import { OCCURRENCES_PER_SERIES } from '../../electron/engine/formats/ical/expand.ts';
import { isoDay } from '../../electron/engine/app/local-file.ts';
import { parseContactResource, parseVcfFile } from '../../electron/engine/formats/vcard/index.ts';
import { orderSrvTargets, txtContextPath, type SrvRecord } from '../../electron/engine/net/srv.ts';
import { NotMultistatusError, parseMultistatus } from '../../electron/engine/dav/multistatus.ts';
import { XmlError } from '../../electron/engine/dav/xml.ts';
import { traceToCommands } from '../../shared/curl.ts';
import type { TraceEntry } from '../../shared/trace.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

function filesUnder(dir: string, ext: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, ext));
    else if (ext.test(name)) out.push(readFileSync(path, 'utf8'));
  }
  return out;
}

/**
 * One input must not take longer than this plus 1 ms per 1,000 characters (parsing is linear: a 4 MB mutation
 * legitimately takes seconds). Generous, as the machines are shared; a stall takes minutes.
 */
export const CASE_MS = Number(process.env.FUZZ_CASE_MS ?? 3_000);

// ---------------------------------------------------------------- mutations

/** Text that breaks parsers: control characters, folds, separators, BEGIN/END lines, long runs. */
const nasty = fc.oneof(
  fc.constantFrom(
    '\r\n',
    '\n',
    '\r',
    '\r\n ',
    '\r\n\t',
    ':',
    ';',
    ',',
    '=',
    '"',
    '\\',
    '\\n',
    '\\,',
    '\u0000',
    '\u001b]0;x\u0007',
    '\u009b2J',
    '\u007f',
    '\uFEFF',
    '\uD800',
    '<',
    '>',
    '&',
    ']]>',
    '<![CDATA[',
    '&amp;',
    '&#0;',
    '&#x1F600;',
  ),
  fc.constantFrom(
    'BEGIN:VCALENDAR\r\n',
    'END:VCALENDAR\r\n',
    'BEGIN:VEVENT\r\n',
    'END:VEVENT\r\n',
    'BEGIN:VCARD\r\n',
    'END:VCARD\r\n',
    'RRULE:FREQ=SECONDLY\r\n',
    'RECURRENCE-ID:20260101T000000Z\r\n',
    'DTSTART;TZID=Nowhere/Land:20260101T000000\r\n',
    'AGENT:\r\n',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.tuple(fc.constantFrom('A', '(', 'BEGIN:X\r\n', ';', '9'), fc.integer({ min: 1, max: 4000 })).map(([s, n]) => s.repeat(n)),
);

type Mutation = (s: string) => string;

const at = (s: string, f: number) => Math.floor(f * (s.length + 1));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), nasty).map(
    ([f, x]): Mutation =>
      (s) =>
        s.slice(0, at(s, f)) + x + s.slice(at(s, f)),
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 200 })).map(
    ([f, n]): Mutation =>
      (s) =>
        s.slice(0, at(s, f)) + s.slice(at(s, f) + n),
  ),
  fc
    .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 50 }))
    .map(([a, b, times]): Mutation => (s) => {
      const [i, j] = [at(s, Math.min(a, b)), at(s, Math.max(a, b))];
      return s.slice(0, j) + s.slice(i, j).repeat(times) + s.slice(j);
    }),
  fc.double({ min: 0, max: 1, noNaN: true }).map(
    (f): Mutation =>
      (s) =>
        s.slice(0, at(s, f)),
  ),
  fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 })).map(([a, b]): Mutation => (s) => {
    const lines = s.split('\n');
    const [i, j] = [a % lines.length, b % lines.length];
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    return lines.join('\n');
  }),
);

function mutated(seeds: string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { maxLength: 6 })).map(([seed, ms]) => ms.reduce((s, m) => m(s), seed));
}

// ---------------------------------------------------------------- generated structures

const dateText = fc.oneof(
  fc
    .date({ min: new Date('1600-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')),
  fc.date({ min: new Date('1600-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10).replace(/-/g, '')),
  fc.constantFrom('20260229', '20261301T250000', '99991231T235959Z', '00000101', '2026', 'T120000', '20260101T000000'),
);

const ruleText = fc
  .record(
    {
      FREQ: fc.constantFrom('SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'FORTNIGHTLY'),
      INTERVAL: fc.integer({ min: -1, max: 1000 }),
      COUNT: fc.integer({ min: 0, max: 100_000 }),
      UNTIL: dateText,
      BYDAY: fc.constantFrom('MO', '1MO,-1FR', '53SU', 'XX', 'MO,TU,WE,TH,FR,SA,SU'),
      BYMONTHDAY: fc.constantFrom('1', '-1', '31', '30', '0', '1,15,31'),
      BYMONTH: fc.constantFrom('2', '1,2,3', '13'),
      BYSETPOS: fc.constantFrom('1', '-1', '400'),
      BYHOUR: fc.constantFrom('0', '23', '9,17', '24'),
      BYWEEKNO: fc.constantFrom('1', '53', '-1'),
      BYYEARDAY: fc.constantFrom('1', '366', '-366', '60'),
    },
    { requiredKeys: ['FREQ'] },
  )
  .map((r) =>
    Object.entries(r)
      .map(([k, v]) => `${k}=${v}`)
      .join(';'),
  );

const eventProp = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('DTSTART', 'DTEND', 'DUE', 'RECURRENCE-ID', 'EXDATE', 'RDATE'),
      fc.constantFrom('', ';VALUE=DATE', ';TZID=Europe/Berlin', ';TZID=W. Europe Standard Time', ';TZID=Unknown', ';RANGE=THISANDFUTURE', ';VALUE=PERIOD'),
      dateText,
    )
    .map(([n, p, v]) => `${n}${p}:${v}`),
  ruleText.map((r) => `RRULE:${r}`),
  fc.constantFrom(
    'DURATION:PT1H',
    'DURATION:P1D',
    'DURATION:-PT1H',
    'DURATION:P9999999W',
    'DURATION:garbage',
    'SEQUENCE:99999999999999999999',
    'STATUS:CANCELLED',
  ),
  fc.tuple(fc.constantFrom('UID', 'SUMMARY', 'LOCATION', 'DESCRIPTION'), fc.string({ maxLength: 30 })).map(([n, v]) => `${n}:${v.replace(/[\r\n]/g, ' ')}`),
);

/** A component tree, `depth` levels at most (deep nesting comes from calendarText's repeated BEGIN lines). */
function componentOf(depth: number): fc.Arbitrary<string[]> {
  const subs = depth <= 1 ? fc.constant([] as string[][]) : fc.array(componentOf(depth - 1), { maxLength: 2 });
  return fc
    .tuple(
      fc.constantFrom('VEVENT', 'VTODO', 'VALARM', 'VTIMEZONE', 'STANDARD', 'DAYLIGHT', 'VJOURNAL', 'X-THING'),
      fc.array(eventProp, { maxLength: 8 }),
      subs,
    )
    .map(([name, props, children]) => [`BEGIN:${name}`, ...props, ...children.flat(), `END:${name}`]);
}
const component = componentOf(3);

const calendarText = fc
  .tuple(fc.array(component, { maxLength: 6 }), fc.boolean(), fc.integer({ min: 0, max: 40 }))
  .map(([comps, zone, deep]) =>
    [
      'BEGIN:VCALENDAR'.repeat(1),
      'VERSION:2.0',
      ...(zone ? ['X-WR-TIMEZONE:Europe/Berlin'] : []),
      ...Array.from({ length: deep }, () => 'BEGIN:VCALENDAR'),
      ...comps.flat(),
      ...Array.from({ length: deep }, () => 'END:VCALENDAR'),
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );

const cardProp = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'FN',
        'N',
        'EMAIL',
        'TEL',
        'ADR',
        'ORG',
        'NOTE',
        'BDAY',
        'UID',
        'PHOTO',
        'LABEL',
        'X-ADDRESSBOOKSERVER-MEMBER',
        'MEMBER',
        'KIND',
        'CATEGORIES',
        'item1.EMAIL',
      ),
      fc.constantFrom(
        '',
        ';TYPE=work',
        ';ENCODING=QUOTED-PRINTABLE',
        ';ENCODING=b',
        ';CHARSET=ISO-8859-1',
        ';VALUE=uri',
        ';X-APPLE-OMIT-YEAR=1604',
        ';LABEL="a\\nb"',
      ),
      fc.string({ maxLength: 40 }),
    )
    .map(([n, p, v]) => `${n}${p}:${v.replace(/[\r\n]/g, ' ')}`),
  fc.constantFrom(
    'VERSION:2.1',
    'VERSION:3.0',
    'VERSION:4.0',
    'AGENT:',
    'BEGIN:VCARD',
    'END:VCARD',
    'NOTE;ENCODING=QUOTED-PRINTABLE:=E2=82=AC=',
    '=0D=0A',
    'PHOTO;ENCODING=b:////',
  ),
);

const cardText = fc
  .array(fc.array(cardProp, { maxLength: 10 }), { minLength: 1, maxLength: 4 })
  .map((cards) => cards.map((props) => ['BEGIN:VCARD', ...props, 'END:VCARD'].join('\r\n')).join('\r\n'));

type XmlNode = { name: string; text: string; children: XmlNode[] };
function xmlNodeOf(depth: number): fc.Arbitrary<XmlNode> {
  return fc.record({
    name: fc.constantFrom(
      'd:response',
      'd:href',
      'd:propstat',
      'd:prop',
      'd:status',
      'd:getetag',
      'd:resourcetype',
      'd:collection',
      'c:calendar',
      'c:calendar-data',
      'd:sync-token',
      'd:displayname',
      'x:unknown',
      'd:current-user-principal',
    ),
    text: fc.oneof(
      fc.constantFrom(
        '',
        '/cal/',
        'HTTP/1.1 200 OK',
        'HTTP/1.1 404 Not Found',
        '"etag"',
        'http://[::1',
        '//evil.example/x',
        '%zz',
        'BEGIN:VCALENDAR',
        '&amp;&lt;',
        '\u0001',
      ),
      fc.string({ maxLength: 20 }),
    ),
    children: depth <= 1 ? fc.constant([]) : fc.array(xmlNodeOf(depth - 1), { maxLength: 3 }),
  });
}
const xmlNode = xmlNodeOf(5);

function xmlOf(n: XmlNode): string {
  const text = n.text.replace(/&(?!amp;|lt;)/g, '&amp;').replace(/</g, '&lt;');
  return `<${n.name}>${text}${n.children.map(xmlOf).join('')}</${n.name}>`;
}

const multistatusText = fc
  .tuple(fc.array(xmlNode, { maxLength: 5 }), fc.integer({ min: 0, max: 30_000 }), fc.boolean())
  .map(
    ([nodes, deep, open]) =>
      `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:x="urn:x">${'<d:prop>'.repeat(deep)}${nodes.map(xmlOf).join('')}${open ? '' : '</d:prop>'.repeat(deep)}</d:multistatus>`,
  );

const MULTISTATUS_SEED = `<?xml version="1.0" encoding="utf-8"?>
<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/">
<d:response><d:href>/dav/calendars/alice/home/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/><c:calendar/></d:resourcetype>
<d:displayname>Home &amp; work</d:displayname><cs:getctag>"c1"</cs:getctag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
<d:propstat><d:prop><c:calendar-color/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat></d:response>
<d:response><d:href>/dav/calendars/alice/home/e1.ics</d:href><d:propstat><d:prop><d:getetag>"e1"</d:getetag>
<c:calendar-data><![CDATA[BEGIN:VCALENDAR
END:VCALENDAR
]]></c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
<d:response><d:href>/dav/calendars/alice/home/gone.ics</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>
<d:sync-token>http://example.test/sync/1</d:sync-token></d:multistatus>`;

const challengeSeeds = [
  'Digest realm="SabreDAV", qop="auth", nonce="5f2f", opaque="df58bdff8cf60599c939187d0b5c54de"',
  'Basic realm="Radicale - Password Required"',
  'Digest realm="x", nonce="n", algorithm=SHA-256, qop="auth,auth-int", userhash=true, Digest realm="x", nonce="n"',
  'basic realm="SOGo"',
  'Negotiate, NTLM, Bearer realm="a", error="invalid_token", Digest nonce=unquoted, stale=TRUE',
  'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
];

const challengeText = fc.oneof(
  mutated(challengeSeeds),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('Digest', 'Basic', 'basic', 'X', ''),
        fc.array(
          fc.tuple(
            fc.constantFrom('realm', 'nonce', 'qop', 'algorithm', 'opaque', 'userhash', 'stale', 'charset', 'x'),
            fc.oneof(fc.string({ maxLength: 20 }), nasty),
            fc.boolean(),
          ),
          { maxLength: 6 },
        ),
      ),
      { maxLength: 3 },
    )
    .map((cs) => cs.map(([scheme, ps]) => `${scheme} ${ps.map(([k, v, q]) => `${k}=${q ? `"${v.replace(/"/g, '\\"')}"` : v}`).join(', ')}`).join(', ')),
);

const srvRecord: fc.Arbitrary<SrvRecord> = fc.record({
  name: fc.oneof(fc.constantFrom('', '.', 'dav.example.test', 'dav.example.test.'), fc.string({ maxLength: 30 })),
  port: fc.integer({ min: 0, max: 65535 }),
  priority: fc.integer({ min: 0, max: 65535 }),
  weight: fc.integer({ min: 0, max: 65535 }),
});

const txtRecords = fc.array(
  fc.oneof(
    fc.constantFrom('path=/dav', 'path=dav/', 'PATH=/x', 'path=', 'path=/\ntouch /tmp/pwned', 'path=/$(id)`id`'),
    fc.string({ maxLength: 40 }).map((s) => `path=${s}`),
    fc.tuple(fc.string({ maxLength: 20 }), nasty).map(([a, b]) => a + b),
  ),
  { maxLength: 4 },
);

// ---------------------------------------------------------------- targets

export interface FuzzTarget {
  name: string;
  /** fc.property over the target's inputs. */
  property: () => fc.IRawProperty<unknown[]>;
}

function timed<T>(input: string | unknown, run: () => T): T {
  const size = typeof input === 'string' ? input.length : JSON.stringify(input).length;
  const bound = CASE_MS + size / 1000;
  const t0 = performance.now();
  const out = run();
  const ms = performance.now() - t0;
  if (ms > bound) throw new Error(`one input took ${Math.round(ms)} ms (bound ${Math.round(bound)} ms); its size: ${size} characters`);
  return out;
}

const WINDOW = fc.tuple(
  fc.integer({ min: 1900, max: 2100 }),
  fc.integer({ min: 1, max: 400 }),
  fc.constantFrom('UTC', 'Europe/Berlin', 'Pacific/Kiritimati', 'America/St_Johns'),
);

const icsSeeds = filesUnder(join(FIXTURES, 'ics'), /\.ics$/i);
const vcfSeeds = filesUnder(join(FIXTURES, 'vcf'), /\.vcf$/i);

export const TARGETS: FuzzTarget[] = [
  {
    name: 'icalendar',
    property: () =>
      fc.property(fc.oneof(mutated(icsSeeds), calendarText), WINDOW, (text, [year, days, tz]) =>
        timed(text, () => {
          const parsed = parseCalendarResource('/cal/x.ics', text);
          for (const e of parsed.errors) if (e.href !== '/cal/x.ics') throw new Error(`an error without the item's href: ${e.message}`);
          if (!parsed.resource) {
            if (parsed.errors.length === 0) throw new Error('an unreadable item without a reason');
            return;
          }
          resourceSpan(parsed.resource);
          resourceSearchText(parsed.resource);
          const from = Date.UTC(year, 0, 1);
          const out = expandOccurrences(
            [parsed.resource],
            { from: isoDay(from), to: isoDay(from + days * 86_400_000), tz },
            { displayName: 'c', url: '/cal/' },
          );
          if (out.occurrences.length > OCCURRENCES_PER_SERIES * 50) throw new Error(`${out.occurrences.length} occurrences`);
          exportCalendar([{ href: '/cal/x.ics', data: text }]);
        }),
      ),
  },
  {
    name: 'vcard',
    property: () =>
      fc.property(fc.oneof(mutated(vcfSeeds), cardText), (text) =>
        timed(text, () => {
          const file = parseVcfFile(text, 'Book', 'x.vcf');
          for (const c of file.contacts) if (typeof c.fn !== 'string' || typeof c.uid !== 'string') throw new Error('a contact without fn/uid strings');
          const one = parseContactResource('/book/x.vcf', text, 'Book');
          if (!one.contact && one.errors.length === 0) throw new Error('an unreadable card without a reason');
          exportAddressBook([{ href: '/book/x.vcf', data: text }]);
        }),
      ),
  },
  {
    name: 'multistatus',
    property: () =>
      fc.property(fc.oneof(mutated([MULTISTATUS_SEED]), multistatusText), (text) =>
        timed(text, () => {
          try {
            const ms = parseMultistatus(text, 'https://dav.example.test/dav/calendars/alice/');
            for (const r of ms.responses) new URL(r.url);
          } catch (e) {
            // The two refusals callers turn into a bad-response error naming the step and the server.
            if (!(e instanceof XmlError) && !(e instanceof NotMultistatusError)) throw e;
          }
        }),
      ),
  },
  {
    name: 'digest',
    property: () =>
      fc.property(fc.array(challengeText, { minLength: 1, maxLength: 3 }), fc.string({ maxLength: 20 }), (lines, user) =>
        timed(lines, () => {
          const challenges = parseWwwAuthenticate(lines);
          const chosen = chooseChallenge(challenges);
          const state = chosen ? digestStateFromChallenge(chosen) : null;
          if (!state) return;
          const { header } = digestAuthorization(state, { username: user, password: 'pw', method: 'PROPFIND', uri: '/dav/', cnonce: 'c' });
          // The header goes on the wire as is: a CR or LF in it would be header injection.
          if (/[\r\n\u0000]/.test(header)) throw new Error(`a line break in the Authorization header: ${JSON.stringify(header)}`);
        }),
      ),
  },
  {
    name: 'srv-txt',
    property: () =>
      fc.property(fc.array(srvRecord, { maxLength: 8 }), txtRecords, fc.double({ min: 0, max: 0.999, noNaN: true }), (records, txt, r) =>
        timed(records, () => {
          const ordered = orderSrvTargets(records, () => r);
          const usable = records.filter((x) => x.name !== '' && x.name !== '.');
          if (ordered.length !== usable.length || ordered.some((x) => !usable.includes(x)))
            throw new Error('the SRV order is not a permutation of the usable targets');
          for (let i = 1; i < ordered.length; i++) if (ordered[i]!.priority < ordered[i - 1]!.priority) throw new Error('a lower priority after a higher one');
          const path = txtContextPath(txt);
          if (path !== null && !path.startsWith('/')) throw new Error(`a relative context path ${path}`);
          const trace: TraceEntry[] = [
            {
              kind: 'dns',
              step: 'srv',
              type: 'SRV',
              name: records[0]?.name ?? 'x',
              server: 'system',
              answers: records.map((x) => `${x.priority} ${x.weight} ${x.port} ${x.name}`),
              error: null,
              ms: 1,
            },
            { kind: 'dns', step: 'txt', type: 'TXT', name: '_caldavs._tcp.example.test', server: '[::1]:53', answers: txt, error: txt[0] ?? null, ms: 1 },
            { kind: 'note', step: 'txt', service: 'caldav', message: `TXT gives ${path ?? txt.join(' ')}` },
          ];
          assertInertTrace(traceToCommands(trace));
        }),
      ),
  },
];

/**
 * The cheap form of the trace property (the real-shell form is in test/unit/inert.test.ts), for traces without
 * request bodies: the only control character is the newline between commands, and every line is a comment or
 * a dig/curl command.
 */
export function assertInertTrace(commands: string): void {
  if (/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(commands)) throw new Error(`a raw control character in the trace: ${JSON.stringify(commands)}`);
  for (const line of commands.split('\n')) {
    if (!/^(# |dig |curl )/.test(line)) throw new Error(`a trace line that is neither a comment nor a command: ${JSON.stringify(line)}`);
  }
}
