// The one list of server configurations the integration suite (test/integration/servers.test.ts) runs
// against: adding a server is one entry here (and its start-up in servers.ts). Each entry says how a person
// reaches the server, where its collections live, what the server itself does to what it is given (facts
// about the server, not about Davlens), and which checks Davlens is known to fail there today.
import type { Harness } from './servers.ts';

/** The checks of the suite, by name: a known failure names one of them. */
export type CheckId =
  | 'discover-root'
  | 'discover-dns'
  | 'collections'
  | 'recurrence'
  | 'extensionless-name'
  | 'comma-and-orphan'
  | 'vcards'
  | 'vcard-fixtures'
  | 'export-ics'
  | 'export-vcf'
  | 'initial-sync'
  | 'changes-resync'
  | 'quiet-resync'
  | 'one-change-resync'
  | 'invalid-token'
  | 'collection-deleted'
  | 'cli-one-login'
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
    /** A sync-token of the server's own form that it never issued. */
    invalidToken: string;
    /**
     * Whether the server refuses that token (403 valid-sync-token, or Xandikos's 500). DAViCal and SOGo answer
     * it as the empty token, listing every member: a client then learns of no deletion since its token.
     */
    refusesInvalidToken: boolean;
  };
  /** Check -> why Davlens fails it on this server today, naming the issue that fixes it. */
  knownFailures: Partial<Record<CheckId, string>>;
}

const ISSUE_12_CYRUS = 'issue 12 (Cyrus): an unauthenticated PROPFIND / answers <unauthenticated/> instead of 401';
const ISSUE_12_SOGO = 'issue 12 (SOGo): a calendar-query filtering on VCALENDAR alone answers an empty multistatus';
const ISSUE_12_DAVICAL = 'issue 12 (DAViCal): the scheduling inbox and outbox are declared plain calendars';
const ISSUE_12_XANDIKOS_NAMES = 'issue 12 (quirks, Xandikos): no calendar data for a name without .ics, and the item is dropped unseen';
const ISSUE_12_DAVICAL_CARDS = 'issue 12 (quirks, DAViCal): a LABEL with line breaks is stored with raw line breaks inside its quotes, so the card cannot be read';

export function configurations(h: Harness): Configuration[] {
  const { alice, xandikos, dave, davical, cyrus, sogo } = h.users;
  const abs = (endpoint: string, path: string) => new URL(path, endpoint).href;
  const radicaleHome = abs(h.endpoints.radicaleTls, '/alice%40example.test/');
  const plainServer = {
    needsExtension: false,
    calendarOrder: 'kept' as const,
    keepsComponentSet: true,
    unescapedCommaSummary: 'Lunch, then walk',
    acceptsOrphanOverride: true,
    syncCollection: true,
    syncData: true,
    invalidToken: 'data:,bogus',
    refusesInvalidToken: true,
  };
  const sabre = (name: string, email: string, endpoint: string, digest: boolean): Configuration => ({
    name,
    email,
    user: dave.username,
    password: dave.password,
    root: endpoint,
    principal: abs(endpoint, dave.principal),
    calendarHome: abs(endpoint, '/calendars/dave/'),
    addressbookHome: abs(endpoint, '/addressbooks/dave/'),
    defaultCalendars: [abs(endpoint, '/calendars/dave/default/')],
    defaultAddressbooks: [abs(endpoint, '/addressbooks/dave/default/')],
    // SabreDAV 1.8 without its scheduling plugin has none.
    scheduling: [],
    digest,
    server: { ...plainServer, syncCollection: false, syncData: false },
    knownFailures: {},
  });
  return [
    {
      name: 'Radicale',
      email: alice.email,
      user: alice.username,
      password: alice.password,
      root: h.endpoints.radicaleTls,
      principal: radicaleHome,
      calendarHome: radicaleHome,
      addressbookHome: radicaleHome,
      defaultCalendars: [],
      defaultAddressbooks: [],
      scheduling: [],
      digest: false,
      server: { ...plainServer, unescapedCommaSummary: 'Lunch', acceptsOrphanOverride: false, invalidToken: 'http://radicale.org/ns/sync/bogus' },
      knownFailures: {},
    },
    {
      name: 'Xandikos',
      email: xandikos.email,
      user: xandikos.username,
      password: xandikos.password,
      root: h.endpoints.xandikosTls,
      principal: abs(h.endpoints.xandikosTls, '/alice/'),
      calendarHome: abs(h.endpoints.xandikosTls, '/alice/calendars/'),
      addressbookHome: abs(h.endpoints.xandikosTls, '/alice/contacts/'),
      defaultCalendars: [abs(h.endpoints.xandikosTls, '/alice/calendars/calendar/')],
      defaultAddressbooks: [abs(h.endpoints.xandikosTls, '/alice/contacts/addressbook/')],
      scheduling: [],
      digest: false,
      server: { ...plainServer, needsExtension: true, calendarOrder: 'none', keepsComponentSet: false, syncData: false, invalidToken: 'bogus-token' },
      knownFailures: { 'extensionless-name': ISSUE_12_XANDIKOS_NAMES, 'export-ics': ISSUE_12_XANDIKOS_NAMES },
    },
    sabre('SabreDAV Basic', 'dave@sabre.test', h.endpoints.sabreBasicTls, false),
    { ...sabre('SabreDAV Digest', 'dave@digest.test', h.endpoints.sabreDigestTls, true), seedOrigin: new URL(h.endpoints.sabreBasicTls).origin },
    {
      name: 'DAViCal',
      email: davical.email,
      user: davical.username,
      password: davical.password,
      root: h.endpoints.davicalTls,
      principal: abs(h.endpoints.davicalTls, davical.principal),
      calendarHome: abs(h.endpoints.davicalTls, davical.principal),
      addressbookHome: abs(h.endpoints.davicalTls, davical.principal),
      defaultCalendars: [abs(h.endpoints.davicalTls, '/caldav.php/alice/calendar/')],
      defaultAddressbooks: [abs(h.endpoints.davicalTls, '/caldav.php/alice/addresses/')],
      scheduling: [abs(h.endpoints.davicalTls, '/caldav.php/alice/.in/'), abs(h.endpoints.davicalTls, '/caldav.php/alice/.out/')],
      digest: false,
      server: { ...plainServer, syncData: false, refusesInvalidToken: false },
      knownFailures: { collections: ISSUE_12_DAVICAL, 'vcard-fixtures': ISSUE_12_DAVICAL_CARDS, 'export-vcf': ISSUE_12_DAVICAL_CARDS },
    },
    {
      name: 'Cyrus',
      email: cyrus.email,
      user: cyrus.username,
      password: cyrus.password,
      root: h.endpoints.cyrusTls,
      principal: abs(h.endpoints.cyrusTls, cyrus.principal),
      calendarHome: abs(h.endpoints.cyrusTls, '/dav/calendars/user/alice/'),
      addressbookHome: abs(h.endpoints.cyrusTls, '/dav/addressbooks/user/alice/'),
      defaultCalendars: [abs(h.endpoints.cyrusTls, '/dav/calendars/user/alice/Default/')],
      defaultAddressbooks: [abs(h.endpoints.cyrusTls, '/dav/addressbooks/user/alice/Default/')],
      scheduling: [abs(h.endpoints.cyrusTls, '/dav/calendars/user/alice/Inbox/'), abs(h.endpoints.cyrusTls, '/dav/calendars/user/alice/Outbox/')],
      digest: false,
      server: plainServer,
      knownFailures: { 'discover-root': ISSUE_12_CYRUS },
    },
    {
      name: 'SOGo',
      email: sogo.email,
      user: sogo.username,
      password: sogo.password,
      root: h.endpoints.sogoTls,
      principal: abs(h.endpoints.sogoTls, sogo.principal),
      calendarHome: abs(h.endpoints.sogoTls, '/SOGo/dav/alice/Calendar/'),
      addressbookHome: abs(h.endpoints.sogoTls, '/SOGo/dav/alice/Contacts/'),
      defaultCalendars: [abs(h.endpoints.sogoTls, '/SOGo/dav/alice/Calendar/personal/')],
      defaultAddressbooks: [abs(h.endpoints.sogoTls, '/SOGo/dav/alice/Contacts/personal/')],
      scheduling: [],
      digest: false,
      server: { ...plainServer, calendarOrder: 'its-own', keepsComponentSet: false, invalidToken: 'bogus', refusesInvalidToken: false },
      knownFailures: {
        recurrence: ISSUE_12_SOGO,
        'extensionless-name': ISSUE_12_SOGO,
        'comma-and-orphan': ISSUE_12_SOGO,
        'export-ics': ISSUE_12_SOGO,
        'initial-sync': ISSUE_12_SOGO,
        'changes-resync': ISSUE_12_SOGO,
        'one-change-resync': ISSUE_12_SOGO,
        'invalid-token': ISSUE_12_SOGO,
        'collection-deleted': ISSUE_12_SOGO,
      },
    },
  ];
}
