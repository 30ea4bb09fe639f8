// The HTTP layer through a real CONNECT proxy (HTTPS_PROXY, NO_PROXY), and item fetching where a server
// answers a query without data (multiget) or refuses REPORT (GET each).
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Http } from '../../electron/engine/net/http.ts';
import { fetchAllItems } from '../../electron/engine/remote/members.ts';
import { Session } from '../../electron/engine/net/session.ts';
import { Trace } from '../../electron/engine/net/trace.ts';
import { discover } from '../../electron/engine/remote/discovery.ts';
import { loadHarness } from '../harness/env.ts';
import { testDnsLookup } from '../harness/seed.ts';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.ts';

const h = loadHarness();
let proxy: Server | null = null;
let scripted: ScriptedServer | null = null;
afterEach(async () => {
  if (proxy) {
    proxy.closeAllConnections();
    await new Promise((r) => proxy!.close(r));
  }
  await scripted?.close();
  proxy = null;
  scripted = null;
});

/** A minimal CONNECT proxy on loopback that resolves *.test through the harness DNS and logs each tunnel. */
async function startProxy(log: string[]): Promise<string> {
  const lookup = testDnsLookup(h.dns);
  proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client, head) => {
    log.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect({ host, port: Number(port), lookup }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

describe('HTTPS_PROXY and NO_PROXY', () => {
  it('discovery goes through the proxy, and NO_PROXY bypasses it', async () => {
    const log: string[] = [];
    const url = await startProxy(log);
    const saved = { p: process.env.HTTPS_PROXY, n: process.env.NO_PROXY };
    try {
      process.env.HTTPS_PROXY = url;
      delete process.env.NO_PROXY;
      const input = { email: h.users.alice.email, password: h.users.alice.password, server: 'https://dav.example.test:8443/', ca: h.caPem };
      const r = await discover(input);
      expect(r.caldav?.principal).toBe('https://dav.example.test:8443/alice%40example.test/');
      expect(log).toContain('dav.example.test:8443');

      log.length = 0;
      process.env.NO_PROXY = 'localhost,.example.test';
      // Bypassing the proxy, the name must resolve through the test DNS.
      const direct = await discover({ ...input, dns: h.dns });
      expect(direct.caldav?.principal).toBe('https://dav.example.test:8443/alice%40example.test/');
      expect(log).toEqual([]);
    } finally {
      if (saved.p === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = saved.p;
      if (saved.n === undefined) delete process.env.NO_PROXY;
      else process.env.NO_PROXY = saved.n;
    }
  });
});

const ics = (uid: string) =>
  `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T090000Z\r\nSUMMARY:${uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const ms = (inner: string) => `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">${inner}</d:multistatus>`;
const etagOnly = (href: string) =>
  `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:getetag>"e-${href}"</d:getetag><d:resourcetype/></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
const withData = (href: string) =>
  `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:getetag>"e-${href}"</d:getetag><c:calendar-data>${ics(href.split('/').pop()!)}</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;

function sessionFor(url: string): Session {
  const trace = new Trace();
  return new Session(
    { email: 'a@example.test', password: 'pw', user: 'a', trustHosts: [new URL(url).hostname], insecureHttp: true },
    new Http({}, trace, null),
    trace,
  );
}

describe('item fetching fallbacks', () => {
  it('a query answered with hrefs but no data is completed with one multiget', async () => {
    const bodies: string[] = [];
    scripted = await startScriptedServer(
      (req, res) => {
        const body = (req as unknown as { body: string }).body;
        bodies.push(body);
        if (body.includes('calendar-multiget'))
          res.writeHead(207).end(
            ms(
              ['/cal/a', '/cal/b']
                .filter((h) => body.includes(h))
                .map(withData)
                .join(''),
            ),
          );
        else res.writeHead(207).end(ms(etagOnly('/cal/a') + etagOnly('/cal/b')));
      },
      { captureBody: true },
    );
    const r = await fetchAllItems(sessionFor(scripted.url), `${scripted.url}cal/`, 'calendar');
    expect(r.method).toBe('query+multiget');
    expect(r.items.map((i) => i.href)).toEqual([`${scripted.url}cal/a`, `${scripted.url}cal/b`]);
    expect(r.items[0]!.data).toBe(ics('a'));
    expect(bodies).toHaveLength(2);
  });

  it('where REPORT is refused: PROPFIND for the hrefs, then GET each (names without extensions kept)', async () => {
    scripted = await startScriptedServer((req, res) => {
      if (req.method === 'REPORT') return void res.writeHead(501).end();
      if (req.method === 'PROPFIND')
        return void res
          .writeHead(207)
          .end(
            ms(
              `<d:response><d:href>/cal/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>${etagOnly('/cal/one')}${etagOnly('/cal/two')}`,
            ),
          );
      const name = (req.url ?? '').split('/').pop()!;
      if (name === 'two') return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': 'text/calendar', ETag: '"g1"' }).end(ics(name));
    });
    const r = await fetchAllItems(sessionFor(scripted.url), `${scripted.url}cal/`, 'calendar');
    expect(r.method).toBe('propfind+get');
    expect(r.items).toEqual([{ href: `${scripted.url}cal/one`, etag: '"g1"', data: ics('one') }]);
    // The missing one is reported with its href, not hidden.
    expect(r.errors).toMatchObject([{ code: 'http-status', status: 404, href: `${scripted.url}cal/two` }]);
  });

  it('an answer is read in the pieces it arrives in: characters and tags split between two writes read whole', async () => {
    // A BOM, then writes of 7 bytes: they split the 4-byte emoji, the 2-byte é and every tag somewhere.
    const names = ['caf\u00e9 \u{1F600}', 'plain', 'Zo\u00eb \u0141ukasz'];
    const text = ms(names.map((n, i) => withData(`/cal/${i}`).replace(`SUMMARY:${i}`, `SUMMARY:${n}`)).join(''));
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    scripted = await startScriptedServer((_req, res) => {
      res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8' });
      const send = (at: number): void => {
        if (at >= bytes.length) return void res.end();
        res.write(bytes.subarray(at, at + 7), () => setTimeout(() => send(at + 7), 0));
      };
      send(0);
    });
    const trace = new Trace();
    const answer = await new Http({}, trace, null).request({ method: 'REPORT', url: `${scripted.url}cal/`, step: 'items' });
    expect([...answer.pieces].length).toBeGreaterThan(1);
    expect(answer.body).toBe(text);
    expect(answer.bytes).toBe(bytes.length);
    const r = await fetchAllItems(sessionFor(scripted.url), `${scripted.url}cal/`, 'calendar');
    expect(r.items.map((i) => /SUMMARY:(.*)\r\n/.exec(i.data)?.[1])).toEqual(names);
  });
});
