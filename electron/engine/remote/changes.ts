// The sync-collection REPORT (RFC 6578, sync-level 1, Depth 0): the members changed since a token, or every
// member from the empty token, with their data or only their ETags. Truncated answers (507 on the request
// URI) are followed from the token they end with until complete. No DAV:limit is ever sent: a server may
// silently honour it, and a partial answer would pass for the whole.
import type { DavlensError } from '../../../shared/errors.ts';
import { DavlensFailure, davlensError } from '../../../shared/errors.ts';
import { REFUSED, itemFrom, multiget } from './members.ts';
import type { CollectionKind, RawItem } from '../../../shared/models.ts';
import type { HttpResponse } from '../net/http.ts';
import type { Requester } from '../net/session.ts';
import { syncCollectionBody } from '../dav/bodies.ts';
import { isTruncation, okProp, samePath } from '../dav/multistatus.ts';
import { davRequest } from '../dav/request.ts';
import { NS, childOf, parseXml, textOf } from '../dav/xml.ts';

export type SyncReportOutcome =
  | {
      kind: 'changes';
      /** With data: the changed members (fetched by multiget where the answer left their data out). */
      items: RawItem[];
      /** Without data: each changed member's ETag (null when the server gave none). */
      etags: Map<string, string | null>;
      /** Members removed since the token (never any from the empty token). */
      deleted: string[];
      /** The token of the state the answer describes (null if the server sent none). */
      token: string | null;
      errors: DavlensError[];
    }
  /** The server no longer accepts the token (DAV:valid-sync-token, or a server error, see below). */
  | { kind: 'invalid-token'; status: number }
  /** The server does not do sync-collection here. */
  | { kind: 'refused'; status: number };

/** Truncated pages followed before giving up (each must bring a newer token). */
const MAX_PAGES = 1000;

/**
 * How an answer to a sync-collection from `token` says something other than changes. An empty token cannot be
 * stale: whatever the server says against it means it does not do this REPORT. Quirk unknown-token-500
 * (Xandikos): a 500 on a token counts as a refused token too (the fallback asks again from scratch, and fails
 * visibly if the server is broken for good). A 503 (still, after its Retry-After) is an overloaded server, not
 * a stale token: it fails as any other status.
 */
function notChanges(res: HttpResponse, token: string): { kind: 'invalid-token' | 'refused'; status: number } | null {
  if (token !== '' && (isInvalidToken(res.status, res.body) || res.status === 500)) return { kind: 'invalid-token', status: res.status };
  if (REFUSED.has(res.status) || (token === '' && isInvalidToken(res.status, res.body))) return { kind: 'refused', status: res.status };
  return null;
}

/** RFC 6578 §3.2: DAV:valid-sync-token precondition; servers use 403, 409 or 400 for a stale token. */
function isInvalidToken(status: number, body: string): boolean {
  if (status === 400 || status === 409 || status === 412) return true;
  if (status !== 403) return false;
  // A 403 may also mean "not allowed": only the named precondition says the token is stale.
  try {
    const root = parseXml(body);
    return root.ns === NS.DAV && root.local === 'error' && childOf(root, NS.DAV, 'valid-sync-token') !== null;
  } catch {
    return false;
  }
}

export async function syncCollectionReport(
  via: Requester,
  collectionUrl: string,
  kind: CollectionKind,
  token: string,
  withData: boolean,
): Promise<SyncReportOutcome> {
  const items = new Map<string, RawItem>();
  const etags = new Map<string, string | null>();
  const missing = new Set<string>();
  const deleted = new Set<string>();
  let current = token;
  let complete = false;
  for (let page = 0; page < MAX_PAGES && !complete; page++) {
    const sent = current;
    let truncated = false;
    const body = syncCollectionBody(kind, current, withData);
    const request = { method: 'REPORT', url: collectionUrl, depth: '0', body, step: 'sync', what: `the changes of ${collectionUrl}` } as const;
    const answer = await davRequest(via, { ...request, handles: (res) => notChanges(res, sent) !== null }, (r) => {
      truncated ||= isTruncation(r, collectionUrl);
      if (samePath(r.url, collectionUrl)) return;
      // A later page supersedes an earlier one: the member was removed, or changed again.
      items.delete(r.url);
      etags.delete(r.url);
      missing.delete(r.url);
      deleted.delete(r.url);
      if (r.status === 404) {
        deleted.add(r.url);
      } else if (!withData) {
        const etag = okProp(r, NS.DAV, 'getetag');
        etags.set(r.url, etag ? textOf(etag) : null);
      } else {
        // Quirk no-data-in-sync: those members are fetched by multiget below.
        const item = itemFrom(r, kind);
        if (item) items.set(r.url, item);
        else missing.add(r.url);
      }
    });
    if (answer.handled) return notChanges(answer.handled, sent)!;
    const syncToken = answer.syncToken;
    if (syncToken) current = syncToken;
    complete = !truncated;
    if (complete) break;
    // A truncated page must end with a newer token to go on from; asking again with the same one would loop.
    if (current === sent) throw truncatedError(collectionUrl, 'without a newer sync-token to go on from');
    via.trace.note('sync', null, `${collectionUrl} truncated its answer (507): asking again from the token it ended with.`);
  }
  // Nothing of a partial answer is applied: taken as complete, it would delete every member it left out.
  if (!complete) throw truncatedError(collectionUrl, `${MAX_PAGES} times in a row`);
  const fetched = missing.size ? await multiget(via, collectionUrl, kind, [...missing]) : { items: [], errors: [] };
  return {
    kind: 'changes',
    items: [...items.values(), ...fetched.items],
    etags,
    deleted: [...deleted],
    token: current === '' ? null : current,
    errors: fetched.errors,
  };
}

function truncatedError(collectionUrl: string, how: string): DavlensFailure {
  return new DavlensFailure(
    davlensError(
      'bad-response',
      `${new URL(collectionUrl).host} truncated its changes of ${collectionUrl} (507) ${how}: nothing of them was applied.`,
      'sync',
      { url: collectionUrl, status: 507 },
    ),
  );
}
