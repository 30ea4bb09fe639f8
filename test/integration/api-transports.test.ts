// The API contract through both hosts against a real Radicale, one engine service behind both:
//   desktop: renderer client -> preload (real entry) -> ipcRenderer/ipcMain (stubbed: every crossing is a
//            structuredClone, like Electron's) -> main's IPC handlers -> engine wire (MessageChannel,
//            structured clone, like the utility process's parentPort) -> service;
//   browser: HTTP client -> JSON over a real socket -> browser-host server -> service.
// Only 'electron' is replaced, at that boundary. The same calls must give equal results both ways.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccountSummary, ApiMethod, DavlensApi, DavlensClient, ExportFile, ProgressEvent, Result } from '../../shared/api.ts';
import { PRELOAD_GLOBAL } from '../../shared/api.ts';
import type { DavlensService } from '../../electron/engine/app/types.ts';
import type { Port } from '../../electron/main/engine-rpc.ts';
import { connectEngine, serveEngine } from '../../electron/main/engine-rpc.ts';
import { createDavlensService } from '../../electron/engine/index.ts';
import { startWebServer } from '../../electron/web/server.ts';
import type { WebServer } from '../../electron/web/server.ts';
import { createClient } from '../../renderer/src/transport/index.ts';
import { createHttpClient } from '../../renderer/src/transport/http.ts';
import { loadHarness } from '../harness/env.ts';
import { basicAuth, del, mkAddressbook, mkcalendar, put } from '../harness/seed.ts';
import { portOf } from '../support/message-port.ts';

type Listener = (event: unknown, payload: unknown) => void;

const electron = await vi.hoisted(async () => {
  const handlers = new Map<string, (event: unknown, arg?: unknown) => unknown>();
  const rendererListeners = new Map<string, Set<Listener>>();
  // What Electron hands a handler: the frame that called (our app page).
  const event = { senderFrame: { url: 'app://davlens/index.html' } };
  return {
    handlers,
    rendererListeners,
    ipcMain: { handle: (channel: string, fn: (event: unknown, arg?: unknown) => unknown) => void handlers.set(channel, fn) },
    ipcRenderer: {
      async invoke(channel: string, ...args: unknown[]) {
        const handler = handlers.get(channel);
        if (!handler) throw new Error(`No handler registered for '${channel}'`);
        const [arg] = structuredClone(args);
        return structuredClone(await handler(event, arg));
      },
      on(channel: string, listener: Listener) {
        if (!rendererListeners.has(channel)) rendererListeners.set(channel, new Set());
        rendererListeners.get(channel)!.add(listener);
      },
      removeListener(channel: string, listener: Listener) {
        rendererListeners.get(channel)?.delete(listener);
      },
    },
    /** webContents.send from the main process. */
    send(channel: string, payload: unknown) {
      for (const l of rendererListeners.get(channel) ?? []) l({}, structuredClone(payload));
    },
    contextBridge: {
      exposeInMainWorld(name: string, api: unknown) {
        (globalThis as Record<string, unknown>)[name] = api;
      },
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(Buffer.from(s).reverse()),
      decryptString: (b: Buffer) => Buffer.from(b).reverse().toString(),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    },
    dialog: { showSaveDialog: vi.fn() },
  };
});
vi.mock('electron', () => electron);

const { registerIpc } = await import('../../electron/main/ipc.ts');
const { saveExportWithDialog } = await import('../../electron/main/save-export.ts');
const { safeStorageVault } = await import('../../electron/main/vault.ts');
const { PROGRESS_CHANNEL } = await import('../../electron/preload/channels.ts');

const h = loadHarness();
const alice = h.users.alice;
const tag = Math.random().toString(36).slice(2, 8);
const home = 'https://dav.example.test:8443/alice%40example.test/';
const auth = basicAuth(alice.username, alice.password);
const calUrl = `${home}api-${tag}/`;
const bookUrl = `${home}apibook-${tag}/`;
const calName = `Transports ${tag}`;
const bookName = `Transport people ${tag}`;

const BERLIN =
  'BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n';
const STANDUP = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davlens//test//EN\r\n${BERLIN}BEGIN:VEVENT\r\nUID:standup-${tag}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20260105T093000\r\nDTEND;TZID=Europe/Berlin:20260105T094500\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Standup ${tag}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const REVIEW = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//davlens//test//EN\r\nBEGIN:VEVENT\r\nUID:review-${tag}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260107T130000Z\r\nDTEND:20260107T140000Z\r\nSUMMARY:Review ${tag} – Ünïcödé\r\nLOCATION:Room 7\r\nDESCRIPTION:Two lines\\nof text\r\nORGANIZER;CN=Alice:mailto:alice@example.test\r\nATTENDEE;CN=Ann;PARTSTAT=ACCEPTED:mailto:ann@example.test\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const PHOTO = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const ANN = `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ann-${tag}\r\nFN:Ann Transport${tag}\r\nN:Transport${tag};Ann;;;\r\nEMAIL;TYPE=work:ann@example.test\r\nTEL;TYPE=cell:+49 30 5550199\r\nPHOTO;ENCODING=b;TYPE=PNG:${PHOTO}\r\nEND:VCARD\r\n`;
const BEN = `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:ben-${tag}\r\nFN:Ben Transport${tag}\r\nN:Transport${tag};Ben;;;\r\nEMAIL:ben@example.test\r\nEND:VCARD\r\n`;

let profile: string;
let service: DavlensService;
let web: WebServer;
let ipc: DavlensClient;
let http: DavlensClient;
const downloads: ExportFile[] = [];
const ipcEvents: ProgressEvent[] = [];
const httpEvents: ProgressEvent[] = [];
const ports: MessagePort[] = [];

const wire = (port: MessagePort): Port => portOf(port, ports);

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Calls `method` through both transports; the results must be equal and JSON-clean. */
async function both<M extends ApiMethod>(method: M, ...arg: Parameters<DavlensApi[M]>): Promise<Awaited<ReturnType<DavlensApi[M]>>> {
  const viaIpc = await (ipc[method] as (...a: unknown[]) => Promise<unknown>)(...arg);
  const viaHttp = await (http[method] as (...a: unknown[]) => Promise<unknown>)(...arg);
  // IPC's structured clone would carry undefined, Dates, Maps...: the contract allows only JSON values.
  expect(JSON.parse(JSON.stringify(viaIpc)), `${method} over IPC is not plain JSON`).toStrictEqual(viaIpc);
  expect(viaHttp, `${method}: HTTP and IPC differ`).toStrictEqual(viaIpc);
  return viaIpc as Awaited<ReturnType<DavlensApi[M]>>;
}

async function waitForSync(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (!value(await ipc.syncStatus()).running) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('sync did not finish');
}

beforeAll(async () => {
  await mkcalendar(calUrl, auth, { displayName: calName, color: '#3366FF' });
  await put(`${calUrl}standup.ics`, auth, STANDUP, 'text/calendar; charset=utf-8');
  await put(`${calUrl}review`, auth, REVIEW, 'text/calendar; charset=utf-8');
  await mkAddressbook(bookUrl, auth, { displayName: bookName });
  await put(`${bookUrl}ann.vcf`, auth, ANN, 'text/vcard; charset=utf-8');
  await put(`${bookUrl}ben`, auth, BEN, 'text/vcard; charset=utf-8');

  profile = mkdtempSync(join(tmpdir(), 'davlens-api-'));
  // Desktop: the engine side of the wire builds the real service from what the main side sends.
  const { port1, port2 } = new MessageChannel();
  let created!: (s: DavlensService) => void;
  const serviceReady = new Promise<DavlensService>((r) => (created = r));
  serveEngine(wire(port2), async (options) => {
    const s = await createDavlensService(options);
    created(s);
    return s;
  });
  const vault = safeStorageVault(join(profile, 'passwords.json'));
  const engine = connectEngine(wire(port1), { profileDir: profile, dns: h.dns, ca: h.caPem, syncIntervalMinutes: 0 }, vault);
  await engine.ready;
  service = await serviceReady;
  const mainApi = { ...engine, saveExport: (t: Parameters<DavlensApi['saveExport']>[0]) => saveExportWithDialog(engine, t, null) } as DavlensApi;
  registerIpc(mainApi);
  engine.onProgress((e) => electron.send(PROGRESS_CHANNEL, e));
  await import('../../electron/main/preload.ts');
  ipc = createClient();
  expect(ipc).toBe((globalThis as Record<string, unknown>)[PRELOAD_GLOBAL]);

  // Browser: the same service behind the real HTTP server, reached with the browser's cookie and Origin.
  const rendererDir = mkdtempSync(join(tmpdir(), 'davlens-api-ui-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Davlens</title>');
  web = await startWebServer({ service, rendererDir });
  const signIn = await fetch(web.url, { redirect: 'manual' });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  http = createHttpClient({
    baseUrl: web.origin,
    fetch: (url, init) => fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), Cookie: cookie, Origin: web.origin } }),
    download: (file) => (downloads.push(file), true),
  });
  ipc.onProgress((e) => ipcEvents.push(e));
  http.onProgress((e) => httpEvents.push(e));
});

afterAll(async () => {
  await web?.close();
  await service?.close();
  for (const p of ports) p.close();
  rmSync(profile, { recursive: true, force: true });
  await del(calUrl, auth).catch(() => undefined);
  await del(bookUrl, auth).catch(() => undefined);
});

describe('the contract over IPC and HTTP', () => {
  let account: AccountSummary;

  it('addAccount (IPC): added through DNS discovery, trace progress reaches both transports', async () => {
    // Let the HTTP event stream connect before the work starts.
    await vi.waitFor(async () => {
      const probe = await service.syncStatus();
      expect(probe.ok).toBe(true);
    });
    await new Promise((r) => setTimeout(r, 300));
    const outcome = value(await ipc.addAccount({ email: alice.email, password: alice.password, operationId: `op-${tag}` }));
    expect(outcome.status).toBe('added');
    if (outcome.status !== 'added') return;
    account = outcome.account;
    expect(account).toMatchObject({ email: alice.email, username: alice.username, demo: false, needsPassword: false });
    expect(outcome.discovery.caldav?.context).toBe('https://dav.example.test:8443/');
    const traces = (events: ProgressEvent[]) => events.filter((e) => e.type === 'trace' && e.operationId === `op-${tag}`);
    expect(traces(ipcEvents).length).toBeGreaterThan(2);
    await vi.waitFor(() => expect(traces(httpEvents)).toEqual(traces(ipcEvents)));
    // The password went to the main side's vault, encrypted (the stub reverses it), never in clear.
    const vaultFile = readFileSync(join(profile, 'passwords.json'), 'utf8');
    expect(vaultFile).not.toContain(alice.password);
    await waitForSync();
  });

  it('syncNow (HTTP) and sync progress: both transports see the same sync events', async () => {
    const before = { ipc: ipcEvents.length, http: httpEvents.length };
    value(await http.syncNow({ accountId: account.id }));
    await waitForSync();
    const status = value(await both('syncStatus'));
    expect(status.accounts.find((a) => a.accountId === account.id)).toMatchObject({ error: null });
    expect(status.collections.map((c) => c.displayName)).toEqual(expect.arrayContaining([calName, bookName]));
    const syncs = (events: ProgressEvent[], from: number) => events.slice(from).filter((e) => e.type === 'sync');
    await vi.waitFor(() => expect(syncs(ipcEvents, before.ipc).at(-1)).toMatchObject({ status: { running: false } }));
    await vi.waitFor(() => expect(syncs(httpEvents, before.http)).toEqual(syncs(ipcEvents, before.ipc)));
  });

  it('listAccounts, syncStatus, getSettings: equal', async () => {
    expect(value(await both('listAccounts')).map((a) => a.email)).toContain(alice.email);
    expect(value(await both('syncStatus')).running).toBe(false);
    expect(value(await both('getSettings'))).toMatchObject({ view: expect.any(String) });
  });

  it('listCollections: equal, with the seeded calendar and address book', async () => {
    const cols = value(await both('listCollections'));
    expect(cols.calendars.find((c) => c.displayName === calName)).toMatchObject({ accountId: account.id, color: '#3366FF', hidden: false });
    expect(cols.addressbooks.find((b) => b.displayName === bookName)).toMatchObject({ accountId: account.id, count: 2 });
  });

  it('occurrences: equal, the weekly series expanded in the viewer’s zone', async () => {
    const calendarUrl = value(await ipc.listCollections()).calendars.find((c) => c.displayName === calName)!.url;
    const result = value(await both('occurrences', { from: '2026-01-01', to: '2026-02-01', tz: 'Europe/Berlin', calendarUrls: [calendarUrl] }));
    expect(result.errors).toEqual([]);
    const standups = result.events.filter((e) => e.uid === `standup-${tag}`);
    expect(standups.map((e) => e.start)).toEqual([
      '2026-01-05T09:30:00+01:00',
      '2026-01-12T09:30:00+01:00',
      '2026-01-19T09:30:00+01:00',
      '2026-01-26T09:30:00+01:00',
    ]);
    expect(result.events.find((e) => e.uid === `review-${tag}`)).toMatchObject({
      start: '2026-01-07T14:00:00+01:00',
      location: 'Room 7',
      summary: `Review ${tag} – Ünïcödé`,
    });
    // Another zone, a search: still equal.
    const searched = value(await both('occurrences', { from: '2026-01-01', to: '2026-02-01', tz: 'America/New_York', search: `review ${tag}` }));
    expect(searched.events.map((e) => e.uid)).toEqual([`review-${tag}`]);
  });

  it('eventDetails: equal, with attendees and the description', async () => {
    const calendarUrl = value(await ipc.listCollections()).calendars.find((c) => c.displayName === calName)!.url;
    const review = value(await ipc.occurrences({ from: '2026-01-01', to: '2026-02-01', tz: 'UTC', calendarUrls: [calendarUrl] })).events.find(
      (e) => e.uid === `review-${tag}`,
    )!;
    const details = value(await both('eventDetails', { calendarUrl, href: review.href, uid: review.uid, recurrenceId: review.recurrenceId, tz: 'UTC' }));
    expect(details.description).toBe('Two lines\nof text');
    expect(details.attendees).toEqual([expect.objectContaining({ name: 'Ann', email: 'ann@example.test', partstat: 'ACCEPTED' })]);
    const standup = value(await ipc.occurrences({ from: '2026-01-10', to: '2026-01-15', tz: 'Europe/Berlin', calendarUrls: [calendarUrl] })).events[0]!;
    expect(
      value(await both('eventDetails', { calendarUrl, href: standup.href, uid: standup.uid, recurrenceId: standup.recurrenceId, tz: 'Europe/Berlin' }))
        .recurrenceText,
    ).toBeTruthy();
  });

  it('contacts and contactDetails: equal, the photo as a data: URL', async () => {
    const addressbookUrl = value(await ipc.listCollections()).addressbooks.find((b) => b.displayName === bookName)!.url;
    const page = value(await both('contacts', { addressbookUrls: [addressbookUrl] }));
    expect(page.total).toBe(2);
    expect(page.contacts.map((c) => c.fn).sort()).toEqual([`Ann Transport${tag}`, `Ben Transport${tag}`]);
    const searched = value(await both('contacts', { search: `ann transport${tag}` }));
    expect(searched.contacts.map((c) => c.fn)).toEqual([`Ann Transport${tag}`]);
    const paged = value(await both('contacts', { addressbookUrls: [addressbookUrl], offset: 1, limit: 1 }));
    expect(paged.contacts).toHaveLength(1);
    const ann = page.contacts.find((c) => c.fn.startsWith('Ann'))!;
    const details = value(await both('contactDetails', { addressbookUrl, href: ann.href }));
    expect(details.photo).toBe(`data:image/png;base64,${PHOTO}`);
  });

  it('exportFile: equal calendar and address book files', async () => {
    const cols = value(await ipc.listCollections());
    const calendarUrl = cols.calendars.find((c) => c.displayName === calName)!.url;
    const addressbookUrl = cols.addressbooks.find((b) => b.displayName === bookName)!.url;
    const ics = value(await both('exportFile', { kind: 'calendar', calendarUrl }));
    expect(ics).toMatchObject({ mediaType: 'text/calendar', filename: `${calName}.ics`, errors: [] });
    expect(ics.content).toContain(`UID:standup-${tag}`);
    expect(ics.content).toContain(`UID:review-${tag}`);
    const vcf = value(await both('exportFile', { kind: 'addressbook', addressbookUrl }));
    expect(vcf.mediaType).toBe('text/vcard');
    expect(vcf.content.match(/BEGIN:VCARD/g)).toHaveLength(2);
  });

  it('saveExport: the desktop saves through the dialog, the browser downloads; same content', async () => {
    const calendarUrl = value(await ipc.listCollections()).calendars.find((c) => c.displayName === calName)!.url;
    const target = { kind: 'calendar' as const, calendarUrl };
    const exported = value(await ipc.exportFile(target));
    const path = join(profile, 'saved.ics');
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: path });
    expect(value(await ipc.saveExport(target))).toEqual({ saved: true, path });
    expect(readFileSync(path, 'utf8')).toBe(exported.content);
    expect(value(await http.saveExport(target))).toEqual({ saved: true, path: null });
    expect(downloads.at(-1)).toEqual(exported);
  });

  it('bad input and unknown things: the same error Results both ways', async () => {
    const calendarUrl = value(await ipc.listCollections()).calendars.find((c) => c.displayName === calName)!.url;
    const bad = await both('occurrences', { from: '2026-13-01', to: 'soon', tz: 'Mars/Olympus' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    const wrong = await both('removeAccount', { accountId: 'x', force: true } as never);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    const missing = await both('eventDetails', { calendarUrl, href: `${calendarUrl}nope.ics`, uid: 'nope', recurrenceId: null, tz: 'UTC' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const noCal = await both('exportFile', { kind: 'calendar', calendarUrl: 'https://dav.example.test:8443/nowhere/' });
    expect(noCal).toMatchObject({ ok: false });
  });

  it('openLocalFile: equal', async () => {
    const local = value(await both('openLocalFile', { name: 'trip.ics', content: REVIEW.replace(`review-${tag}`, 'local-1'), tz: 'Europe/Berlin' }));
    expect(local).toMatchObject({ kind: 'ics', errors: [] });
    expect(local.events.map((e) => e.uid)).toEqual(['local-1']);
  });

  it('updateSettings through one transport is what getSettings says through the other', async () => {
    const calendarUrl = value(await ipc.listCollections()).calendars.find((c) => c.displayName === calName)!.url;
    const updated = value(await http.updateSettings({ view: 'week', hiddenCalendars: [calendarUrl] }));
    expect(updated).toMatchObject({ view: 'week', hiddenCalendars: [calendarUrl] });
    expect(value(await both('getSettings'))).toEqual(updated);
    expect(value(await both('listCollections')).calendars.find((c) => c.url === calendarUrl)!.hidden).toBe(true);
    value(await ipc.updateSettings({ view: 'month', hiddenCalendars: [] }));
  });

  it('removeAccount (HTTP): gone for both, its password gone from the vault file', async () => {
    expect(await http.removeAccount({ accountId: account.id })).toEqual({ ok: true, value: null });
    expect(value(await both('listAccounts')).map((a) => a.id)).not.toContain(account.id);
    expect(JSON.parse(readFileSync(join(profile, 'passwords.json'), 'utf8')).entries).not.toHaveProperty(account.id);
    expect(await both('removeAccount', { accountId: account.id })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
