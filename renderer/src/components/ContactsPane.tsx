// Contacts: a virtualised list (pages fetched from the engine as they scroll into view, so 10,000 contacts
// cost what one screen costs), sorted by the engine, grouped by initial, searched by the engine as you
// type; the selected contact's card beside it.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactElement, Ref } from 'react';
import type { AddressBookView, ContactRef, DavlensClient } from '../../../shared/api.ts';
import type { Contact } from '../../../shared/models.ts';
import { t } from '../i18n/messages.ts';
import { contactSubtitle, displayName, groupInitial } from '../lib/contacts.ts';
import { useClient } from '../state/client.tsx';
import { Avatar, ContactCard } from './ContactCard.tsx';
import { Icon } from './Icon.tsx';

export const PAGE_SIZE = 100;
const ROW_HEIGHT = 52;
const HEADER_HEIGHT = 30;

export interface ContactsHandle {
  move(delta: number): void;
  page(direction: 1 | -1): void;
  focusList(): void;
}

export interface ContactsPaneProps {
  addressbooks: AddressBookView[];
  /** null: every address book. */
  addressbookUrl: string | null;
  search: string;
  dataVersion: number;
  onExportContact: (ref: ContactRef, contact: Contact) => void;
  handleRef?: Ref<ContactsHandle>;
  /** The selected contact (for the host's File > Export). */
  onSelectionChange?: (ref: ContactRef | null) => void;
  /** Height of the list viewport before layout (tests, first paint). */
  initialHeight?: number;
}

/** The address book a contact lives in: the one whose URL its href is under, else by display name. */
export function addressbookFor(contact: Contact, books: AddressBookView[]): AddressBookView | null {
  const abs = (href: string, base: string): string => {
    try {
      return new URL(href, base).href;
    } catch {
      return href;
    }
  };
  let best: AddressBookView | null = null;
  for (const b of books) {
    const full = abs(contact.href, b.url);
    if (full.startsWith(b.url) && (!best || b.url.length > best.url.length)) best = b;
  }
  return best ?? books.find((b) => b.displayName === contact.addressbook) ?? null;
}

interface PagesState {
  key: string;
  total: number | null;
  pages: Map<number, Contact[]>;
  error: string | null;
}

/** Pages of the engine's contact list for one query; fetches what is asked for, drops stale answers. */
export function useContactPages(client: DavlensClient, addressbookUrls: string[] | undefined, search: string, version: number) {
  const key = JSON.stringify([addressbookUrls ?? null, search, version]);
  const [state, setState] = useState<PagesState>({ key, total: null, pages: new Map(), error: null });
  const inflight = useRef(new Set<string>());
  const currentKey = useRef(key);
  currentKey.current = key;

  const load = useCallback(
    (page: number) => {
      const id = `${key}#${page}`;
      if (inflight.current.has(id)) return;
      inflight.current.add(id);
      const q = { offset: page * PAGE_SIZE, limit: PAGE_SIZE, ...(addressbookUrls ? { addressbookUrls } : {}), ...(search ? { search } : {}) };
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
    // addressbookUrls and search are part of key.
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

export function ContactsPane(p: ContactsPaneProps): ReactElement {
  const client = useClient();
  const urls = useMemo(() => (p.addressbookUrl ? [p.addressbookUrl] : undefined), [p.addressbookUrl]);
  const data = useContactPages(client, urls, p.search.trim(), p.dataVersion);
  const loadingNew = data.total === null;
  // While a new query runs, keep showing the previous result instead of flashing an empty list.
  const total = data.total ?? data.staleTotal ?? 0;
  const pages = loadingNew ? data.stalePages : data.pages;
  const [selected, setSelected] = useState<{ index: number; contact: Contact | null } | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const listId = useMemo(() => `dl-contacts-${Math.random().toString(36).slice(2)}`, []);

  const contactAt = useCallback((i: number): Contact | undefined => pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE], [pages]);
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
    initialRect: { width: 320, height: p.initialHeight ?? 600 },
  });

  // Sizes depend on loaded data (group headers): re-measure when pages arrive.
  useEffect(() => {
    virtualizer.measure();
  }, [pages, virtualizer]);

  // A new query starts at the top with nothing selected.
  useEffect(() => {
    setSelected(null);
    scrollRef.current?.scrollTo({ top: 0 });
  }, [data.key]);

  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (data.total === null) return;
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) if (!data.pages.has(page)) data.load(page);
  }, [first, last, data]);

  const select = useCallback(
    (index: number) => {
      if (total === 0) return;
      const i = Math.max(0, Math.min(total - 1, index));
      const c = contactAt(i);
      virtualizer.scrollToIndex(i, { align: 'auto' });
      setSelected({ index: i, contact: c ?? null });
      if (!c) data.load(Math.floor(i / PAGE_SIZE));
    },
    [total, contactAt, virtualizer, data],
  );

  // A selection waiting for its page picks the contact up when it arrives.
  useEffect(() => {
    if (!selected || selected.contact) return;
    const c = contactAt(selected.index);
    if (c) setSelected({ index: selected.index, contact: c });
  }, [selected, contactAt]);

  const visibleRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1);
  useImperativeHandle(
    p.handleRef,
    () => ({
      move: (delta: number) => select((selected?.index ?? -1) + delta),
      page: (direction: 1 | -1) => select((selected?.index ?? 0) + direction * visibleRows),
      focusList: () => scrollRef.current?.focus(),
    }),
    [select, selected, visibleRows],
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

  const selectedContact = selected?.contact ?? null;
  const book = selectedContact ? addressbookFor(selectedContact, p.addressbooks) : null;
  const contactRef: ContactRef | null = selectedContact && book ? { addressbookUrl: book.url, href: selectedContact.href } : null;
  const query = p.search.trim();
  const refKey = contactRef ? `${contactRef.addressbookUrl}\n${contactRef.href}` : '';
  const onSelectionChange = p.onSelectionChange;
  useEffect(() => {
    const [addressbookUrl, href] = refKey.split('\n');
    onSelectionChange?.(refKey && addressbookUrl && href ? { addressbookUrl, href } : null);
  }, [refKey, onSelectionChange]);

  return (
    <section className="dl-contacts-pane" aria-label={t('contacts.title')}>
      <div className="dl-contact-list-col">
        <div className="dl-list-header">
          <span role="status" aria-live="polite" data-testid="contacts-count">
            {loadingNew && data.staleTotal === null ? t('contacts.loading') : t('contacts.count', { count: total })}
          </span>
          {loadingNew && data.staleTotal !== null ? <span className="dl-spinner" aria-hidden="true" /> : null}
        </div>
        {data.error ? (
          <p className="dl-notice dl-notice-error" role="alert">
            {data.error}
          </p>
        ) : null}
        <div
          ref={scrollRef}
          className="dl-contact-list"
          role="listbox"
          id={listId}
          aria-label={t('contacts.list')}
          tabIndex={0}
          aria-activedescendant={selected ? `${listId}-${selected.index}` : undefined}
          onKeyDown={onKeyDown}
          data-loaded-query={loadingNew ? undefined : query}
        >
          {total === 0 && !loadingNew ? (
            <div className="dl-empty" role="presentation">
              <Icon name={query ? 'search' : 'contacts'} size={32} />
              <p>{query ? t('contacts.noMatch', { query }) : p.addressbooks.length ? t('contacts.empty') : t('contacts.none')}</p>
            </div>
          ) : null}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }} role="presentation">
            {items.map((item) => {
              const c = contactAt(item.index);
              const header = hasHeader(item.index);
              const isSelected = selected?.index === item.index;
              const name = c ? displayName(c) : '';
              return (
                <div key={item.key} role="presentation" className="dl-contact-slot" style={{ transform: `translateY(${item.start}px)`, height: item.size }}>
                  {header && c ? (
                    <div className="dl-group-header" aria-hidden="true">
                      {groupInitial(c)}
                    </div>
                  ) : null}
                  <div
                    id={`${listId}-${item.index}`}
                    role="option"
                    aria-selected={isSelected}
                    aria-setsize={total}
                    aria-posinset={item.index + 1}
                    className={`dl-contact-row${isSelected ? ' dl-selected' : ''}${c ? '' : ' dl-skeleton'}`}
                    onClick={() => select(item.index)}
                  >
                    {c ? (
                      <>
                        <Avatar name={name} photo={null} size={34} />
                        <div className="dl-contact-text">
                          <div className="dl-contact-name">{name}</div>
                          <div className="dl-contact-sub">{contactSubtitle(c)}</div>
                        </div>
                      </>
                    ) : (
                      <>
                        <span className="dl-avatar dl-skeleton-block" style={{ width: 34, height: 34 }} />
                        <div className="dl-contact-text">
                          <div className="dl-skeleton-line" />
                          <div className="dl-skeleton-line dl-skeleton-short" />
                        </div>
                      </>
                    )}
                  </div>
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <div className="dl-contact-detail-col">
        {selectedContact ? (
          <ContactCard
            key={selectedContact.href}
            contact={selectedContact}
            contactRef={contactRef}
            onExport={contactRef ? () => p.onExportContact(contactRef, selectedContact) : undefined}
          />
        ) : (
          <div className="dl-empty dl-empty-detail">
            <Icon name="user" size={40} />
            <p>{t('contacts.select')}</p>
          </div>
        )}
      </div>
    </section>
  );
}
