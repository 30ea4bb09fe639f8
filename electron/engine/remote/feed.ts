// Fetching a subscribed calendar's feed: one GET, conditional on the last copy's validators (If-None-Match,
// If-Modified-Since: an unchanged feed costs one 304), with redirects followed under discovery's rules (never
// from https to anything else, at most MAX_REDIRECTS, no loop), and a login only when the feed asks for one
// (Basic or Digest, through the Session, and only to the feed's own host: the password never follows a redirect
// to another host). The size cap, timeout and trace are those of every request (net/http.ts).
import { DavlensFailure, davlensError } from '../../../shared/errors.ts';
import type { TraceEntry } from '../../../shared/trace.ts';
import { openConnection, type Connection, type OpenConnection } from '../net/connection.ts';
import type { HttpRequest, HttpResponse, RequestMeter } from '../net/http.ts';
import { NeedsApprovalError } from '../net/session.ts';
import { looksLikeHtml, statusFailure } from '../dav/request.ts';
import { MAX_REDIRECTS, isRedirect, redirectTarget } from './redirects.ts';

/**
 * A feed larger than this is refused (below the 64 MB of a DAV answer): a feed is read and split whole, as one text,
 * where a DAV answer is read in pieces, item by item. The largest real feeds we know (a university's whole
 * timetable) are a few MB.
 */
export const FEED_MAX_BYTES = 32 * 1024 * 1024;

/** How to reach a feed: the connection options of an account, with the feed's URL as `server` and its login if any. */
export type FeedConnection = Omit<Connection, 'email' | 'password'> & { server: string; password?: string };

export interface FeedValidators {
  etag: string | null;
  lastModified: string | null;
}

export type FeedAnswer = (
  | { changed: false; movedTo: string | null }
  | {
      changed: true;
      text: string;
      validators: FeedValidators;
      /** Where every redirect from the feed's URL was permanent (301, 308): its new URL, else null. */
      movedTo: string | null;
      /** The URL that answered. */
      url: string;
      /** The answer is an HTML page (a login or error page of a site), not a calendar. */
      html: boolean;
    }
) & {
  /** Origins where Basic login worked (Session.basicOrigins), to send it up front next time. */
  basicOrigins: string[];
};

/** One refresh: `meter` counts its round trips and bytes (redirects and a login included). */
export async function fetchFeed(
  connection: FeedConnection,
  validators: FeedValidators,
  meter: RequestMeter,
  onTrace?: (e: TraceEntry) => void,
): Promise<FeedAnswer> {
  const withLogin = connection.user !== undefined && connection.password !== undefined;
  const ctx = openConnection(
    {
      ...connection,
      email: connection.user ?? '',
      password: connection.password ?? '',
      maxResponseBytes: Math.min(connection.maxResponseBytes ?? FEED_MAX_BYTES, FEED_MAX_BYTES),
    },
    onTrace,
  );
  try {
    const start = connection.server;
    let url = start;
    let movedTo: string | null = null;
    let permanent = true;
    const visited = new Set<string>();
    const headers: Record<string, string> = { Accept: 'text/calendar, */*;q=0.5' };
    if (validators.etag) headers['If-None-Match'] = validators.etag;
    if (validators.lastModified) headers['If-Modified-Since'] = validators.lastModified;
    for (let hop = 0; ; hop++) {
      if (visited.has(url) || hop > MAX_REDIRECTS)
        throw new DavlensFailure(
          davlensError('redirect-loop', `${new URL(start).host} redirected in a loop or too often (${hop} hops from ${start}, at ${url}).`, 'feed', { url }),
        );
      visited.add(url);
      const res = await send(ctx, { method: 'GET', url, step: 'feed', headers }, withLogin, meter, start);
      if (isRedirect(res.status)) {
        const next = redirectTarget(url, res, 'feed').href;
        permanent &&= res.status === 301 || res.status === 308;
        if (permanent) movedTo = next;
        ctx.trace.note('feed', null, `${res.status} redirect from ${url} to ${next}.`);
        url = next;
        continue;
      }
      if (res.status === 304) return { changed: false, movedTo, basicOrigins: ctx.session.basicOrigins };
      if (res.status === 401)
        throw new DavlensFailure(
          davlensError(
            'auth-failed',
            `${new URL(url).host} asks for a user name and password for this feed: subscribe again with them (--user NAME and the password).`,
            'feed',
            { url, status: 401 },
          ),
        );
      if (res.status !== 200) throw statusFailure(res, 'feed', 'the calendar feed');
      return {
        changed: true,
        text: res.body,
        validators: { etag: res.headers.etag ?? null, lastModified: res.headers['last-modified'] ?? null },
        movedTo,
        url,
        html: looksLikeHtml(res.body) || /^text\/html/i.test(res.headers['content-type'] ?? ''),
        basicOrigins: ctx.session.basicOrigins,
      };
    }
  } finally {
    await ctx.close();
  }
}

/**
 * One GET: through the session where the feed has a login (it answers the 401 and counts what it sends), else
 * plainly (counted here). A login asked by another host than the feed's is refused.
 */
async function send(ctx: OpenConnection, req: HttpRequest, withLogin: boolean, meter: RequestMeter, feed: string): Promise<HttpResponse> {
  ctx.session.checkScheme(req.url, 'feed');
  try {
    if (withLogin) return await ctx.session.request({ ...req, meter });
    const res = await ctx.http.request(req);
    meter.requests += 1;
    meter.bytes += res.bytes;
    return res;
  } catch (e) {
    if (!(e instanceof NeedsApprovalError)) throw e;
    throw new DavlensFailure(
      davlensError(
        'needs-approval',
        `The feed moved to ${e.host}, which asks for a password: Davlens sends the feed's password only to ${new URL(feed).host}. Subscribe to ${e.url} itself if you trust it.`,
        'feed',
        { url: e.url },
      ),
    );
  }
}
