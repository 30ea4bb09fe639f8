// Browser mode's engine runs in a worker thread (electron/web/engine-thread.ts) and reads a large local file in a
// worker of its own (engine/app/local-file.ts): while a 12.5 MB event with 100,000 overrides is being read,
// pages and other API calls are answered at once (main: the HTTP server's only thread parsed it).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryVault } from '../../electron/engine/app/types.ts';
import { startEngineThread } from '../../electron/web/engine-thread.ts';
import { startWebServer, type WebServer } from '../../electron/web/server.ts';
import { manyOverrides } from '../support/hostile-dav.ts';
import { scratchProfile } from '../support/scratch.ts';

const TOKEN = 'engine-thread-token-0123456789abcdefghijkl';
const rendererDir = mkdtempSync(join(tmpdir(), 'davlens-renderer-'));
let engine: ReturnType<typeof startEngineThread>;
let web: WebServer;
let cookie = '';

function call(method: string, path: string, body?: string): Promise<{ status: number; body: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: `127.0.0.1:${web.port}`, Cookie: cookie, 'X-Davlens': '1', 'Content-Type': 'application/json' };
    const req = request({ host: '127.0.0.1', port: web.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Davlens</title>');
  engine = startEngineThread({ profileDir: scratchProfile(), syncIntervalMinutes: 0 }, memoryVault());
  await engine.ready();
  web = await startWebServer({ service: engine, rendererDir, token: TOKEN });
  const exchanged = await new Promise<string>((resolve) =>
    request({ host: '127.0.0.1', port: web.port, path: `/?token=${TOKEN}`, headers: { Host: `127.0.0.1:${web.port}` } }, (res) => {
      res.resume();
      resolve(String(res.headers['set-cookie']?.[0]).split(';')[0]!);
    }).end(),
  );
  cookie = exchanged;
}, 30_000);

afterAll(async () => {
  await web?.close();
  await engine?.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

describe('browser mode keeps answering while a large file is read', () => {
  it('pages and listAccounts answer while openLocalFile reads 12.5 MB, which then shows its events', async () => {
    const content = manyOverrides(100_000);
    const big = call('POST', '/api/openLocalFile', JSON.stringify({ name: 'overrides.ics', content, tz: 'UTC' }));
    let bigDone = false;
    void big.then(() => (bigDone = true));
    // Give the request time to arrive and its reading to start.
    await new Promise((r) => setTimeout(r, 400));
    const page = await call('GET', '/');
    const accounts = await call('POST', '/api/listAccounts', 'null');
    const stillReading = !bigDone;
    const answer = await big;
    console.log(`while reading 12.5 MB (${Math.round(answer.ms)} ms): page ${Math.round(page.ms)} ms, listAccounts ${Math.round(accounts.ms)} ms`);
    expect(page.status).toBe(200);
    expect(JSON.parse(accounts.body)).toEqual({ ok: true, value: [] });
    expect(stillReading).toBe(true);
    expect(accounts.ms).toBeLessThan(answer.ms / 2);
    const view = JSON.parse(answer.body) as { ok: boolean; value: { events: { uid: string }[]; errors: { code: string }[] } };
    expect(view.ok).toBe(true);
    // The master's every-minute series, replaced by the overrides and cut at the series budget.
    expect(view.value.events.length).toBe(20_000);
    expect(view.value.errors.map((e) => e.code)).toEqual(['too-many-occurrences']);
  }, 120_000);
});
