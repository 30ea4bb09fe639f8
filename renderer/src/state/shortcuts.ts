// Commands from outside the components: keyboard shortcuts on the document and the host's menu (desktop).
import { useEffect, useRef } from 'react';
import type { RefObject } from 'react';
import type { CalendarHandle, ViewName } from '../components/CalendarPane.tsx';
import { subscribeHostEvents, useClient } from './client.tsx';
import type { ContactsHandle } from './contactList.ts';
import type { Mode, Searches, Selection } from './shell.ts';

const VIEW_KEYS: Record<string, ViewName> = { m: 'month', w: 'week', d: 'day', l: 'list' };

function isEditable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit'].includes(el.type);
  return false;
}

export interface ShortcutTargets {
  mode: Mode;
  /** A dialog is open: it handles its own keys. */
  dialogOpen: boolean;
  searches: Searches;
  selection: Selection;
  setView(view: ViewName): void;
  showKeys(): void;
  toggleSidebar(): void;
  refs: { search: RefObject<HTMLInputElement | null>; calendar: RefObject<CalendarHandle | null>; contacts: RefObject<ContactsHandle | null> };
}

/** Esc: clears the search being typed, else closes the event, else clears the calendar search. */
function onEscape(e: KeyboardEvent, s: ShortcutTargets): void {
  if (isEditable(e.target) && e.target === s.refs.search.current) {
    s.searches.setText('');
    s.refs.search.current?.blur();
  } else if (s.selection.selected) s.selection.setSelected(null);
  else if (s.mode === 'calendar' && s.searches.calSearch) s.searches.clearCalendarSearch();
}

/** Arrows/PgUp/PgDn move the calendar by a view, T today, M/W/D/L views; true when the key was one of them. */
function calendarKey(key: string, s: ShortcutTargets): boolean {
  const cal = s.refs.calendar.current;
  if (!cal) return false;
  if (key === 'ArrowLeft' || key === 'PageUp' || key === 'ArrowUp') cal.prev();
  else if (key === 'ArrowRight' || key === 'PageDown' || key === 'ArrowDown') cal.next();
  else if (key === 't') cal.today();
  else if (VIEW_KEYS[key]) s.setView(VIEW_KEYS[key]);
  else return false;
  return true;
}

/** Arrows and PgUp/PgDn move the contact selection (and focus the list); true when the key was one of them. */
function contactsKey(key: string, s: ShortcutTargets): boolean {
  const list = s.refs.contacts.current;
  if (!list) return false;
  if (key === 'ArrowDown') list.move(1);
  else if (key === 'ArrowUp') list.move(-1);
  else if (key === 'PageDown') list.page(1);
  else if (key === 'PageUp') list.page(-1);
  else return false;
  list.focusList();
  return true;
}

function onShortcut(e: KeyboardEvent, s: ShortcutTargets): void {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  if (s.dialogOpen) return;
  if (e.key === 'Escape') {
    onEscape(e, s);
    return;
  }
  // F9 types nothing, so it works from the search field too (as in GNOME Calendar and Files).
  if (e.key === 'F9') {
    e.preventDefault();
    s.toggleSidebar();
    return;
  }
  if (isEditable(e.target)) return;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (key === '?') {
    s.showKeys();
  } else if (key === '/') {
    e.preventDefault();
    s.refs.search.current?.focus();
    s.refs.search.current?.select();
  } else if (s.mode === 'calendar' ? calendarKey(key, s) : contactsKey(key, s)) {
    e.preventDefault();
  }
}

/** Keyboard: arrows/PgUp/PgDn move, T today, M/W/D/L views, / search, F9 the sidebar, ? the list of keys, Esc closes. */
export function useShortcuts(targets: ShortcutTargets): void {
  // The listener stays for the app's life and reads the latest state through the ref.
  const latest = useRef(targets);
  latest.current = targets;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => onShortcut(e, latest.current);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

/** Host menu commands (desktop): the same as the toolbar. */
export function useHostCommands(showView: (view: ViewName) => void, exportSelection: () => void): void {
  const client = useClient();
  const latest = useRef({ showView, exportSelection });
  latest.current = { showView, exportSelection };
  useEffect(
    () =>
      subscribeHostEvents(client, (e) => {
        if (e.command === 'view') latest.current.showView(e.view);
        else if (e.command === 'export') latest.current.exportSelection();
      }),
    [client],
  );
}
