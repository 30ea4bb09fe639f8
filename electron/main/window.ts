// The main window and the rules every web page in the app lives by: isolated, sandboxed, no Node; no
// navigation away from app://davlens, no new windows, no webviews, no permissions; links leave the app
// only as http, https, mailto or tel, opened by the operating system.
import { BrowserWindow, shell } from 'electron';
import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { externalUrl } from '../../shared/external-url.ts';
import { isAppUrl } from './protocol.ts';
import type { WindowState } from './bounds.ts';

export function isAllowedExternalUrl(url: string): boolean {
  return externalUrl(url) !== null;
}

/**
 * Opens an allowed link in the user's browser / mail / phone app, in the form shared/external-url.ts gives it
 * (a mailto: without attach= or body=); anything else is dropped.
 */
function openExternal(url: string): boolean {
  const allowed = externalUrl(url);
  if (allowed === null) return false;
  void shell.openExternal(allowed);
  return true;
}

export function windowOptions(preload: string, state: WindowState): BrowserWindowConstructorOptions {
  return {
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: 640,
    minHeight: 420,
    title: 'Davlens',
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

export function createMainWindow(preload: string, state: WindowState): BrowserWindow {
  const win = new BrowserWindow(windowOptions(preload, state));
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  return win;
}

/** For every webContents the app creates (app 'web-contents-created'). */
export function lockDownWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
  // will-frame-navigate covers the main frame and subframes; will-redirect covers server redirects.
  const stayInApp = (event: { url: string; preventDefault(): void }) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    openExternal(event.url);
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-frame-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** No camera, notifications, geolocation...; only writing to the clipboard (copy a trace or a curl line). */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
  session.setPermissionCheckHandler((_contents, permission) => permission === 'clipboard-sanitized-write');
}
