// What the desktop host tells the UI on its own initiative: commands from the native menus. Kept out of
// DavlensApi on purpose: the UI never asks for these, and the browser host has no native menus, so there
// the subscription simply never fires. The UI treats a menu command exactly like its own toolbar button.
import type { Settings } from './api.ts';

export type HostEvent =
  /** File > Export...: export what the UI has selected (it calls saveExport with its own target). */
  | { type: 'menu'; command: 'export' }
  /** View > Month/Week/Day/List. */
  | { type: 'menu'; command: 'view'; view: Settings['view'] };

export interface HostEventSource {
  onHostEvent(listener: (event: HostEvent) => void): () => void;
}
