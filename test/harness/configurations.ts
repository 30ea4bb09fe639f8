// The one list of server configurations the integration suite (test/integration/servers.test.ts) runs
// against: adding a server is one entry here (and its start-up in servers.ts). Each entry says how a person
// reaches the server, where its collections live, what the server itself does to what it is given (facts
// about the server, not about Davlens), and which checks Davlens is known to fail there today.
import type { Harness, HarnessUser } from './servers.ts';

/** The checks of the suite, by name: a known failure names one of them. */
export type CheckId =
  | 'discover-root'
  | 'discover-dns'
  | 'collections'
  | 'recurrence'
  | 'extensionless-name'
  | 'window-first'
  | 'comma-and-orphan'
  | 'vcards'
  | 'vcard-fixtures'
  | 'birthdays-groups'
  | 'export-ics'
  | 'export-vcf'
  | 'initial-sync'
  | 'changes-resync'
  | 'quiet-resync'
  | 'one-change-resync'
  | 'invalid-token'
  | 'collection-deleted'
  | 'cli-one-login'
  | 'app-one-login'
  | 'wrong-password';

export interface Configuration {
  name: string;
  /** The address a person types; its domain leads to this server through the test DNS (SRV, maybe TXT). */
  email: string;
  /** The login the server knows. */
  user: string;
  password: string;
  /** The URL a person would type as "server" (SOGo's DAV root is /SOGo/dav/, not /). */
  root: string;
  principal: string;
  calendarHome: string;
  addressbookHome: string;
  /** Collections the server made for the user itself, which every listing must show. */
  defaultCalendars: string[];
  defaultAddressbooks: string[];
  /** Scheduling inbox and outbox (RFC 6638): never listed as calendars. */
  scheduling: string[];
  /** Uploads go to this origin instead (SabreDAV Digest shares the Basic server's database; seeding is Basic). */
  seedOrigin?: string;
  /** Login by Digest: every session starts with a 401 (a fresh nonce), even for an account that logged in before. */
  digest: boolean;
  server: {
    /** Xandikos 0.2.8 infers an item's type from its name: no calendar data for a name without .ics. */
    needsExtension: boolean;
    /**
     * What becomes of an Apple calendar-order set by PROPPATCH: kept; none (Xandikos answers 200 and keeps
     * nothing); or its-own (SOGo answers with the calendar's position among the user's calendars).
     */
    calendarOrder: 'kept' | 'none' | 'its-own';
    /** Whether supported-calendar-component-set is kept as given at MKCALENDAR. */
    keepsComponentSet: boolean;
    /** What the server stores of "SUMMARY:Lunch, then walk" (an unescaped comma): Radicale keeps "Lunch". */
    unescapedCommaSummary: string;
    /** Whether a PUT of an override without its master (RFC 4791 §4.1 allows it) is accepted. */
    acceptsOrphanOverride: boolean;
    /** RFC 6578 sync-collection. */
    syncCollection: boolean;
    /** Whether sync-collection answers carry the calendar-data asked for (Xandikos, DAViCal: a 404 propstat). */
    syncData: boolean;
    /**
     * The requests of a first fetch of a calendar and of an address book with members: one query, unless a
     * quirk asks for more (quirks.ts: empty-calendar-query, query-skips-unnamed).
     */
    firstFetch: { calendar: string[]; addressbook: string[] };
    /**
     * getctag and sync-token are the time of the last change in whole seconds (SOGo; quirk second-markers): a
     * sync in that second keeps no markers, so a quiet resync is only quiet once that second has passed.
     */
    secondMarkers: boolean;
    /**
     * Whether a calendar-query with a time-range leaves out a recurring series whose later instances (not its
     * first) fall in the range (Xandikos 0.2.8; quirk time-range-misses-recurrences).
     */
    timeRangeMissesRecurrences: boolean;
    /** Recognised as Radicale, whose time-range queries cost more than the whole calendar (quirk slow-time-range). */
    slowTimeRange: boolean;
    /** A sync-token of the server's own form that it never issued. */
    invalidToken: string;
    /**
     * Whether the server refuses that token (403 valid-sync-token, or Xandikos's 500). DAViCal and SOGo answer
     * it as the empty token, listing every member: a client then learns of no deletion since its token.
     */
    refusesInvalidToken: boolean;
    /**
     * How a vCard 4 group card (KIND:group with MEMBER) comes back: as written, or as Apple's
     * X-ADDRESSBOOKSERVER-KIND and -MEMBER (Cyrus serves every card as vCard 3.0 and converts it).
     */
    vcard4Groups: 'kind' | 'apple';
  };
  /** Check -> why Davlens fails it on this server today, naming the issue that fixes it. */
  knownFailures: Partial<Record<CheckId, string>>;
}

/** What a server does when it follows the RFCs and keeps what it is given. */
const PLAIN_SERVER: Configuration['server'] = {
  needsExtension: false,
  calendarOrder: 'kept',
  keepsComponentSet: true,
  unescapedCommaSummary: 'Lunch, then walk',
  acceptsOrphanOverride: true,
  syncCollection: true,
  syncData: true,
  firstFetch: { calendar: ['REPORT'], addressbook: ['REPORT'] },
  secondMarkers: false,
  timeRangeMissesRecurrences: false,
  slowTimeRange: false,
  invalidToken: 'data:,bogus',
  refusesInvalidToken: true,
  vcard4Groups: 'kind',
};

interface Entry {
  name: string;
  user: HarnessUser;
  email?: string;
  /** The TLS endpoint; paths below are on it. */
  endpoint: string;
  root?: string;
  /** As Davlens spells it, when that differs from the user's (Radicale writes "@" as %40). */
  principal?: string;
  calendarHome: string;
  addressbookHome: string;
  defaultCalendars?: string[];
  defaultAddressbooks?: string[];
  scheduling?: string[];
  seedOrigin?: string;
  digest?: boolean;
  server?: Partial<Configuration['server']>;
  knownFailures?: Configuration['knownFailures'];
}

/** An entry of the list: paths made absolute on its endpoint, everything not said as a plain server does it. */
function configuration(e: Entry): Configuration {
  const at = (path: string) => new URL(path, e.endpoint).href;
  return {
    name: e.name,
    email: e.email ?? e.user.email,
    user: e.user.username,
    password: e.user.password,
    root: e.root ?? e.endpoint,
    principal: at(e.principal ?? e.user.principal),
    calendarHome: at(e.calendarHome),
    addressbookHome: at(e.addressbookHome),
    defaultCalendars: (e.defaultCalendars ?? []).map(at),
    defaultAddressbooks: (e.defaultAddressbooks ?? []).map(at),
    scheduling: (e.scheduling ?? []).map(at),
    ...(e.seedOrigin ? { seedOrigin: e.seedOrigin } : {}),
    digest: e.digest ?? false,
    server: { ...PLAIN_SERVER, ...e.server },
    knownFailures: e.knownFailures ?? {},
  };
}

export function configurations(h: Harness): Configuration[] {
  const { alice, xandikos, dave, davical, cyrus, sogo } = h.users;
  const sabre = {
    user: dave,
    calendarHome: '/calendars/dave/',
    addressbookHome: '/addressbooks/dave/',
    defaultCalendars: ['/calendars/dave/default/'],
    defaultAddressbooks: ['/addressbooks/dave/default/'],
    server: { syncCollection: false, syncData: false },
  };
  return [
    configuration({
      name: 'Radicale',
      user: alice,
      endpoint: h.endpoints.radicaleTls,
      principal: '/alice%40example.test/',
      calendarHome: '/alice%40example.test/',
      addressbookHome: '/alice%40example.test/',
      server: { unescapedCommaSummary: 'Lunch', acceptsOrphanOverride: false, invalidToken: 'http://radicale.org/ns/sync/bogus', slowTimeRange: true },
    }),
    configuration({
      name: 'Xandikos',
      user: xandikos,
      endpoint: h.endpoints.xandikosTls,
      calendarHome: '/alice/calendars/',
      addressbookHome: '/alice/contacts/',
      defaultCalendars: ['/alice/calendars/calendar/'],
      defaultAddressbooks: ['/alice/contacts/addressbook/'],
      // Its reports listed without DAV:report wrappers: fetched by sync-collection (no data in it), then multiget.
      server: {
        needsExtension: true,
        timeRangeMissesRecurrences: true,
        calendarOrder: 'none',
        keepsComponentSet: false,
        syncData: false,
        invalidToken: 'bogus-token',
        firstFetch: { calendar: ['REPORT', 'REPORT'], addressbook: ['REPORT', 'REPORT'] },
      },
    }),
    // SabreDAV 1.8 without its scheduling plugin has no inbox or outbox.
    configuration({ name: 'SabreDAV Basic', email: 'dave@sabre.test', endpoint: h.endpoints.sabreBasicTls, ...sabre }),
    configuration({
      name: 'SabreDAV Digest',
      email: 'dave@digest.test',
      endpoint: h.endpoints.sabreDigestTls,
      digest: true,
      seedOrigin: new URL(h.endpoints.sabreBasicTls).origin,
      ...sabre,
    }),
    configuration({
      name: 'DAViCal',
      user: davical,
      endpoint: h.endpoints.davicalTls,
      calendarHome: davical.principal,
      addressbookHome: davical.principal,
      defaultCalendars: ['/caldav.php/alice/calendar/'],
      defaultAddressbooks: ['/caldav.php/alice/addresses/'],
      scheduling: ['/caldav.php/alice/.in/', '/caldav.php/alice/.out/'],
      server: { syncData: false, refusesInvalidToken: false },
    }),
    configuration({
      name: 'Cyrus',
      user: cyrus,
      endpoint: h.endpoints.cyrusTls,
      calendarHome: '/dav/calendars/user/alice/',
      addressbookHome: '/dav/addressbooks/user/alice/',
      defaultCalendars: ['/dav/calendars/user/alice/Default/'],
      defaultAddressbooks: ['/dav/addressbooks/user/alice/Default/'],
      scheduling: ['/dav/calendars/user/alice/Inbox/', '/dav/calendars/user/alice/Outbox/'],
      server: { vcard4Groups: 'apple' },
    }),
    configuration({
      name: 'SOGo',
      user: sogo,
      endpoint: h.endpoints.sogoTls,
      calendarHome: '/SOGo/dav/alice/Calendar/',
      addressbookHome: '/SOGo/dav/alice/Contacts/',
      defaultCalendars: ['/SOGo/dav/alice/Calendar/personal/'],
      defaultAddressbooks: ['/SOGo/dav/alice/Contacts/personal/'],
      // An empty calendar-query answer: checked by PROPFIND, then a multiget.
      server: {
        calendarOrder: 'its-own',
        keepsComponentSet: false,
        secondMarkers: true,
        invalidToken: 'bogus',
        refusesInvalidToken: false,
        firstFetch: { calendar: ['REPORT', 'PROPFIND', 'REPORT'], addressbook: ['REPORT'] },
      },
    }),
  ];
}
