// Service discovery from an email address, read top to bottom like RFC 6764 (and DAVx5's resource finder):
//   1. SRV _caldavs._tcp / _carddavs._tcp (RFC 2782 order, fall through unreachable targets)
//   2. TXT path= on the same name, else /.well-known/ on the SRV target
//   3. no SRV: https://<domain>/.well-known/caldav|carddav, following redirects under the trust rules
//   4. current-user-principal on the context path, then both home sets in one PROPFIND on the principal
// (A server URL given by the user replaces 1-3.)
// CalDAV and CardDAV run side by side over one Session, so a request both need is sent once.
// Every step leaves trace entries and, when it ends, a step record (discovery-steps.ts) saying how; a failed
// step records why and the next one runs.
import type { ConnectionOptions, DiscoveryResult, DiscoveryStep, DiscoveryVia, ServiceKind, ServiceResult } from '../../../shared/discovery.ts';
import type { DavlensError, Step } from '../../../shared/errors.ts';
import { DavlensFailure, davlensError } from '../../../shared/errors.ts';
import { openConnection, type Connection, type OpenConnection } from '../net/connection.ts';
import { preloadHttpClient, type HttpRequest, type HttpResponse } from '../net/http.ts';
import { StepLog, attemptOutcome, lookupOutcome } from './discovery-steps.ts';
import { quirkNote } from './quirks.ts';
import { MAX_REDIRECTS, isRedirect, redirectTarget } from './redirects.ts';
import { NeedsApprovalError } from '../net/session.ts';
import { isServiceDecidedlyUnavailable, orderSrvTargets, txtContextPath, type SrvRecord } from '../net/srv.ts';
import type { TraceEntry } from '../../../shared/trace.ts';
import { isInsideDomain, splitEmail } from '../net/trust.ts';
import { propfindBody } from '../dav/bodies.ts';
import { hrefsIn, okProp, responseFor } from '../dav/multistatus.ts';
import { davHttpRequest, readMultistatus } from '../dav/request.ts';
import { NS, childOf } from '../dav/xml.ts';

const SERVICE = {
  caldav: { label: 'CalDAV', capability: 'calendar-access', homeSetNs: NS.CALDAV, homeSet: 'calendar-home-set' },
  carddav: { label: 'CardDAV', capability: 'addressbook', homeSetNs: NS.CARDDAV, homeSet: 'addressbook-home-set' },
} as const;

const PRINCIPAL_BODY = propfindBody(['d:current-user-principal', 'd:resourcetype']);
// One body for both services, so the principal is asked once; the scheduling collections come with it (quirk
// scheduling-as-calendars: DAViCal declares them plain calendars).
const HOME_SETS_BODY = propfindBody(['c:calendar-home-set', 'card:addressbook-home-set', 'd:displayname', 'c:schedule-inbox-URL', 'c:schedule-outbox-URL']);

interface ContextFound {
  context: string;
  principal: string;
}

/** Where a context URL came from: how the service is reported as found, and the step its request is shown as. */
interface ContextSource {
  via: DiscoveryVia;
  /** The trace step of the request to it. */
  step: Step;
  shownAs: Extract<DiscoveryStep, 'server-url' | 'txt' | 'well-known'>;
  /** A 404 there is retried at "/" (not for a TXT path: its 404 sends discovery to the well-known path). */
  rootOn404: boolean;
  /** Said before how the request ended, in the step's record (the TXT step says which path it gave). */
  lead?: string;
}

// The app reaches servers through remote/ only: the connection discovery and sync share is net's, named here.
export { openConnection, preloadHttpClient, type Connection, type OpenConnection };

const BOTH: ServiceKind[] = ['caldav', 'carddav'];

/** Discovers the services (both by default) in a connection of its own. */
export async function discover(input: Connection, onTrace?: (e: TraceEntry) => void, wanted = BOTH): Promise<DiscoveryResult> {
  const ctx = openConnection(input, onTrace);
  try {
    return await discoverIn(ctx, input, wanted);
  } finally {
    await ctx.close();
  }
}

/** The input errors discovery cannot start with, or null. */
function checkInput(input: ConnectionOptions): DavlensError | null {
  if (!splitEmail(input.email)) return davlensError('bad-input', `"${input.email}" is not an email address (name@domain).`, 'input');
  if (input.server) {
    let u: URL;
    try {
      u = new URL(input.server);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
    } catch {
      return davlensError('bad-input', `"${input.server}" is not an http(s) URL.`, 'input');
    }
    // user:password@ in the URL would be repeated by every trace line and error; neither is echoed here.
    if (u.username || u.password) {
      return davlensError(
        'bad-input',
        `The server URL must not carry a user name or password (${u.protocol}//${u.host}${u.pathname}): give the user name with --user and the password as usual.`,
        'input',
      );
    }
  }
  return null;
}

/** Discovery over an open account context, so later steps (listing, fetching) reuse its session. */
export async function discoverIn(ctx: OpenConnection, input: Connection, wanted = BOTH): Promise<DiscoveryResult> {
  const bad = checkInput(input);
  if (bad) return { caldav: null, carddav: null, trace: [], errors: [bad], steps: [] };
  const finder = new ServiceFinder(ctx, splitEmail(input.email)!.domain, input);
  const find = (kind: ServiceKind) => (wanted.includes(kind) ? finder.find(kind) : Promise.resolve(null));
  const [caldav, carddav] = await Promise.all([find('caldav'), find('carddav')]);
  const services = BOTH.filter((k) => wanted.includes(k));
  const steps = finder.steps.records(services, (step) => whySkipped(step, !!input.server));
  return { caldav, carddav, errors: dedupeErrors(finder.errors), trace: ctx.trace.entries, steps };
}

/** Why a step that never ran did not: the ones a step decided itself (no SRV, so no TXT) are recorded there. */
function whySkipped(step: DiscoveryStep, serverGiven: boolean): string {
  if (step === 'server-url') return serverGiven ? 'Not reached.' : 'No server URL was given.';
  if (serverGiven && (step === 'srv' || step === 'txt' || step === 'well-known')) return 'Not needed: a server URL was given.';
  return 'Not reached: an earlier step did not succeed.';
}

// Both services hit the same wrong password or the same dead host; say it once.
function dedupeErrors(errors: DavlensError[]): DavlensError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.code} ${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

class ServiceFinder {
  readonly errors: DavlensError[] = [];
  readonly steps = new StepLog();
  private readonly ctx: OpenConnection;
  private readonly domain: string;
  private readonly input: Connection;

  constructor(ctx: OpenConnection, domain: string, input: Connection) {
    this.ctx = ctx;
    this.domain = domain;
    this.input = input;
  }

  private note(step: Step, kind: ServiceKind, message: string): void {
    this.ctx.trace.note(step, kind, message);
  }

  async find(kind: ServiceKind): Promise<ServiceResult | null> {
    const tried: string[] = [];
    try {
      if (this.input.server) {
        this.note('context-path', kind, `Using the server URL given: ${this.input.server}`);
        return await this.fromContext(kind, this.input.server, { via: 'manual', step: 'context-path', shownAs: 'server-url', rootOn404: true }, tried);
      }
      return await this.fromDns(kind, tried);
    } catch (e) {
      if (e instanceof NeedsApprovalError) return this.needsApproval(kind, e.host, e.url, this.input.server ? 'manual' : 'well-known');
      if (e instanceof DavlensFailure) this.errors.push(e.error);
      else throw e;
      return null;
    }
  }

  private needsApproval(kind: ServiceKind, host: string, url: string, via: DiscoveryVia): ServiceResult {
    this.note('context-path', kind, `${host} is outside ${this.domain}: the password is not sent there until you approve it (--trust-host ${host}).`);
    this.steps.set(kind, 'principal', 'waiting', `Not asked yet: ${host} is outside ${this.domain}, and the password goes there only once you approve it.`);
    this.steps.set(kind, 'home-sets', 'skipped', `Not reached: waiting for your approval of ${host}.`);
    if (!this.steps.outcome(kind, 'well-known')) this.steps.set(kind, 'well-known', 'skipped', `Not reached: waiting for your approval of ${host}.`);
    this.errors.push(
      davlensError(
        'needs-approval',
        `The ${SERVICE[kind].label} service for ${this.domain} is on ${host}, outside your email's domain. Send your password to ${host}? Approve it only if you expect your provider to use that host (--trust-host ${host}).`,
        'context-path',
        { url, host },
      ),
    );
    return { context: url, via, principal: null, homeSets: [], username: null, offDomain: true, needsApproval: host };
  }

  private async fromDns(kind: ServiceKind, tried: string[]): Promise<ServiceResult | null> {
    const secureName = `_${kind}s._tcp.${this.domain}`;
    const srv = await this.ctx.dns.srv(secureName, 'srv');
    if (srv.ok && srv.value.length > 0) {
      if (isServiceDecidedlyUnavailable(srv.value)) {
        this.note('srv', kind, `${secureName} has the target ".": ${SERVICE[kind].label} is decidedly not offered for ${this.domain}.`);
        this.steps.set(kind, 'srv', 'not-found', `${secureName} says ${SERVICE[kind].label} is not offered (its target is ".").`);
        this.steps.set(kind, 'txt', 'skipped', 'Not needed: DNS says the service is not offered.');
        this.steps.set(kind, 'well-known', 'skipped', 'Not needed: DNS says the service is not offered.');
        throw new DavlensFailure(
          davlensError(
            'service-not-offered',
            `${this.domain} says in DNS (${secureName} with target ".") that it offers no ${SERVICE[kind].label} service.`,
            'srv',
          ),
        );
      }
      return this.fromSrv(kind, secureName, srv.value, 'https', tried);
    }
    const secure = lookupOutcome(srv.ok ? null : srv.code);
    tried.push(`SRV ${secureName} (${secure.text})`);
    let srvDetail = `${secureName}: ${secure.text}.`;
    if (this.input.insecureHttp) {
      // Plain-text SRV only when there is no TLS record at all and the user allowed plain http; never as
      // a fallback after TLS targets failed.
      const plainName = `_${kind}._tcp.${this.domain}`;
      const plain = await this.ctx.dns.srv(plainName, 'srv');
      if (plain.ok && plain.value.length > 0 && !isServiceDecidedlyUnavailable(plain.value)) {
        this.note('srv', kind, `No ${secureName}; using the plain-http record ${plainName} because --insecure-http was given.`);
        return this.fromSrv(kind, plainName, plain.value, 'http', tried, `No ${secureName}; `);
      }
      const plainText = plain.ok ? (plain.value.length ? 'target "."' : 'no record') : lookupOutcome(plain.code).text;
      tried.push(`SRV ${plainName} (${plainText})`);
      srvDetail += ` ${plainName}: ${plainText}.`;
    }
    this.steps.set(kind, 'srv', secure.outcome, srvDetail);
    this.steps.set(kind, 'txt', 'skipped', 'No SRV record to read a path for.');
    const wellKnown = `https://${this.domain}/.well-known/${kind}`;
    this.note('well-known', kind, `No SRV record for ${secureName}: trying ${wellKnown}.`);
    try {
      return await this.fromContext(kind, wellKnown, { via: 'well-known', step: 'well-known', shownAs: 'well-known', rootOn404: true }, tried);
    } catch (e) {
      if (e instanceof DavlensFailure && !endsDiscovery(e.error)) {
        this.keepUntold(e.error);
        tried.push(`${e.error.url ?? wellKnown} (${attemptOutcome(e.error)})`);
        throw new DavlensFailure(this.notFound(kind, tried));
      }
      throw e;
    }
  }

  /**
   * An attempt's error beside the "not found" that lists the attempt, when the list's few words do not tell it
   * all: a certificate error carries what the user needs to decide to trust it, a refused downgrade says why.
   */
  private keepUntold(e: DavlensError): void {
    if (!TOLD_BY_THE_LIST.has(e.code)) this.errors.push(e);
  }

  private notFound(kind: ServiceKind, tried: string[]): DavlensError {
    return davlensError(
      'service-not-found',
      `No ${SERVICE[kind].label} service was found for ${this.domain}. Tried, in order: ${tried.join('; ')}. If you know the server's address, enter it as the server URL.`,
      'context-path',
    );
  }

  private async fromSrv(
    kind: ServiceKind,
    name: string,
    records: SrvRecord[],
    scheme: 'https' | 'http',
    tried: string[],
    before = '',
  ): Promise<ServiceResult | null> {
    const targets = orderSrvTargets(records);
    const where = targets.map((t) => `${t.name.replace(/\.$/, '')}:${t.port}`).join(', ');
    this.steps.set(kind, 'srv', 'done', `${before}${name} names ${where}.`);
    const txt = await this.ctx.dns.txt(name, 'txt');
    const path = txt.ok ? txtContextPath(txt.value) : null;
    if (path) {
      this.note('txt', kind, `TXT ${name} gives the context path ${path}.`);
      this.steps.set(kind, 'txt', 'done', `${name} gives the path ${path}.`);
    } else {
      this.note('txt', kind, `No usable TXT path for ${name}: using /.well-known/${kind} on the SRV target.`);
      const { outcome, text } = txt.ok ? { outcome: 'not-found' as const, text: 'no path= in its TXT record' } : lookupOutcome(txt.code);
      this.steps.set(kind, 'txt', outcome, `${name}: ${text}; using /.well-known/${kind} on the SRV target.`);
    }
    for (const target of targets) {
      const host = target.name.replace(/\.$/, '');
      const base = `${scheme}://${formatHost(host)}${defaultPort(scheme) === target.port ? '' : `:${target.port}`}`;
      if (!this.ctx.session.isTrusted(host)) {
        return this.needsApproval(kind, host, `${base}${path ?? `/.well-known/${kind}`}`, 'srv');
      }
      try {
        if (path) {
          try {
            // A TXT path's HTTP error sends discovery to the well-known path (step 2), not to "/" (step 4).
            const lead = `${name} gives the path ${path}; `;
            return await this.fromContext(kind, base + path, { via: 'srv', step: 'context-path', shownAs: 'txt', rootOn404: false, lead }, tried);
          } catch (e) {
            // A TXT path that answers with an HTTP error other than 401 gets one more chance: the
            // well-known path on the same target.
            if (!(e instanceof DavlensFailure) || e.error.code !== 'http-status' || e.error.status === 401) throw e;
            tried.push(`${base + path} (${attemptOutcome(e.error)})`);
            this.note('context-path', kind, `The TXT path answered ${e.error.status}: trying /.well-known/${kind} on ${host}.`);
          }
        }
        return await this.fromContext(kind, `${base}/.well-known/${kind}`, { via: 'srv', step: 'well-known', shownAs: 'well-known', rootOn404: true }, tried);
      } catch (e) {
        if (e instanceof DavlensFailure && isUnreachable(e.error)) {
          tried.push(`${e.error.url ?? base} (${attemptOutcome(e.error)})`);
          this.keepUntold(e.error);
          this.note('srv', kind, `${host}:${target.port} could not be reached (${e.error.code}); trying the next SRV target.`);
          continue;
        }
        throw e;
      }
    }
    this.steps.set(
      kind,
      'srv',
      'failed',
      `${before}${name} names ${where}, and ${targets.length === 1 ? 'it could not be reached' : 'none of them could be reached'}.`,
    );
    throw new DavlensFailure(this.notFound(kind, tried));
  }

  /** Steps 3-4: from a context URL (well-known, TXT path or typed URL) to the principal and home sets. */
  private async fromContext(kind: ServiceKind, start: string, source: ContextSource, tried: string[]): Promise<ServiceResult> {
    const found = await this.reachPrincipal(kind, start, source, tried);
    let homes: { homeSets: string[]; scheduling: string[] };
    try {
      homes = await this.homeSets(kind, found.principal);
    } catch (e) {
      if (e instanceof DavlensFailure) this.steps.set(kind, 'home-sets', 'failed', e.error.message);
      throw e;
    }
    const { homeSets, scheduling } = homes;
    this.steps.set(kind, 'home-sets', 'done', `${SERVICE[kind].homeSet}: ${homeSets.join(', ')}.`);
    await this.confirmCapability(kind, found.principal, homeSets);
    const host = new URL(found.context).hostname;
    this.note('home-sets', kind, `${SERVICE[kind].label}: principal ${found.principal}, home set ${homeSets.join(', ')}.`);
    return {
      context: found.context,
      via: source.via,
      principal: found.principal,
      homeSets,
      ...(kind === 'caldav' ? { scheduling } : {}),
      username: this.ctx.session.username,
      offDomain: !isInsideDomain(host, this.domain),
      needsApproval: null,
    };
  }

  /**
   * findPrincipal, recorded as two steps: the request to the context URL (its own step: the server URL, the TXT
   * path or the well-known address) and the principal. A context that answered at all (a login refused, a
   * body Davlens cannot read) did its part: the principal step is the one that failed.
   */
  private async reachPrincipal(kind: ServiceKind, start: string, source: ContextSource, tried: string[]): Promise<ContextFound> {
    const { shownAs, lead = '' } = source;
    const answered = (detail: string): void => {
      this.steps.set(kind, shownAs, 'done', lead + detail);
      // A TXT path that answered leaves the well-known address on the SRV target unasked.
      if (shownAs === 'txt') this.steps.set(kind, 'well-known', 'skipped', 'Not needed: the TXT path answered.');
    };
    try {
      const found = await this.findPrincipal(kind, start, source.step, tried, source.rootOn404);
      answered(found.context === start ? `${start} answered.` : `${start} led to ${found.context}, which answered.`);
      this.steps.set(kind, 'principal', 'done', found.principal === found.context ? `${found.principal} (the service URL itself).` : `${found.principal}.`);
      return found;
    } catch (e) {
      if (e instanceof NeedsApprovalError) answered(`${start} redirects to ${e.url}.`);
      else if (e instanceof DavlensFailure && CONTEXT_FAILURES.has(e.error.code)) {
        this.steps.set(kind, shownAs, 'failed', `${lead}${e.error.url ?? start}: ${attemptOutcome(e.error)}.`);
      } else if (e instanceof DavlensFailure) {
        answered(`${start} answered.`);
        this.steps.set(kind, 'principal', 'failed', e.error.message);
      }
      throw e;
    }
  }

  private async findPrincipal(kind: ServiceKind, start: string, step: Step, tried: string[], rootOn404: boolean): Promise<ContextFound> {
    let url = start;
    const visited = new Set<string>();
    let triedRoot = !rootOn404;
    let login = false;
    for (let hop = 0; ; hop++) {
      if (visited.has(url) || hop > MAX_REDIRECTS) {
        throw new DavlensFailure(
          davlensError('redirect-loop', `${new URL(start).host} redirected in a loop (${hop} hops from ${start}, back to ${url}).`, step, { url }),
        );
      }
      visited.add(url);
      const res = login
        ? await this.ctx.session.requestWithCredentials(propfindRequest(url, PRINCIPAL_BODY, step))
        : await this.propfind(url, PRINCIPAL_BODY, step);
      if (isRedirect(res.status)) {
        url = this.followRedirect(kind, url, res, step);
        continue;
      }
      if (res.status === 404 && !triedRoot && new URL(url).pathname !== '/') {
        triedRoot = true;
        tried.push(`${url} (answered 404)`);
        url = new URL('/', url).href;
        this.note('context-path', kind, `The context path answered 404: trying ${url}.`);
        continue;
      }
      const ms = readMultistatus(res, step, 'the current-user-principal');
      const self = responseFor(ms, url);
      const current = self ? okProp(self, NS.DAV, 'current-user-principal') : null;
      if (childOf(current, NS.DAV, 'unauthenticated')) {
        // RFC 5397 §3: the answer was given to nobody (Cyrus answers PROPFIND / so, without a 401).
        if (login) {
          throw new DavlensFailure(
            davlensError(
              'bad-response',
              `${new URL(url).host} still answers as if to nobody (an unauthenticated current-user-principal) after logging in as ${this.ctx.session.username ?? 'you'} (${url}).`,
              step,
              { url },
            ),
          );
        }
        this.note('principal', kind, quirkNote('unauthenticated-principal', url));
        login = true;
        visited.delete(url);
        continue;
      }
      const principal = self ? hrefsIn(current, url)[0] : undefined;
      if (!principal) {
        // RFC 6764 §6: without current-user-principal the context URL itself may be the principal.
        this.note('principal', kind, `${url} names no current-user-principal: using it as the principal.`);
        return { context: url, principal: url };
      }
      this.note('principal', kind, `current-user-principal of ${url} is ${principal}.`);
      return { context: url, principal };
    }
  }

  private followRedirect(kind: ServiceKind, from: string, res: HttpResponse, step: Step): string {
    const target = redirectTarget(from, res, step);
    this.note(step, kind, `${res.status} redirect from ${from} to ${target.href}.`);
    if (!this.ctx.session.isTrusted(target.hostname)) throw new NeedsApprovalError(target.hostname, target.href);
    return target.href;
  }

  private async homeSets(kind: ServiceKind, principal: string): Promise<{ homeSets: string[]; scheduling: string[] }> {
    const res = await this.propfind(principal, HOME_SETS_BODY, 'home-sets');
    const ms = readMultistatus(res, 'home-sets', 'the home sets');
    const self = responseFor(ms, principal);
    const hrefs = (ns: string, local: string) => (self ? hrefsIn(okProp(self, ns, local), principal) : []);
    const homeSets = hrefs(SERVICE[kind].homeSetNs, SERVICE[kind].homeSet);
    if (homeSets.length === 0) {
      throw new DavlensFailure(
        davlensError(
          'service-not-found',
          `The principal ${principal} has no ${SERVICE[kind].homeSet}: this account has no ${SERVICE[kind].label} service there.`,
          'home-sets',
          { url: principal },
        ),
      );
    }
    const scheduling = kind === 'caldav' ? [...hrefs(NS.CALDAV, 'schedule-inbox-URL'), ...hrefs(NS.CALDAV, 'schedule-outbox-URL')] : [];
    return { homeSets, scheduling };
  }

  /** The DAV header names calendar-access / addressbook (quirk dav-header-on-options-only: Radicale's comes with OPTIONS only). */
  private async confirmCapability(kind: ServiceKind, principal: string, homeSets: string[]): Promise<void> {
    const capability = SERVICE[kind].capability;
    const target = homeSets[0] ?? principal;
    if (this.ctx.session.davClassesOf(target).has(capability)) return;
    const res = await this.ctx.session.cached({ method: 'OPTIONS', url: principal, step: 'capabilities' });
    if (this.ctx.session.davClassesOf(target).has(capability)) return;
    // Servers and RFC disagree here: some proxies strip the DAV header. A home set was announced, which is
    // the stronger evidence, so discovery goes on and says so.
    this.note(
      'capabilities',
      kind,
      `The server does not announce "${capability}" in its DAV header (OPTIONS answered ${res.status}); going on because the principal names a home set.`,
    );
  }

  private async propfind(url: string, body: string, step: Step): Promise<HttpResponse> {
    return this.ctx.session.cached(propfindRequest(url, body, step));
  }
}

function propfindRequest(url: string, body: string, step: Step): HttpRequest {
  return davHttpRequest({ method: 'PROPFIND', url, depth: '0', body, step });
}

/**
 * A verdict that ends this service's discovery as it is (a refused password, no service there): it is not a
 * failed step that the next way of looking may get past.
 */
function endsDiscovery(e: DavlensError): boolean {
  return e.code === 'auth-failed' || e.code === 'auth-stopped' || e.code === 'service-not-found' || e.code === 'service-not-offered';
}

/** Errors that say the request to a context URL itself failed, not what its answer held. */
const CONTEXT_FAILURES: ReadonlySet<DavlensError['code']> = new Set([
  'network',
  'timeout',
  'dns-failed',
  'tls-untrusted',
  'tls-pin-mismatch',
  'http-status',
  'redirect-loop',
  'insecure-refused',
]);

/** Errors the not-found list says in full ("the host name x does not resolve", "answered 404"). */
const TOLD_BY_THE_LIST: ReadonlySet<DavlensError['code']> = new Set(['network', 'timeout', 'dns-failed', 'http-status', 'redirect-loop']);

function isUnreachable(e: DavlensError): boolean {
  return e.code === 'network' || e.code === 'timeout' || e.code === 'dns-failed' || e.code === 'tls-untrusted' || e.code === 'tls-pin-mismatch';
}

function defaultPort(scheme: 'https' | 'http'): number {
  return scheme === 'https' ? 443 : 80;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
