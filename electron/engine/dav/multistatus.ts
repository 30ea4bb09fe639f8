// WebDAV multistatus (RFC 4918 §13) read into plain values, and the request bodies discovery sends.
// Properties stay XML elements so each step reads exactly the ones it asked for, by namespace URI.
import { canonicalUrl } from '../../../shared/href.ts';
import { NS, childOf, childrenOf, parseXml, parseXmlInSlices, textOf, type XmlElement } from './xml.ts';

export interface DavPropstat {
  status: number;
  props: XmlElement[];
}

export interface DavResponse {
  /** Absolute URL of the resource, resolved against the request URL. */
  url: string;
  /** The response-level status (for hrefs reported without propstat, e.g. 404 in a sync report), or null. */
  status: number | null;
  propstats: DavPropstat[];
}

export interface Multistatus {
  responses: DavResponse[];
  syncToken: string | null;
}

export class NotMultistatusError extends Error {}

function parseStatusLine(line: string): number {
  const m = /^\s*HTTP\/\S+\s+(\d{3})/i.exec(line);
  return m ? Number(m[1]) : 0;
}

/**
 * Reads a multistatus one response at a time (see TreeBuilder): each becomes a DavResponse, handed to `each`
 * and dropped, so no tree of a large answer is ever held (what the caller keeps is up to it).
 */
function multistatusReader(requestUrl: string, each: (r: DavResponse) => void) {
  const onTopLevelChild = (el: XmlElement): boolean => {
    if (el.ns !== NS.DAV || el.local !== 'response') return true;
    const href = textOf(childOf(el, NS.DAV, 'href'));
    if (href) {
      const statusEl = childOf(el, NS.DAV, 'status');
      each({
        url: resolveHref(href, requestUrl),
        status: statusEl ? parseStatusLine(textOf(statusEl)) : null,
        propstats: childrenOf(el, NS.DAV, 'propstat').map((ps) => ({
          status: parseStatusLine(textOf(childOf(ps, NS.DAV, 'status'))),
          props: childOf(ps, NS.DAV, 'prop')?.children ?? [],
        })),
      });
    }
    return false;
  };
  const syncTokenOf = (root: XmlElement): string | null => {
    if (root.ns !== NS.DAV || root.local !== 'multistatus') {
      throw new NotMultistatusError(`expected a DAV:multistatus, got <${root.local}> (${root.ns || 'no namespace'})`);
    }
    const token = childOf(root, NS.DAV, 'sync-token');
    return token ? textOf(token) : null;
  };
  return { onTopLevelChild, syncTokenOf };
}

export function parseMultistatus(body: string, requestUrl: string): Multistatus {
  const responses: DavResponse[] = [];
  const reader = multistatusReader(requestUrl, (r) => responses.push(r));
  return { syncToken: reader.syncTokenOf(parseXml(body, reader.onTopLevelChild)), responses };
}

/**
 * For answers of any size, in the pieces they were received in: each response goes to `each` as soon as it is read,
 * and large answers are read in slices (parseXmlInSlices). Returns the multistatus's sync-token.
 */
export async function eachMultistatusResponse(
  body: Iterable<string>,
  requestUrl: string,
  each: (r: DavResponse) => void,
): Promise<{ syncToken: string | null }> {
  const reader = multistatusReader(requestUrl, each);
  return { syncToken: reader.syncTokenOf(await parseXmlInSlices(body, reader.onTopLevelChild)) };
}

function resolveHref(href: string, base: string): string {
  return canonicalUrl(new URL(href, base));
}

/** A property from a 2xx propstat, or null (404 propstats are normal: the server lacks it). */
export function okProp(r: DavResponse, ns: string, local: string): XmlElement | null {
  for (const ps of r.propstats) {
    if (ps.status < 200 || ps.status > 299) continue;
    const p = ps.props.find((e) => e.ns === ns && e.local === local);
    if (p) return p;
  }
  return null;
}

/** The hrefs inside a property such as current-user-principal or calendar-home-set, resolved. */
export function hrefsIn(prop: XmlElement | null, base: string): string[] {
  if (!prop) return [];
  return childrenOf(prop, NS.DAV, 'href')
    .map((h) => textOf(h))
    .filter(Boolean)
    .map((h) => resolveHref(h, base));
}

function pathKey(u: string): string {
  return decodeURIComponentSafe(new URL(u).pathname).replace(/\/+$/, '');
}

/** Same resource path, however the server spells it (trailing slash, percent-encoding). */
export function samePath(a: string, b: string): boolean {
  return pathKey(a) === pathKey(b);
}

/** The response describing `url` itself (servers may spell the href with or without a trailing slash). */
export function responseFor(ms: Multistatus, url: string): DavResponse | null {
  return ms.responses.find((r) => samePath(r.url, url)) ?? ms.responses[0] ?? null;
}

/**
 * The answer says it was cut short: a 507 on the request URI itself (RFC 4918 §11.5, as RFC 6578, 4791 and
 * 6352 use it). Whatever it lists is then not the whole.
 */
export function isTruncation(r: DavResponse, requestUrl: string): boolean {
  return r.status === 507 && samePath(r.url, requestUrl);
}

/** A member item of the collection: neither the collection itself nor a sub-collection. */
export function isMemberItem(r: DavResponse, collectionUrl: string): boolean {
  return !samePath(r.url, collectionUrl) && (okProp(r, NS.DAV, 'resourcetype')?.children.length ?? 0) === 0;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
