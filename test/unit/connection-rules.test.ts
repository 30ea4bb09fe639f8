// Pure rules of accounts.ts, sync.ts and session.ts: what a re-discovery keeps, which flags of a run apply to
// a stored account, and when Retry-After is waited for.
import { describe, expect, it } from 'vitest';
import type { DiscoveryResult, ServiceResult } from '../../shared/discovery.ts';
import { accountFromDiscovery } from '../../electron/engine/app/accounts.ts';
import { canonicalUrl } from '../../shared/href.ts';
import { retryAfterMs } from '../../electron/engine/net/session.ts';
import { accountInput } from '../../electron/engine/app/accounts.ts';

const service = (home: string): ServiceResult => ({
  context: 'https://dav.example.test/',
  via: 'manual',
  principal: 'https://dav.example.test/p/',
  homeSets: [home],
  username: 'alice',
  offDomain: false,
  needsApproval: null,
});
const result = (caldav: ServiceResult | null, carddav: ServiceResult | null): DiscoveryResult => ({ caldav, carddav, errors: [], trace: [], steps: [] });
const input = { email: 'alice@example.test', password: 'pw' };

describe('accountFromDiscovery', () => {
  it('keeps a service the account had when a re-discovery does not find it (its collections must not go)', () => {
    const first = accountFromDiscovery(input, result(service('https://dav.example.test/cal/'), service('https://dav.example.test/card/')), null);
    const again = accountFromDiscovery(input, result(service('https://dav.example.test/cal2/'), null), first);
    expect(again.caldav!.homeSets).toEqual(['https://dav.example.test/cal2/']);
    expect(again.carddav!.homeSets).toEqual(['https://dav.example.test/card/']);
    expect(accountFromDiscovery(input, result(service('https://dav.example.test/cal/'), null), null).carddav).toBeNull();
    // Asked of another server (the account moved), nothing of the old one is kept: no password goes there.
    const moved = accountFromDiscovery({ ...input, server: 'https://new.example.test/' }, result(service('https://new.example.test/cal/'), null), first);
    expect(moved.carddav).toBeNull();
  });
});

describe('accountInput', () => {
  it('a stored account keeps plain http once allowed, and takes --insecure-http and --trace-bodies of this run', () => {
    const strict = accountFromDiscovery({ ...input, insecureHttp: false }, result(service('http://dav.example.test/cal/'), null), null);
    expect(accountInput(strict, 'pw').insecureHttp).toBe(false);
    expect(accountInput(strict, 'pw', { insecureHttp: true, traceBodies: true })).toMatchObject({ insecureHttp: true, traceBodies: true });
    const lax = accountFromDiscovery({ ...input, insecureHttp: true }, result(service('http://dav.example.test/cal/'), null), null);
    expect(accountInput(lax, 'pw', { insecureHttp: false }).insecureHttp).toBe(true);
  });
});

describe('retryAfterMs', () => {
  const res = (status: number, v?: string): { status: number; headers: Record<string, string> } => ({
    status,
    headers: v === undefined ? {} : { 'retry-after': v },
  });
  it('reads seconds (decimals too) and HTTP dates on 429 and 503 only', () => {
    expect(retryAfterMs(res(429, '2'))).toBe(2000);
    expect(retryAfterMs(res(503, ' 1.5 '))).toBe(1500);
    expect(retryAfterMs(res(503, new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString()), Date.UTC(2026, 0, 1))).toBe(30_000);
    expect(retryAfterMs(res(503, 'Thu, 01 Jan 2026 00:00:00 GMT'), Date.UTC(2026, 0, 1, 0, 1))).toBe(0);
    expect(retryAfterMs(res(500, '2'))).toBeNull();
    expect(retryAfterMs(res(429))).toBeNull();
    expect(retryAfterMs(res(429, 'soon'))).toBeNull();
  });
  it('does not cut a longer wait short: over a minute, the answer stands', () => {
    expect(retryAfterMs(res(429, '60'))).toBe(60_000);
    expect(retryAfterMs(res(429, '3600'))).toBeNull();
  });
});

describe('canonicalUrl', () => {
  it('spells one resource one way whatever the server sent, and is idempotent', () => {
    const cases: [string, string][] = [
      ['https://h/a@b.ics', 'https://h/a%40b.ics'],
      ['https://h/a%40b.ics', 'https://h/a%40b.ics'],
      ['https://h/a%41+b', 'https://h/aA%2Bb'],
      ['https://h/%c3%a9t%C3%A9 x.ics', 'https://h/%C3%A9t%C3%A9%20x.ics'],
      ['https://h/été x.ics', 'https://h/%C3%A9t%C3%A9%20x.ics'],
      ['https://h/p%7e~', 'https://h/p~~'],
      // An encoded slash belongs to its segment; a malformed escape stays as it is; a literal % stays encoded.
      ['https://h/a%2Fb/c', 'https://h/a%2Fb/c'],
      ['https://h/x%zz/y', 'https://h/x%zz/y'],
      ['https://h/%25', 'https://h/%25'],
      ['https://H:443/cal/', 'https://h/cal/'],
    ];
    for (const [raw, want] of cases) {
      expect(canonicalUrl(raw)).toBe(want);
      expect(canonicalUrl(want)).toBe(want);
    }
  });
});
