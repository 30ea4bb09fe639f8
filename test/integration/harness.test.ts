// Smoke test of the harness itself: every server, DNS record and nginx route answers as the other
// integration tests assume. When this fails, fix the harness before reading any other failure.
import { createHash, randomUUID } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { spkiPin } from '../harness/certs.ts';
import { HOST_NAMES, SRV_RECORDS, TXT_RECORDS } from '../harness/dns-records.ts';
import { loadHarness } from '../harness/env.ts';
import type { HarnessUser } from '../harness/servers.ts';
import { basicAuth, davRequest, del, mkAddressbook, mkcalendar, put } from '../harness/seed.ts';
import type { DavResponse } from '../harness/seed.ts';

const h = loadHarness();
const { alice, bob, carol, xandikos, dave, davical, cyrus, sogo } = h.users;

const PROPFIND_PRINCIPAL =
  '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:current-user-principal/><D:displayname/></D:prop></D:propfind>';
const XML = { 'Content-Type': 'application/xml; charset=utf-8' };

function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

/** Digest (qop=auth) in two steps: take the server's challenge, answer it. */
async function digestRequest(method: string, url: string, user: HarnessUser, password: string, body?: string): Promise<DavResponse> {
  const headers = body === undefined ? {} : XML;
  const first = await davRequest(method, url, { headers, body });
  expect(first.status).toBe(401);
  const challenge = first.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Digest /);
  const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(challenge)?.[1] ?? '';
  const uri = new URL(url).pathname;
  const nc = '00000001';
  const cnonce = randomUUID().replaceAll('-', '');
  const ha1 = md5(`${user.username}:${param('realm')}:${password}`);
  const response = md5(`${ha1}:${param('nonce')}:${nc}:${cnonce}:auth:${md5(`${method}:${uri}`)}`);
  const auth =
    `Digest username="${user.username}", realm="${param('realm')}", nonce="${param('nonce')}", uri="${uri}", ` +
    `qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", opaque="${param('opaque')}"`;
  return davRequest(method, url, { auth, headers, body });
}

/** The current-user-principal href, namespace prefix ignored (servers use D:, d:, ns0: or a default namespace). */
function principalHref(xml: string): string | undefined {
  const m = /<(?:[\w-]+:)?current-user-principal\b[^>]*>\s*<(?:[\w-]+:)?href\b[^>]*>([^<]+)</.exec(xml);
  return m?.[1] === undefined ? undefined : decodeURIComponent(m[1]);
}

describe('harness: DAV servers', () => {
  const basic = (u: HarnessUser) => ({ user: u, auth: basicAuth(u.username, u.password) });
  const cases = [
    { name: 'Radicale http', url: h.endpoints.radicale, ...basic(alice) },
    { name: 'Radicale TLS by name', url: h.endpoints.radicaleTls, ...basic(alice) },
    { name: 'Radicale TLS 127.0.0.1', url: h.endpoints.radicaleTlsIpv4, ...basic(bob) },
    { name: 'Radicale TLS ::1', url: h.endpoints.radicaleTlsIpv6, ...basic(carol) },
    { name: 'Radicale plain via nginx 8080', url: h.endpoints.radicalePlain, ...basic(alice) },
    { name: 'Xandikos behind nginx auth', url: h.endpoints.xandikosAuth, ...basic(xandikos) },
    { name: 'Xandikos TLS', url: h.endpoints.xandikosTls, ...basic(xandikos) },
    { name: 'SabreDAV Basic http', url: h.endpoints.sabreBasic, ...basic(dave) },
    { name: 'SabreDAV Basic TLS', url: h.endpoints.sabreBasicTls, ...basic(dave) },
    { name: 'DAViCal http', url: h.endpoints.davical, ...basic(davical) },
    { name: 'DAViCal TLS', url: h.endpoints.davicalTls, ...basic(davical) },
    { name: 'Cyrus http', url: h.endpoints.cyrus, ...basic(cyrus) },
    { name: 'Cyrus TLS', url: h.endpoints.cyrusTls, ...basic(cyrus) },
    { name: 'SOGo http', url: h.endpoints.sogo, ...basic(sogo) },
    { name: 'SOGo TLS', url: h.endpoints.sogoTls, ...basic(sogo) },
  ];

  it.each(cases)('$name: PROPFIND Depth 0 with login gives 207 and the principal', async ({ url, user, auth }) => {
    const res = await davRequest('PROPFIND', url, { auth, headers: { Depth: '0', ...XML }, body: PROPFIND_PRINCIPAL });
    expect(res.status).toBe(207);
    expect(principalHref(res.body)).toBe(user.principal);
  });

  it.each([
    { name: 'SabreDAV Digest http', url: h.endpoints.sabreDigest },
    { name: 'SabreDAV Digest TLS', url: h.endpoints.sabreDigestTls },
  ])('$name: Digest login gives 207 and the principal', async ({ url }) => {
    const res = await digestRequest('PROPFIND', url, dave, dave.password, PROPFIND_PRINCIPAL);
    expect(res.status).toBe(207);
    expect(principalHref(res.body)).toBe(dave.principal);
  });

  it.each([
    { name: 'Radicale TLS', url: h.endpoints.radicaleTls, user: alice, scheme: 'Basic' },
    { name: 'Xandikos 8091', url: h.endpoints.xandikosAuth, user: xandikos, scheme: 'Basic' },
    { name: 'Xandikos TLS', url: h.endpoints.xandikosTls, user: xandikos, scheme: 'Basic' },
    { name: 'SabreDAV Basic TLS', url: h.endpoints.sabreBasicTls, user: dave, scheme: 'Basic' },
    { name: 'DAViCal TLS', url: h.endpoints.davicalTls, user: davical, scheme: 'Basic' },
    { name: 'Cyrus TLS', url: h.endpoints.cyrusTls, user: cyrus, scheme: 'Basic' },
    // SOGo writes "basic realm=...": scheme names are case-insensitive (RFC 9110 §11.1).
    { name: 'SOGo TLS', url: h.endpoints.sogoTls, user: sogo, scheme: 'Basic' },
  ])('$name: wrong password gives 401 with a $scheme challenge', async ({ url, user, scheme }) => {
    const res = await davRequest('PROPFIND', url, {
      auth: basicAuth(user.username, 'wrong-password'),
      headers: { Depth: '0', ...XML },
      body: PROPFIND_PRINCIPAL,
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(new RegExp(`^${scheme} `, 'i'));
  });

  it('SabreDAV Digest: wrong password gives 401', async () => {
    const res = await digestRequest('PROPFIND', h.endpoints.sabreDigestTls, dave, 'wrong-password', PROPFIND_PRINCIPAL);
    expect(res.status).toBe(401);
  });

  it('Radicale without credentials gives 401, and bob@example.test is not a login (only bob is)', async () => {
    const anon = await davRequest('PROPFIND', h.endpoints.radicaleTls, { headers: { Depth: '0' } });
    expect(anon.status).toBe(401);
    const full = await davRequest('PROPFIND', h.endpoints.radicaleTls, {
      auth: basicAuth(bob.email, bob.password),
      headers: { Depth: '0' },
    });
    expect(full.status).toBe(401);
  });

  it('Cyrus answers an unauthenticated PROPFIND / with 207 and <unauthenticated/> (RFC 5397 §3), deeper paths with 401', async () => {
    const root = await davRequest('PROPFIND', h.endpoints.cyrusTls, { headers: { Depth: '0', ...XML }, body: PROPFIND_PRINCIPAL });
    expect(root.status).toBe(207);
    expect(root.body).toMatch(/<(\w+:)?current-user-principal>\s*<(\w+:)?unauthenticated\s*\/>/);
    const home = await davRequest('PROPFIND', new URL('/dav/calendars/user/alice/', h.endpoints.cyrusTls).href, {
      headers: { Depth: '0', ...XML },
      body: PROPFIND_PRINCIPAL,
    });
    expect(home.status).toBe(401);
  });

  it('sogod answers / with its HTML login page, not DAV', async () => {
    const res = await davRequest('GET', `http://127.0.0.1:${h.ports.sogo}/SOGo/`);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  it.each([
    {
      name: 'DAViCal',
      user: davical,
      base: h.endpoints.davicalTls,
      paths: ['/caldav.php/alice/calendar/', '/caldav.php/alice/addresses/', '/caldav.php/alice/.in/', '/caldav.php/alice/.out/'],
    },
    {
      name: 'Cyrus',
      user: cyrus,
      base: h.endpoints.cyrusTls,
      paths: [
        '/dav/calendars/user/alice/Default/',
        '/dav/calendars/user/alice/Inbox/',
        '/dav/calendars/user/alice/Outbox/',
        '/dav/addressbooks/user/alice/Default/',
      ],
    },
    { name: 'SOGo', user: sogo, base: h.endpoints.sogoTls, paths: ['/SOGo/dav/alice/Calendar/personal/', '/SOGo/dav/alice/Contacts/personal/'] },
  ])('$name made the user its own collections', async ({ user, base, paths }) => {
    for (const path of paths) {
      const res = await davRequest('PROPFIND', new URL(path, base).href, {
        auth: basicAuth(user.username, user.password),
        headers: { Depth: '0', ...XML },
        body: PROPFIND_PRINCIPAL,
      });
      expect(res.status, path).toBe(207);
    }
  });

  it('pre-created collections exist: SabreDAV default calendar and address book, Xandikos defaults', async () => {
    for (const path of ['calendars/dave/default/', 'addressbooks/dave/default/']) {
      const res = await davRequest('PROPFIND', new URL(path, h.endpoints.sabreBasicTls).href, {
        auth: basicAuth(dave.username, dave.password),
        headers: { Depth: '0' },
      });
      expect(res.status, path).toBe(207);
    }
    for (const path of ['alice/calendars/calendar/', 'alice/contacts/addressbook/']) {
      const res = await davRequest('PROPFIND', new URL(path, h.endpoints.xandikosTls).href, {
        auth: basicAuth(xandikos.username, xandikos.password),
        headers: { Depth: '0', ...XML },
        body: PROPFIND_PRINCIPAL,
      });
      expect(res.status, path).toBe(207);
    }
  });
});

describe('harness: loopback only', () => {
  const SERVERS = ['nginx', 'radicale', 'xandikos', 'php', 'dnsmasq', 'apache2', 'cyrmaster', 'httpd', 'imapd', 'postgres', 'sogod', 'memcached'];

  it('every socket a harness server listens on is bound to 127.0.0.1 or ::1', () => {
    // ss from iproute2: "tcp LISTEN 0 511 127.0.0.1:8443 0.0.0.0:* users:(("nginx",pid=1,fd=6))".
    const sockets = execFileSync('ss', ['-Htlnup'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/))
      .map((f) => ({ proto: f[0], local: f[4] ?? '', owners: [...(f[6] ?? '').matchAll(/\("([^"]+)"/g)].map((m) => m[1]) }))
      .filter((s) => s.owners.some((o) => o !== undefined && SERVERS.includes(o)));
    const ports = Object.values(h.ports).filter((p) => p !== h.ports.unused);
    for (const port of ports)
      expect(
        sockets.some((s) => s.local.endsWith(`:${port}`)),
        `something listens on ${port}`,
      ).toBe(true);
    const exposed = sockets.filter((s) => !/^(127\.0\.0\.1|\[::1\]):\d+$/.test(s.local));
    expect(exposed).toEqual([]);
  });
});

describe('harness: nginx routes', () => {
  const routes = [
    { url: 'https://dav.example.test:8443/.well-known/caldav', status: 301, location: 'https://dav.example.test:8443/' },
    { url: 'https://[::1]:8443/.well-known/carddav', status: 301, location: 'https://[::1]:8443/' },
    { url: 'https://dav.xandikos.test:8444/.well-known/caldav', status: 302, location: 'https://dav.xandikos.test:8444/' },
    { url: 'https://dav.sabre.test:8445/.well-known/caldav', status: 301, location: '/' },
    { url: 'https://dav.digest.test:8446/.well-known/carddav', status: 301, location: '/' },
    // DAViCal and Cyrus redirect to http: (how they were reached); the TLS front end rewrites it, as in production.
    { url: 'https://dav.davical.test:8447/.well-known/caldav', status: 301, location: 'https://dav.davical.test:8447/caldav.php/' },
    { url: 'https://dav.cyrus.test:8448/.well-known/caldav', status: 301, location: 'https://dav.cyrus.test:8448/dav/calendars' },
    { url: 'https://dav.cyrus.test:8448/.well-known/carddav', status: 301, location: 'https://dav.cyrus.test:8448/dav/addressbooks' },
    { url: 'https://dav.sogo.test:8449/.well-known/caldav', status: 301, location: 'https://dav.sogo.test:8449/SOGo/dav/' },
    { url: 'https://bare.test/.well-known/caldav', status: 301, location: '/' },
    { url: 'https://bare.test/.well-known/carddav', status: 301, location: 'https://bare.test/' },
    { url: 'https://chain.test/.well-known/caldav', status: 302, location: 'https://chain.test/hop1' },
    { url: 'https://chain.test/.well-known/carddav', status: 302, location: 'https://chain.test/hop1' },
    { url: 'https://chain.test/hop1', status: 307, location: '/hop2' },
    { url: 'https://chain.test/hop2', status: 308, location: 'https://dav.chain.test:8443/' },
    { url: 'https://downgrade.test/.well-known/caldav', status: 301, location: 'http://downgrade.test:8080/' },
    { url: 'https://downgrade.test/.well-known/carddav', status: 301, location: 'http://downgrade.test:8080/' },
    { url: 'https://loop.test/.well-known/caldav', status: 302, location: 'https://loop.test/.well-known/caldav' },
    { url: 'https://loop.test/.well-known/carddav', status: 302, location: 'https://loop.test/loop-a' },
    { url: 'https://loop.test/loop-a', status: 302, location: 'https://loop.test/loop-b' },
    { url: 'https://loop.test/loop-b', status: 302, location: 'https://loop.test/loop-a' },
    { url: 'https://offdomain.test/.well-known/caldav', status: 301, location: 'https://dav.elsewhere.test:8443/' },
    { url: 'https://offdomain.test/.well-known/carddav', status: 301, location: 'https://dav.elsewhere.test:8443/' },
  ];

  it.each(routes)('$url -> $status $location', async ({ url, status, location }) => {
    const res = await davRequest('GET', url);
    expect(res.status).toBe(status);
    expect(res.headers.get('location')).toBe(location);
  });

  it("txt404's TXT path answers 404 without asking for a login", async () => {
    const res = await davRequest('PROPFIND', 'https://dav.txt404.test:8443/no/such/path/', { headers: { Depth: '0' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('www-authenticate')).toBeNull();
  });

  it('the downgrade target really serves DAV over plain http (so refusing it is a real choice)', async () => {
    const res = await davRequest('PROPFIND', 'http://downgrade.test:8080/', {
      auth: basicAuth(alice.username, alice.password),
      headers: { Depth: '0', ...XML },
      body: PROPFIND_PRINCIPAL,
    });
    expect(res.status).toBe(207);
    expect(principalHref(res.body)).toBe(alice.principal);
  });

  it('the end of the chain and the off-domain target serve Radicale', async () => {
    for (const [url, user] of [
      ['https://dav.chain.test:8443/', alice],
      ['https://dav.elsewhere.test:8443/', carol],
    ] as const) {
      const res = await davRequest('PROPFIND', url, {
        auth: basicAuth(user.username, user.password),
        headers: { Depth: '0', ...XML },
        body: PROPFIND_PRINCIPAL,
      });
      expect(res.status, url).toBe(207);
    }
  });

  it("nothing listens on priority.test's first SRV target", async () => {
    const err: unknown = await davRequest('GET', `https://down.priority.test:${h.ports.unused}/`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const cause = (err as Error & { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
    // Both addresses refuse: net reports one ECONNREFUSED or an AggregateError of them.
    const codes = [cause?.code, ...(cause?.errors ?? []).map((e) => e.code)];
    expect(codes).toContain('ECONNREFUSED');
  });
});

describe('harness: DNS', () => {
  const resolver = new Resolver({ timeout: 1000, tries: 2 });
  resolver.setServers([h.dns]);

  // Node 24 adds `type: 'SRV'` to each answer (Node 20 did not): compare the four SRV fields only.
  const srv = async (name: string) => (await resolver.resolveSrv(name)).map(({ name, port, priority, weight }) => ({ name, port, priority, weight }));

  it('_caldavs._tcp.example.test points at dav.example.test:8443', async () => {
    expect(await srv('_caldavs._tcp.example.test')).toEqual([{ name: 'dav.example.test', port: 8443, priority: 0, weight: 0 }]);
  });

  const owners = [...new Set(SRV_RECORDS.map((r) => r.name))];
  it.each(owners)('SRV %s answers exactly its table rows', async (owner) => {
    const expected = SRV_RECORDS.filter((r) => r.name === owner).map((r) => ({
      // node:dns gives the "." target as an empty name.
      name: r.target === '.' ? '' : r.target,
      port: r.port,
      priority: r.priority,
      weight: r.weight,
    }));
    const byPriority = (a: { priority: number }, b: { priority: number }) => a.priority - b.priority;
    expect((await srv(owner)).sort(byPriority)).toEqual(expected.sort(byPriority));
  });

  it.each(TXT_RECORDS)('TXT $name is "$text"', async ({ name, text }) => {
    expect(await resolver.resolveTxt(name)).toEqual([[text]]);
  });

  it.each([...HOST_NAMES])('%s is 127.0.0.1 and ::1', async (host) => {
    expect(await resolver.resolve4(host)).toEqual(['127.0.0.1']);
    expect(await resolver.resolve6(host)).toEqual(['::1']);
  });

  it('bare-domain cases have no SRV, notxt.test has no TXT, unknown names are NXDOMAIN', async () => {
    for (const domain of ['bare.test', 'chain.test', 'downgrade.test', 'loop.test', 'offdomain.test']) {
      await expect(resolver.resolveSrv(`_caldavs._tcp.${domain}`)).rejects.toMatchObject({ code: 'ENOTFOUND' });
    }
    await expect(resolver.resolveTxt('_caldavs._tcp.notxt.test')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolver.resolve4('no-such-host.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});

describe('harness: certificate', () => {
  it('is trusted as its own CA, names every test host, and has the advertised SPKI pin', async () => {
    const peer = await new Promise<X509Certificate>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: h.ports.radicaleTls, servername: 'dav.example.test', ca: h.caPem }, () => {
        const cert = socket.getPeerX509Certificate();
        socket.end();
        if (cert) resolve(cert);
        else reject(new Error('no peer certificate'));
      });
      socket.once('error', reject);
    });
    expect(spkiPin(peer.toString())).toBe(h.certSpkiPin);
    expect(h.certSpkiPin).toMatch(/^sha256\/\/[A-Za-z0-9+/]{43}=$/);
    for (const host of [...HOST_NAMES, 'localhost']) expect(peer.checkHost(host), host).toBe(host);
    expect(peer.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(peer.checkIP('::1')).toBe('::1');
  });
});

describe('harness: seed helpers', () => {
  const event = (uid: string) =>
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Davlens//harness test//EN',
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20261201T090000Z',
      'DTEND:20261201T100000Z',
      'SUMMARY:Harness check',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
  const card = (uid: string) => ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, 'FN:Harness Check', 'N:Check;Harness;;;', 'END:VCARD', ''].join('\r\n');
  const ICS = 'text/calendar; charset=utf-8';

  it.each([
    { name: 'Radicale', home: new URL(alice.principal, h.endpoints.radicaleTls).href, user: alice },
    { name: 'Xandikos', home: new URL('alice/calendars/', h.endpoints.xandikosTls).href, user: xandikos },
    { name: 'SabreDAV', home: new URL('calendars/dave/', h.endpoints.sabreBasicTls).href, user: dave },
  ])('$name: mkcalendar, put, del round trip', async ({ home, user }) => {
    const auth = basicAuth(user.username, user.password);
    const calendar = new URL(`harness-${randomUUID()}/`, home).href;
    expect((await mkcalendar(calendar, auth, { displayName: 'Harness <&>', color: '#FF8800FF', order: 3, components: ['VEVENT'] })).status).toBe(201);
    const props = await davRequest('PROPFIND', calendar, { auth, headers: { Depth: '0', ...XML }, body: PROPFIND_PRINCIPAL });
    expect(props.status).toBe(207);
    expect(props.body).toContain('Harness &lt;&amp;&gt;');
    const uid = randomUUID();
    const item = new URL(`${uid}.ics`, calendar).href;
    expect((await put(item, auth, event(uid), ICS)).status).toBe(201);
    expect((await davRequest('GET', item, { auth })).body).toContain(`UID:${uid}`);
    await del(item, auth);
    expect((await davRequest('GET', item, { auth })).status).toBe(404);
    await del(calendar, auth);
  });

  it.each([
    { name: 'Radicale', home: new URL(alice.principal, h.endpoints.radicaleTls).href, user: alice },
    { name: 'Xandikos', home: new URL('alice/contacts/', h.endpoints.xandikosTls).href, user: xandikos },
    { name: 'SabreDAV', home: new URL('addressbooks/dave/', h.endpoints.sabreBasicTls).href, user: dave },
  ])('$name: mkAddressbook and a vCard', async ({ home, user }) => {
    const auth = basicAuth(user.username, user.password);
    const book = new URL(`harness-${randomUUID()}/`, home).href;
    expect((await mkAddressbook(book, auth, { displayName: 'Harness book' })).status).toBe(201);
    const uid = randomUUID();
    const item = new URL(`${uid}.vcf`, book).href;
    expect((await put(item, auth, card(uid), 'text/vcard; charset=utf-8')).status).toBe(201);
    expect((await davRequest('GET', item, { auth })).body).toContain('FN:Harness Check');
    await del(book, auth);
  });

  it('data seeded over SabreDAV Basic is visible over Digest (one shared DB)', async () => {
    const uid = randomUUID();
    const path = `calendars/dave/default/${uid}.ics`;
    await put(new URL(path, h.endpoints.sabreBasic).href, basicAuth(dave.username, dave.password), event(uid), ICS);
    const viaDigest = await digestRequest('GET', new URL(path, h.endpoints.sabreDigestTls).href, dave, dave.password);
    expect(viaDigest.status).toBe(200);
    expect(viaDigest.body).toContain(`UID:${uid}`);
    await del(new URL(path, h.endpoints.sabreBasic).href, basicAuth(dave.username, dave.password));
  });

  it('a failing upload throws with method, URL and status', async () => {
    await expect(put(new URL('alice@example.test/x.ics', h.endpoints.radicale).href, basicAuth(bob.username, bob.password), event('x'), ICS)).rejects.toThrow(
      /PUT http:\/\/127\.0\.0\.1:5232\/alice@example\.test\/x\.ics answered 403/,
    );
  });
});
