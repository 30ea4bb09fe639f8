// The Electron main process with the 'electron' module replaced by a stub (Electron cannot run on the
// build machines): window options, IPC registration and validation, CSP, the safeStorage vault, link
// policy, menus, the save dialog, window bounds, the preload, and the wiring of index.ts.
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DavlensApi, ProgressEvent, Result } from '../../shared/api.ts';
import { API_METHODS, ok, PRELOAD_GLOBAL } from '../../shared/api.ts';
import type { DavlensService } from '../../electron/engine/app/types.ts';
import { serveEngine } from '../../electron/main/engine-rpc.ts';
import { fakeService as fakeApi } from '../support/fake-service.ts';

type Handler = (event: unknown, arg?: unknown) => Promise<Result<unknown>>;

const electron = await vi.hoisted(async () => {
  // Hoisted above the imports, so it imports what it needs itself.
  const { EventEmitter } = await import('node:events');
  const handlers = new Map<string, Handler>();
  class FakeWebContents extends EventEmitter {
    send = vi.fn();
    windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
    setWindowOpenHandler(fn: (d: { url: string }) => { action: string }) {
      this.windowOpenHandler = fn;
    }
  }
  class FakeBrowserWindow extends EventEmitter {
    static instances: FakeBrowserWindow[] = [];
    options: Record<string, unknown>;
    webContents = new FakeWebContents();
    maximize = vi.fn();
    show = vi.fn();
    loadURL = vi.fn(async () => undefined);
    isMinimized = () => false;
    restore = vi.fn();
    focus = vi.fn();
    isDestroyed = () => false;
    isMaximized = () => false;
    getNormalBounds = () => ({ x: 10, y: 20, width: 1000, height: 700 });
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      FakeBrowserWindow.instances.push(this);
    }
  }
  const appEvents = new EventEmitter();
  const stub = {
    handlers,
    FakeWebContents,
    appEvents,
    /** Set by tests: what utilityProcess.fork returns. */
    fork: null as null | ((path: string) => unknown),
    ipcMain: { handle: vi.fn((channel: string, fn: Handler) => void handlers.set(channel, fn)) },
    ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
    contextBridge: { exposeInMainWorld: vi.fn() },
    shell: { openExternal: vi.fn(async (_url: string) => undefined), openPath: vi.fn(async (_path: string) => '') },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    safeStorage: {
      isEncryptionAvailable: vi.fn(() => true),
      // Reversible and visibly not the plain text, like the real thing.
      encryptString: vi.fn((s: string) => Buffer.from(`enc:${Buffer.from(s).reverse().toString('hex')}`)),
      decryptString: vi.fn((b: Buffer) => Buffer.from(b.toString().slice(4), 'hex').reverse().toString()),
      getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
    },
    dialog: { showSaveDialog: vi.fn(), showMessageBox: vi.fn(async () => ({ response: 0 })), showErrorBox: vi.fn() },
    BrowserWindow: FakeBrowserWindow,
    Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        protocol: { handle: vi.fn() },
        webRequest: { onHeadersReceived: vi.fn() },
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
      },
    },
    utilityProcess: { fork: vi.fn((path: string) => stub.fork!(path)) },
    app: {
      isPackaged: false,
      lock: true,
      setName: vi.fn(),
      setPath: vi.fn(),
      quit: vi.fn(),
      exit: vi.fn(),
      showAboutPanel: vi.fn(),
      requestSingleInstanceLock: vi.fn(() => stub.app.lock),
      whenReady: vi.fn(() => Promise.resolve()),
      on: vi.fn((event: string, fn: (...a: unknown[]) => void) => appEvents.on(event, fn)),
    },
  };
  return stub;
});
vi.mock('electron', () => electron);

const { windowOptions, createMainWindow, isAllowedExternalUrl, lockDownWebContents, denyPermissions } = await import('../../electron/main/window.ts');
const { registerIpc } = await import('../../electron/main/ipc.ts');
const { appResponse, serveRenderer, APP_URL } = await import('../../electron/main/protocol.ts');
const { safeStorageVault, BASIC_TEXT_WARNING, NO_ENCRYPTION_WARNING } = await import('../../electron/main/vault.ts');
const { menuTemplate } = await import('../../electron/main/menu.ts');
const { saveExportWithDialog } = await import('../../electron/main/save-export.ts');
const { restoreWindowState } = await import('../../electron/main/bounds.ts');
const { apiChannel, PROGRESS_CHANNEL, HOST_EVENT_CHANNEL } = await import('../../electron/preload/channels.ts');
const { createPreloadApi } = await import('../../electron/preload/bridge.ts');

const tmp = mkdtempSync(join(tmpdir(), 'davlens-main-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const APP_FRAME = { senderFrame: { url: 'app://davlens/index.html' } };

beforeEach(() => {
  vi.clearAllMocks();
  electron.handlers.clear();
});

describe('window', () => {
  it('is isolated, sandboxed, without Node, with the preload and no webview', () => {
    const opts = windowOptions('/app/out/preload/preload.cjs', { width: 1000, height: 700, maximized: false });
    const prefs: Record<string, unknown> = { ...opts.webPreferences };
    expect(prefs.preload).toBe('/app/out/preload/preload.cjs');
    // The requirement as two lists, not a copy of windowOptions: each protection that must be on, each door that must be shut.
    for (const on of ['contextIsolation', 'sandbox', 'webSecurity']) expect(prefs[on], on).toBe(true);
    for (const off of [
      'nodeIntegration',
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'webviewTag',
      'allowRunningInsecureContent',
      'navigateOnDragDrop',
    ])
      expect(prefs[off], off).toBe(false);
    expect(opts).toMatchObject({ width: 1000, height: 700, show: false });
    expect(opts).not.toHaveProperty('x');
  });

  it('createMainWindow passes those options to BrowserWindow and restores position and maximised state', () => {
    const win = createMainWindow('/p.cjs', { x: 5, y: 6, width: 900, height: 600, maximized: true }) as unknown as InstanceType<typeof electron.BrowserWindow>;
    expect(win.options).toMatchObject({
      x: 5,
      y: 6,
      width: 900,
      height: 600,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    expect(win.maximize).toHaveBeenCalled();
  });

  it('permissions are denied except writing to the clipboard', () => {
    const session = electron.session.defaultSession;
    denyPermissions(session as never);
    const request = session.setPermissionRequestHandler.mock.calls[0]![0] as (c: unknown, p: string, cb: (v: boolean) => void) => void;
    const answers: Record<string, boolean> = {};
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write'])
      request(null, p, (v) => (answers[p] = v));
    expect(answers).toEqual({
      media: false,
      geolocation: false,
      notifications: false,
      openExternal: false,
      'clipboard-read': false,
      'clipboard-sanitized-write': true,
    });
    const check = session.setPermissionCheckHandler.mock.calls[0]![0] as (c: unknown, p: string) => boolean;
    expect(check(null, 'media')).toBe(false);
  });
});

describe('link policy', () => {
  it('only http, https, mailto and tel leave the app', () => {
    for (const url of ['https://example.org/x', 'http://example.org', 'mailto:a@example.org', 'tel:+49301234'])
      expect(isAllowedExternalUrl(url), url).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'app://davlens/x',
      'data:text/html,hi',
      'smb://host/share',
      'ms-msdt:/id',
      'not a url',
      'vbscript:x',
    ])
      expect(isAllowedExternalUrl(url), url).toBe(false);
  });

  it('a mailto: reaches the OS with its address and subject only (main: attach= and body= passed on)', () => {
    const contents = new electron.FakeWebContents();
    lockDownWebContents(contents as never);
    contents.windowOpenHandler!({
      url: 'mailto:bob@example.org?subject=Hello%20there&attach=/etc/passwd&body=secret&cc=eve@evil.example&bcc=eve@evil.example',
    });
    contents.windowOpenHandler!({ url: 'mailto:bob@example.org,ann@example.org?ATTACH=~/.ssh/id_rsa#frag' });
    expect(electron.shell.openExternal.mock.calls.map((c) => c[0])).toEqual([
      'mailto:bob@example.org?subject=Hello%20there',
      'mailto:bob@example.org,ann@example.org',
    ]);
    expect(isAllowedExternalUrl('mailto:?attach=/etc/passwd')).toBe(false);
  });

  it('window.open is always denied; allowed links go to the OS, others nowhere', () => {
    const contents = new electron.FakeWebContents();
    lockDownWebContents(contents as never);
    expect(contents.windowOpenHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.org/');
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'app://davlens/index.html' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('navigation away from app://davlens is prevented (links open in the OS); in-app navigation is allowed', () => {
    const contents = new electron.FakeWebContents();
    lockDownWebContents(contents as never);
    const navigate = (name: string, url: string) => {
      const event = { url, preventDefault: vi.fn() };
      contents.emit(name, event);
      return event.preventDefault.mock.calls.length > 0;
    };
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(navigate(name, 'https://evil.example/'), name).toBe(true);
      expect(navigate(name, 'file:///etc/passwd'), name).toBe(true);
      expect(navigate(name, 'app://other/index.html'), name).toBe(true);
      expect(navigate(name, 'app://davlens/index.html'), name).toBe(false);
    }
    expect(electron.shell.openExternal.mock.calls.map((c) => c[0])).toEqual(['https://evil.example/', 'https://evil.example/', 'https://evil.example/']);
    const attach = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', attach);
    expect(attach.preventDefault).toHaveBeenCalled();
  });
});

describe('IPC', () => {
  it('registers exactly one channel per API method', () => {
    registerIpc(fakeApi().service);
    const channels = electron.ipcMain.handle.mock.calls.map((c) => c[0]);
    expect(channels).toEqual(API_METHODS.map((m) => apiChannel(m)));
    expect(new Set(channels).size).toBe(API_METHODS.length);
  });

  it('passes a valid argument through and answers the Result', async () => {
    const fake = fakeApi();
    registerIpc(fake.service);
    const result = await electron.handlers.get(apiChannel('contacts'))!(APP_FRAME, { search: 'ann', limit: 10 });
    expect(result).toEqual({ ok: true, value: { method: 'contacts', arg: { search: 'ann', limit: 10 } } });
  });

  it('rejects bad input with a bad-input Result, never a throw, and never calls the service', async () => {
    const fake = fakeApi();
    registerIpc(fake.service);
    const bad: [string, unknown][] = [
      ['occurrences', { from: '2026-01-01', to: '2026-02-01', tz: 'Not/AZone' }],
      ['occurrences', 'a string'],
      ['addAccount', { email: 'no-at-sign', password: 'x' }],
      ['removeAccount', { accountId: 'a', extra: 1 }],
      ['exportFile', { kind: 'calendar', calendarUrl: 'file:///etc/passwd' }],
      ['listAccounts', { unexpected: true }],
      ['contacts', { limit: -1 }],
      ['updateSettings', { view: 'year' }],
    ];
    for (const [method, arg] of bad) {
      const result = await electron.handlers.get(apiChannel(method as never))!(APP_FRAME, arg);
      expect(result, method).toMatchObject({ ok: false, error: { code: 'bad-input', step: 'input' } });
      expect(result.ok === false && result.error.message.startsWith(`${method}: `), method).toBe(true);
    }
    expect(fake.totalCalls()).toBe(0);
  });

  it('a throwing service becomes an internal-error Result', async () => {
    const fake = fakeApi();
    fake.methods.listAccounts!.mockRejectedValueOnce(new Error('disk on fire'));
    registerIpc(fake.service);
    const result = await electron.handlers.get(apiChannel('listAccounts'))!(APP_FRAME);
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('disk on fire') } });
  });

  it('refuses calls from frames that are not the app page', async () => {
    const fake = fakeApi();
    registerIpc(fake.service);
    for (const senderFrame of [{ url: 'https://evil.example/' }, { url: 'file:///tmp/x.html' }, null, { url: '' }]) {
      const result = await electron.handlers.get(apiChannel('listAccounts'))!({ senderFrame });
      expect(result).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    }
    expect(fake.totalCalls()).toBe(0);
  });
});

describe('Content-Security-Policy on app://', () => {
  const rendererDir = join(tmp, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Davlens</title>');
  writeFileSync(join(rendererDir, 'assets', 'a.js'), 'void 0');

  it('every response carries a CSP without remote or inline scripts, inline styles allowed', async () => {
    for (const url of ['app://davlens/index.html', 'app://davlens/assets/a.js', 'app://davlens/missing.js', 'app://other/index.html']) {
      const res = await appResponse(rendererDir, url);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp, url).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:|\*)/);
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
    const page = await appResponse(rendererDir, APP_URL);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Davlens</title>');
    expect((await appResponse(rendererDir, 'app://davlens/../../etc/passwd')).status).toBe(404);
    expect((await appResponse(rendererDir, 'app://other/index.html')).status).toBe(404);
  });

  it('serveRenderer handles the app scheme and stamps the CSP on any other response', async () => {
    const session = electron.session.defaultSession;
    serveRenderer(rendererDir, session as never);
    expect(session.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    const handler = session.protocol.handle.mock.calls[0]![1] as (r: { url: string }) => Promise<Response>;
    expect((await handler({ url: 'app://davlens/index.html' })).status).toBe(200);
    const onHeaders = session.webRequest.onHeadersReceived.mock.calls[0]![0] as (
      d: unknown,
      cb: (r: { responseHeaders: Record<string, string[]> }) => void,
    ) => void;
    let headers: Record<string, string[]> = {};
    onHeaders({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']![0]).toContain("script-src 'self'");
    expect(headers['Content-Type']).toEqual(['text/html']);
  });
});

describe('password vault (safeStorage)', () => {
  const file = () => join(mkdtempSync(join(tmp, 'vault-')), 'passwords.json');

  it('encrypts with safeStorage into a file of its own; the password never appears in it', async () => {
    const path = file();
    const vault = safeStorageVault(path, electron.safeStorage, 'linux');
    await vault.set('alice', 'correct horse battery staple');
    expect(electron.safeStorage.encryptString).toHaveBeenCalledWith('correct horse battery staple');
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('correct horse');
    expect(JSON.parse(text)).toMatchObject({ format: 'davlens-passwords-1', entries: { alice: expect.any(String) } });
    // A new vault over the same file (next start) reads it back through decryptString.
    const again = safeStorageVault(path, electron.safeStorage, 'linux');
    expect(await again.get('alice')).toBe('correct horse battery staple');
    expect(electron.safeStorage.decryptString).toHaveBeenCalled();
    expect(await again.get('bob')).toBeNull();
    await again.delete('alice');
    expect(await safeStorageVault(path, electron.safeStorage, 'linux').get('alice')).toBeNull();
    expect(vault.warning()).toBeNull();
  });

  it("warns when Linux falls back to safeStorage's plain-text backend", () => {
    electron.safeStorage.getSelectedStorageBackend.mockReturnValue('basic_text');
    try {
      expect(safeStorageVault(file(), electron.safeStorage, 'linux').warning()).toBe(BASIC_TEXT_WARNING);
      expect(BASIC_TEXT_WARNING).toMatch(/keyring/);
      // The backend question is Linux's only.
      expect(safeStorageVault(file(), electron.safeStorage, 'darwin').warning()).toBeNull();
    } finally {
      electron.safeStorage.getSelectedStorageBackend.mockReturnValue('gnome_libsecret');
    }
  });

  it('without any encryption, keeps passwords for the session only, never on disk, and says so', async () => {
    electron.safeStorage.isEncryptionAvailable.mockReturnValue(false);
    try {
      const path = file();
      const vault = safeStorageVault(path, electron.safeStorage, 'linux');
      await vault.set('alice', 'pw');
      expect(await vault.get('alice')).toBe('pw');
      expect(() => readFileSync(path)).toThrow();
      expect(electron.safeStorage.encryptString).not.toHaveBeenCalled();
      expect(vault.warning()).toBe(NO_ENCRYPTION_WARNING);
    } finally {
      electron.safeStorage.isEncryptionAvailable.mockReturnValue(true);
    }
  });

  it('an entry that no longer decrypts (keyring reset) reads as no password', async () => {
    const path = file();
    await safeStorageVault(path, electron.safeStorage, 'linux').set('alice', 'pw');
    electron.safeStorage.decryptString.mockImplementationOnce(() => {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    });
    expect(await safeStorageVault(path, electron.safeStorage, 'linux').get('alice')).toBeNull();
  });
});

describe('menus', () => {
  type Item = { label?: string; role?: string; submenu?: Item[]; click?: () => void; accelerator?: string };
  const actions = () => ({ toUi: vi.fn(), syncNow: vi.fn(), about: vi.fn(), openProfileFolder: vi.fn() });
  const find = (items: Item[], label: string) => items.find((i) => i.label?.replace('&', '') === label);

  it('File > Export..., View > Month/Week/Day/List and Help reach the UI or the host', () => {
    const a = actions();
    const menu = menuTemplate(a, 'linux', false) as Item[];
    expect(menu.map((m) => m.label?.replace('&', '') ?? m.role)).toEqual(['File', 'editMenu', 'View', 'Help']);
    const file = find(menu, 'File')!.submenu!;
    find(file, 'Export…')!.click!();
    expect(a.toUi).toHaveBeenCalledWith({ type: 'menu', command: 'export' });
    find(file, 'Sync Now')!.click!();
    expect(a.syncNow).toHaveBeenCalled();
    const view = find(menu, 'View')!.submenu!;
    for (const [label, v] of [
      ['Month', 'month'],
      ['Week', 'week'],
      ['Day', 'day'],
      ['List', 'list'],
    ] as const) {
      find(view, label)!.click!();
      expect(a.toUi).toHaveBeenLastCalledWith({ type: 'menu', command: 'view', view: v });
    }
    expect(view.some((i) => i.role === 'toggleDevTools')).toBe(false);
    const help = find(menu, 'Help')!.submenu!;
    find(help, 'About Davlens')!.click!();
    find(help, 'Open Profile Folder')!.click!();
    expect(a.about).toHaveBeenCalled();
    expect(a.openProfileFolder).toHaveBeenCalled();
  });

  it('macOS gets the app and window menus; development builds the dev tools', () => {
    const menu = menuTemplate(actions(), 'darwin', true) as Item[];
    expect(menu.map((m) => m.label?.replace('&', '') ?? m.role)).toEqual(['appMenu', 'File', 'editMenu', 'View', 'windowMenu', 'Help']);
    expect(find(menu, 'View')!.submenu!.some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});

describe('saveExport through the native dialog', () => {
  const file = { filename: 'Work.ics', mediaType: 'text/calendar' as const, content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', errors: [] };
  const target = { kind: 'calendar' as const, calendarUrl: 'https://dav.example.test/cal/' };

  it('asks where to save, writes the engine’s content there and says where', async () => {
    const path = join(tmp, 'saved.ics');
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: path });
    const api = { exportFile: vi.fn(async () => ok(file)) } as unknown as DavlensApi;
    const parent = {} as never;
    const result = await saveExportWithDialog(api, target, parent);
    expect(result).toEqual({ ok: true, value: { saved: true, path } });
    expect(readFileSync(path, 'utf8')).toBe(file.content);
    expect(electron.dialog.showSaveDialog).toHaveBeenCalledWith(
      parent,
      expect.objectContaining({ defaultPath: 'Work.ics', filters: [{ name: 'iCalendar', extensions: ['ics'] }] }),
    );
  });

  it('cancel: saved false, nothing written; an export error passes through without a dialog', async () => {
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    const api = { exportFile: vi.fn(async () => ok(file)) } as unknown as DavlensApi;
    expect(await saveExportWithDialog(api, target, null)).toEqual({ ok: true, value: { saved: false, path: null } });
    const error = { code: 'not-found' as const, message: 'No such calendar.', step: 'export' as const, url: null, status: null };
    const failing = { exportFile: vi.fn(async () => ({ ok: false, error })) } as unknown as DavlensApi;
    electron.dialog.showSaveDialog.mockClear();
    expect(await saveExportWithDialog(failing, target, null)).toEqual({ ok: false, error });
    expect(electron.dialog.showSaveDialog).not.toHaveBeenCalled();
  });
});

describe('window bounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  it('restores size and position that are on a display', () => {
    expect(restoreWindowState(JSON.stringify({ x: 100, y: 50, width: 1000, height: 700, maximized: true }), screen)).toEqual({
      x: 100,
      y: 50,
      width: 1000,
      height: 700,
      maximized: true,
    });
  });

  it('drops a position on a display that is gone, clamps sizes, survives garbage', () => {
    expect(restoreWindowState(JSON.stringify({ x: 3000, y: 50, width: 1000, height: 700 }), screen)).toEqual({ width: 1000, height: 700, maximized: false });
    expect(restoreWindowState(JSON.stringify({ x: 0, y: 0, width: 100, height: 99999 }), screen)).toEqual({
      x: 0,
      y: 0,
      width: 640,
      height: 1080,
      maximized: false,
    });
    expect(restoreWindowState('{not json', screen)).toEqual({ width: 1200, height: 800, maximized: false });
    expect(restoreWindowState('null', screen)).toEqual({ width: 1200, height: 800, maximized: false });
    expect(restoreWindowState(JSON.stringify({ x: '1', y: 2, width: 'big' }), screen)).toEqual({ width: 1200, height: 800, maximized: false });
  });
});

describe('preload', () => {
  it('exposes exactly the contract, progress and menu subscriptions; each call is one invoke on its channel', async () => {
    const ipc = { invoke: vi.fn(async () => ok(1)), on: vi.fn(), removeListener: vi.fn() };
    const api = createPreloadApi(ipc);
    expect(Object.keys(api).sort()).toEqual([...API_METHODS, 'onProgress', 'onHostEvent'].sort());
    await api.occurrences({ from: '2026-01-01', to: '2026-02-01', tz: 'UTC' });
    expect(ipc.invoke).toHaveBeenCalledWith(apiChannel('occurrences'), { from: '2026-01-01', to: '2026-02-01', tz: 'UTC' });
    await api.listAccounts();
    expect(ipc.invoke).toHaveBeenLastCalledWith(apiChannel('listAccounts'), undefined);
  });

  it('subscriptions hand over the payload only (never the IPC event) and unsubscribe', () => {
    const ipc = { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() };
    const api = createPreloadApi(ipc);
    const progress = vi.fn();
    const off = api.onProgress(progress);
    const [channel, handler] = ipc.on.mock.calls[0]! as [string, (e: unknown, p: unknown) => void];
    expect(channel).toBe(PROGRESS_CHANNEL);
    handler({ sender: 'secret' }, { type: 'sync' });
    expect(progress).toHaveBeenCalledWith({ type: 'sync' });
    expect(progress.mock.calls[0]).toHaveLength(1);
    off();
    expect(ipc.removeListener).toHaveBeenCalledWith(PROGRESS_CHANNEL, handler);
    api.onHostEvent(vi.fn());
    expect(ipc.on.mock.calls[1]![0]).toBe(HOST_EVENT_CHANNEL);
  });

  it('the preload entry exposes that object through contextBridge under the contract global, and nothing else', async () => {
    vi.resetModules();
    await import('../../electron/main/preload.ts');
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0]! as [string, Record<string, unknown>];
    expect(name).toBe(PRELOAD_GLOBAL);
    expect(Object.keys(api).sort()).toEqual([...API_METHODS, 'onProgress', 'onHostEvent'].sort());
  });
});

describe('main process wiring (index.ts)', () => {
  /** A utility process whose other end runs serveEngine over a fake service, in this process. */
  function fakeUtilityProcess(service: DavlensService) {
    const child = Object.assign(new EventEmitter(), {
      postMessage: (m: unknown) => queueMicrotask(() => engineSide.emit('message', structuredClone(m))),
      kill: vi.fn(() => true),
    });
    const engineSide = new EventEmitter();
    serveEngine(
      {
        post: (m) => queueMicrotask(() => child.emit('message', structuredClone(m))),
        onMessage: (l) => {
          engineSide.on('message', l);
          return () => void engineSide.off('message', l);
        },
      },
      async () => service,
    );
    return child;
  }

  async function startMain(opts: { lock?: boolean } = {}) {
    vi.resetModules();
    electron.appEvents.removeAllListeners();
    electron.BrowserWindow.instances.length = 0;
    electron.app.lock = opts.lock ?? true;
    const fake = fakeApi();
    electron.fork = () => fakeUtilityProcess(fake.service);
    process.env.DAVLENS_PROFILE = mkdtempSync(join(tmp, 'profile-'));
    await import('../../electron/main/index.ts');
    await new Promise((r) => setTimeout(r, 0));
    return fake;
  }

  it('registers the app scheme before ready, holds the single-instance lock, and puts userData in the profile', async () => {
    await startMain();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(electron.protocol.registerSchemesAsPrivileged.mock.invocationCallOrder[0]).toBeLessThan(electron.app.whenReady.mock.invocationCallOrder[0]!);
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(electron.app.setPath).toHaveBeenCalledWith('userData', join(process.env.DAVLENS_PROFILE!, 'electron'));
  });

  it('a second instance quits at once and focuses the first', async () => {
    await startMain({ lock: false });
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.app.whenReady).not.toHaveBeenCalled();
    expect(electron.ipcMain.handle).not.toHaveBeenCalled();

    await startMain();
    const win = electron.BrowserWindow.instances[0]!;
    electron.appEvents.emit('second-instance');
    expect(win.focus).toHaveBeenCalled();
  });

  it('opens one locked-down window on app://davlens, with the engine in a utility process and a menu', async () => {
    await startMain();
    expect(electron.BrowserWindow.instances).toHaveLength(1);
    const win = electron.BrowserWindow.instances[0]!;
    expect(win.options).toMatchObject({
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, preload: expect.stringMatching(/preload[/\\]preload\.cjs$/) },
    });
    expect(win.loadURL).toHaveBeenCalledWith('app://davlens/index.html');
    expect(electron.utilityProcess.fork).toHaveBeenCalledWith(
      expect.stringMatching(/main[/\\]engine\.mjs$/),
      [],
      expect.objectContaining({ serviceName: 'Davlens engine' }),
    );
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalled();
    expect(electron.session.defaultSession.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    // Every webContents created later is locked down too.
    const contents = new electron.FakeWebContents();
    electron.appEvents.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler!({ url: 'https://example.org' })).toEqual({ action: 'deny' });
  });

  it('an IPC call travels main -> utility process -> service and back; progress reaches the window', async () => {
    const fake = await startMain();
    expect([...electron.handlers.keys()]).toEqual(API_METHODS.map((m) => apiChannel(m)));
    const result = await electron.handlers.get(apiChannel('syncNow'))!(APP_FRAME, { accountId: 'alice' });
    expect(result).toEqual({ ok: true, value: { method: 'syncNow', arg: { accountId: 'alice' } } });
    expect(fake.methods.syncNow).toHaveBeenCalledWith({ accountId: 'alice' });
    const bad = await electron.handlers.get(apiChannel('syncNow'))!(APP_FRAME, { accountId: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(fake.methods.syncNow).toHaveBeenCalledTimes(1);

    const event: ProgressEvent = { type: 'sync', status: { running: false, accounts: [], collections: [] } };
    fake.emit(event);
    const win = electron.BrowserWindow.instances[0]!;
    await vi.waitFor(() => expect(win.webContents.send).toHaveBeenCalledWith(PROGRESS_CHANNEL, event));
  });

  it('saveExport is the main process’s: engine export, then the native dialog', async () => {
    const fake = await startMain();
    fake.methods.exportFile!.mockResolvedValueOnce(ok({ filename: 'Home.vcf', mediaType: 'text/vcard', content: 'BEGIN:VCARD\r\nEND:VCARD\r\n', errors: [] }));
    electron.dialog.showSaveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    const result = await electron.handlers.get(apiChannel('saveExport'))!(APP_FRAME, { kind: 'addressbook', addressbookUrl: 'https://dav.example.test/ab/' });
    expect(result).toEqual({ ok: true, value: { saved: false, path: null } });
    expect(fake.methods.saveExport).not.toHaveBeenCalled();
    expect(electron.dialog.showSaveDialog).toHaveBeenCalledWith(electron.BrowserWindow.instances[0], expect.objectContaining({ defaultPath: 'Home.vcf' }));
  });

  it('an unusable option (a --ca file that is not there) is an error box and exit code 2, not a half-started app', async () => {
    const argv = process.argv;
    process.argv = [argv[0]!, 'out/main/index.mjs', '--ca', join(tmp, 'no-such-ca.pem')];
    try {
      vi.resetModules();
      await expect(import('../../electron/main/index.ts')).rejects.toThrow(/--ca/);
    } finally {
      process.argv = argv;
    }
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith('Davlens cannot start', expect.stringContaining('no-such-ca.pem'));
    expect(electron.app.exit).toHaveBeenCalledWith(2);
    expect(electron.app.whenReady).not.toHaveBeenCalled();
  });

  it('View menu commands reach the renderer on the host-event channel', async () => {
    await startMain();
    type Item = { label?: string; submenu?: Item[]; click?: () => void };
    const template = electron.Menu.buildFromTemplate.mock.calls[0]![0] as Item[];
    const view = template.find((i) => i.label === '&View')!.submenu!;
    view.find((i) => i.label === 'Week')!.click!();
    expect(electron.BrowserWindow.instances[0]!.webContents.send).toHaveBeenCalledWith(HOST_EVENT_CHANNEL, { type: 'menu', command: 'view', view: 'week' });
  });
});
