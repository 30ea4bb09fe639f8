// The app shell's state: what the settings say to show, the two searches, what is selected, local files
// (opened or dropped), exports, and the ways in (add an account, the demo).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent } from 'react';
import type { AddressBookView, CalendarView, ContactRef, ExportTarget, LocalFileView, SubscriptionView } from '../../../shared/api.ts';
import type { Occurrence } from '../../../shared/models.ts';
import { isOpenableFile, MAX_LOCAL_FILE_BYTES } from '../components/LocalFile.tsx';
import type { ViewName } from '../components/CalendarPane.tsx';
import { t } from '../i18n/messages.ts';
import { addressbookOfHref, parentCollection } from '../lib/contacts.ts';
import { contactDate } from '../lib/events.ts';
import type { CalendarSource } from '../lib/events.ts';
import { exportTarget } from '../lib/exporting.ts';
import { isValidTimeZone, systemTimeZone } from '../lib/locale.ts';
import type { AppActions, AppData } from './appData.ts';
import { useClient } from './client.tsx';
import type { ContactFocus } from './contactList.ts';
import type { Groups } from './groups.ts';
import { useDebounced } from './hooks.ts';
import { useNotify } from './toasts.tsx';

export type Mode = 'calendar' | 'contacts';

export interface Display {
  /** The zone chosen in the settings; null: the system's. */
  tzSetting: string | null;
  tz: string;
  view: ViewName;
  setView: (view: ViewName) => void;
  calendars: CalendarView[];
  subscriptions: SubscriptionView[];
  /** What the calendar shows events of: the accounts' calendars and the subscriptions. */
  sources: CalendarSource[];
  addressbooks: AddressBookView[];
  hidden: string[];
  /** The sources not hidden. */
  visibleUrls: string[];
}

/** What the settings and collections say to show. */
export function useDisplay(data: AppData, actions: AppActions): Display {
  const settings = data.settings;
  const tzSetting = settings?.timeZone && isValidTimeZone(settings.timeZone) ? settings.timeZone : null;
  const calendars: CalendarView[] = useMemo(() => data.collections?.calendars ?? [], [data.collections]);
  const subscriptions: SubscriptionView[] = useMemo(() => data.collections?.subscriptions ?? [], [data.collections]);
  const sources: CalendarSource[] = useMemo(() => [...calendars, ...subscriptions], [calendars, subscriptions]);
  const addressbooks: AddressBookView[] = useMemo(() => data.collections?.addressbooks ?? [], [data.collections]);
  const hidden = useMemo(() => settings?.hiddenCalendars ?? [], [settings]);
  const visibleUrls = useMemo(() => sources.filter((c) => !hidden.includes(c.url)).map((c) => c.url), [sources, hidden]);
  const setView = useCallback((v: ViewName) => void actions.updateSettings({ view: v }), [actions]);
  const view = settings?.view ?? 'month';
  return { tzSetting, tz: tzSetting ?? systemTimeZone(), view, setView, calendars, subscriptions, sources, addressbooks, hidden, visibleUrls };
}

export interface Searches {
  /** The search box's text for the section on screen. */
  text: string;
  setText: (text: string) => void;
  /** The calendar search, trimmed and settled. */
  calSearch: string;
  conSearch: string;
  /** The calendar's results panel was closed for this search. */
  searchClosed: boolean;
  clearCalendarSearch: () => void;
  closeCalendarSearch: () => void;
  clearContactSearch: () => void;
}

/** One search a section: the calendar's searches a year around the date in view, the contacts' as you type. */
export function useSearches(mode: Mode): Searches {
  const [calendarSearch, setCalendarSearch] = useState('');
  const [contactSearch, setContactSearch] = useState('');
  const [searchClosed, setSearchClosed] = useState(false);
  const calSearch = useDebounced(calendarSearch.trim(), 200);
  const conSearch = useDebounced(contactSearch, 0);
  useEffect(() => setSearchClosed(false), [calSearch]);
  return {
    text: mode === 'calendar' ? calendarSearch : contactSearch,
    setText: mode === 'calendar' ? setCalendarSearch : setContactSearch,
    calSearch,
    conSearch,
    searchClosed,
    clearCalendarSearch: () => setCalendarSearch(''),
    clearContactSearch: () => setContactSearch(''),
    closeCalendarSearch: () => {
      setCalendarSearch('');
      setSearchClosed(true);
    },
  };
}

/**
 * The selected event, where the calendar should jump, the address book and the group shown, the selected contact,
 * and the contact to open (from a birthday).
 */
export function useSelection(addressbooks: AddressBookView[]) {
  const [selected, setSelected] = useState<Occurrence | null>(null);
  const [goto, setGoto] = useState<{ date: string } | null>(null);
  const [addressbook, setAddressbook] = useState<string | null>(null);
  const [group, setGroup] = useState<string | null>(null);
  const [contactFocus, setContactFocus] = useState<ContactFocus | null>(null);
  const contactSelection = useRef<ContactRef | null>(null);
  // An address book that went away (account removed) falls back to all.
  useEffect(() => {
    if (addressbook && !addressbooks.some((a) => a.url === addressbook)) setAddressbook(null);
  }, [addressbook, addressbooks]);
  return { selected, setSelected, goto, setGoto, addressbook, setAddressbook, group, setGroup, contactFocus, setContactFocus, contactSelection };
}

export type Selection = ReturnType<typeof useSelection>;

/** Exports a target and says how it went. */
export function useExport(): (target: ExportTarget) => Promise<void> {
  const client = useClient();
  const notify = useNotify();
  return useCallback(
    async (target: ExportTarget) => {
      const r = await exportTarget(client, target);
      notify(r.message, r.ok ? 'info' : 'error');
    },
    [client, notify],
  );
}

export interface LocalFiles {
  openFile: (file: File) => Promise<void>;
  /** A file is dragged over the window. */
  dragging: boolean;
  dragProps: { onDragOver: (e: DragEvent) => void; onDragLeave: (e: DragEvent) => void; onDrop: (e: DragEvent) => void };
}

/** .ics and .vcf files, opened or dropped on the window, read by the engine and shown read-only. */
export function useLocalFiles(tz: string, onOpened: (file: LocalFileView) => void): LocalFiles {
  const client = useClient();
  const notify = useNotify();
  const [dragging, setDragging] = useState(false);
  const opened = useRef(onOpened);
  opened.current = onOpened;
  const openFile = useCallback(
    async (file: File) => {
      if (!isOpenableFile(file.name)) {
        notify(t('file.unsupported'), 'error');
        return;
      }
      if (file.size > MAX_LOCAL_FILE_BYTES) {
        notify(t('file.tooLarge'), 'error');
        return;
      }
      const content = await file.text();
      const r = await client.openLocalFile({ name: file.name, content, tz });
      if (r.ok) opened.current(r.value);
      else notify(r.error.message, 'error');
    },
    [client, notify, tz],
  );
  const dragProps = {
    onDragOver: (e: DragEvent) => {
      if (e.dataTransfer.types.includes('Files')) {
        e.preventDefault();
        setDragging(true);
      }
    },
    onDragLeave: (e: DragEvent) => {
      if (e.currentTarget === e.target) setDragging(false);
    },
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      const file = e.dataTransfer.files[0];
      if (file) void openFile(file);
    },
  };
  return { openFile, dragging, dragProps };
}

/** The ways in: an account added (the engine then syncs it), or the demo opened. */
export function useAccountEntry(actions: AppActions, closeDialog: () => void, endOnboarding: () => void) {
  const client = useClient();
  const notify = useNotify();
  const openDemo = useCallback(async () => {
    const r = await client.openDemo();
    if (!r.ok) {
      notify(r.error.message, 'error');
      return;
    }
    closeDialog();
    await actions.reload();
  }, [client, actions, notify, closeDialog]);

  const accountAdded = useCallback(async () => {
    closeDialog();
    endOnboarding();
    // The engine syncs a new account itself, after its first window (service.ts addAccount): asked here as well,
    // the sync started while that window was still being fetched, and both waited on the server for each other.
    await actions.reload();
  }, [actions, closeDialog, endOnboarding]);
  return { openDemo, accountAdded };
}

/** A group filter whose group went away (another address book chosen, the group card deleted) is dropped. */
export function useGroupFilter(s: Selection, groups: Groups): void {
  const { group, setGroup } = s;
  useEffect(() => {
    if (group !== null && groups.fresh && groups.groups && !groups.groups.some((g) => g.name.toLowerCase() === group.toLowerCase())) setGroup(null);
  }, [group, setGroup, groups]);
}

/**
 * What a click on an occurrence does: a birthday or anniversary opens its contact in the contacts section (in its
 * address book, without a group filter or search that could hide it); any other event is selected for its details.
 */
export function useOpenOccurrence(s: Selection, addressbooks: AddressBookView[], mode: Mode, setMode: (m: Mode) => void, searches: Searches) {
  const seq = useRef(0);
  const { setSelected, setContactFocus } = s;
  // Back in the calendar, the contact a birthday opened is done with: the contacts section opens as the user left it.
  useEffect(() => {
    if (mode === 'calendar') setContactFocus(null);
  }, [mode, setContactFocus]);
  // Read at the click: the callback keeps its identity, so the calendar grid never re-renders for it.
  const latest = useRef({ s, addressbooks, clearContactSearch: searches.clearContactSearch });
  latest.current = { s, addressbooks, clearContactSearch: searches.clearContactSearch };
  return useCallback(
    (o: Occurrence) => {
      const dated = contactDate(o);
      if (!dated) {
        setSelected(o);
        return;
      }
      const { s: now, addressbooks: books, clearContactSearch } = latest.current;
      const book = addressbookOfHref(dated.contact, books);
      const addressbookUrl = book?.url ?? parentCollection(dated.contact);
      // All contacts, or the book it is in, shows it; another book does not.
      if (now.addressbook !== null && now.addressbook !== addressbookUrl) now.setAddressbook(book ? book.url : null);
      now.setGroup(null);
      clearContactSearch();
      setSelected(null);
      seq.current += 1;
      setContactFocus({ ref: { addressbookUrl, href: dated.contact }, seq: seq.current });
      setMode('contacts');
    },
    [setSelected, setContactFocus, setMode],
  );
}

export function eventTarget(o: Occurrence): ExportTarget {
  return { kind: 'event', calendarUrl: o.calendarUrl, href: o.href, uid: o.uid };
}

/** What File > Export exports: the selected event or contact, else the address book or the one calendar shown. */
export function selectionTarget(mode: Mode, s: Selection, visibleUrls: string[]): ExportTarget | null {
  if (mode === 'calendar' && s.selected) return eventTarget(s.selected);
  if (mode === 'contacts' && s.contactSelection.current) return { kind: 'contact', ...s.contactSelection.current };
  if (mode === 'contacts' && s.addressbook) return { kind: 'addressbook', addressbookUrl: s.addressbook };
  if (mode === 'calendar' && visibleUrls.length === 1) return { kind: 'calendar', calendarUrl: visibleUrls[0]! };
  return null;
}
