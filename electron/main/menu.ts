// Native menus. Commands that concern what the UI shows (export the selection, switch the view) go to the
// renderer as host events; the rest (sync, about, profile folder) the main process does itself.
import type { MenuItemConstructorOptions } from 'electron';
import type { Settings } from '../../shared/api.ts';
import type { HostEvent } from '../../shared/host-events.ts';

export interface MenuActions {
  toUi(event: HostEvent): void;
  syncNow(): void;
  about(): void;
  openProfileFolder(): void;
}

const VIEWS: { view: Settings['view']; label: string; key: string }[] = [
  { view: 'month', label: 'Month', key: 'CmdOrCtrl+1' },
  { view: 'week', label: 'Week', key: 'CmdOrCtrl+2' },
  { view: 'day', label: 'Day', key: 'CmdOrCtrl+3' },
  { view: 'list', label: 'List', key: 'CmdOrCtrl+4' },
];

export function menuTemplate(actions: MenuActions, platform: NodeJS.Platform, devTools: boolean): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => actions.toUi({ type: 'menu', command: 'export' }) },
      { label: 'Sync Now', accelerator: 'CmdOrCtrl+R', click: () => actions.syncNow() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...VIEWS.map(({ view: v, label, key }): MenuItemConstructorOptions => ({
        label,
        accelerator: key,
        click: () => actions.toUi({ type: 'menu', command: 'view', view: v }),
      })),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(devTools ? [{ role: 'toggleDevTools' } as const] : []),
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      ...(mac ? [] : [{ label: 'About Davlens', click: () => actions.about() }]),
      { label: 'Open Profile Folder', click: () => actions.openProfileFolder() },
    ],
  };
  return [...(mac ? [{ role: 'appMenu' } as const] : []), file, { role: 'editMenu' }, view, ...(mac ? [{ role: 'windowMenu' } as const] : []), help];
}
