// What discovery says it did: each step's record (done, not found, failed, waiting, skipped) against a scripted
// server on loopback and scripted DNS answers, and the wording of a "not found" error.
import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { attemptOutcome, lookupOutcome } from '../../electron/engine/remote/discovery-steps.ts';
import { discoverIn, openConnection } from '../../electron/engine/remote/discovery.ts';
import type { Connection } from '../../electron/engine/remote/discovery.ts';
import type { DiscoveryResult, DiscoveryStep, DiscoveryStepRecord, ServiceKind } from '../../shared/discovery.ts';
import { davlensError } from '../../shared/errors.ts';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.ts';

let server: ScriptedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const ms = (inner: string) => `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">${inner}</d:multistatus>`;
const prop = (href: string, props: string) =>
  `<d:response><d:href>${href}</d:href><d:propstat><d:prop>${props}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;

/** A CalDAV server: the principal at /p/, the home set at /cal/; /.well-known/caldav redirects to /. */
function calDavServer(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/.well-known/caldav') res.writeHead(301, { Location: '/' }).end();
  else if (req.url === '/') res.writeHead(207).end(ms(prop('/', '<d:current-user-principal><d:href>/p/</d:href></d:current-user-principal>')));
  else res.writeHead(207, { DAV: '1, calendar-access' }).end(ms(prop(req.url ?? '', '<c:calendar-home-set><d:href>/cal/</d:href></c:calendar-home-set>')));
}

type SrvRecords = { name: string; port: number; priority: number; weight: number }[];
type ScriptedDns = { srv?: Record<string, SrvRecords | string>; txt?: Record<string, string[]> };

/** A DNS server's answers: SRV and TXT records as given (a string is the error code), and no name has an address. */
function scriptedResolver(dns: ScriptedDns) {
  const answer = async <T>(value: T | string | undefined): Promise<T> => {
    if (value === undefined || typeof value === 'string') throw Object.assign(new Error('no answer'), { code: value ?? 'ENOTFOUND' });
    return value;
  };
  return {
    resolveSrv: (name: string) => answer(dns.srv?.[name]),
    resolveTxt: (name: string) => answer(dns.txt?.[name]?.map((t) => [t])),
    resolve4: () => answer<string[]>(undefined),
    resolve6: () => answer<string[]>(undefined),
  };
}

/** Discovery of CalDAV for alice@example.test with the DNS answers given: only IP literals reach a host. */
async function discoverWith(input: Partial<Connection>, dns: ScriptedDns = {}): Promise<DiscoveryResult> {
  // A DNS server is named so that host lookups ask it too; its answers are scripted (nothing is sent there).
  const connection: Connection = { email: 'alice@example.test', password: 'pw', dns: '127.0.0.1:9', ...input };
  const ctx = openConnection(connection);
  (ctx.dns as unknown as { resolver: ReturnType<typeof scriptedResolver> }).resolver = scriptedResolver(dns);
  try {
    return await discoverIn(ctx, connection, ['caldav']);
  } finally {
    await ctx.close();
  }
}

function steps(r: DiscoveryResult, service: ServiceKind = 'caldav'): Record<DiscoveryStep, DiscoveryStepRecord> {
  return Object.fromEntries(r.steps.filter((s) => s.service === service).map((s) => [s.step, s])) as Record<DiscoveryStep, DiscoveryStepRecord>;
}

const outcomes = (r: DiscoveryResult) => Object.fromEntries(Object.entries(steps(r)).map(([k, s]) => [k, s.outcome]));

describe('step records', () => {
  it('a server URL given: its request is a step of its own, and DNS and well-known are skipped as not needed', async () => {
    server = await startScriptedServer(calDavServer);
    const r = await discoverWith({ server: server.url, insecureHttp: true });
    expect(r.caldav).toMatchObject({ via: 'manual', principal: `${server.url}p/` });
    expect(r.steps.map((s) => s.step)).toEqual(['server-url', 'srv', 'txt', 'well-known', 'principal', 'home-sets']);
    expect(outcomes(r)).toEqual({ 'server-url': 'done', srv: 'skipped', txt: 'skipped', 'well-known': 'skipped', principal: 'done', 'home-sets': 'done' });
    const s = steps(r);
    expect(s['server-url'].detail).toBe(`${server.url} answered.`);
    expect(s['well-known'].detail).toBe('Not needed: a server URL was given.');
    expect(s.principal.detail).toBe(`${server.url}p/.`);
    expect(s['home-sets'].detail).toBe(`calendar-home-set: ${server.url}cal/.`);
  });

  it('a server URL that answers 404: that step failed, saying so, and the later ones did not run', async () => {
    server = await startScriptedServer((_q, res) => res.writeHead(404).end());
    const r = await discoverWith({ server: server.url, insecureHttp: true });
    expect(outcomes(r)).toMatchObject({ 'server-url': 'failed', principal: 'skipped', 'home-sets': 'skipped' });
    expect(steps(r)['server-url'].detail).toBe(`${server.url}: answered 404.`);
    expect(steps(r).principal.detail).toBe('Not reached: an earlier step did not succeed.');
  });

  it('a refused password: the server URL answered, the principal step failed with the reason', async () => {
    server = await startScriptedServer((_q, res) => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' }).end());
    const r = await discoverWith({ server: server.url, insecureHttp: true, user: 'alice' });
    expect(r.errors.map((e) => e.code)).toEqual(['auth-failed']);
    expect(outcomes(r)).toMatchObject({ 'server-url': 'done', principal: 'failed', 'home-sets': 'skipped' });
    expect(steps(r).principal.detail).toBe(r.errors[0]!.message);
  });

  it('no SRV record and nothing at the well-known address: SRV is "not found" (no check mark), well-known failed', async () => {
    const r = await discoverWith({});
    expect(r.caldav).toBeNull();
    expect(outcomes(r)).toEqual({
      'server-url': 'skipped',
      srv: 'not-found',
      txt: 'skipped',
      'well-known': 'failed',
      principal: 'skipped',
      'home-sets': 'skipped',
    });
    const s = steps(r);
    expect(s['server-url'].detail).toBe('No server URL was given.');
    expect(s.srv.detail).toBe('_caldavs._tcp.example.test: no record.');
    expect(s.txt.detail).toBe('No SRV record to read a path for.');
    expect(s['well-known'].detail).toMatch(/^https:\/\/example\.test\/\.well-known\/caldav: /);
  });

  it('a SRV lookup that errs is "failed", one with no record "not found"', async () => {
    const r = await discoverWith({}, { srv: { '_caldavs._tcp.example.test': 'ETIMEOUT' } });
    expect(steps(r).srv).toMatchObject({ outcome: 'failed', detail: '_caldavs._tcp.example.test: the lookup failed (ETIMEOUT).' });
  });

  it('SRV and no TXT path: SRV done, TXT not found, the well-known address on the target done', async () => {
    server = await startScriptedServer(calDavServer);
    const port = Number(new URL(server.url).port);
    const r = await discoverWith(
      { insecureHttp: true, trustHosts: ['127.0.0.1'] },
      { srv: { '_caldav._tcp.example.test': [{ name: '127.0.0.1', port, priority: 0, weight: 0 }] } },
    );
    expect(r.caldav).toMatchObject({ via: 'srv', context: server.url });
    expect(outcomes(r)).toEqual({ 'server-url': 'skipped', srv: 'done', txt: 'not-found', 'well-known': 'done', principal: 'done', 'home-sets': 'done' });
    const s = steps(r);
    expect(s.srv.detail).toBe(`No _caldavs._tcp.example.test; _caldav._tcp.example.test names 127.0.0.1:${port}.`);
    expect(s['well-known'].detail).toBe(`${server.url}.well-known/caldav led to ${server.url}, which answered.`);
  });

  it('SRV with a TXT path that answers: the TXT step is done and the well-known address is not needed', async () => {
    server = await startScriptedServer(calDavServer);
    const port = Number(new URL(server.url).port);
    const r = await discoverWith(
      { insecureHttp: true, trustHosts: ['127.0.0.1'] },
      {
        srv: { '_caldav._tcp.example.test': [{ name: '127.0.0.1', port, priority: 0, weight: 0 }] },
        txt: { '_caldav._tcp.example.test': ['path=/'] },
      },
    );
    expect(outcomes(r)).toMatchObject({ srv: 'done', txt: 'done', 'well-known': 'skipped', principal: 'done' });
    expect(steps(r)['well-known'].detail).toBe('Not needed: the TXT path answered.');
    expect(steps(r).txt.detail).toBe(`_caldav._tcp.example.test gives the path /; ${server.url} answered.`);
  });

  it('every SRV target unreachable: the SRV step failed, naming them', async () => {
    const r = await discoverWith(
      { trustHosts: ['127.0.0.1'] },
      { srv: { '_caldavs._tcp.example.test': [{ name: '127.0.0.1', port: 1, priority: 0, weight: 0 }] } },
    );
    expect(r.caldav).toBeNull();
    expect(steps(r).srv).toMatchObject({ outcome: 'failed', detail: '_caldavs._tcp.example.test names 127.0.0.1:1, and it could not be reached.' });
    expect(steps(r)['well-known'].outcome).toBe('failed');
  });

  it('an off-domain SRV target: the principal step waits for the approval, nothing after it ran', async () => {
    const r = await discoverWith({}, { srv: { '_caldavs._tcp.example.test': [{ name: 'dav.elsewhere.test', port: 443, priority: 0, weight: 0 }] } });
    expect(r.caldav).toMatchObject({ needsApproval: 'dav.elsewhere.test' });
    expect(outcomes(r)).toMatchObject({ srv: 'done', txt: 'not-found', 'well-known': 'skipped', principal: 'waiting', 'home-sets': 'skipped' });
    expect(steps(r).principal.detail).toMatch(/dav\.elsewhere\.test is outside example.test/);
  });
});

describe('the "not found" error', () => {
  it('lists each attempt once, in plain prose, and is not repeated by the errors of its attempts', async () => {
    const r = await discoverWith({});
    expect(r.errors.map((e) => e.code)).toEqual(['service-not-found']);
    const message = r.errors[0]!.message;
    expect(message).toMatch(
      /^No CalDAV service was found for example\.test\. Tried, in order: SRV _caldavs\._tcp\.example\.test \(no record\); https:\/\/example\.test\/\.well-known\/caldav \(the host name example\.test does not resolve\)\. If you know the server's address, enter it as the server URL\.$/,
    );
    expect(message).not.toContain('.)');
    expect(message.match(/well-known\/caldav/g)).toHaveLength(1);
  });

  it('says how each attempt ended in a few words', () => {
    const at = (code: Parameters<typeof davlensError>[0], message: string, status: number | null = null) =>
      attemptOutcome(davlensError(code, message, 'well-known', { url: 'https://dav.nowhere.test/x', status }));
    expect(at('dns-failed', 'The host name dav.nowhere.test could not be resolved (ENOTFOUND).')).toBe('the host name dav.nowhere.test does not resolve');
    expect(at('http-status', 'x answered 404 when asked for y (z).', 404)).toBe('answered 404');
    expect(at('timeout', 'No answer after 30 s.')).toBe('no answer in time');
    expect(at('network', 'Could not connect to dav.nowhere.test (ECONNREFUSED).')).toBe('could not connect: ECONNREFUSED');
    expect(at('redirect-loop', 'x redirected in a loop (11 hops from a, back to b).')).toBe('redirects in a loop');
    expect(at('bad-response', 'x closed the connection before the response was complete.')).toBe('x closed the connection before the response was complete');
    expect(lookupOutcome('ENOTFOUND')).toEqual({ outcome: 'not-found', text: 'no record' });
    expect(lookupOutcome('ESERVFAIL')).toEqual({ outcome: 'failed', text: 'the lookup failed (ESERVFAIL)' });
  });
});
