// The state of the contact list: pages of the engine's sorted list fetched as they scroll into view, the
// virtualiser that lays the rows out, and the selection that keys and the host's menu move.
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, Ref, RefObject } from 'react';
import type { ContactRef, DavlensClient } from '../../../shared/api.ts';
import type { Contact } from '../../../shared/models.ts';
import { groupInitial } from '../lib/contacts.ts';
import { useClient } from './client.tsx';

const PAGE_SIZE = 100;
const ROW_HEIGHT = 52;
const HEADER_HEIGHT = 30;

export interface ContactsHandle {
  move(delta: number): void;
  page(direction: 1 | -1): void;
  focusList(): void;
}

interface PagesState {
  key: string;
  total: number | null;
  pages: Map<number, Contact[]>;
  error: string | null;
}

/** A contact to open in the contacts section (a birthday was clicked); `seq` tells two asks for the same one apart. */
export interface ContactFocus {
  ref: ContactRef;
  seq: number;
}

/** What the list shows: an address book (null: all), a search, a group (null: every contact). */
export interface ContactListQuery {
  addressbookUrl: string | null;
  search: string;
  group: string | null;
}

/** Pages of the engine's contact list for one query; fetches what is asked for, drops stale answers. */
function useContactPages(client: DavlensClient, addressbookUrls: string[] | undefined, search: string, group: string | null, version: number) {
  const key = JSON.stringify([addressbookUrls ?? null, search, group, version]);
  const [state, setState] = useState<PagesState>({ key, total: null, pages: new Map(), error: null });
  const inflight = useRef(new Set<string>());
  const currentKey = useRef(key);
  currentKey.current = key;

  const load = useCallback(
    (page: number) => {
      const id = `${key}#${page}`;
      if (inflight.current.has(id)) return;
      inflight.current.add(id);
      const q = {
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
        ...(addressbookUrls ? { addressbookUrls } : {}),
        ...(search ? { search } : {}),
        ...(group !== null ? { group } : {}),
      };
      void client.contacts(q).then((r) => {
        inflight.current.delete(id);
        if (currentKey.current !== key) return;
        setState((s) => {
          const base = s.key === key ? s : { key, total: null, pages: new Map<number, Contact[]>(), error: null };
          if (!r.ok) return { ...base, error: r.error.message, total: base.total ?? 0 };
          const pages = new Map(base.pages);
          pages.set(page, r.value.contacts);
          return { key, total: r.value.total, pages, error: null };
        });
      });
    },
    // addressbookUrls, search and group are part of key.
    [client, key],
  );

  useEffect(() => {
    load(0);
  }, [load]);

  const fresh = state.key === key;
  return {
    total: fresh ? state.total : null,
    pages: fresh ? state.pages : new Map<number, Contact[]>(),
    error: fresh ? state.error : null,
    /** The total of the previous query while the new one loads (keeps the list steady while typing). */
    staleTotal: state.total,
    stalePages: state.pages,
    load,
    key,
  };
}

export interface ContactList {
  /** The query's contacts, or the previous query's while the new one loads. */
  total: number;
  loadingNew: boolean;
  /** The previous query's total while the new one loads; null when there was none. */
  staleTotal: number | null;
  error: string | null;
  /** Changes with the query (address book, search, group, data version). */
  key: string;
  contactAt: (i: number) => Contact | undefined;
  /** The row of the contact with this href among the pages loaded for the query, or -1. */
  rowOf: (href: string) => number;
  /** Whether row i starts a group (a new initial). */
  hasHeader: (i: number) => boolean;
  /** Fetches the page that holds row i. */
  loadRow: (i: number) => void;
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  scrollRef: RefObject<HTMLDivElement | null>;
}

export function useContactList(query: ContactListQuery, dataVersion: number, initialHeight = 600): ContactList {
  const client = useClient();
  const { addressbookUrl } = query;
  const urls = useMemo(() => (addressbookUrl ? [addressbookUrl] : undefined), [addressbookUrl]);
  const data = useContactPages(client, urls, query.search, query.group, dataVersion);
  const loadingNew = data.total === null;
  // While a new query runs, keep showing the previous result instead of flashing an empty list.
  const total = data.total ?? data.staleTotal ?? 0;
  const pages = loadingNew ? data.stalePages : data.pages;
  const scrollRef = useRef<HTMLDivElement>(null);

  const contactAt = useCallback((i: number): Contact | undefined => pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE], [pages]);
  const rowOf = useCallback(
    (href: string): number => {
      if (loadingNew) return -1;
      for (const [page, list] of pages) {
        const i = list.findIndex((c) => c.href === href);
        if (i >= 0) return page * PAGE_SIZE + i;
      }
      return -1;
    },
    [pages, loadingNew],
  );
  const hasHeader = useCallback(
    (i: number): boolean => {
      const c = contactAt(i);
      if (!c) return i === 0;
      if (i === 0) return true;
      const prev = contactAt(i - 1);
      return prev ? groupInitial(prev) !== groupInitial(c) : false;
    },
    [contactAt],
  );

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => ROW_HEIGHT + (hasHeader(i) ? HEADER_HEIGHT : 0),
    overscan: 10,
    initialRect: { width: 320, height: initialHeight },
  });

  // Sizes depend on loaded data (group headers): re-measure when pages arrive.
  useEffect(() => {
    virtualizer.measure();
  }, [pages, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (data.total === null) return;
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) if (!data.pages.has(page)) data.load(page);
  }, [first, last, data]);

  const { load } = data;
  const loadRow = useCallback((i: number) => load(Math.floor(i / PAGE_SIZE)), [load]);
  return { total, loadingNew, staleTotal: data.staleTotal, error: data.error, key: data.key, contactAt, rowOf, hasHeader, loadRow, virtualizer, scrollRef };
}

/** The selected row; its contact is null while its page loads. */
export interface SelectedRow {
  index: number;
  contact: Contact | null;
}

/** The selected row: arrow keys, Page Up/Down, Home/End and the host's handle move it. */
export function useListSelection(list: ContactList, handleRef: Ref<ContactsHandle> | undefined) {
  const { total, contactAt, virtualizer, scrollRef, loadRow } = list;
  const [selected, setSelected] = useState<SelectedRow | null>(null);

  // A new query starts at the top with nothing selected.
  useEffect(() => {
    setSelected(null);
    scrollRef.current?.scrollTo({ top: 0 });
  }, [list.key, scrollRef]);

  const select = useCallback(
    (index: number) => {
      if (total === 0) return;
      const i = Math.max(0, Math.min(total - 1, index));
      const c = contactAt(i);
      virtualizer.scrollToIndex(i, { align: 'auto' });
      setSelected({ index: i, contact: c ?? null });
      if (!c) loadRow(i);
    },
    [total, contactAt, virtualizer, loadRow],
  );

  // A selection waiting for its page picks the contact up when it arrives.
  useEffect(() => {
    if (!selected || selected.contact) return;
    const c = contactAt(selected.index);
    if (c) setSelected({ index: selected.index, contact: c });
  }, [selected, contactAt]);

  const visibleRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1);
  useImperativeHandle(
    handleRef,
    () => ({
      move: (delta: number) => select((selected?.index ?? -1) + delta),
      page: (direction: 1 | -1) => select((selected?.index ?? 0) + direction * visibleRows),
      focusList: () => scrollRef.current?.focus(),
    }),
    [select, selected, visibleRows, scrollRef],
  );

  const onKeyDown = (e: KeyboardEvent): void => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => select((selected?.index ?? -1) + 1),
      ArrowUp: () => select((selected?.index ?? 1) - 1),
      PageDown: () => select((selected?.index ?? 0) + visibleRows),
      PageUp: () => select((selected?.index ?? 0) - visibleRows),
      Home: () => select(0),
      End: () => select(total - 1),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      e.stopPropagation();
      action();
    }
  };
  return { selected, select, onKeyDown };
}

/**
 * A contact asked to be opened (a birthday was clicked): its row is selected once the list has it (the first pages);
 * until then, or when the list has it on a page not loaded, its card is shown without a row. The user's own choice
 * of a row, or another query, ends it.
 */
export function useContactFocus(
  focus: ContactFocus | null,
  list: ContactList,
  selected: SelectedRow | null,
  select: (index: number) => void,
): ContactRef | null {
  const { key, rowOf } = list;
  const [pending, setPending] = useState<{ focus: ContactFocus; key: string } | null>(() => (focus ? { focus, key } : null));
  // A new ask (seq) belongs to the query of that moment.
  const [asked, setAsked] = useState(focus?.seq ?? 0);
  if (focus && focus.seq !== asked) {
    setAsked(focus.seq);
    setPending({ focus, key });
  }
  const live = pending && pending.key === key ? pending.focus : null;
  useEffect(() => {
    if (!live) return;
    const row = rowOf(live.ref.href);
    if (row >= 0) {
      setPending(null);
      select(row);
    }
  }, [live, rowOf, select]);
  // A row the user chose replaces it.
  useEffect(() => {
    if (selected) setPending(null);
  }, [selected]);
  return live && !selected ? live.ref : null;
}
