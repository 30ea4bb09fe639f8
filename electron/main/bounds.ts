// The window comes back where the user left it: size, position and maximised state in a small JSON file
// in the profile. A position no longer on any display (a monitor was unplugged) is dropped, not restored.
import { readFileSync } from 'node:fs';
import type { BrowserWindow } from 'electron';
import { writePrivateFile } from '../engine/index.ts';

export const WINDOW_STATE_FILE = 'window-state.json';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

const DEFAULT_WINDOW_STATE: WindowState = { width: 1200, height: 800, maximized: false };
const MIN = { width: 640, height: 420 };

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** The state to open with, given the saved JSON (or null) and the displays' work areas. */
export function restoreWindowState(saved: string | null, workAreas: Rect[]): WindowState {
  let raw: Record<string, unknown>;
  try {
    raw = saved === null ? {} : (JSON.parse(saved) as Record<string, unknown>);
    if (typeof raw !== 'object' || raw === null) raw = {};
  } catch {
    raw = {};
  }
  const largest = workAreas.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a), workAreas[0] ?? { x: 0, y: 0, width: 1e5, height: 1e5 });
  const width = isInt(raw.width) ? Math.min(Math.max(raw.width, MIN.width), largest.width) : DEFAULT_WINDOW_STATE.width;
  const height = isInt(raw.height) ? Math.min(Math.max(raw.height, MIN.height), largest.height) : DEFAULT_WINDOW_STATE.height;
  const state: WindowState = { width, height, maximized: raw.maximized === true };
  if (isInt(raw.x) && isInt(raw.y)) {
    const rect = { x: raw.x, y: raw.y, width, height };
    // Keep the position only if a good part of the title bar is on some display.
    const visible = workAreas.some((a) => overlap(rect.x, rect.x + rect.width, a.x, a.x + a.width) >= 100 && rect.y >= a.y && rect.y < a.y + a.height - 40);
    if (visible) Object.assign(state, { x: raw.x, y: raw.y });
  }
  return state;
}

function overlap(a1: number, a2: number, b1: number, b2: number): number {
  return Math.max(0, Math.min(a2, b2) - Math.max(a1, b1));
}

export function loadWindowState(file: string, workAreas: Rect[]): WindowState {
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // First start.
  }
  return restoreWindowState(text, workAreas);
}

/** Saves the window's normal (un-maximised) bounds and whether it is maximised, when it moves and closes. */
export function trackWindowState(win: BrowserWindow, file: string): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    clearTimeout(timer);
    if (win.isDestroyed()) return;
    const b = win.getNormalBounds();
    const state: WindowState = { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() };
    try {
      writePrivateFile(file, JSON.stringify(state) + '\n');
    } catch {
      // The profile is not writable: the window simply opens at its default place next time.
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', later);
  win.on('unmaximize', later);
  win.on('close', save);
}
