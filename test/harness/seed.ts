// Fixture upload for integration tests, over plain undici fetch (independent of the client under test).
// Host names resolve through the harness DNS and TLS trusts the harness certificate, so every endpoint URL works.
import { Resolver } from 'node:dns/promises';
import { lookup as systemLookup } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, fetch } from 'undici';
import type { Headers } from 'undici';
import { loadHarness } from './env.ts';

/** A net/tls `lookup` that asks the test DNS for *.test names (fetch would otherwise use getaddrinfo). */
export function testDnsLookup(dnsServer: string): LookupFunction {
  const resolver = new Resolver({ timeout: 1000, tries: 2 });
  resolver.setServers([dnsServer]);
  return (hostname, options, callback) => {
    if (!hostname.endsWith('.test')) {
      systemLookup(hostname, options, callback);
      return;
    }
    void Promise.all([resolver.resolve4(hostname).catch(() => []), resolver.resolve6(hostname).catch(() => [])]).then(([v4, v6]) => {
      const all: LookupAddress[] = [...v4.map((address) => ({ address, family: 4 })), ...v6.map((address) => ({ address, family: 6 }))].filter(
        (a) => !options.family || a.family === options.family,
      );
      const first = all[0];
      if (!first) {
        const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname} (test DNS ${dnsServer})`);
        err.code = 'ENOTFOUND';
        callback(err, '', 0);
      } else if (options.all) {
        callback(null, all);
      } else {
        callback(null, first.address, first.family);
      }
    });
  };
}

let dispatcher: Agent | undefined;

/** One undici Agent trusting the harness CA and resolving through the harness DNS. */
export function harnessDispatcher(): Agent {
  if (!dispatcher) {
    const harness = loadHarness();
    dispatcher = new Agent({ connect: { ca: harness.caPem, lookup: testDnsLookup(harness.dns) } });
  }
  return dispatcher;
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

export interface DavResponse {
  status: number;
  headers: Headers;
  body: string;
}

export interface DavRequestOptions {
  /** Authorization header value, e.g. basicAuth(user, pw). */
  auth?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request, redirects NOT followed: tests look at 3xx answers themselves. */
export async function davRequest(method: string, url: string, opts: DavRequestOptions = {}): Promise<DavResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.auth) headers.Authorization = opts.auth;
  const res = await fetch(url, { method, headers, body: opts.body, redirect: 'manual', dispatcher: harnessDispatcher() });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

async function expectSuccess(method: string, url: string, opts: DavRequestOptions): Promise<DavResponse> {
  const res = await davRequest(method, url, opts);
  if (res.status < 200 || res.status > 299) {
    throw new Error(`seed: ${method} ${url} answered ${res.status}: ${res.body.slice(0, 500)}`);
  }
  return res;
}

function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const XML = { 'Content-Type': 'application/xml; charset=utf-8' };

export interface CalendarOptions {
  displayName?: string;
  /** #RRGGBB or #RRGGBBAA (Apple calendar-color). */
  color?: string;
  /** Apple calendar-order. */
  order?: number;
  components?: ('VEVENT' | 'VTODO')[];
}

/** MKCALENDAR; throws unless 2xx. */
export function mkcalendar(url: string, auth: string, opts: CalendarOptions = {}): Promise<DavResponse> {
  const props: string[] = [];
  if (opts.displayName !== undefined) props.push(`<D:displayname>${xmlText(opts.displayName)}</D:displayname>`);
  if (opts.color !== undefined) props.push(`<A:calendar-color>${xmlText(opts.color)}</A:calendar-color>`);
  if (opts.order !== undefined) props.push(`<A:calendar-order>${opts.order}</A:calendar-order>`);
  if (opts.components) {
    const comps = opts.components.map((c) => `<C:comp name="${c}"/>`).join('');
    props.push(`<C:supported-calendar-component-set>${comps}</C:supported-calendar-component-set>`);
  }
  // No body at all when nothing is set: an empty <D:prop/> is rejected by some servers.
  if (props.length === 0) return expectSuccess('MKCALENDAR', url, { auth });
  const body =
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:A="http://apple.com/ns/ical/">' +
    `<D:set><D:prop>${props.join('')}</D:prop></D:set></C:mkcalendar>`;
  return expectSuccess('MKCALENDAR', url, { auth, headers: XML, body });
}

/** Extended MKCOL (RFC 5689) with an addressbook resourcetype; a bare MKCOL makes a plain collection. Throws unless 2xx. */
export function mkAddressbook(url: string, auth: string, opts: { displayName?: string } = {}): Promise<DavResponse> {
  const name = opts.displayName === undefined ? '' : `<D:displayname>${xmlText(opts.displayName)}</D:displayname>`;
  const body =
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">' +
    `<D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/></D:resourcetype>${name}</D:prop></D:set></D:mkcol>`;
  return expectSuccess('MKCOL', url, { auth, headers: XML, body });
}

/** PUT, e.g. contentType 'text/calendar; charset=utf-8' or 'text/vcard; charset=utf-8'. Throws unless 2xx. */
export function put(url: string, auth: string, body: string, contentType: string): Promise<DavResponse> {
  return expectSuccess('PUT', url, { auth, headers: { 'Content-Type': contentType }, body });
}

/** DELETE; throws unless 2xx. */
export function del(url: string, auth: string): Promise<DavResponse> {
  return expectSuccess('DELETE', url, { auth });
}
