// Discovery against real servers: dnsmasq for SRV/TXT/A, nginx TLS with a self-signed certificate,
// Radicale, Xandikos and SabreDAV (Basic and Digest). Driven through the command line, as users script it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../electron/engine/store/store.ts';
import type { DiscoveryResult } from '../../shared/discovery.ts';
import type { HttpTraceEntry } from '../../shared/trace.ts';
import { loadHarness } from '../harness/env.ts';
import { runCli } from '../support/cli.ts';

const h = loadHarness();

async function discoverCli(email: string, password: string, extra: string[] = [], opts: { ca?: boolean } = {}) {
  const args = ['discover', email, '--dns', h.dns, ...(opts.ca === false ? [] : ['--ca', h.caFile]), '--json', ...extra];
  const run = await runCli(args, { DAVLENS_PASSWORD: password });
  return { ...run, result: run.json as DiscoveryResult };
}

const stepOutcomes = (r: DiscoveryResult, service: 'caldav' | 'carddav' = 'caldav') =>
  Object.fromEntries(r.steps.filter((s) => s.service === service).map((s) => [s.step, s.outcome]));
const httpEntries = (r: DiscoveryResult) => r.trace.filter((e): e is HttpTraceEntry => e.kind === 'http');
const loginAttempts = (r: DiscoveryResult) => httpEntries(r).filter((e) => e.requestHeaders.Authorization && e.status === 401).length;

describe('discovery by email through DNS', () => {
  it('SRV + TXT: both services, via srv, the full email as user name, few requests', async () => {
    const { code, result } = await discoverCli(h.users.alice.email, h.users.alice.password);
    expect(code).toBe(0);
    for (const s of [result.caldav, result.carddav]) {
      expect(s).toMatchObject({ context: 'https://dav.example.test:8443/', via: 'srv', username: 'alice@example.test', offDomain: false, needsApproval: null });
      expect(s!.principal).toBe('https://dav.example.test:8443/alice%40example.test/');
      expect(s!.homeSets).toEqual(['https://dav.example.test:8443/alice%40example.test/']);
    }
    expect(result.errors).toEqual([]);
    // Nothing asked twice: the principal and home-set PROPFINDs are shared by both services.
    const answered = httpEntries(result)
      .filter((e) => e.status !== 401)
      .map((e) => `${e.method} ${e.url}`);
    expect(new Set(answered).size).toBe(answered.length);
    expect(httpEntries(result).length).toBeLessThanOrEqual(8);
    // The plain _caldav record of example.test is never used when _caldavs exists.
    expect(httpEntries(result).every((e) => e.url.startsWith('https://'))).toBe(true);
    // Each step says what ran: SRV and TXT gave the way in, the well-known address was not needed.
    for (const service of ['caldav', 'carddav'] as const) {
      expect(stepOutcomes(result, service)).toEqual({
        'server-url': 'skipped',
        srv: 'done',
        txt: 'done',
        'well-known': 'skipped',
        principal: 'done',
        'home-sets': 'done',
      });
    }
  });

  it('the trace never holds the password', async () => {
    const { result, stdout } = await discoverCli(h.users.alice.email, h.users.alice.password);
    expect(stdout).not.toContain(h.users.alice.password);
    expect(stdout).not.toContain(Buffer.from(`${h.users.alice.username}:${h.users.alice.password}`).toString('base64'));
    expect(httpEntries(result).some((e) => e.requestHeaders.Authorization === 'Basic <redacted>')).toBe(true);
  });

  it('SRV without TXT: /.well-known on the SRV target, following its redirect', async () => {
    const { code, result } = await discoverCli('alice@notxt.test', 'alicepw', ['--user', 'alice@example.test']);
    expect(code).toBe(0);
    expect(result.caldav).toMatchObject({ via: 'srv', context: 'https://dav.notxt.test:8443/', username: 'alice@example.test' });
    expect(httpEntries(result)[0]!.url).toBe('https://dav.notxt.test:8443/.well-known/caldav');
  });

  it('a TXT path that 404s is retried with the well-known path', async () => {
    const { code, result } = await discoverCli('alice@txt404.test', 'alicepw', ['--user', 'alice@example.test']);
    expect(code).toBe(0);
    expect(result.caldav).toMatchObject({ via: 'srv', context: 'https://dav.txt404.test:8443/' });
    const urls = httpEntries(result).map((e) => `${e.status} ${e.url}`);
    expect(urls).toContain('404 https://dav.txt404.test:8443/no/such/path/');
    expect(urls).toContain('301 https://dav.txt404.test:8443/.well-known/caldav');
  });

  it('two SRV priorities: the first target is down, the second answers', async () => {
    const { code, result } = await discoverCli('alice@priority.test', 'alicepw', ['--user', 'alice@example.test']);
    expect(code).toBe(0);
    expect(result.caldav).toMatchObject({ via: 'srv', context: 'https://dav.priority.test:8443/' });
    const failed = httpEntries(result).filter((e) => e.url.startsWith('https://down.priority.test:8499/'));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((e) => e.status === null && e.error)).toBe(true);
  });

  it('a "." target: decidedly not offered, and nothing else is tried', async () => {
    const { code, result } = await discoverCli('alice@dot.test', 'alicepw');
    expect(code).toBe(1);
    expect(result.caldav).toBeNull();
    expect(result.carddav).toBeNull();
    expect(result.errors.map((e) => e.code)).toEqual(['service-not-offered', 'service-not-offered']);
    expect(result.errors[0]!.message).toMatch(/offers no CalDAV service/);
    expect(httpEntries(result)).toHaveLength(0);
  });

  it('no SRV: https://<domain>/.well-known on 443, relative (caldav) and absolute (carddav) redirects', async () => {
    const { code, result } = await discoverCli('alice@bare.test', 'alicepw', ['--user', 'alice@example.test']);
    expect(code).toBe(0);
    // No SRV record is "not found", not a step that succeeded.
    expect(stepOutcomes(result)).toMatchObject({ srv: 'not-found', txt: 'skipped', 'well-known': 'done', principal: 'done' });
    expect(result.caldav).toMatchObject({ via: 'well-known', context: 'https://bare.test/' });
    expect(result.carddav).toMatchObject({ via: 'well-known', context: 'https://bare.test/' });
    const redirects = httpEntries(result)
      .filter((e) => e.status === 301)
      .map((e) => e.responseHeaders.location);
    expect(redirects).toContain('/');
    expect(redirects).toContain('https://bare.test/');
  });

  it('a chain of 302, 307 and 308 redirects inside the domain is followed', async () => {
    const { code, result } = await discoverCli('alice@chain.test', 'alicepw', ['--user', 'alice@example.test']);
    expect(code).toBe(0);
    expect(result.caldav).toMatchObject({ via: 'well-known', context: 'https://dav.chain.test:8443/' });
    expect(httpEntries(result).map((e) => e.status)).toEqual(expect.arrayContaining([302, 307, 308]));
  });

  it('a redirect from https to http is refused although the http server would answer', async () => {
    const { code, result } = await discoverCli('alice@downgrade.test', 'alicepw', ['--user', 'alice@example.test', '--insecure-http']);
    expect(code).toBe(1);
    expect(result.errors.some((e) => e.code === 'insecure-refused' || /downgrade/.test(e.message))).toBe(true);
    expect(httpEntries(result).some((e) => e.url.startsWith('http://'))).toBe(false);
  });

  it('a redirect loop ends with a clear error', async () => {
    const { code, result } = await discoverCli('alice@loop.test', 'alicepw', ['--user', 'alice@example.test']);
    expect(code).toBe(1);
    expect(result.errors.some((e) => /loop/.test(e.message))).toBe(true);
    expect(httpEntries(result).length).toBeLessThanOrEqual(2 * 11);
  });

  it('an off-domain SRV target needs approval: no password is sent until --trust-host', async () => {
    const first = await discoverCli('carol@offsrv.test', 'carolpw', ['--user', 'carol@offdomain.test']);
    expect(first.code).toBe(1);
    expect(first.result.caldav).toMatchObject({ needsApproval: 'dav.elsewhere.test', offDomain: true, principal: null, username: null });
    expect(first.result.errors.some((e) => e.code === 'needs-approval' && e.host === 'dav.elsewhere.test')).toBe(true);
    expect(httpEntries(first.result)).toHaveLength(0);

    const approved = await discoverCli('carol@offsrv.test', 'carolpw', ['--user', 'carol@offdomain.test', '--trust-host', 'dav.elsewhere.test']);
    expect(approved.code).toBe(0);
    expect(approved.result.caldav).toMatchObject({
      via: 'srv',
      context: 'https://dav.elsewhere.test:8443/',
      offDomain: true,
      needsApproval: null,
      username: 'carol@offdomain.test',
    });
  });

  // The CLI and the service add accounts through one use case (app/engine.ts): a rediscovery keeps what was
  // approved, and the CA a run was given is not stored with the account (the CLI used to store it, and asked
  // for the approval again).
  it('a rediscovery in the same profile keeps the approved host, and no CA is stored with the account', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'davlens-rediscover-'));
    try {
      const flags = ['--user', 'carol@offdomain.test', '--profile', profile];
      expect((await discoverCli('carol@offsrv.test', 'carolpw', [...flags, '--trust-host', 'dav.elsewhere.test'])).code).toBe(0);
      const again = await discoverCli('carol@offsrv.test', 'carolpw', flags);
      expect(again.code).toBe(0);
      expect(again.result.caldav).toMatchObject({ context: 'https://dav.elsewhere.test:8443/', needsApproval: null });
      const store = Store.open(profile);
      try {
        const account = store.getAccount('carol@offsrv.test')!;
        expect(account.approvedHosts).toEqual(['dav.elsewhere.test']);
        expect(account.options.ca).toBeUndefined();
      } finally {
        store.close();
      }
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });

  it('a well-known redirect to another domain needs approval before credentials go there', async () => {
    const first = await discoverCli('carol@offdomain.test', 'carolpw');
    expect(first.result.caldav).toMatchObject({ needsApproval: 'dav.elsewhere.test' });
    expect(httpEntries(first.result).every((e) => !e.requestHeaders.Authorization)).toBe(true);
    const approved = await discoverCli('carol@offdomain.test', 'carolpw', ['--trust-host', 'dav.elsewhere.test']);
    expect(approved.code).toBe(0);
    expect(approved.result.carddav).toMatchObject({ via: 'well-known', offDomain: true, username: 'carol@offdomain.test' });
  });

  it('a wrong password: one clear error and two login attempts in all (no storm)', async () => {
    const { code, result, stderr } = await discoverCli(h.users.alice.email, 'wrong-password');
    expect(code).toBe(1);
    expect(result.caldav).toBeNull();
    expect(result.carddav).toBeNull();
    const auth = result.errors.filter((e) => e.code === 'auth-failed');
    expect(auth).toHaveLength(1);
    expect(auth[0]!.message).toMatch(/rejected the password for alice@example.test and alice/);
    expect(loginAttempts(result)).toBe(2);
    expect(stderr).toMatch(/rejected the password/);
  });

  it('the local part is tried once when the full address is rejected', async () => {
    const { code, result } = await discoverCli(h.users.bob.email, h.users.bob.password);
    expect(code).toBe(0);
    expect(result.caldav!.username).toBe('bob');
    expect(result.carddav!.username).toBe('bob');
    expect(result.caldav!.principal).toBe('https://dav.example.test:8443/bob/');
    expect(loginAttempts(result)).toBe(1);
  });

  it('SabreDAV with Digest: logs in with Digest, finds both home sets', async () => {
    const { code, result } = await discoverCli('dave@digest.test', 'davepw');
    expect(code).toBe(0);
    expect(result.caldav).toMatchObject({ via: 'srv', username: 'dave', principal: 'https://dav.digest.test:8446/principals/dave/' });
    expect(result.caldav!.homeSets).toEqual(['https://dav.digest.test:8446/calendars/dave/']);
    expect(result.carddav!.homeSets).toEqual(['https://dav.digest.test:8446/addressbooks/dave/']);
    expect(httpEntries(result).some((e) => e.requestHeaders.Authorization === 'Digest <redacted>')).toBe(true);
  });

  it('SabreDAV with Basic and Xandikos behind nginx', async () => {
    const sabre = await discoverCli('dave@sabre.test', 'davepw');
    expect(sabre.code).toBe(0);
    expect(sabre.result.carddav!.homeSets).toEqual(['https://dav.sabre.test:8445/addressbooks/dave/']);
    const x = await discoverCli(h.users.xandikos.email, h.users.xandikos.password);
    expect(x.code).toBe(0);
    expect(x.result.caldav).toMatchObject({
      principal: 'https://dav.xandikos.test:8444/alice/',
      homeSets: ['https://dav.xandikos.test:8444/alice/calendars/'],
    });
    expect(x.result.carddav!.homeSets).toEqual(['https://dav.xandikos.test:8444/alice/contacts/']);
  });

  it('a self-signed certificate is refused by default, with what a person needs to decide', async () => {
    const { code, result } = await discoverCli(h.users.alice.email, h.users.alice.password, [], { ca: false });
    expect(code).toBe(1);
    const tls = result.errors.find((e) => e.code === 'tls-untrusted');
    expect(tls?.certificate).toMatchObject({ host: 'dav.example.test', port: 8443, spkiPin: h.certSpkiPin });
    expect(tls!.certificate!.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(tls!.certificate!.subject).toContain('CN=dav.example.test');
    expect(httpEntries(result).every((e) => !e.requestHeaders.Authorization)).toBe(true);
  });

  it('accepted with --pin alone (no CA), and a wrong pin is refused', async () => {
    const pinned = await discoverCli(h.users.alice.email, h.users.alice.password, ['--pin', `dav.example.test:8443=${h.certSpkiPin}`], { ca: false });
    expect(pinned.code).toBe(0);
    expect(pinned.result.caldav!.principal).toBe('https://dav.example.test:8443/alice%40example.test/');
    const wrong = await discoverCli(
      h.users.alice.email,
      h.users.alice.password,
      ['--pin', 'dav.example.test:8443=sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
      { ca: false },
    );
    expect(wrong.code).toBe(1);
    expect(wrong.result.errors.some((e) => e.code === 'tls-pin-mismatch')).toBe(true);
  });

  it('a typed server URL (the principal) skips DNS and well-known', async () => {
    const { code, result } = await discoverCli(h.users.alice.email, h.users.alice.password, ['--server', 'https://dav.example.test:8443/alice@example.test/']);
    expect(code).toBe(0);
    expect(result.caldav).toMatchObject({ via: 'manual', principal: 'https://dav.example.test:8443/alice%40example.test/' });
    expect(result.trace.filter((e) => e.kind === 'dns' && (e.type === 'SRV' || e.type === 'TXT'))).toHaveLength(0);
  });

  it('a typed server URL whose host does not resolve says so, as the server URL step that failed', async () => {
    const { code, result } = await discoverCli(h.users.alice.email, h.users.alice.password, ['--server', 'https://nohost.example.test:8443/']);
    expect(code).toBe(1);
    expect(result.errors.map((e) => e.code)).toEqual(['dns-failed']);
    expect(stepOutcomes(result)).toEqual({
      'server-url': 'failed',
      srv: 'skipped',
      txt: 'skipped',
      'well-known': 'skipped',
      principal: 'skipped',
      'home-sets': 'skipped',
    });
    expect(result.steps.find((s) => s.step === 'server-url')!.detail).toBe(
      'https://nohost.example.test:8443/: the host name nohost.example.test does not resolve.',
    );
  });

  it('a domain with nothing: one not-found error per service, each attempt once, in plain prose', async () => {
    const { code, result } = await discoverCli('alice@nothing-here.test', 'alicepw');
    expect(code).toBe(1);
    expect(result.errors.map((e) => e.code)).toEqual(['service-not-found', 'service-not-found']);
    const caldav = result.errors.find((e) => e.message.includes('CalDAV'))!.message;
    expect(caldav).toBe(
      "No CalDAV service was found for nothing-here.test. Tried, in order: SRV _caldavs._tcp.nothing-here.test (no record); https://nothing-here.test/.well-known/caldav (the host name nothing-here.test does not resolve). If you know the server's address, enter it as the server URL.",
    );
    expect(stepOutcomes(result)).toMatchObject({ srv: 'not-found', 'well-known': 'failed', principal: 'skipped' });
  });

  it('a typed URL over IPv6 loopback', async () => {
    const { code, result } = await discoverCli(h.users.alice.email, h.users.alice.password, ['--server', 'https://[::1]:8443/']);
    expect(code).toBe(0);
    expect(result.carddav!.principal).toBe('https://[::1]:8443/alice%40example.test/');
  });

  it('plain-http SRV only with --insecure-http', async () => {
    const refused = await discoverCli('alice@plain.test', 'alicepw', ['--user', 'alice@example.test']);
    expect(refused.code).toBe(1);
    expect(httpEntries(refused.result).some((e) => e.url.startsWith('http://'))).toBe(false);
    const allowed = await discoverCli('alice@plain.test', 'alicepw', ['--user', 'alice@example.test', '--insecure-http']);
    expect(allowed.code).toBe(0);
    expect(allowed.result.caldav).toMatchObject({ via: 'srv', context: 'http://dav.plain.test:8080/' });
  });
});
