// The columns the store keeps beside each item's raw data: what makes range queries, search and contact
// lists fast. Unparsable items keep their raw data (nothing is lost) with the reason.
import { parseCalendarResource, resourceSpan } from './ical/index.ts';
import type { RawItem } from './items.ts';
import { SPAN_PADDING_MS, type ItemRow } from './store/store.ts';
import { parseContactResource } from './vcard/index.ts';

export function calendarItemRow(item: RawItem): ItemRow {
  const parsed = parseCalendarResource(item.href, item.data);
  const base = { href: item.href, etag: item.etag, data: item.data, contact: null, searchText: calendarSearchText(item.data) };
  if (!parsed.resource) {
    return { ...base, uid: null, spanStart: null, spanEnd: null, parseError: parsed.errors[0]?.message ?? 'unparsable' };
  }
  const span = resourceSpan(parsed.resource);
  return {
    ...base,
    uid: span.uid,
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

/** Lower-case SUMMARY, LOCATION and DESCRIPTION values (unfolded, unescaped) for substring search. */
function calendarSearchText(ics: string): string {
  const unfolded = ics.replace(/\r?\n[ \t]/g, '');
  const out: string[] = [];
  for (const line of unfolded.split(/\r?\n/)) {
    const m = /^(SUMMARY|LOCATION|DESCRIPTION)(;[^:]*)?:(.*)$/i.exec(line);
    if (m) out.push(m[3]!.replace(/\\n/gi, ' ').replace(/\\([,;\\])/g, '$1'));
  }
  return out.join('\n').toLowerCase();
}
