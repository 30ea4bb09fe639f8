// A DAV account whose items a test chooses, hostile ones included: no real server stores an event with 100k
// overrides or 20k nested components (Radicale, Xandikos and SabreDAV refuse them on PUT), but a server can
// serve them. One calendar (/home/cal/) and one address book (/book/ab/) on a scripted loopback server, answered
// by PROPFIND listings and sync-collection REPORTs; the account is written into a scratch profile, so the real
// `davlens` command line syncs and lists it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Store } from '../../electron/engine/store/store.ts';
import { escapeXml } from '../../electron/engine/dav/xml.ts';
import { scratchProfile } from './scratch.ts';
import { startScriptedServer, type ScriptedServer } from './scripted-server.ts';

export const HOSTILE_EMAIL = 'alice@example.test';

export interface HostileAccount {
  server: ScriptedServer;
  /** The profile folder (pass as --profile). */
  profile: string;
  /** The environment a CLI run needs (the password). */
  env: Record<string, string>;
}

// XML 1.1, which (unlike 1.0) lets a server send C0 control characters as character references: a hostile
// server can put ESC and BEL into a SUMMARY that Davlens then reads (DEL and most C1 must be references there).
const ms = (inner: string) =>
  `<?xml version="1.1"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:card="urn:ietf:params:xml:ns:carddav">${inner}</d:multistatus>`;

function collection(href: string, kind: 'calendar' | 'addressbook', name: string): string {
  const type = kind === 'calendar' ? '<c:calendar/>' : '<card:addressbook/>';
  return `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:resourcetype><d:collection/>${type}</d:resourcetype><d:displayname>${name}</d:displayname>
    <d:supported-report-set><d:supported-report><d:report><d:sync-collection/></d:report></d:supported-report></d:supported-report-set><d:sync-token>t1</d:sync-token>
    </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
}

function member(href: string, data: string, kind: 'calendar' | 'addressbook'): string {
  const tag = kind === 'calendar' ? 'c:calendar-data' : 'card:address-data';
  return `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:getetag>"${href.length}-${data.length}"</d:getetag><${tag}>${escapeXml(data).replace(/[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`)}</${tag}></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
}

/** Serves `events` (name -> iCalendar text) and `cards` (name -> vCard text) as one account. */
export async function startHostileAccount(events: Record<string, string>, cards: Record<string, string> = {}): Promise<HostileAccount> {
  const server = await startScriptedServer(
    (req: IncomingMessage, res: ServerResponse) => {
      const body = (req as unknown as { body?: string }).body ?? '';
      const send = (xml: string) => res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8' }).end(xml);
      if (req.method === 'PROPFIND' && req.url === '/home/') return send(ms(collection('/home/cal/', 'calendar', 'Hostile')));
      if (req.method === 'PROPFIND' && req.url === '/book/') return send(ms(collection('/book/ab/', 'addressbook', 'Hostile book')));
      if (req.method === 'REPORT' && req.url === '/home/cal/' && body.includes('sync-collection')) {
        return send(
          ms(
            `${Object.entries(events)
              .map(([n, d]) => member(`/home/cal/${n}.ics`, d, 'calendar'))
              .join('')}<d:sync-token>t1</d:sync-token>`,
          ),
        );
      }
      if (req.method === 'REPORT' && req.url === '/book/ab/' && body.includes('sync-collection')) {
        return send(
          ms(
            `${Object.entries(cards)
              .map(([n, d]) => member(`/book/ab/${n}.vcf`, d, 'addressbook'))
              .join('')}<d:sync-token>t1</d:sync-token>`,
          ),
        );
      }
      res.writeHead(404).end();
    },
    { captureBody: true },
  );

  const profile = scratchProfile();
  const url = server.url;
  const store = Store.open(profile);
  const service = (home: string) => ({
    context: url,
    via: 'manual' as const,
    principal: url,
    homeSets: [`${url}${home}`],
    username: 'alice',
    offDomain: true,
    needsApproval: null,
  });
  store.saveAccount({
    id: HOSTILE_EMAIL,
    email: HOSTILE_EMAIL,
    username: 'alice',
    caldav: service('home/'),
    carddav: service('book/'),
    approvedHosts: ['127.0.0.1'],
    options: { insecureHttp: true, user: 'alice' },
    syncedAt: null,
    lastError: null,
    demo: false,
  });
  store.close();
  return { server, profile, env: { DAVLENS_PASSWORD: 'pw' } };
}

/** One series with `n` overrides, one a minute from 1 Dec 2026 09:00Z (the master repeats every minute). */
export function manyOverrides(n: number): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Davlens tests//EN',
    'BEGIN:VEVENT',
    'UID:overrides',
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20261201T090000Z',
    'DURATION:PT1M',
    'RRULE:FREQ=MINUTELY;COUNT=200000',
    'SUMMARY:Master',
    'END:VEVENT',
  ];
  const base = Date.UTC(2026, 11, 1, 9);
  for (let i = 0; i < n; i++) {
    const at = new Date(base + i * 60_000).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    lines.push(
      'BEGIN:VEVENT',
      'UID:overrides',
      'DTSTAMP:20260101T000000Z',
      `RECURRENCE-ID:${at}`,
      `DTSTART:${at}`,
      'DURATION:PT30S',
      `SUMMARY:Override ${i}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}
