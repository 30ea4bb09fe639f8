// The Electron main process: owns the window, menus, dialogs and the password vault, and routes API calls
// to the engine's utility process. Kept thin: each concern is a module of its own, tested with 'electron'
// stubbed (Electron itself does not run on the build machines).
import { app, dialog, Menu, screen, session, shell } from 'electron';
import type { BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DavlensApi } from '../../shared/api.ts';
import { apiOver, callOn } from '../../shared/api.ts';
import type { HostEvent } from '../../shared/host-events.ts';
import { HOST_EVENT_CHANNEL, PROGRESS_CHANNEL } from '../preload/channels.ts';
import { parseHostArgs, serviceOptions } from '../web/host-args.ts';
import type { HostArgs } from '../web/host-args.ts';
import { loadWindowState, trackWindowState, WINDOW_STATE_FILE } from './bounds.ts';
import { startEngineHost } from './engine-host.ts';
import { registerIpc } from './ipc.ts';
import { menuTemplate } from './menu.ts';
import { APP_URL, registerAppScheme, serveRenderer } from './protocol.ts';
import { saveExportWithDialog } from './save-export.ts';
import { safeStorageVault, VAULT_FILE } from './vault.ts';
import { createMainWindow, denyPermissions, lockDownWebContents } from './window.ts';
import { ensurePrivateDir, type PasswordVault } from '../engine/index.ts';

// Bundled layout: out/main/{index,engine}.mjs, out/preload/preload.cjs, dist/renderer/ (same inside app.asar).
const here = dirname(fileURLToPath(import.meta.url));
const paths = {
  preload: join(here, '..', 'preload', 'preload.cjs'),
  engine: join(here, 'engine.mjs'),
  renderer: join(here, '..', '..', 'dist', 'renderer'),
};

let mainWindow: BrowserWindow | null = null;
let args: HostArgs;
let started = false;

registerAppScheme();
try {
  // Chromium adds switches of its own, so unknown flags are ignored here.
  args = parseHostArgs(process.argv.slice(app.isPackaged ? 1 : 2), { strict: false });
} catch (e) {
  dialog.showErrorBox('Davlens cannot start', e instanceof Error ? e.message : String(e));
  app.exit(2);
  throw e;
}
app.setName('Davlens');
// Chromium's own data next to the store: one profile, one place, and one instance per profile. Both folders
// are the owner's alone before anything is written in them (private-files.ts).
ensurePrivateDir(join(args.profile, 'electron'));
ensurePrivateDir(args.profile);
app.setPath('userData', join(args.profile, 'electron'));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) {
      if (started) openWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));
  void app.whenReady().then(start);
}

function start(): void {
  started = true;
  denyPermissions(session.defaultSession);
  serveRenderer(paths.renderer, session.defaultSession);

  const vault = warnBeforeStoring(safeStorageVault(join(args.profile, VAULT_FILE)));
  const engine = startEngineHost(paths.engine, serviceOptions(args), vault);
  const api: DavlensApi = { ...apiOver(callOn(engine)), saveExport: (target) => saveExportWithDialog(engine, target, mainWindow) };
  registerIpc(api);
  engine.onProgress((event) => mainWindow?.webContents.send(PROGRESS_CHANNEL, event));

  const toUi = (event: HostEvent) => mainWindow?.webContents.send(HOST_EVENT_CHANNEL, event);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        {
          toUi,
          syncNow: () => void engine.syncNow({}),
          about: () => app.showAboutPanel(),
          openProfileFolder: () => void shell.openPath(args.profile),
        },
        process.platform,
        !app.isPackaged,
      ),
    ),
  );

  openWindow();
  app.on('activate', () => mainWindow ?? openWindow());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    void engine.close().finally(() => app.quit());
  });
}

function openWindow(): BrowserWindow {
  const stateFile = join(args.profile, WINDOW_STATE_FILE);
  const win = createMainWindow(
    paths.preload,
    loadWindowState(
      stateFile,
      screen.getAllDisplays().map((d) => d.workArea),
    ),
  );
  trackWindowState(win, stateFile);
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(APP_URL);
  mainWindow = win;
  return win;
}

/** Says once per session, when a password is about to be stored, that the vault cannot really protect it. */
function warnBeforeStoring(vault: PasswordVault): PasswordVault {
  let warned = false;
  return {
    ...vault,
    async set(accountId, password) {
      const warning = vault.warning();
      if (warning && !warned) {
        warned = true;
        console.warn(`Davlens: ${warning}`);
        const options = { type: 'warning' as const, message: 'Your password cannot be stored securely', detail: warning };
        void (mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options));
      }
      return vault.set(accountId, password);
    },
  };
}
