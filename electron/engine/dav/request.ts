// The one WebDAV request function: every PROPFIND and REPORT goes out with the same headers and its answer is
// read the same way. A 207 is read response by response (a large answer in slices, so a sync's next request
// goes out while it is read); any other status, and a body that is not a usable multistatus, become the one
// error (DavlensFailure) naming the step, the server, what was asked and the URL. A caller that handles some
// statuses itself (a refused REPORT, a stale sync-token) says which, and gets those answers back as they came.
import type { Step } from '../../../shared/errors.ts';
import { DavlensFailure, davlensError } from '../../../shared/errors.ts';
import type { HttpRequest, HttpResponse } from '../net/http.ts';
import type { Requester } from '../net/session.ts';
import { eachMultistatusResponse, NotMultistatusError, parseMultistatus, type DavResponse, type Multistatus } from './multistatus.ts';
import { XmlError } from './xml.ts';

export interface DavRequest {
  method: 'PROPFIND' | 'REPORT';
  url: string;
  depth: '0' | '1';
  /** The XML body (dav/bodies.ts). */
  body: string;
  step: Step;
  /** What is asked, for the error sentence: "the collections", "the items of URL". */
  what: string;
  /** Answers the caller reads itself (not 207, not an error): returned as `{ handled }`. */
  handles?: (res: HttpResponse) => boolean;
}

export type DavAnswer = { handled: HttpResponse } | { handled: null; response: HttpResponse; syncToken: string | null };

/**
 * Headers of a PROPFIND or REPORT with an XML body. The Content-Type goes with every one (quirk
 * needs-xml-content-type: Xandikos and Cyrus refuse a body without it with 415).
 */
export function davHttpRequest(req: Pick<DavRequest, 'method' | 'url' | 'depth' | 'body' | 'step'>): HttpRequest {
  return { method: req.method, url: req.url, step: req.step, headers: { Depth: req.depth, 'Content-Type': 'application/xml; charset=utf-8' }, body: req.body };
}

/** Sends the request and reads a 207 into `each`; other statuses are the caller's (`handles`) or the error. */
export async function davRequest(via: Requester, req: DavRequest, each: (r: DavResponse) => void): Promise<DavAnswer> {
  const res = await via.request(davHttpRequest(req));
  if (req.handles?.(res)) return { handled: res };
  if (res.status !== 207) throw statusFailure(res, req.step, req.what);
  try {
    const { syncToken } = await eachMultistatusResponse(res.pieces, res.url, each);
    return { handled: null, response: res, syncToken };
  } catch (e) {
    throw unusableBody(e, res, req.step, req.what);
  }
}

/** davRequest keeping every response, with the server's clock as its Date header gave it (null without one). */
export async function davMultistatus(via: Requester, req: DavRequest): Promise<Multistatus & { clock: ServerClock | null }> {
  const responses: DavResponse[] = [];
  const answer = await davRequest(via, req, (r) => responses.push(r));
  if (answer.handled) throw statusFailure(answer.handled, req.step, req.what);
  const date = Date.parse(answer.response.headers.date ?? '');
  return { responses, syncToken: answer.syncToken, clock: Number.isFinite(date) ? { seconds: date / 1000, at: performance.now() } : null };
}

/** A server's clock: its time in whole seconds (an HTTP Date), and when that was read here (performance.now()). */
export interface ServerClock {
  seconds: number;
  at: number;
}

/**
 * A 207 that discovery received through its own path (redirects, the login dance) read the one way: the
 * multistatus, or the error. Any other status is the error too.
 */
export function readMultistatus(res: HttpResponse, step: Step, what: string): Multistatus {
  if (res.status !== 207) throw statusFailure(res, step, what);
  try {
    return parseMultistatus(res.body, res.url);
  } catch (e) {
    throw unusableBody(e, res, step, what);
  }
}

/** The one sentence for an HTTP status a step cannot use. */
export function statusFailure(res: HttpResponse, step: Step, what: string): DavlensFailure {
  const page = looksLikeHtml(res.body) ? ' with an HTML page instead of DAV properties' : '';
  const hint = res.status >= 500 ? ' The server has a problem; try again later.' : '';
  return new DavlensFailure(
    davlensError('http-status', `${new URL(res.url).host} answered ${res.status}${page} when asked for ${what} (${res.url}).${hint}`, step, {
      url: res.url,
      status: res.status,
    }),
  );
}

function unusableBody(e: unknown, res: HttpResponse, step: Step, what: string): unknown {
  if (!(e instanceof XmlError || e instanceof NotMultistatusError)) return e;
  const instead = looksLikeHtml(res.body) ? 'an HTML page' : 'XML Davlens cannot use';
  return new DavlensFailure(
    davlensError(
      'bad-response',
      `${new URL(res.url).host} answered the request for ${what} with ${instead} instead of a DAV multistatus (${e.message}).`,
      step,
      {
        url: res.url,
        status: res.status,
      },
    ),
  );
}

export function looksLikeHtml(body: string): boolean {
  return /^\s*(<!doctype html|<html)/i.test(body);
}
