// The columns the store keeps beside each item's raw data: what makes range queries, search and contact
// lists fast. Unparsable items keep their raw data (nothing is lost) with the reason.
import { parseCalendarResource, resourceSearchText, resourceSpan } from '../formats/ical/index.ts';
import type { RawItem } from '../../../shared/models.ts';
import { ownCopy } from '../../../shared/own-copy.ts';
import { SPAN_PADDING_MS, type ItemRow } from './store.ts';
import { parseContactResource } from '../formats/vcard/index.ts';

export function calendarItemRow(item: RawItem): ItemRow {
  const parsed = parseCalendarResource(item.href, item.data);
  const base = { href: item.href, etag: item.etag, data: item.data, contact: null };
  const span = parsed.resource ? resourceSpan(parsed.resource) : null;
  // Unreadable as a whole, or readable but with nothing left to show once its broken components are set aside:
  // either way the item is named (a range query would never meet it to report it).
  if (!parsed.resource || !span || (span.start === null && parsed.errors.length > 0)) {
    // Never listed in a range (see Store.itemsInRange), so never searched either.
    return { ...base, uid: null, spanStart: null, spanEnd: null, searchText: '', parseError: parsed.errors[0]?.message ?? 'unparsable' };
  }
  return {
    ...base,
    // Its own string: a slice of the parsed item would keep the item's text alive until the collection is stored.
    uid: span.uid === null ? null : ownCopy(span.uid),
    searchText: resourceSearchText(parsed.resource),
    spanStart: span.start === null ? null : span.start - SPAN_PADDING_MS,
    spanEnd: span.end === null ? null : span.end + SPAN_PADDING_MS,
    parseError: null,
  };
}

export function contactItemRow(item: RawItem, addressbook: string): ItemRow {
  const parsed = parseContactResource(item.href, item.data, addressbook);
  return {
    href: item.href,
    etag: item.etag,
    data: item.data,
    uid: parsed.contact?.uid ?? null,
    spanStart: null,
    spanEnd: null,
    searchText: '',
    contact: parsed.contact,
    parseError: parsed.contact ? null : (parsed.errors[0]?.message ?? 'unparsable'),
  };
}
