// Fetching every item of a collection in as few requests as the server allows:
//   1. one calendar-query / addressbook-query returning the data (Radicale, Xandikos, SabreDAV all do);
//   2. where a server answers the query with hrefs but no data: multiget those hrefs in batches;
//   3. where REPORT is refused, or the query answered nothing for a collection that has members: PROPFIND
//      Depth 1 for the ETags, then multiget, then GET one by one;
//   4. a member a multiget answers with its ETag but without data: GET.
// Hrefs are never filtered by extension (servers name objects however they like).
import type { DavlensError, Step } from '../../../shared/errors.ts';
import { DavlensFailure, davlensError } from '../../../shared/errors.ts';
import type { CollectionKind, RawItem } from '../../../shared/models.ts';
import type { HttpResponse } from '../net/http.ts';
import type { Requester } from '../net/session.ts';
import { ITEM_DATA, multigetBody, propfindBody, queryBody } from '../dav/bodies.ts';
import { isMemberItem, isTruncation, okProp, samePath, type DavResponse } from '../dav/multistatus.ts';
import { davMultistatus, davRequest } from '../dav/request.ts';
import { NS, sharedTextOf, textOf, type XmlElement } from '../dav/xml.ts';
import { quirkNote } from './quirks.ts';

// 200 hrefs per multiget (npm run bench:sync, one 3,333-event calendar on Radicale, medians): the multiget
// part took 1.14/1.00 s in batches of 50, 0.69/0.64 s in batches of 200 and 0.55/0.64 s in batches of 1000;
// 200 is within noise of 1000 while keeping each answer a few MB. The one-query path (0.39/0.44 s in all)
// beats PROPFIND + multiget (3.6-4.3 s, most of it Radicale's ETag PROPFIND), so it is tried first.
export const MULTIGET_BATCH = 200;

/** Statuses by which a server says it does not do a REPORT (or its body), as opposed to failing at it. */
export const REFUSED = new Set([400, 403, 405, 415, 422, 501]);
const refused = (res: HttpResponse) => REFUSED.has(res.status);

export interface FetchResult {
  items: RawItem[];
  errors: DavlensError[];
  /** How the items were fetched, for the trace and the benchmark. */
  method: 'query' | 'query+multiget' | 'propfind+multiget' | 'propfind+get';
}

/**
 * calendar-data / address-data as the item is served by GET: XML parsing turned its CRLFs into LFs (a CR survives
 * only written as &#13;) and a pretty-printing server may indent it, so trim and put the CRLF line ends back
 * (RFC 5545 §3.1, RFC 6350 §3.2), with one after the last line.
 */
function itemData(el: XmlElement): string {
  const text = sharedTextOf(el);
  if (text === '') return '';
  const data = `${text.includes('\r') ? text.replace(/\r?\n/g, '\r\n') : text.replaceAll('\n', '\r\n')}\r\n`;
  // V8 answers a replace with a rope of one piece per line, which lived on until its first read flattened it, after
  // the whole collection was read, in old space (bench:sync's 15,000 items: ~200 ms). One read now makes it flat
  // while it is young; cheaper than splitting into lines and joining them (10,000 events: 23 -> 14 ms).
  data.charCodeAt(0);
  return data;
}

export function itemFrom(r: DavResponse, kind: CollectionKind): RawItem | null {
  const data = okProp(r, ITEM_DATA[kind].ns, ITEM_DATA[kind].local);
  if (!data) return null;
  const etag = okProp(r, NS.DAV, 'getetag');
  return { href: r.url, etag: etag ? textOf(etag) : null, data: itemData(data) };
}

/** What one calendar-query or addressbook-query answered. */
export interface QueryAnswer {
  /** Members answered with their data. */
  items: RawItem[];
  /** Members answered without data (hrefs only). */
  missing: string[];
  /** The status by which the server refused the REPORT (REFUSED), or null. */
  refused: number | null;
  /** A 507 on the collection: the answer is not the whole (RFC 4918 §11.5). */
  truncated: boolean;
}

/** One query REPORT (`body`: queryBody, componentQueryBody) of the collection, read member by member. */
export async function queryMembers(via: Requester, collectionUrl: string, kind: CollectionKind, body: string, what: string): Promise<QueryAnswer> {
  const items: RawItem[] = [];
  const missing: string[] = [];
  let truncated = false;
  const answer = await davRequest(via, { method: 'REPORT', url: collectionUrl, depth: '1', body, step: 'items', what, handles: refused }, (r) => {
    truncated ||= isTruncation(r, collectionUrl);
    if (samePath(r.url, collectionUrl) || (r.status !== null && r.status >= 400)) return;
    const item = itemFrom(r, kind);
    if (item) items.push(item);
    else missing.push(r.url);
  });
  return { items, missing, refused: answer.handled?.status ?? null, truncated };
}

export async function fetchAllItems(via: Requester, collectionUrl: string, kind: CollectionKind): Promise<FetchResult> {
  const { items, missing, refused: refusedWith, truncated } = await queryMembers(via, collectionUrl, kind, queryBody(kind), `the items of ${collectionUrl}`);
  if (refusedWith !== null) {
    via.trace.note(
      'items',
      null,
      `${collectionUrl} refused the ${ITEM_DATA[kind].query.split(':')[1]} REPORT (${refusedWith}): listing ETags with PROPFIND instead.`,
    );
    return fetchViaPropfind(via, collectionUrl, kind);
  }
  if (truncated) {
    // RFC 6352 §8.6.2 (and 4791 alike): a server may cap a query's results and say so with a 507 on the
    // request URI. Taken as complete, the members it left out would never show (their ctag is stored).
    via.trace.note('items', null, `${collectionUrl} truncated its query answer (507): listing ETags with PROPFIND and fetching by multiget instead.`);
    return fetchViaPropfind(via, collectionUrl, kind);
  }
  if (items.length === 0 && missing.length === 0) {
    // An empty answer is believed only when the collection has no members (quirk empty-calendar-query: SOGo).
    const members = [...(await memberEtags(via, collectionUrl, 'items')).keys()];
    if (members.length === 0) return { items, errors: [], method: 'query' };
    via.trace.note('items', null, quirkNote('empty-calendar-query', collectionUrl));
    return fetchMembers(via, collectionUrl, kind, members);
  }
  if (missing.length === 0) return { items, errors: [], method: 'query' };
  const more = await multiget(via, collectionUrl, kind, missing);
  return { items: [...items, ...more.items], errors: more.errors, method: 'query+multiget' };
}

/** Every member item's ETag (null where the server gives none), by PROPFIND Depth 1. */
export async function memberEtags(via: Requester, collectionUrl: string, step: Step): Promise<Map<string, string | null>> {
  const body = propfindBody(['d:getetag', 'd:resourcetype']);
  const ms = await davMultistatus(via, { method: 'PROPFIND', url: collectionUrl, depth: '1', body, step, what: `the members of ${collectionUrl}` });
  // A member list cut short (507 on the collection itself) would pass its missing members for deleted.
  if (ms.responses.some((r) => isTruncation(r, collectionUrl))) {
    throw new DavlensFailure(
      davlensError('bad-response', `${new URL(collectionUrl).host} truncated its list of the members of ${collectionUrl} (507): nothing was applied.`, step, {
        url: collectionUrl,
        status: 507,
      }),
    );
  }
  const etags = new Map<string, string | null>();
  for (const r of ms.responses) {
    if (!isMemberItem(r, collectionUrl)) continue;
    const etag = okProp(r, NS.DAV, 'getetag');
    etags.set(r.url, etag ? textOf(etag) : null);
  }
  return etags;
}

async function fetchViaPropfind(via: Requester, collectionUrl: string, kind: CollectionKind): Promise<FetchResult> {
  return fetchMembers(via, collectionUrl, kind, [...(await memberEtags(via, collectionUrl, 'items')).keys()]);
}

/** Members a PROPFIND listed, fetched by multiget (or GET where the server refuses that). */
async function fetchMembers(via: Requester, collectionUrl: string, kind: CollectionKind, hrefs: string[]): Promise<FetchResult> {
  const got = await multiget(via, collectionUrl, kind, hrefs);
  return { ...got, method: got.viaGet ? 'propfind+get' : 'propfind+multiget' };
}

export async function multiget(
  via: Requester,
  collectionUrl: string,
  kind: CollectionKind,
  hrefs: string[],
): Promise<{ items: RawItem[]; errors: DavlensError[]; viaGet: boolean }> {
  const items: RawItem[] = [];
  const errors: DavlensError[] = [];
  for (let i = 0; i < hrefs.length; i += MULTIGET_BATCH) {
    const batch = hrefs.slice(i, i + MULTIGET_BATCH);
    const unanswered = new Set(batch);
    const withoutData: string[] = [];
    const request = {
      method: 'REPORT',
      url: collectionUrl,
      depth: '1',
      body: multigetBody(kind, batch),
      step: 'items',
      what: `the items of ${collectionUrl}`,
    } as const;
    const answer = await davRequest(via, { ...request, handles: refused }, (r) => {
      unanswered.delete(r.url);
      const item = itemFrom(r, kind);
      if (item) items.push(item);
      else if (r.status === null && okProp(r, NS.DAV, 'getetag')) withoutData.push(r.url);
      else if (r.status !== 404 && !samePath(r.url, collectionUrl)) errors.push(noData(r));
    });
    if (answer.handled) {
      via.trace.note('items', null, `${collectionUrl} refused the multiget REPORT (${answer.handled.status}): fetching each item with GET.`);
      const rest = await getEach(via, hrefs.slice(i));
      return { items: [...items, ...rest.items], errors: [...errors, ...rest.errors], viaGet: true };
    }
    // A member asked for and left out of the answer is as missing as one answered without data.
    for (const href of unanswered)
      errors.push(davlensError('bad-response', `${new URL(href).host} left ${href} out of its answer.`, 'items', { url: href, href }));
    if (withoutData.length > 0) {
      // A member that exists (it has an ETag) but came without its data: GET serves it (quirk no-data-for-unnamed).
      via.trace.note('items', null, quirkNote('no-data-for-unnamed', withoutData[0]!));
      const got = await getEach(via, withoutData);
      for (const i of got.items) items.push(i);
      for (const e of got.errors) errors.push(e);
    }
  }
  return { items, errors, viaGet: false };
}

function noData(r: DavResponse): DavlensError {
  const status = r.status ? ` (${r.status})` : '';
  return davlensError('bad-response', `${new URL(r.url).host} returned no data for ${r.url}${status}.`, 'items', { url: r.url, href: r.url, status: r.status });
}

async function getEach(via: Requester, hrefs: string[]): Promise<{ items: RawItem[]; errors: DavlensError[] }> {
  const items: RawItem[] = [];
  const errors: DavlensError[] = [];
  for (const href of hrefs) {
    try {
      const res = await via.request({ method: 'GET', url: href, step: 'items' });
      if (res.status === 200) items.push({ href, etag: res.headers.etag ?? null, data: res.body });
      else
        errors.push(davlensError('http-status', `${new URL(href).host} answered ${res.status} for ${href}.`, 'items', { url: href, href, status: res.status }));
    } catch (e) {
      if (!(e instanceof DavlensFailure) || e.error.code === 'auth-failed' || e.error.code === 'auth-stopped') throw e;
      errors.push({ ...e.error, href });
    }
  }
  return { items, errors };
}
