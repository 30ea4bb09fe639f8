// The browser host's gate, request by request over a real socket: token exchange, cookie flags, the custom
// header, Host and Origin checks, and that a refused request never reaches the service.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startWebServer } from '../../electron/web/server.ts';
import type { WebServer } from '../../electron/web/server.ts';
import { fakeService } from '../support/fake-service.ts';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function raw(port: number, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path ?? '/', headers: { Host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';
let rendererDir: string;

beforeAll(() => {
  rendererDir = mkdtempSync(join(tmpdir(), 'davlens-renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Davlens</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(tmpdir(), 'davlens-secret-outside.txt'), 'secret');
});
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

describe('browser host', () => {
  let fake: ReturnType<typeof fakeService>;
  let web: WebServer;
  let cookie: string;

  beforeEach(async () => {
    fake = fakeService();
    web = await startWebServer({ service: fake.service, rendererDir, token: TOKEN });
    const exchanged = await raw(web.port, { path: `/?token=${TOKEN}` });
    cookie = String(exchanged.headers['set-cookie']?.[0]).split(';')[0]!;
  });
  afterEach(() => web.close());

  const api = (method: string, opts: { headers?: Record<string, string>; body?: string; httpMethod?: string } = {}) =>
    raw(web.port, {
      method: opts.httpMethod ?? 'POST',
      path: `/api/${method}`,
      headers: { Cookie: cookie, 'X-Davlens': '1', 'Content-Type': 'application/json', ...opts.headers },
      body: opts.body ?? 'null',
    });

  it('listens on 127.0.0.1 only and prints a token URL', () => {
    const address = web.server.address();
    expect(address).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/?token=${TOKEN}`);
  });

  it('a fresh server makes a long random token of its own', async () => {
    const other = await startWebServer({ service: fake.service, rendererDir });
    try {
      const token = new URL(other.url).searchParams.get('token')!;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(token).not.toBe(TOKEN);
    } finally {
      await other.close();
    }
  });

  it('exchanges the token once for an HttpOnly SameSite=Strict cookie and a 303 to the clean URL', async () => {
    const second = await startWebServer({ service: fake.service, rendererDir, token: TOKEN });
    try {
      const res = await raw(second.port, { path: `/?token=${TOKEN}` });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
      const setCookie = res.headers['set-cookie']!;
      expect(setCookie).toHaveLength(1);
      const flags = setCookie[0]!.split(';').map((s) => s.trim());
      expect(flags[0]).toMatch(new RegExp(`^davlens_${second.port}=[A-Za-z0-9_-]{43}$`));
      expect(flags).toContain('HttpOnly');
      expect(flags).toContain('SameSite=Strict');
      expect(flags).toContain('Path=/');
      expect(flags[0]).not.toContain(TOKEN);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      // Used once: the same link is refused afterwards and sets nothing.
      const again = await raw(second.port, { path: `/?token=${TOKEN}` });
      expect(again.status).toBe(401);
      expect(again.headers['set-cookie']).toBeUndefined();
    } finally {
      await second.close();
    }
  });

  it('refuses a wrong token with 401 and no cookie', async () => {
    const second = await startWebServer({ service: fake.service, rendererDir, token: TOKEN });
    try {
      const res = await raw(second.port, { path: '/?token=wrong' });
      expect(res.status).toBe(401);
      expect(res.headers['set-cookie']).toBeUndefined();
      // The right token still works afterwards: a guess does not burn it.
      expect((await raw(second.port, { path: `/?token=${TOKEN}` })).status).toBe(303);
    } finally {
      await second.close();
    }
  });

  it('with the cookie, the token URL just redirects (reload of an old tab)', async () => {
    const res = await raw(web.port, { path: `/?token=${TOKEN}`, headers: { Cookie: cookie } });
    expect(res.status).toBe(303);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('serves the built renderer with the CSP, no-referrer and no CORS headers', async () => {
    const page = await raw(web.port, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<title>Davlens</title>');
    const csp = page.headers['content-security-policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:)/);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(Object.keys(page.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const js = await raw(web.port, { path: '/assets/app.js', headers: { Cookie: cookie } });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../davlens-secret-outside.txt', '/%2e%2e/davlens-secret-outside.txt', '/assets/..%2f..%2fdavlens-secret-outside.txt', '/%00']) {
      const res = await raw(web.port, { path, headers: { Cookie: cookie } });
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('secret');
    }
  });

  it('without the cookie: 401 for pages and API, and the service is not called', async () => {
    expect((await raw(web.port, {})).status).toBe(401);
    const res = await raw(web.port, {
      method: 'POST',
      path: '/api/listAccounts',
      headers: { 'X-Davlens': '1', 'Content-Type': 'application/json' },
      body: 'null',
    });
    expect(res.status).toBe(401);
    const forged = await raw(web.port, {
      method: 'POST',
      path: '/api/listAccounts',
      headers: { Cookie: `davlens_${web.port}=forged`, 'X-Davlens': '1', 'Content-Type': 'application/json' },
      body: 'null',
    });
    expect(forged.status).toBe(401);
    expect(fake.totalCalls()).toBe(0);
  });

  it('an API call with cookie and header reaches the service and answers its Result as JSON', async () => {
    const res = await api('syncNow', { body: JSON.stringify({ accountId: 'alice' }) });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { method: 'syncNow', arg: { accountId: 'alice' } } });
    expect(fake.methods.syncNow).toHaveBeenCalledTimes(1);
  });

  it('without the X-Davlens header (or with another value): 403, service not called', async () => {
    expect((await api('listAccounts', { headers: { 'X-Davlens': '' } })).status).toBe(403);
    expect((await api('listAccounts', { headers: { 'X-Davlens': '0' } })).status).toBe(403);
    const noHeader = await raw(web.port, {
      method: 'POST',
      path: '/api/listAccounts',
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      body: 'null',
    });
    expect(noHeader.status).toBe(403);
    expect(fake.totalCalls()).toBe(0);
  });

  it('a foreign Host (DNS rebinding, another port): 403 even with cookie and header, service not called', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${web.port}`,
      `127.0.0.1:${web.port + 1}`,
      `localhost.evil.example:${web.port}`,
      '127.0.0.1',
      `127.0.0.2:${web.port}`,
    ]) {
      const res = await api('listAccounts', { headers: { Host: host } });
      expect(res.status, host).toBe(403);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    // Not even the token exchange happens under a foreign name.
    const second = await startWebServer({ service: fake.service, rendererDir, token: TOKEN });
    try {
      const res = await raw(second.port, { path: `/?token=${TOKEN}`, headers: { Host: `rebound.example:${second.port}` } });
      expect(res.status).toBe(403);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect((await raw(second.port, { path: `/?token=${TOKEN}` })).status).toBe(303);
    } finally {
      await second.close();
    }
    expect(fake.totalCalls()).toBe(0);
  });

  it('loopback names with our port are accepted: 127.0.0.1, localhost, [::1]', async () => {
    for (const host of [`127.0.0.1:${web.port}`, `localhost:${web.port}`, `[::1]:${web.port}`, `LOCALHOST:${web.port}`]) {
      expect((await api('listAccounts', { headers: { Host: host } })).status, host).toBe(200);
    }
  });

  it('a foreign Origin: 403, service not called; our own Origin passes', async () => {
    for (const origin of [
      'https://evil.example',
      `http://127.0.0.1:${web.port + 1}`,
      `http://localhost:${web.port}`,
      'null',
      `https://127.0.0.1:${web.port}`,
    ]) {
      const res = await api('listAccounts', { headers: { Origin: origin } });
      expect(res.status, origin).toBe(403);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
    expect(fake.totalCalls()).toBe(0);
    expect((await api('listAccounts', { headers: { Origin: `http://127.0.0.1:${web.port}` } })).status).toBe(200);
  });

  it('a CORS preflight from another site is refused and answered without CORS headers', async () => {
    const res = await raw(web.port, {
      method: 'OPTIONS',
      path: '/api/removeAccount',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-davlens,content-type' },
    });
    expect(res.status).toBe(403);
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('Sec-Fetch-Site cross-site or same-site: 403, service not called', async () => {
    expect((await api('listAccounts', { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
    expect((await api('listAccounts', { headers: { 'Sec-Fetch-Site': 'same-site' } })).status).toBe(403);
    expect(fake.totalCalls()).toBe(0);
    expect((await api('listAccounts', { headers: { 'Sec-Fetch-Site': 'same-origin' } })).status).toBe(200);
  });

  it('a form post (no JSON content type) is refused: 415, service not called', async () => {
    const res = await api('removeAccount', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'accountId=alice' });
    expect(res.status).toBe(415);
    expect((await api('removeAccount', { headers: { 'Content-Type': 'text/plain' }, body: '{"accountId":"alice"}' })).status).toBe(415);
    expect(fake.totalCalls()).toBe(0);
  });

  it('wrong verb, unknown method, bad JSON: 405/404/400, service not called', async () => {
    expect((await api('listAccounts', { httpMethod: 'GET', body: '' })).status).toBe(405);
    expect((await api('deleteEverything')).status).toBe(404);
    expect((await api('constructor')).status).toBe(404);
    expect((await api('removeAccount', { body: '{"accountId":' })).status).toBe(400);
    expect(fake.totalCalls()).toBe(0);
  });

  it('an invalid argument is answered as a bad-input Result (200), service not called', async () => {
    const res = await api('occurrences', { body: JSON.stringify({ from: 'yesterday', to: '2026-02-01', tz: 'Europe/Berlin' }) });
    expect(res.status).toBe(200);
    const result = JSON.parse(res.body);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-input', step: 'input' } });
    expect(result.error.message).toMatch(/^occurrences: from:/);
    const extra = await api('removeAccount', { body: JSON.stringify({ accountId: 'a', evil: true }) });
    expect(JSON.parse(extra.body)).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(fake.totalCalls()).toBe(0);
  });

  it('JSON bombs are refused within a second and the server keeps answering (main: 40 MB of [ crashed it out of memory, 30 MB blocked it 9.5 s)', async () => {
    /** Like `api`, but resolves on the answer even when the server closes while the body is still being sent. */
    const bomb = (method: string, body: string) =>
      new Promise<{ status: number; ms: number }>((resolve, reject) => {
        const t0 = performance.now();
        const req = request(
          {
            host: '127.0.0.1',
            port: web.port,
            method: 'POST',
            path: `/api/${method}`,
            headers: { Host: `127.0.0.1:${web.port}`, Cookie: cookie, 'X-Davlens': '1', 'Content-Type': 'application/json' },
          },
          (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 });
          },
        );
        req.on('error', (e) => (performance.now() - t0 > 30_000 ? reject(e) : undefined));
        req.end(body);
      });
    // 40 MB of nesting to a method that takes a few KB: refused by size (413) as soon as the limit passes.
    const big = await bomb('listAccounts', '['.repeat(40 * 1024 * 1024));
    expect(big.status).toBe(413);
    // 30 MB of nesting where a large body is allowed (openLocalFile): refused by depth before JSON.parse.
    const deep = await bomb('openLocalFile', '['.repeat(30 * 1024 * 1024));
    expect(deep.status).toBe(400);
    expect((await api('openLocalFile', { body: `${'['.repeat(17)}${']'.repeat(17)}` })).body).toMatch(/nests deeper than 16 levels/);
    // Brackets inside strings are text, not nesting: a real file full of them is accepted.
    const file = await api('openLocalFile', { body: JSON.stringify({ name: 'brackets.ics', content: '[{'.repeat(1_000_000), tz: 'UTC' }) });
    expect(file.status).toBe(200);
    expect(fake.totalCalls()).toBe(1);
    // And the server answers the next call at once.
    expect((await api('listAccounts')).status).toBe(200);
    console.log(`JSON bombs: 40 MB refused in ${Math.round(big.ms)} ms, 30 MB in ${Math.round(deep.ms)} ms`);
    expect(big.ms + deep.ms).toBeLessThan(10_000);
  }, 60_000);

  it('saveExport is not a thing a web page can make the server do', async () => {
    const res = await api('saveExport', { body: JSON.stringify({ kind: 'calendar', calendarUrl: 'https://dav.example.test/cal/' }) });
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(fake.methods.saveExport).not.toHaveBeenCalled();
  });

  it('server-sent events: refused without header, cookie or with a foreign Origin; delivered otherwise', async () => {
    const events = (headers: Record<string, string>) => raw(web.port, { path: '/api/events', headers });
    expect((await events({ Cookie: cookie })).status).toBe(403);
    expect((await events({ 'X-Davlens': '1' })).status).toBe(401);
    expect((await events({ Cookie: cookie, 'X-Davlens': '1', Origin: 'https://evil.example' })).status).toBe(403);
    expect((await events({ Cookie: cookie, 'X-Davlens': '1', Host: `evil.example:${web.port}` })).status).toBe(403);
    expect(fake.listenerCount()).toBe(0);

    const received = await new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: web.port,
          path: '/api/events',
          headers: { Host: `127.0.0.1:${web.port}`, Cookie: cookie, 'X-Davlens': '1', Origin: `http://127.0.0.1:${web.port}` },
        },
        (res) => {
          expect(res.statusCode).toBe(200);
          expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
          expect(res.headers['referrer-policy']).toBe('no-referrer');
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
            if (text.includes(': connected')) fake.emit({ type: 'sync', status: { running: true, accounts: [], collections: [] } });
            if (text.includes('"type":"sync"')) {
              req.destroy();
              resolve(text);
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(received).toContain('data: {"type":"sync","status":{"running":true,"accounts":[],"collections":[]}}\n\n');
    // The listener goes away with the connection.
    await vi.waitFor(() => expect(fake.listenerCount()).toBe(0));
  });
});
