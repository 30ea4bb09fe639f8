// The renderer's client: it picks IPC when the preload object exists and HTTP otherwise; the HTTP client
// against the real browser-host server (fake service), its event-stream reader, and its failures as Results.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ExportFile, ProgressEvent } from '../../shared/api.ts';
import { API_METHODS, ok, PRELOAD_GLOBAL } from '../../shared/api.ts';
import { startWebServer } from '../../electron/web/server.ts';
import type { WebServer } from '../../electron/web/server.ts';
import { createClient } from '../../renderer/src/transport/index.ts';
import { createHttpClient, readEvents } from '../../renderer/src/transport/http.ts';
import type { FetchLike } from '../../renderer/src/transport/http.ts';
import { fakeService } from '../support/fake-service.ts';

/** A browser's same-origin fetch: the session cookie and Origin go along by themselves. */
function browserFetch(origin: string, cookie: string): FetchLike {
  return (url, init) => fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), Cookie: cookie, Origin: origin } });
}

async function signIn(web: WebServer): Promise<string> {
  const res = await fetch(web.url, { redirect: 'manual' });
  expect(res.status).toBe(303);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

let rendererDir: string;
beforeAll(() => {
  rendererDir = mkdtempSync(join(tmpdir(), 'davlens-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Davlens</title>');
});
afterAll(() => rmSync(rendererDir, { recursive: true, force: true }));

describe('createClient picks the transport', () => {
  afterEach(() => {
    delete (globalThis as Record<string, unknown>)[PRELOAD_GLOBAL];
  });

  it('the preload object when the desktop host exposed one', () => {
    const preload = { listAccounts: vi.fn(), onProgress: vi.fn(), onHostEvent: vi.fn() };
    (globalThis as Record<string, unknown>)[PRELOAD_GLOBAL] = preload;
    expect(createClient()).toBe(preload);
  });

  it('HTTP otherwise, with the whole contract, progress and (silent) host events', () => {
    const client = createClient();
    for (const m of API_METHODS) expect(typeof client[m], m).toBe('function');
    expect(typeof client.onProgress).toBe('function');
    const off = client.onHostEvent(vi.fn());
    expect(off()).toBeUndefined();
  });
});

describe('HTTP client', () => {
  let fake: ReturnType<typeof fakeService>;
  let web: WebServer;
  let cookie: string;

  beforeAll(async () => {
    fake = fakeService();
    web = await startWebServer({ service: fake.service, rendererDir });
    cookie = await signIn(web);
  });
  afterAll(() => web.close());

  const client = (extra: { download?: (f: ExportFile) => boolean } = {}) =>
    createHttpClient({ baseUrl: web.origin, fetch: browserFetch(web.origin, cookie), ...extra });

  it('calls the contract and returns the server’s Result', async () => {
    expect(await client().contacts({ search: 'ann' })).toEqual({ ok: true, value: { method: 'contacts', arg: { search: 'ann' } } });
    expect(await client().listAccounts()).toEqual({ ok: true, value: { method: 'listAccounts', arg: null } });
  });

  it('a bad argument comes back as the same bad-input Result the IPC host gives', async () => {
    const result = await client().occurrences({ from: 'x', to: '2026-01-01', tz: 'UTC' });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-input', step: 'input', message: expect.stringMatching(/^occurrences: from:/) } });
  });

  it('saveExport downloads exportFile’s content in the page', async () => {
    const file: ExportFile = { filename: 'Work.ics', mediaType: 'text/calendar', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', errors: [] };
    fake.methods.exportFile!.mockResolvedValueOnce(ok(file));
    const download = vi.fn(() => true);
    const target = { kind: 'calendar' as const, calendarUrl: 'https://dav.example.test/cal/' };
    expect(await client({ download }).saveExport(target)).toEqual({ ok: true, value: { saved: true, path: null } });
    expect(download).toHaveBeenCalledWith(file);
    expect(fake.methods.exportFile).toHaveBeenLastCalledWith(target);
    expect(fake.methods.saveExport).not.toHaveBeenCalled();
  });

  it('without a document to download into, saveExport says it did not save', async () => {
    fake.methods.exportFile!.mockResolvedValueOnce(ok({ filename: 'a.vcf', mediaType: 'text/vcard', content: '', errors: [] }));
    expect(await client().saveExport({ kind: 'addressbook', addressbookUrl: 'https://dav.example.test/ab/' })).toEqual({
      ok: true,
      value: { saved: false, path: null },
    });
  });

  it('progress arrives over the event stream, and the stream closes with the last listener', async () => {
    const c = client();
    const got: ProgressEvent[] = [];
    const off = c.onProgress((e) => got.push(e));
    await vi.waitFor(() => expect(fake.listenerCount()).toBe(1));
    const events: ProgressEvent[] = [
      { type: 'sync', status: { running: true, accounts: [], collections: [] } },
      { type: 'trace', operationId: 'op1', entry: { kind: 'note', step: 'srv', message: 'line one\nline two' } as never },
    ];
    events.forEach((e) => fake.emit(e));
    await vi.waitFor(() => expect(got).toEqual(events));
    off();
    await vi.waitFor(() => expect(fake.listenerCount()).toBe(0));
  });

  it('a page without the session gets a Result telling the user to open the printed link', async () => {
    const anonymous = createHttpClient({ baseUrl: web.origin, fetch: (url, init) => fetch(url, init) });
    expect(await anonymous.listAccounts()).toMatchObject({
      ok: false,
      error: { code: 'auth-failed', status: 401, message: expect.stringContaining('npm run web') },
    });
  });

  it('a server that is gone gives a network Result, not a throw', async () => {
    const gone = createHttpClient({ baseUrl: 'http://127.0.0.1:9', fetch: (url, init) => fetch(url, init) });
    expect(await gone.syncStatus()).toMatchObject({ ok: false, error: { code: 'network' } });
  });
});

describe('event-stream reader', () => {
  it('joins data lines, skips comments, copes with chunks split anywhere and CRLF', async () => {
    const text =
      ': connected\n\ndata: {"type":"sync",\r\ndata: "status":{"running":false,"accounts":[],"collections":[]}}\r\n\r\n: keep-alive\n\ndata: not json\n\ndata: {"type":"trace","operationId":"x","entry":{}}\n\n';
    const bytes = new TextEncoder().encode(text);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    const got: ProgressEvent[] = [];
    await readEvents(stream, (e) => got.push(e));
    expect(got).toEqual([
      { type: 'sync', status: { running: false, accounts: [], collections: [] } },
      { type: 'trace', operationId: 'x', entry: {} },
    ]);
  });
});
