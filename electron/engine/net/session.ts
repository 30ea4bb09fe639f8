// One account's conversation with its servers: who may receive the password, how to log in, and which
// answers both services can share. Discovery, listing and sync all talk through a Session.
//
// Login is challenge-first per origin: requests to a host carry no credentials (and go one at a time) until
// a 401 tells the scheme (Digest preferred over Basic); later requests to that origin authenticate up front.
// The user name is decided once per account: the full email address first, then its local part, and a
// rejection of both ends every fallback at once, so a wrong password costs two attempts, never a storm.
import { randomBytes } from 'node:crypto';
import type { DavlensError, Step } from '../../../shared/errors.ts';
import { DavlensFailure, davlensError } from '../../../shared/errors.ts';
import { basicAuthorization, chooseChallenge, digestAuthorization, digestStateFromChallenge, parseWwwAuthenticate, type DigestState } from './digest.ts';
import type { Http, HttpRequest, HttpResponse } from './http.ts';
import { isInsideDomain, splitEmail } from './trust.ts';
import type { Connection } from './connection.ts';
import type { Trace } from './trace.ts';

/** What the session reads of a connection (net/connection.ts). */
type SessionOptions = Pick<Connection, 'email' | 'password' | 'user' | 'server' | 'trustHosts' | 'insecureHttp' | 'basicOrigins'>;

/** The host needs the user's approval before it may receive the password. */
export class NeedsApprovalError extends Error {
  readonly host: string;
  readonly url: string;
  constructor(host: string, url: string) {
    super(`${host} is outside the email's domain`);
    this.host = host;
    this.url = url;
  }
}

const MAX_RETRIES = 2;
const MAX_RETRY_WAIT_MS = 60_000;

/**
 * 429 and 503 with Retry-After (seconds or an HTTP date) are honoured when the wait is at most a minute; a longer
 * one is not cut short (the server asked to be left alone): the answer stands and is reported.
 */
export function retryAfterMs(res: { status: number; headers: Record<string, string> }, now = Date.now()): number | null {
  if (res.status !== 429 && res.status !== 503) return null;
  const v = res.headers['retry-after']?.trim();
  if (!v) return null;
  // RFC 9110 §10.2.3 says whole seconds; a decimal is read as seconds too, not as a date.
  const ms = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v) - now;
  if (!Number.isFinite(ms) || ms > MAX_RETRY_WAIT_MS) return null;
  return Math.max(ms, 0);
}

/** What listing and fetching need from a connection: a Session is one, and so is a lane of it (request-lane.ts). */
export interface Requester {
  request(req: HttpRequest): Promise<HttpResponse>;
  readonly trace: Trace;
}

/** How an origin takes a login; `unasked` Basic was chosen without a challenge (see requestWithCredentials). */
type OriginAuth = { scheme: 'basic'; unasked?: true } | { scheme: 'digest'; state: DigestState };

export class Session implements Requester {
  readonly email: string;
  readonly domain: string;
  private readonly password: string;
  private readonly candidates: string[];
  private candidateIndex = 0;
  private usernameConfirmed = false;
  private rejected: DavlensError | null = null;
  private readonly trusted: Set<string>;
  private readonly insecureHttp: boolean;
  private readonly http: Http;
  readonly trace: Trace;
  private readonly originAuth = new Map<string, OriginAuth>();
  private readonly inFlight = new Map<string, Promise<HttpResponse>>();
  /** Per origin whose login is not known yet: the last request without credentials, which the next one waits for. */
  private readonly uncredentialed = new Map<string, Promise<unknown>>();
  /** DAV: compliance classes seen per origin, from any response. */
  private readonly davClasses = new Map<string, Set<string>>();
  /** While the user name is undecided, authenticated requests go one at a time. */
  private loginQueue: Promise<unknown> = Promise.resolve();
  requestCount = 0;
  bytesReceived = 0;

  constructor(opts: SessionOptions, http: Http, trace: Trace) {
    this.email = opts.email;
    const { local, domain } = splitEmail(opts.email) ?? { local: opts.email, domain: '' };
    this.domain = domain;
    this.password = opts.password;
    this.candidates = opts.user ? [opts.user] : [opts.email, local];
    // Approved hosts (up front or remembered with the account), and the host of a typed server URL.
    this.trusted = new Set([...(opts.trustHosts ?? []), ...hostOf(opts.server)].map((h) => h.toLowerCase()));
    this.insecureHttp = opts.insecureHttp ?? false;
    this.http = http;
    this.trace = trace;
    for (const origin of opts.basicOrigins ?? []) {
      const u = new URL(origin);
      if (this.isTrusted(u.hostname) && (u.protocol === 'https:' || this.insecureHttp)) this.originAuth.set(u.origin, { scheme: 'basic' });
    }
  }

  /** Origins where Basic login worked in this session (to remember with the account). */
  get basicOrigins(): string[] {
    return this.usernameConfirmed ? [...this.originAuth.entries()].filter(([, a]) => a.scheme === 'basic').map(([o]) => o) : [];
  }

  /** The user name the server accepted, or null before any successful login. */
  get username(): string | null {
    return this.usernameConfirmed ? (this.candidates[this.candidateIndex] ?? null) : null;
  }

  /** Set once the password was rejected: no further request is sent with it. */
  get authFailure(): DavlensError | null {
    return this.rejected;
  }

  trust(host: string): void {
    this.trusted.add(host.toLowerCase());
  }

  isTrusted(host: string): boolean {
    const h = host.toLowerCase();
    return isInsideDomain(h, this.domain) || this.trusted.has(h);
  }

  davClassesOf(url: string): Set<string> {
    return this.davClasses.get(new URL(url).origin) ?? new Set();
  }

  /**
   * Send a request; answers to identical requests (method, URL, Depth, body) are shared while in flight
   * and afterwards, so a principal both services reach is asked once.
   */
  cached(req: HttpRequest): Promise<HttpResponse> {
    const key = `${req.method} ${req.url} ${req.headers?.Depth ?? ''} ${req.body ?? ''}`;
    let p = this.inFlight.get(key);
    if (!p) {
      p = this.request(req);
      this.inFlight.set(key, p);
      // Failures are not remembered: a later step may legitimately try again after approval.
      p.catch(() => this.inFlight.delete(key));
    }
    return p;
  }

  /** Refuses plain http without --insecure-http (and always a downgrade, which the caller checks). */
  checkScheme(url: string, step: Step): void {
    const u = new URL(url);
    if (u.protocol === 'https:') return;
    if (u.protocol === 'http:' && this.insecureHttp) return;
    throw new DavlensFailure(
      davlensError(
        'insecure-refused',
        u.protocol === 'http:'
          ? `${u.host} would be reached over plain http, which sends the password unencrypted. Use https, or allow plain http explicitly (--insecure-http).`
          : `${url} is not an http(s) URL.`,
        step,
        { url },
      ),
    );
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    if (this.rejected)
      throw new DavlensFailure({
        ...this.rejected,
        code: 'auth-stopped',
        step: req.step,
        url: req.url,
        message: `Not tried: the password was already rejected (${this.rejected.message})`,
      });
    this.checkScheme(req.url, req.step);
    const origin = new URL(req.url).origin;
    if (!this.originAuth.has(origin)) {
      // No login known for this origin yet: no credentials; a 401 tells how to log in.
      const res = await this.withoutCredentials(origin, req);
      if (res !== null) {
        if (res.status !== 401) return res;
        this.learnScheme(origin, res, req);
      }
    }
    return this.authenticated(req);
  }

  /**
   * Sends a request without credentials, one at a time per origin: sent side by side they would each draw a
   * 401 (Cyrus redirects CalDAV and CardDAV to different paths). Null when a 401 to the one before told how
   * to log in meanwhile.
   */
  private withoutCredentials(origin: string, req: HttpRequest): Promise<HttpResponse | null> {
    const before = this.uncredentialed.get(origin) ?? Promise.resolve();
    const sent = before.then(() => (this.originAuth.has(origin) ? null : this.send(req, null)));
    this.uncredentialed.set(
      origin,
      sent.catch(() => undefined),
    );
    return sent;
  }

  /**
   * The request with credentials, although the server did not ask for them: it answered as to nobody (RFC 5397
   * §3, a DAV:unauthenticated principal; quirk unauthenticated-principal). With no scheme learned from a 401 at
   * this origin, Basic is sent (to a trusted host, over https unless plain http was allowed); a 401 to it says
   * which scheme the server wants and is not counted as a rejection. Never answered from the cache.
   */
  async requestWithCredentials(req: HttpRequest): Promise<HttpResponse> {
    if (this.rejected) throw new DavlensFailure(this.rejected);
    this.checkScheme(req.url, req.step);
    const origin = new URL(req.url).origin;
    if (!this.originAuth.has(origin)) this.originAuth.set(origin, { scheme: 'basic', unasked: true });
    return this.authenticated(req);
  }

  private authenticated(req: HttpRequest): Promise<HttpResponse> {
    if (this.usernameConfirmed) return this.tryLogin(req);
    const run = this.loginQueue.then(() => this.tryLogin(req));
    this.loginQueue = run.catch(() => undefined);
    return run;
  }

  private async tryLogin(req: HttpRequest): Promise<HttpResponse> {
    const host = new URL(req.url).hostname;
    if (!this.isTrusted(host)) throw new NeedsApprovalError(host, req.url);
    const origin = new URL(req.url).origin;
    let staleRetried = false;
    for (;;) {
      if (this.rejected) throw new DavlensFailure(this.rejected);
      const username = this.candidates[this.candidateIndex]!;
      const res = await this.send(req, username);
      if (res.status !== 401) {
        if (!this.usernameConfirmed && res.status < 400) {
          this.usernameConfirmed = true;
          this.trace.note(req.step, null, `The server accepted the user name ${username}.`);
        }
        return res;
      }
      const challenge = chooseChallenge(parseWwwAuthenticate(res.wwwAuthenticate));
      const sent = this.originAuth.get(origin);
      if (sent?.scheme === 'basic' && sent.unasked && challenge?.scheme === 'digest') {
        // Basic went out before any challenge and the server wants Digest: not a rejection of the password.
        this.learnScheme(origin, res, req);
        continue;
      }
      if (challenge?.scheme === 'digest' && challenge.params.stale?.toLowerCase() === 'true' && !staleRetried) {
        // A stale nonce is not a rejection: retry once with the fresh nonce.
        staleRetried = true;
        this.learnScheme(origin, res, req);
        continue;
      }
      if (!this.usernameConfirmed && this.candidateIndex < this.candidates.length - 1) {
        this.candidateIndex += 1;
        this.trace.note(req.step, null, `${origin} rejected the user name ${username}; trying ${this.candidates[this.candidateIndex]} once.`);
        this.learnScheme(origin, res, req);
        continue;
      }
      const tried = this.usernameConfirmed ? username : this.candidates.join(' and ');
      this.rejected = davlensError(
        'auth-failed',
        `${new URL(req.url).host} rejected the password for ${tried}. Check the password (some providers need an app-specific password); nothing more was tried with it.`,
        req.step,
        { url: req.url, status: 401 },
      );
      throw new DavlensFailure(this.rejected);
    }
  }

  private learnScheme(origin: string, res: HttpResponse, req: HttpRequest): void {
    const challenge = chooseChallenge(parseWwwAuthenticate(res.wwwAuthenticate));
    if (challenge?.scheme === 'digest') {
      const state = digestStateFromChallenge(challenge);
      if (state) {
        this.originAuth.set(origin, { scheme: 'digest', state });
        return;
      }
    }
    if (challenge?.scheme === 'basic') {
      this.originAuth.set(origin, { scheme: 'basic' });
      return;
    }
    throw new DavlensFailure(
      davlensError(
        'http-status',
        `${new URL(req.url).host} asks for a login method Davlens does not support (${res.wwwAuthenticate.join('; ') || 'no WWW-Authenticate header'}).`,
        req.step,
        { url: req.url, status: 401 },
      ),
    );
  }

  private authorizationFor(req: HttpRequest, username: string): string {
    const url = new URL(req.url);
    const auth = this.originAuth.get(url.origin);
    if (!auth || auth.scheme === 'basic') return basicAuthorization(username, this.password);
    const { header, state } = digestAuthorization(auth.state, {
      username,
      password: this.password,
      method: req.method,
      uri: url.pathname + url.search,
      cnonce: randomBytes(16).toString('hex'),
    });
    this.originAuth.set(url.origin, { scheme: 'digest', state });
    return header;
  }

  private async send(req: HttpRequest, username: string | null): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const headers = { ...(req.headers ?? {}) };
      if (username !== null) headers.Authorization = this.authorizationFor(req, username);
      this.requestCount += 1;
      const res = await this.http.request({ ...req, headers });
      const bytes = res.bytes;
      this.bytesReceived += bytes;
      if (req.meter) {
        req.meter.requests += 1;
        req.meter.bytes += bytes;
      }
      this.noteDavClasses(req.url, res);
      const wait = retryAfterMs(res);
      if (wait === null || attempt >= MAX_RETRIES) return res;
      this.trace.note(req.step, null, `${new URL(req.url).host} answered ${res.status} with Retry-After: waiting ${Math.round(wait / 1000)} s as asked.`);
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  private noteDavClasses(url: string, res: HttpResponse): void {
    const dav = res.headers.dav;
    if (!dav) return;
    const origin = new URL(url).origin;
    const set = this.davClasses.get(origin) ?? new Set<string>();
    for (const c of dav.split(',')) set.add(c.trim().toLowerCase());
    this.davClasses.set(origin, set);
  }
}

/** The host of a typed server URL (none when absent; a bad URL is reported by discovery as bad input). */
function hostOf(server: string | undefined): string[] {
  try {
    return server ? [new URL(server).hostname] : [];
  } catch {
    return [];
  }
}
