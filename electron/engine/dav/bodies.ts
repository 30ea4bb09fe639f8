// Every request body Davlens sends, built here: PROPFIND, the calendar/addressbook queries and multigets
// (RFC 4791 §7.8-7.9, RFC 6352 §8.6-8.7), and sync-collection (RFC 6578 §3.2). Properties are written as
// prefixed names (d:, c:, card:, cs:, ca:), all declared on the root.
import type { CollectionKind } from '../../../shared/models.ts';
import { NS, escapeXml } from './xml.ts';

const XMLNS = `xmlns:d="${NS.DAV}" xmlns:c="${NS.CALDAV}" xmlns:card="${NS.CARDDAV}" xmlns:cs="${NS.CS}" xmlns:ca="${NS.APPLE}"`;

function xmlBody(rootWithPrefix: string, inner: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<${rootWithPrefix} ${XMLNS}>${inner}</${rootWithPrefix}>`;
}

/** A PROPFIND body asking for the given properties. */
export function propfindBody(props: string[]): string {
  return xmlBody('d:propfind', `<d:prop>${props.map((p) => `<${p}/>`).join('')}</d:prop>`);
}

/** The property that holds an item's text, by collection kind. */
export const ITEM_DATA = {
  calendar: { ns: NS.CALDAV, local: 'calendar-data', prop: '<c:calendar-data/>', query: 'c:calendar-query', multiget: 'c:calendar-multiget' },
  addressbook: { ns: NS.CARDDAV, local: 'address-data', prop: '<card:address-data/>', query: 'card:addressbook-query', multiget: 'card:addressbook-multiget' },
} as const;

const withData = (kind: CollectionKind) => `<d:prop><d:getetag/>${ITEM_DATA[kind].prop}</d:prop>`;

/** Every item with its data: a calendar's VCALENDAR filter (RFC 4791 requires one), an address book's none. */
export function queryBody(kind: CollectionKind): string {
  const filter = kind === 'calendar' ? '<c:filter><c:comp-filter name="VCALENDAR"/></c:filter>' : '';
  return xmlBody(ITEM_DATA[kind].query, withData(kind) + filter);
}

/** iCalendar UTC date-time (RFC 5545 §3.3.5 form 2), as CalDAV's time-range wants it (RFC 4791 §9.9). */
function utcStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * The items with a component of this type that overlaps [start, end) (RFC 4791 §7.8.1, §9.9), or every item with
 * one when no range is given. The component's own comp-filter is also what SOGo needs to answer at all (quirk
 * empty-calendar-query).
 */
export function componentQueryBody(component: 'VEVENT' | 'VTODO', range: { start: Date; end: Date } | null): string {
  const within = range ? `<c:time-range start="${utcStamp(range.start)}" end="${utcStamp(range.end)}"/>` : '';
  const filter = `<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="${component}">${within}</c:comp-filter></c:comp-filter></c:filter>`;
  return xmlBody(ITEM_DATA.calendar.query, withData('calendar') + filter);
}

/** The named members (absolute URLs, sent as paths) with their data. */
export function multigetBody(kind: CollectionKind, hrefs: string[]): string {
  return xmlBody(ITEM_DATA[kind].multiget, withData(kind) + hrefs.map((h) => `<d:href>${escapeXml(new URL(h).pathname)}</d:href>`).join(''));
}

/** Changes since `token` ('' for every member), sync-level 1, with the items' data or only their ETags. */
export function syncCollectionBody(kind: CollectionKind, token: string, data: boolean): string {
  const prop = data ? withData(kind) : '<d:prop><d:getetag/></d:prop>';
  return xmlBody('d:sync-collection', `<d:sync-token>${escapeXml(token)}</d:sync-token><d:sync-level>1</d:sync-level>${prop}`);
}
