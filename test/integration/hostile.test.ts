// Bad input from servers: every case ends in a clear error naming the step and the server, never a crash,
// a stack trace or a hang.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventsResult } from '../../shared/models.ts';
import { discover } from '../../electron/engine/remote/discovery.ts';
import { runCli } from '../support/cli.ts';
import { cal } from '../support/dav-fixtures.ts';
import { MULTISTATUS_PRINCIPAL, startScriptedServer, type ScriptedServer } from '../support/scripted-server.ts';

let server: ScriptedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function discoverAgainst(handler: Parameters<typeof startScriptedServer>[0], extra: Partial<Parameters<typeof discover>[0]> = {}) {
  server = await startScriptedServer(handler);
  return discover({ email: 'alice@example.test', password: 'pw', server: server.url, insecureHttp: true, ...extra });
}

const host = () => new URL(server!.url).host;

describe('hostile and broken servers', () => {
  it('malformed XML: bad-response naming the step and the server', async () => {
    const r = await discoverAgainst((_q, res) =>
      res.writeHead(207, { 'Content-Type': 'application/xml' }).end('<d:multistatus xmlns:d="DAV:"><d:response><d:href>/</d:multistatus>'),
    );
    expect(r.caldav).toBeNull();
    expect(r.errors[0]).toMatchObject({ code: 'bad-response', step: 'context-path' });
    expect(r.errors[0]!.message).toContain(host());
  });

  it('XXE: the DOCTYPE is refused and the entity never expanded', async () => {
    const r = await discoverAgainst((_q, res) =>
      res
        .writeHead(207)
        .end(
          '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><d:multistatus xmlns:d="DAV:"><d:response><d:href>&x;</d:href></d:response></d:multistatus>',
        ),
    );
    expect(r.errors[0]).toMatchObject({ code: 'bad-response' });
    expect(r.errors[0]!.message).toMatch(/DOCTYPE/);
    expect(JSON.stringify(r)).not.toContain('root:x:0');
  });

  it('entity bomb: refused in well under a second', async () => {
    const bomb =
      '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]><d:multistatus xmlns:d="DAV:">&e;&e;&e;&e;&e;&e;</d:multistatus>';
    const t = performance.now();
    const r = await discoverAgainst((_q, res) => res.writeHead(207).end(bomb));
    expect(performance.now() - t).toBeLessThan(2000);
    expect(r.errors[0]).toMatchObject({ code: 'bad-response' });
  });

  it('an HTML page instead of 207 says so', async () => {
    const r = await discoverAgainst((_q, res) =>
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!DOCTYPE html><html><body><h1>Welcome to webmail</h1></body></html>'),
    );
    expect(r.errors[0]).toMatchObject({ code: 'http-status', status: 200, step: 'context-path' });
    expect(r.errors[0]!.message).toMatch(/HTML page/);
  });

  it('an HTML error page with status 207 is a bad response, not a crash', async () => {
    const r = await discoverAgainst((_q, res) => res.writeHead(207, { 'Content-Type': 'text/html' }).end('<!DOCTYPE html><html><body>oops</body></html>'));
    expect(r.errors[0]).toMatchObject({ code: 'bad-response' });
    expect(r.errors[0]!.message).toMatch(/HTML page/);
  });

  it('a truncated body (connection closed early) is reported', async () => {
    const r = await discoverAgainst((_q, res) => {
      res.writeHead(207, { 'Content-Type': 'application/xml', 'Content-Length': '5000' });
      res.write('<d:multistatus xmlns:d="DAV:"><d:response>');
      setTimeout(() => res.destroy(), 20);
    });
    expect(r.errors[0]).toMatchObject({ code: 'bad-response', step: 'context-path' });
    expect(r.errors[0]!.message).toContain(host());
  });

  it('a huge body is capped, not read', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const r = await discoverAgainst(
      (_q, res) => {
        res.writeHead(207, { 'Content-Type': 'application/xml' });
        let sent = 0;
        const pump = () => {
          while (sent < 8 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      },
      { maxResponseBytes: 1024 * 1024 },
    );
    expect(r.errors[0]).toMatchObject({ code: 'response-too-large' });
    expect(r.errors[0]!.message).toMatch(/larger than 1 MB/);
  });

  it('5xx names the status and says to try later', async () => {
    const r = await discoverAgainst((_q, res) => res.writeHead(503).end('busy'));
    expect(r.errors[0]).toMatchObject({ code: 'http-status', status: 503 });
    expect(r.errors[0]!.message).toMatch(/try again later/);
  });

  it('a server that never answers times out', async () => {
    const t = performance.now();
    const r = await discoverAgainst(() => undefined, { timeoutMs: 800 });
    expect(performance.now() - t).toBeLessThan(5000);
    expect(r.errors[0]).toMatchObject({ code: 'timeout', step: 'context-path' });
    expect(r.errors[0]!.message).toContain(host());
  });

  it('a redirect loop stops after at most 10 hops', async () => {
    const r = await discoverAgainst((q, res) => {
      const n = Number(/\d+/.exec(q.url ?? '')?.[0] ?? 0);
      res.writeHead(302, { Location: `/hop${n + 1}` }).end();
    });
    expect(r.errors[0]).toMatchObject({ code: 'redirect-loop' });
    expect(server!.requests.length).toBeLessThanOrEqual(11);
  });

  it('a redirect without Location is a bad redirect', async () => {
    const r = await discoverAgainst((_q, res) => res.writeHead(301).end());
    expect(r.errors[0]).toMatchObject({ code: 'bad-redirect', status: 301 });
  });

  it('wrong password: two login attempts in all (email, then local part), then nothing', async () => {
    const r = await discoverAgainst((_q, res) => res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' }).end());
    const withCredentials = server!.requests.filter((q) => q.authorization !== null);
    expect(withCredentials).toHaveLength(2);
    expect(r.errors.filter((e) => e.code === 'auth-failed')).toHaveLength(1);
    expect(r.errors[0]!.message).toMatch(/rejected the password for alice@example.test and alice/);
    expect(r.caldav).toBeNull();
    expect(r.carddav).toBeNull();
  });

  it('DNS failure: an unreachable DNS server gives a dns error and the well-known attempt is named', async () => {
    const r = await discover({ email: 'alice@nowhere.test', password: 'pw', dns: '127.0.0.1:9', timeoutMs: 2000 });
    expect(r.caldav).toBeNull();
    expect(r.errors.some((e) => e.code === 'service-not-found' && /SRV _caldavs\._tcp\.nowhere\.test/.test(e.message))).toBe(true);
  });

  it('the CLI prints a sentence, never a stack trace, and exits non-zero', async () => {
    server = await startScriptedServer((_q, res) => res.writeHead(207).end('<<<not xml'));
    const out = await runCli(['discover', 'alice@example.test', '--server', server.url, '--insecure-http'], { DAVLENS_PASSWORD: 'pw' });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^davlens: context-path: 127\.0\.0\.1:\d+ answered/m);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('http:// needs --insecure-http', async () => {
    server = await startScriptedServer((_q, res) => res.writeHead(207).end(MULTISTATUS_PRINCIPAL('/p/')));
    const r = await discover({ email: 'alice@example.test', password: 'pw', server: server.url });
    expect(r.errors[0]).toMatchObject({ code: 'insecure-refused' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('an unauthenticated principal (RFC 5397 §3) on a server that wants Digest', () => {
  it('logs in without a challenge, learns Digest from the 401 to Basic without counting it as a rejection, and finds the homes', async () => {
    const ms = (inner: string) => `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">${inner}</d:multistatus>`;
    const prop = (href: string, props: string) =>
      `<d:response><d:href>${href}</d:href><d:propstat><d:prop>${props}</d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
    server = await startScriptedServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      if (auth === '') {
        // As Cyrus does on /: an answer to nobody, not a 401.
        res.writeHead(207).end(ms(prop(req.url ?? '/', '<d:current-user-principal><d:unauthenticated/></d:current-user-principal>')));
      } else if (!auth.startsWith('Digest ')) {
        res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="scripted", nonce="abc", qop="auth"' }).end();
      } else if (req.url === '/') {
        res.writeHead(207).end(ms(prop('/', '<d:current-user-principal><d:href>/p/</d:href></d:current-user-principal>')));
      } else {
        res.writeHead(207, { DAV: '1, calendar-access' }).end(ms(prop(req.url ?? '', '<c:calendar-home-set><d:href>/cal/</d:href></c:calendar-home-set>')));
      }
    });
    const r = await discover({ email: 'alice@example.test', user: 'alice', password: 'pw', server: server.url, insecureHttp: true }, undefined, ['caldav']);
    expect(r.errors).toEqual([]);
    expect(r.caldav).toMatchObject({ principal: `${server.url}p/`, homeSets: [`${server.url}cal/`], username: 'alice' });
    expect(server.requests.map((q) => `${q.url} ${q.authorization?.split(' ')[0] ?? '-'}`)).toEqual(['/ -', '/ Basic', '/ Digest', '/p/ Digest']);
  });
});

describe('a malformed item never hides its neighbours', () => {
  it('is skipped and reported with its href', async () => {
    const good = (uid: string) => cal('BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', 'DTSTART:20261201T100000Z', 'SUMMARY:ok', 'END:VEVENT');
    const item = (href: string, data: string) =>
      `<d:response><d:href>${href}</d:href><d:propstat><d:prop><d:getetag>"1"</d:getetag><c:calendar-data>${data.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`;
    server = await startScriptedServer((req, res) => {
      const ms = (inner: string) => `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">${inner}</d:multistatus>`;
      if (req.method === 'REPORT') {
        res
          .writeHead(207)
          .end(
            ms(
              item('/cal/a', good('a')) +
                item('/cal/broken', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\nEND:VCALENDAR\r\n') +
                item('/cal/b', good('b')),
            ),
          );
      } else if (req.url === '/cal/') {
        res
          .writeHead(207)
          .end(
            ms(
              '<d:response><d:href>/cal/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/><c:calendar/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>',
            ),
          );
      } else {
        res
          .writeHead(207)
          .end(
            ms(
              `<d:response><d:href>${req.url}</d:href><d:propstat><d:prop><d:current-user-principal><d:href>/p/</d:href></d:current-user-principal><c:calendar-home-set><d:href>/cal/</d:href></c:calendar-home-set><d:resourcetype><d:collection/><c:calendar/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`,
            ),
          );
      }
    });
    const r = await runCli(
      ['events', 'a@example.test', '--from', '2026-12-01', '--to', '2026-12-02', '--tz', 'UTC', '--server', server.url, '--insecure-http', '--json'],
      { DAVLENS_PASSWORD: 'pw' },
    );
    expect(r.code).toBe(0);
    const json = r.json as EventsResult;
    expect(json.events.map((e) => e.uid)).toEqual(['a', 'b']);
    expect(json.errors.filter((e) => e.code === 'item-unparsable').map((e) => e.href)).toEqual([`${server.url}cal/broken`]);
    expect(r.stderr).toContain(`${server.url}cal/broken`);
  });
});
