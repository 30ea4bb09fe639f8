import { describe, expect, it } from 'vitest';
import { isInsideDomain, splitEmail } from '../../electron/engine/net/trust.ts';
import { bypassesProxy, redactHeaders } from '../../electron/engine/net/http.ts';
import { traceEntryToCommand } from '../../shared/curl.ts';

describe('isInsideDomain', () => {
  it('accepts the domain itself and its subdomains only', () => {
    expect(isInsideDomain('example.com', 'example.com')).toBe(true);
    expect(isInsideDomain('DAV.Example.com', 'example.com')).toBe(true);
    expect(isInsideDomain('dav.example.com.', 'example.com')).toBe(true);
    expect(isInsideDomain('badexample.com', 'example.com')).toBe(false);
    expect(isInsideDomain('example.com.evil.org', 'example.com')).toBe(false);
    expect(isInsideDomain('com', 'example.com')).toBe(false);
  });
});

describe('splitEmail', () => {
  it('splits at the last @ and rejects non-addresses', () => {
    expect(splitEmail('a@b@Example.COM')).toEqual({ local: 'a@b', domain: 'example.com' });
    expect(splitEmail('nobody')).toBeNull();
    expect(splitEmail('@example.com')).toBeNull();
    expect(splitEmail('a@')).toBeNull();
    expect(splitEmail('a@exa mple.com')).toBeNull();
  });
});

describe('NO_PROXY', () => {
  it('matches suffixes, ports and *', () => {
    const u = new URL('https://dav.example.test:8443/');
    expect(bypassesProxy(u, 'example.test')).toBe(true);
    expect(bypassesProxy(u, '.example.test')).toBe(true);
    expect(bypassesProxy(u, 'other.test, dav.example.test:8443')).toBe(true);
    expect(bypassesProxy(u, 'dav.example.test:443')).toBe(false);
    expect(bypassesProxy(u, 'ample.test')).toBe(false);
    expect(bypassesProxy(u, '*')).toBe(true);
    expect(bypassesProxy(u, undefined)).toBe(false);
  });
});

describe('trace redaction and curl rendering', () => {
  it('never keeps credentials, but keeps the scheme', () => {
    const h = redactHeaders({ Authorization: 'Basic YWxpY2U6c2VjcmV0', Cookie: 's=1', Depth: '0' });
    expect(h).toEqual({ Authorization: 'Basic <redacted>', Cookie: '<redacted>', Depth: '0' });
    expect(JSON.stringify(h)).not.toContain('YWxpY2U6c2VjcmV0');
  });

  it('prints an HTTP exchange as curl with the password taken from the environment', () => {
    const cmd = traceEntryToCommand({
      kind: 'http',
      step: 'principal',
      method: 'PROPFIND',
      url: 'https://dav.example.test/dav/',
      requestHeaders: { Depth: '0', Authorization: 'Digest <redacted>' },
      requestBody: "<d:propfind xmlns:d='DAV:'/>",
      status: 207,
      responseHeaders: {},
      responseBody: null,
      error: null,
      ms: 12,
    });
    expect(cmd).toContain(
      "curl -sS -X PROPFIND -H 'Depth: 0' --digest -u \"$DAVLENS_USER:$DAVLENS_PASSWORD\" --data-binary '<d:propfind xmlns:d='\\''DAV:'\\''/>' https://dav.example.test/dav/",
    );
    expect(cmd).toContain('# -> 207 (12 ms)');
  });

  it('prints a DNS query as dig against the configured server', () => {
    const cmd = traceEntryToCommand({
      kind: 'dns',
      step: 'srv',
      type: 'SRV',
      name: '_caldavs._tcp.example.test',
      server: '127.0.0.1:5353',
      answers: ['0 0 8443 dav.example.test'],
      error: null,
      ms: 1,
    });
    expect(cmd).toBe('dig +short SRV _caldavs._tcp.example.test @127.0.0.1 -p 5353\n# -> 0 0 8443 dav.example.test');
  });
});
