// What real servers do that the RFCs do not say, and how Davlens copes: one table, as data. The code that copes
// names its row (the trace explains each step with the row's words), products are recognised here, the README
// prints the table (test/unit/quirks.test.ts keeps the two equal), and each row names the check of the
// integration suite (test/integration/servers.test.ts) that shows it on the real server.
// Quirks are detected by behaviour wherever the behaviour can be seen in an answer Davlens gets anyway, by
// product only where it cannot; some need nothing but always doing the safe thing, some nothing at all.
import type { DavResponse } from '../dav/multistatus.ts';
import { NS, childrenOf } from '../dav/xml.ts';
import { okProp } from '../dav/multistatus.ts';

export type QuirkId =
  | 'unauthenticated-principal'
  | 'empty-calendar-query'
  | 'scheduling-as-calendars'
  | 'outbox-is-a-calendar'
  | 'second-markers'
  | 'label-line-breaks'
  | 'query-skips-unnamed'
  | 'time-range-misses-recurrences'
  | 'todo-time-range'
  | 'slow-time-range'
  | 'no-data-for-unnamed'
  | 'no-data-in-sync'
  | 'unknown-token-500'
  | 'unknown-token-as-empty'
  | 'report-set-without-wrapper'
  | 'dav-header-on-options-only'
  | 'components-on-address-books'
  | 'truncates-unescaped-comma'
  | 'refuses-orphan-override'
  | 'no-calendar-order'
  | 'own-calendar-order'
  | 'needs-xml-content-type'
  | 'export-entries-in-home'
  | 'vcard4-as-3'
  | 'lower-case-auth-scheme'
  | 'no-sync-collection';

/** Servers recognised by product, for the quirks that cannot be seen in an answer. */
export type Product = 'xandikos' | 'radicale';

export interface Quirk {
  id: QuirkId;
  /** Server and version the quirk was seen with. */
  server: string;
  symptom: string;
  coping: string;
  /**
   * behaviour: seen in an answer Davlens gets anyway; product: the server is recognised (see recogniseProduct);
   * always: the safe way is taken with every server; none: nothing for a viewer to do.
   */
  detection: 'behaviour' | 'product' | 'always' | 'none';
  product?: Product;
  /** The check of the integration suite that shows it: configuration name and check id (configurations.ts). */
  test: { server: string; check: string };
}

export const QUIRKS: readonly Quirk[] = [
  {
    id: 'unauthenticated-principal',
    server: 'Cyrus IMAP 3.6',
    detection: 'behaviour',
    symptom: 'An unauthenticated PROPFIND of / answers 207 with a DAV:unauthenticated current-user-principal (RFC 5397 §3) instead of asking for a login.',
    coping: 'Logs in without waiting for a challenge (Basic, to a trusted host, over https unless plain http was allowed) and asks again.',
    test: { server: 'Cyrus', check: 'discover-root' },
  },
  {
    id: 'empty-calendar-query',
    server: 'SOGo 5.8',
    detection: 'behaviour',
    symptom: 'A calendar-query whose filter is only <comp-filter name="VCALENDAR"/> (RFC 4791 §7.8.1\'s own example) answers an empty multistatus.',
    coping: "An empty query answer is checked against the collection's members (PROPFIND Depth 1); members found are fetched by multiget.",
    test: { server: 'SOGo', check: 'initial-sync' },
  },
  {
    id: 'scheduling-as-calendars',
    server: 'DAViCal 1.1',
    detection: 'behaviour',
    symptom: 'With scheduling off (its default) the scheduling inbox .in/ and outbox .out/ are declared plain calendars.',
    coping:
      "Discovery asks for the principal's schedule-inbox-URL and schedule-outbox-URL (RFC 6638) in the home-set PROPFIND it sends anyway, keeps them with the account, and never lists those collections.",
    test: { server: 'DAViCal', check: 'collections' },
  },
  {
    id: 'outbox-is-a-calendar',
    server: 'SOGo 5.8',
    detection: 'behaviour',
    symptom: 'schedule-outbox-URL names the personal calendar, and the inbox it names is not a listed collection.',
    coping: 'The scheduling inbox and outbox are hidden only as a pair that is listed as two calendars; a calendar that is one of them alone stays.',
    test: { server: 'SOGo', check: 'collections' },
  },
  {
    id: 'second-markers',
    server: 'SOGo 5.8',
    detection: 'behaviour',
    symptom:
      'getctag and sync-token are the time of the last change in whole seconds: a change later in that second leaves both as they were, and a sync-collection from that token never returns it.',
    coping:
      "A marker that reads as the server's clock at the sync (its Date header, from a second before on) is not kept: the next sync compares every ETag instead.",
    test: { server: 'SOGo', check: 'changes-resync' },
  },
  {
    id: 'label-line-breaks',
    server: 'DAViCal 1.1',
    detection: 'behaviour',
    symptom:
      "Stored vCards are rewritten: a LABEL parameter's \\n becomes raw line breaks inside its quotes, and ; and , inside URI values are backslash-escaped.",
    coping: 'A line that ends inside a quoted parameter value goes on in the next one (the break read as \\n); backslash escapes are taken out of URI values.',
    test: { server: 'DAViCal', check: 'vcard-fixtures' },
  },
  {
    id: 'query-skips-unnamed',
    server: 'Xandikos 0.2.8',
    detection: 'product',
    product: 'xandikos',
    symptom: "A calendar-query leaves out every member whose name does not end in .ics (it infers an item's type from its name).",
    coping:
      "Recognised by its supported-report-set, which leaves out RFC 3253's DAV:report wrappers: a new collection there is fetched by sync-collection, which lists every member.",
    test: { server: 'Xandikos', check: 'extensionless-name' },
  },
  {
    id: 'time-range-misses-recurrences',
    server: 'Xandikos 0.2.8',
    detection: 'product',
    product: 'xandikos',
    symptom: 'A calendar-query with a time-range leaves out a recurring series whose later instances fall in the range.',
    coping:
      'A window (the first view of a new account, before its full sync) fetches such a calendar whole, by sync-collection, and expands it: the CLI every such calendar, the app the first (the others show as its first sync stores them).',
    test: { server: 'Xandikos', check: 'window-first' },
  },
  {
    id: 'todo-time-range',
    server: 'DAViCal 1.1',
    detection: 'always',
    symptom: 'A calendar-query with a VTODO time-range leaves out a to-do that has a DUE but no DTSTART (RFC 4791 §9.9 includes it).',
    coping: 'The first view of a new account asks for every to-do (a VTODO comp-filter without time-range) and keeps those in the window itself.',
    test: { server: 'DAViCal', check: 'window-first' },
  },
  {
    id: 'slow-time-range',
    server: 'Radicale 3.1',
    detection: 'product',
    product: 'radicale',
    symptom:
      'A calendar-query with a time-range tests every open-ended recurring series against the range at each query: a month of a 3,334-event calendar (bench:sync seed, a fifth recurring) takes 1.5-2.2 s, the whole calendar 0.3-0.4 s.',
    coping:
      'A window asks such a calendar for all its items and expands them: the CLI every such calendar; the app the first, so the month shows at once (the others show as its first sync stores them).',
    test: { server: 'Radicale', check: 'window-first' },
  },
  {
    id: 'no-data-for-unnamed',
    server: 'Xandikos 0.2.8',
    detection: 'behaviour',
    symptom: 'A multiget answers a member whose name does not end in .ics or .vcf with its ETag but no data (a 404 propstat); GET serves it.',
    coping: 'A member a multiget answers without data is fetched by GET.',
    test: { server: 'Xandikos', check: 'extensionless-name' },
  },
  {
    id: 'no-data-in-sync',
    server: 'Xandikos 0.2.8, DAViCal 1.1',
    detection: 'behaviour',
    symptom: 'sync-collection answers give the calendar-data or address-data asked for as a 404 propstat.',
    coping: 'The members a sync answer lists without data are fetched by multiget.',
    test: { server: 'DAViCal', check: 'one-change-resync' },
  },
  {
    id: 'unknown-token-500',
    server: 'Xandikos 0.2.8',
    detection: 'behaviour',
    symptom: 'A sync-token it did not issue is answered with 500, not 403 DAV:valid-sync-token (RFC 6578 §3.2).',
    coping: "A 500 to a non-empty token counts as a refused token: every member's ETag is compared instead.",
    test: { server: 'Xandikos', check: 'invalid-token' },
  },
  {
    id: 'unknown-token-as-empty',
    server: 'DAViCal 1.1, SOGo 5.8',
    detection: 'none',
    symptom: 'A sync-token the server did not issue is answered as the empty token: every member, and no deletion.',
    coping:
      'Not detectable in the answer, and not needed in use: Davlens sends only tokens the server gave it. A server that forgot them (restored from a backup) would hide deletions until the collection is fetched whole.',
    test: { server: 'SOGo', check: 'invalid-token' },
  },
  {
    id: 'report-set-without-wrapper',
    server: 'Xandikos 0.2.8',
    detection: 'behaviour',
    symptom: "supported-report-set lists each report directly in DAV:supported-report, without RFC 3253 §3.1.5's DAV:report.",
    coping: 'Both forms are read.',
    test: { server: 'Xandikos', check: 'one-change-resync' },
  },
  {
    id: 'dav-header-on-options-only',
    server: 'Radicale 3.1',
    detection: 'behaviour',
    symptom: 'The DAV header naming calendar-access and addressbook comes only with answers to OPTIONS.',
    coping: 'Discovery asks OPTIONS on the principal when no answer so far named the capability.',
    test: { server: 'Radicale', check: 'discover-dns' },
  },
  {
    id: 'components-on-address-books',
    server: 'Radicale 3.1',
    detection: 'always',
    symptom: 'Address books report a supported-calendar-component-set too.',
    coping: 'Collections are classified by resourcetype alone.',
    test: { server: 'Radicale', check: 'collections' },
  },
  {
    id: 'truncates-unescaped-comma',
    server: 'Radicale 3.1',
    detection: 'none',
    symptom: 'A PUT of "SUMMARY:Lunch, then walk" (an unescaped comma) is stored as "SUMMARY:Lunch".',
    coping: 'Nothing for a viewer to do: Davlens shows what the server keeps, and reads an unescaped comma whole where a server keeps it.',
    test: { server: 'Radicale', check: 'comma-and-orphan' },
  },
  {
    id: 'refuses-orphan-override',
    server: 'Radicale 3.1',
    detection: 'none',
    symptom: 'A PUT of an override without its master (an invitation to one occurrence; RFC 4791 §4.1 allows it) is refused with 400.',
    coping: 'Nothing for a viewer to do; where a server keeps one, Davlens shows the lone occurrence.',
    test: { server: 'Radicale', check: 'comma-and-orphan' },
  },
  {
    id: 'no-calendar-order',
    server: 'Xandikos 0.2.8',
    detection: 'none',
    symptom: 'A PROPPATCH of calendar-order answers 200, and nothing is kept.',
    coping: 'Calendars without an order are listed after ordered ones, by name.',
    test: { server: 'Xandikos', check: 'collections' },
  },
  {
    id: 'own-calendar-order',
    server: 'SOGo 5.8',
    detection: 'none',
    symptom: "calendar-order is the calendar's position among the user's calendars, whatever was set.",
    coping: "Calendars are listed in that order, as SOGo's own interface shows them.",
    test: { server: 'SOGo', check: 'collections' },
  },
  {
    id: 'needs-xml-content-type',
    server: 'Xandikos 0.2.8, Cyrus IMAP 3.6',
    detection: 'always',
    symptom: 'PROPFIND and REPORT bodies without Content-Type: application/xml are refused with 415.',
    coping: 'Every body is sent with that Content-Type.',
    test: { server: 'Cyrus', check: 'initial-sync' },
  },
  {
    id: 'export-entries-in-home',
    server: 'SOGo 5.8',
    detection: 'always',
    symptom: 'Each calendar is listed in the home with NAME.ics and NAME.xml entries beside it.',
    coping: 'Only members whose resourcetype says calendar or address book are collections.',
    test: { server: 'SOGo', check: 'collections' },
  },
  {
    id: 'vcard4-as-3',
    server: 'Cyrus IMAP 3.6',
    detection: 'always',
    symptom: 'vCard 4.0 is stored and served as vCard 3.0 (TYPE=voice;TYPE=home).',
    coping: 'Both versions are read into the same fields.',
    test: { server: 'Cyrus', check: 'vcards' },
  },
  {
    id: 'lower-case-auth-scheme',
    server: 'SOGo 5.8',
    detection: 'always',
    symptom: 'The login challenge is written in lower case: WWW-Authenticate: basic realm="SOGo".',
    coping: 'Scheme names are compared without regard to case (RFC 9110 §11.1).',
    test: { server: 'SOGo', check: 'discover-dns' },
  },
  {
    id: 'no-sync-collection',
    server: 'SabreDAV 1.8',
    detection: 'behaviour',
    symptom: 'No sync-collection REPORT (RFC 6578): refused with 403.',
    coping: "A changed collection's members are compared by ETag (PROPFIND Depth 1) and only what changed is fetched by multiget.",
    test: { server: 'SabreDAV Basic', check: 'changes-resync' },
  },
];

export function quirk(id: QuirkId): Quirk {
  const q = QUIRKS.find((x) => x.id === id);
  if (!q) throw new Error(`no quirk ${id}`);
  return q;
}

/** The trace's words for a quirk met at `url`: what the server did and what Davlens does about it. */
export function quirkNote(id: QuirkId, url: string): string {
  const q = quirk(id);
  return `${url}: ${q.symptom} (${q.server}, quirk ${q.id}) ${q.coping}`;
}

/** Radicale 3's reports for a calendar, exactly (no free-busy-query, which every other server seen lists). */
const RADICALE_REPORTS = [
  'calendar-multiget',
  'calendar-query',
  'expand-property',
  'principal-property-search',
  'principal-search-property-set',
  'sync-collection',
];

/**
 * The product a collection's listing entry shows, where a quirk needs it: Xandikos 0.2.8 lists its reports
 * without RFC 3253's DAV:report wrappers, which no other server seen does; Radicale 3 a calendar's reports as
 * exactly RADICALE_REPORTS.
 */
export function recogniseProduct(r: DavResponse): Product | null {
  const set = okProp(r, NS.DAV, 'supported-report-set');
  const reports = set ? childrenOf(set, NS.DAV, 'supported-report') : [];
  if (reports.length === 0) return null;
  if (reports.every((s) => !s.children.some((c) => c.ns === NS.DAV && c.local === 'report'))) return 'xandikos';
  const names = reports.flatMap((s) => childrenOf(s, NS.DAV, 'report').flatMap((w) => w.children.map((c) => c.local))).sort();
  return names.join() === RADICALE_REPORTS.join() ? 'radicale' : null;
}

/** Whether a product-detected quirk applies to a collection of this product. */
export function productHas(product: Product | null, id: QuirkId): boolean {
  const q = quirk(id);
  return product !== null && q.detection === 'product' && q.product === product;
}

/** The table as the README prints it. */
export function quirksMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = QUIRKS.map(
    (q) => `| ${cell(q.server)} | ${cell(q.symptom)} | ${cell(q.coping)} | ${q.detection} | \`${q.id}\` | ${q.test.server}: ${q.test.check} |`,
  );
  return ['| Server | What it does | How Davlens copes | Detected by | Quirk | Shown by |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
