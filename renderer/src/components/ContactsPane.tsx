// Contacts: a virtualised list (pages fetched from the engine as they scroll into view, so 10,000 contacts
// cost what one screen costs), sorted by the engine, grouped by initial, searched by the engine as you
// type; the selected contact's card beside it.
import type { VirtualItem } from '@tanstack/react-virtual';
import { useEffect, useMemo } from 'react';
import type { KeyboardEvent, ReactElement, Ref } from 'react';
import type { AddressBookView, ContactRef } from '../../../shared/api.ts';
import type { Contact } from '../../../shared/models.ts';
import { t } from '../i18n/messages.ts';
import { contactSubtitle, displayName, groupInitial } from '../lib/contacts.ts';
import { useContactList, useListSelection } from '../state/contactList.ts';
import type { ContactList, ContactsHandle, SelectedRow } from '../state/contactList.ts';
import { Avatar, ContactCard } from './ContactCard.tsx';
import { Icon } from './Icon.tsx';
import { ErrorNotice } from './Notice.tsx';

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

export function ContactsPane(p: ContactsPaneProps): ReactElement {
  const query = p.search.trim();
  const list = useContactList(p.addressbookUrl, query, p.dataVersion, p.initialHeight);
  const { selected, select, onKeyDown } = useListSelection(list, p.handleRef);
  const selectedContact = selected?.contact ?? null;
  const book = selectedContact ? addressbookFor(selectedContact, p.addressbooks) : null;
  const contactRef: ContactRef | null = selectedContact && book ? { addressbookUrl: book.url, href: selectedContact.href } : null;
  useReportSelection(contactRef, p.onSelectionChange);
  return (
    <section className="dl-contacts-pane" aria-label={t('contacts.title')}>
      <div className="dl-contact-list-col">
        <ListHeader list={list} />
        <ErrorNotice message={list.error} />
        <ContactListBox list={list} selected={selected} onSelect={select} onKeyDown={onKeyDown} query={query} hasBooks={p.addressbooks.length > 0} />
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

/** Tells the host which contact is selected (for File > Export), once per change of what it stands for. */
function useReportSelection(contactRef: ContactRef | null, onSelectionChange: ((ref: ContactRef | null) => void) | undefined): void {
  const refKey = contactRef ? `${contactRef.addressbookUrl}\n${contactRef.href}` : '';
  useEffect(() => {
    const [addressbookUrl, href] = refKey.split('\n');
    onSelectionChange?.(refKey && addressbookUrl && href ? { addressbookUrl, href } : null);
  }, [refKey, onSelectionChange]);
}

function ListHeader({ list }: { list: ContactList }): ReactElement {
  return (
    <div className="dl-list-header">
      <span role="status" aria-live="polite" data-testid="contacts-count">
        {list.loadingNew && list.staleTotal === null ? t('contacts.loading') : t('contacts.count', { count: list.total })}
      </span>
      {list.loadingNew && list.staleTotal !== null ? <span className="dl-spinner" aria-hidden="true" /> : null}
    </div>
  );
}

interface ListBoxProps {
  list: ContactList;
  selected: SelectedRow | null;
  onSelect: (index: number) => void;
  onKeyDown: (e: KeyboardEvent) => void;
  query: string;
  hasBooks: boolean;
}

function ContactListBox({ list, selected, onSelect, onKeyDown, query, hasBooks }: ListBoxProps): ReactElement {
  const listId = useMemo(() => `dl-contacts-${Math.random().toString(36).slice(2)}`, []);
  const { total, loadingNew, virtualizer } = list;
  return (
    <div
      ref={list.scrollRef}
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
          <p>{query ? t('contacts.noMatch', { query }) : hasBooks ? t('contacts.empty') : t('contacts.none')}</p>
        </div>
      ) : null}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }} role="presentation">
        {virtualizer.getVirtualItems().map((item) => (
          <ContactSlot
            key={item.key}
            item={item}
            contact={list.contactAt(item.index)}
            header={list.hasHeader(item.index)}
            id={`${listId}-${item.index}`}
            total={total}
            isSelected={selected?.index === item.index}
            onSelect={() => onSelect(item.index)}
          />
        ))}
      </div>
    </div>
  );
}

interface SlotProps {
  item: VirtualItem;
  contact: Contact | undefined;
  header: boolean;
  id: string;
  total: number;
  isSelected: boolean;
  onSelect: () => void;
}

/** One row of the list (with its group header when it starts a group); a skeleton until its page arrives. */
function ContactSlot({ item, contact: c, header, id, total, isSelected, onSelect }: SlotProps): ReactElement {
  return (
    <div role="presentation" className="dl-contact-slot" style={{ transform: `translateY(${item.start}px)`, height: item.size }}>
      {header && c ? (
        <div className="dl-group-header" aria-hidden="true">
          {groupInitial(c)}
        </div>
      ) : null}
      <div
        id={id}
        role="option"
        aria-selected={isSelected}
        aria-setsize={total}
        aria-posinset={item.index + 1}
        className={`dl-contact-row${isSelected ? ' dl-selected' : ''}${c ? '' : ' dl-skeleton'}`}
        onClick={onSelect}
      >
        {c ? <ContactLine contact={c} /> : <SkeletonLine />}
      </div>
    </div>
  );
}

function ContactLine({ contact }: { contact: Contact }): ReactElement {
  const name = displayName(contact);
  return (
    <>
      <Avatar name={name} photo={null} size={34} />
      <div className="dl-contact-text">
        <div className="dl-contact-name">{name}</div>
        <div className="dl-contact-sub">{contactSubtitle(contact)}</div>
      </div>
    </>
  );
}

function SkeletonLine(): ReactElement {
  return (
    <>
      <span className="dl-avatar dl-skeleton-block" style={{ width: 34, height: 34 }} />
      <div className="dl-contact-text">
        <div className="dl-skeleton-line" />
        <div className="dl-skeleton-line dl-skeleton-short" />
      </div>
    </>
  );
}
