// The HTTP layer's content codings and headers, against a scripted server on loopback: what every request asks
// (gzip and deflate, by a name of its own), what it reads back, and the answers it refuses with a sentence
// naming the server: a body that inflates beyond the size cap, corrupt compressed data, a coding never asked for.
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { DavlensFailure, type DavlensError } from '../../shared/errors.ts';
import { Http, type HttpOptions } from '../../electron/engine/net/http.ts';
import { Trace } from '../../electron/engine/net/trace.ts';
import { startScriptedServer, type ScriptedServer } from '../support/scripted-server.ts';

let server: ScriptedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const TEXT = `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">${'<d:response><d:href>/cal/Zoë.ics</d:href></d:response>'.repeat(500)}</d:multistatus>`;

/** One REPORT to a server answering with `headers` and `body`; the request's headers as the server saw them. */
async function ask(headers: Record<string, string | string[]>, body: Buffer, opts: HttpOptions = {}) {
  const seen: Record<string, string | string[] | undefined>[] = [];
  server = await startScriptedServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8', ...headers }).end(body);
  });
  const http = new Http(opts, new Trace(), null);
  try {
    const answer = await http.request({ method: 'REPORT', url: `${server.url}cal/`, step: 'items', body: '<x/>' });
    return { answer, seen: seen[0]! };
  } finally {
    await http.close();
  }
}

/** The error of a request that must fail. */
async function refusal(headers: Record<string, string>, body: Buffer, opts: HttpOptions = {}): Promise<DavlensError> {
  try {
    await ask(headers, body, opts);
  } catch (e) {
    if (e instanceof DavlensFailure) return e.error;
    throw e;
  }
  throw new Error('the request was answered');
}

describe('content codings', () => {
  it('asks for gzip and deflate by its own name, and reads each back as the text sent', async () => {
    const plain = Buffer.from(TEXT);
    for (const [coding, body] of [
      ['gzip', gzipSync(plain)],
      ['x-gzip', gzipSync(plain)],
      ['deflate', deflateSync(plain)],
      // Bare deflate data without the zlib wrapper, as some servers send for "deflate" (and fetch read).
      ['deflate', deflateRawSync(plain)],
      ['br', brotliCompressSync(plain)],
      ['identity', plain],
    ] as const) {
      const { answer, seen } = await ask({ 'Content-Encoding': coding }, body);
      expect(seen['accept-encoding']).toBe('gzip, deflate');
      expect(seen['user-agent']).toBe('Davlens');
      expect(answer.body).toBe(TEXT);
      expect(answer.bytes).toBe(plain.length);
      await server!.close();
      server = null;
    }
  });

  it('reads codings applied one after the other (the last applied undone first)', async () => {
    const { answer } = await ask({ 'Content-Encoding': 'deflate, gzip' }, gzipSync(deflateSync(Buffer.from(TEXT))));
    expect(answer.body).toBe(TEXT);
  });

  it('a small body that inflates beyond the size cap is refused, not inflated', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const e = await refusal({ 'Content-Encoding': 'gzip' }, bomb, { maxResponseBytes: 1024 * 1024 });
    expect(e).toMatchObject({ code: 'response-too-large', step: 'items' });
    expect(e.message).toMatch(/larger than 1 MB/);
  });

  it('corrupt gzip data is a bad response naming the server', async () => {
    const body = gzipSync(Buffer.from(TEXT));
    body.fill(0x55, 10, 40);
    const e = await refusal({ 'Content-Encoding': 'gzip' }, body);
    expect(e).toMatchObject({ code: 'bad-response', step: 'items' });
    expect(e.message).toContain(new URL(server!.url).host);
    expect(e.message).toMatch(/gzip data is corrupt/);
  });

  it('a coding Davlens never asked for is named, not read as text', async () => {
    const e = await refusal({ 'Content-Encoding': 'compress' }, Buffer.from('\x1f\x9d\x90garbage'));
    expect(e).toMatchObject({ code: 'bad-response', step: 'items' });
    expect(e.message).toMatch(/the content coding "compress", which Davlens did not ask for/);
  });

  it('two WWW-Authenticate lines stay two challenges', async () => {
    const { answer } = await ask({ 'WWW-Authenticate': ['Digest realm="r", nonce="n", qop="auth"', 'Basic realm="r"'] }, Buffer.from(TEXT));
    expect(answer.wwwAuthenticate).toEqual(['Digest realm="r", nonce="n", qop="auth"', 'Basic realm="r"']);
  });
});

describe('the timeout', () => {
  it('covers the body too: a server that stops halfway through its answer times out', async () => {
    server = await startScriptedServer((_req, res) => {
      res.writeHead(207, { 'Content-Type': 'application/xml', 'Content-Length': '100000' });
      res.write('<d:multistatus xmlns:d="DAV:">');
    });
    const http = new Http({ timeoutMs: 600 }, new Trace(), null);
    const t = performance.now();
    const e = await http.request({ method: 'REPORT', url: `${server.url}cal/`, step: 'items' }).then(
      () => null,
      (x: unknown) => (x instanceof DavlensFailure ? x.error : x),
    );
    await http.close();
    expect(performance.now() - t).toBeLessThan(5000);
    expect(e).toMatchObject({ code: 'timeout', step: 'items' });
  });
});
