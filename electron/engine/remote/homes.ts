// Calendars and address books: one PROPFIND Depth 1 on each home set, classified by resourcetype.
// Missing properties (404 propstats) are normal; a calendar without a displayname shows its last path segment.
import type { AddressBook, Calendar } from '../../../shared/models.ts';
import type { Requester } from '../net/session.ts';
import { propfindBody } from '../dav/bodies.ts';
import { okProp, type DavResponse } from '../dav/multistatus.ts';
import { davMultistatus, type ServerClock } from '../dav/request.ts';
import { NS, childOf, childrenOf, textOf } from '../dav/xml.ts';
import { recogniseProduct, type Product } from './quirks.ts';

const CALENDAR_PROPS = [
  'd:resourcetype',
  'd:displayname',
  'ca:calendar-color',
  'ca:calendar-order',
  'c:calendar-description',
  'c:supported-calendar-component-set',
  'd:current-user-privilege-set',
  'd:supported-report-set',
];
const ADDRESSBOOK_PROPS = ['d:resourcetype', 'd:displayname', 'card:addressbook-description', 'd:supported-report-set'];

// RFC 4791 §5.2.3: a calendar that does not say supports every component type.
const ALL_COMPONENTS = ['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VAVAILABILITY'];

function hasType(r: DavResponse, ns: string, local: string): boolean {
  return childOf(okProp(r, NS.DAV, 'resourcetype'), ns, local) !== null;
}

function lastSegment(url: string): string {
  const segs = new URL(url).pathname.split('/').filter(Boolean);
  const last = segs[segs.length - 1] ?? url;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** #RGB, #RRGGBB, #RRGGBBAA (Apple) -> #RRGGBB upper-case; anything else -> null. */
export function normaliseColor(raw: string): string | null {
  const v = raw.trim();
  let m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(v);
  if (m) return `#${m[1]!.toUpperCase()}`;
  m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(v);
  if (m) return `#${m[1]}${m[1]}${m[2]}${m[2]}${m[3]}${m[3]}`.toUpperCase();
  return null;
}

function textProp(r: DavResponse, ns: string, local: string): string | null {
  const p = okProp(r, ns, local);
  const t = p ? textOf(p) : '';
  return t === '' ? null : t;
}

const WRITE_PRIVILEGES = ['write', 'write-content', 'bind', 'all'];

function isReadOnly(r: DavResponse): boolean {
  const set = okProp(r, NS.DAV, 'current-user-privilege-set');
  if (!set) return false;
  const privs = childrenOf(set, NS.DAV, 'privilege').flatMap((p) => p.children.map((c) => (c.ns === NS.DAV ? c.local : '')));
  return !privs.some((p) => WRITE_PRIVILEGES.includes(p));
}

export function calendarFromResponse(r: DavResponse): Calendar | null {
  if (!hasType(r, NS.CALDAV, 'calendar')) return null;
  const compSet = okProp(r, NS.CALDAV, 'supported-calendar-component-set');
  const components = compSet
    ? childrenOf(compSet, NS.CALDAV, 'comp')
        .map((c) => (c.attrs.name ?? '').toUpperCase())
        .filter(Boolean)
    : ALL_COMPONENTS;
  const order = textProp(r, NS.APPLE, 'calendar-order');
  const color = textProp(r, NS.APPLE, 'calendar-color');
  return {
    url: r.url,
    displayName: textProp(r, NS.DAV, 'displayname') ?? lastSegment(r.url),
    color: color ? normaliseColor(color) : null,
    order: order !== null && Number.isFinite(Number(order)) ? Number(order) : null,
    components,
    ctag: textProp(r, NS.CS, 'getctag'),
    syncToken: textProp(r, NS.DAV, 'sync-token'),
    readOnly: isReadOnly(r),
    description: textProp(r, NS.CALDAV, 'calendar-description'),
  };
}

export function addressBookFromResponse(r: DavResponse): AddressBook | null {
  if (!hasType(r, NS.CARDDAV, 'addressbook')) return null;
  return {
    url: r.url,
    displayName: textProp(r, NS.DAV, 'displayname') ?? lastSegment(r.url),
    ctag: textProp(r, NS.CS, 'getctag'),
    syncToken: textProp(r, NS.DAV, 'sync-token'),
    description: textProp(r, NS.CARDDAV, 'addressbook-description'),
  };
}

/**
 * Whether the collection lists sync-collection in its supported-report-set; null when the server does not say.
 * RFC 3253 §3.1.5 wraps each report in DAV:report; quirk report-set-without-wrapper: Xandikos leaves it out.
 */
function supportsSyncCollection(r: DavResponse): boolean | null {
  const set = okProp(r, NS.DAV, 'supported-report-set');
  if (!set) return null;
  return childrenOf(set, NS.DAV, 'supported-report').some((s) => childOf(childOf(s, NS.DAV, 'report') ?? s, NS.DAV, 'sync-collection') !== null);
}

export interface HomeListing {
  calendars: Calendar[];
  addressbooks: AddressBook[];
  /** Per collection URL, the server product its entry shows, where a quirk needs it (quirks.ts). */
  products: Map<string, Product>;
  /** The server's clock at the listing (quirk second-markers), or null when it sent no Date. */
  clock: ServerClock | null;
  /** Members the server answered with an error (response status or a failed propstat): not known to be gone. */
  unsure: Set<string>;
  /** Per collection URL, whether it supports the sync-collection REPORT (absent: the server did not say). */
  syncCollection: Map<string, boolean>;
}

/**
 * The change markers a listing asks for. Both make some servers walk every item of every collection
 * (Radicale 3.1, 15,000 items: getctag 0.8 s, sync-token 1.2 s, both 2.0 s), so a sync asks only for those
 * it will compare (see sync.ts).
 */
export interface ListingMarkers {
  ctag: boolean;
  syncToken: boolean;
}

/** Where an account's collections are: its home sets, and the scheduling collections never to list. */
export interface Homes {
  calendarHomes: string[];
  addressbookHomes: string[];
  /** The principal's scheduling inbox and outbox (quirk scheduling-as-calendars: DAViCal declares them calendars). */
  scheduling: string[];
}

/**
 * Every calendar and address book under the home sets: one PROPFIND Depth 1 per distinct home URL (a home
 * that is both, as on Radicale, is asked once with both property sets). Duplicates appear once; calendars
 * are sorted by calendar-order (unordered last), then name; address books by name.
 */
export async function listHomes(via: Requester, { calendarHomes, addressbookHomes, scheduling }: Homes, markers: ListingMarkers): Promise<HomeListing> {
  const calendars = new Map<string, Calendar>();
  const addressbooks = new Map<string, AddressBook>();
  const syncCollection = new Map<string, boolean>();
  const products = new Map<string, Product>();
  const unsure = new Set<string>();
  let clock: ServerClock | null = null;
  const homes = [...new Set([...calendarHomes, ...addressbookHomes])];
  const markerProps = [...(markers.ctag ? ['cs:getctag'] : []), ...(markers.syncToken ? ['d:sync-token'] : [])];
  for (const home of homes) {
    const forCalendars = calendarHomes.includes(home);
    const forBooks = addressbookHomes.includes(home);
    const props = new Set([...(forCalendars ? CALENDAR_PROPS : []), ...(forBooks ? ADDRESSBOOK_PROPS : []), ...markerProps]);
    const ms = await davMultistatus(via, {
      method: 'PROPFIND',
      url: home,
      depth: '1',
      body: propfindBody([...props]),
      step: 'collections',
      what: 'the collections',
    });
    clock ??= ms.clock;
    for (const r of ms.responses) {
      const cal = forCalendars ? calendarFromResponse(r) : null;
      if (cal && !calendars.has(cal.url)) calendars.set(cal.url, cal);
      // Classify by resourcetype only (quirks components-on-address-books, export-entries-in-home).
      const book = forBooks ? addressBookFromResponse(r) : null;
      if (book && !addressbooks.has(book.url)) addressbooks.set(book.url, book);
      const sync = cal || book ? supportsSyncCollection(r) : null;
      if (sync !== null) syncCollection.set(r.url, sync);
      const product = cal || book ? recogniseProduct(r) : null;
      if (product !== null) products.set(r.url, product);
      if (!cal && !book && ((r.status ?? 0) >= 400 || r.propstats.some((ps) => ps.status >= 500))) unsure.add(r.url);
    }
  }
  // Quirk scheduling-as-calendars (DAViCal declares its inbox and outbox plain calendars): hidden, but only as a
  // pair, both listed as calendars. Quirk outbox-is-a-calendar: SOGo names its personal calendar as the outbox.
  const declared = [...new Set(scheduling)];
  if (declared.length >= 2 && declared.every((url) => calendars.has(url))) for (const url of declared) calendars.delete(url);
  return {
    calendars: [...calendars.values()].sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity) || a.displayName.localeCompare(b.displayName)),
    addressbooks: [...addressbooks.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)),
    products,
    clock,
    syncCollection,
    unsure,
  };
}
