// Contacts: a virtualised list (pages fetched from the engine as they scroll into view, so 10,000 contacts
// cost what one screen costs), sorted by the engine, grouped by initial, searched by the engine as you
// type, filtered to a contact group; the selected contact's card beside it, or the one a birthday opened.
import type { VirtualItem } from '@tanstack/react-virtual';
import { useEffect, useMemo } from 'react';
import type { KeyboardEvent, ReactElement, Ref } from 'react';
import type { AddressBookView, ContactRef } from '../../../shared/api.ts';
import type { Contact } from '../../../shared/models.ts';
import { t } from '../i18n/messages.ts';
import { addressbookOfHref, contactSubtitle, displayName, groupInitial } from '../lib/contacts.ts';
import { useContactFocus, useContactList, useListSelection } from '../state/contactList.ts';
import type { ContactFocus, ContactList, ContactsHandle, SelectedRow } from '../state/contactList.ts';
import { Avatar, ContactCard } from './ContactCard.tsx';
import { Icon } from './Icon.tsx';
import { ErrorNotice } from './Notice.tsx';

export interface ContactsPaneProps {
  addressbooks: AddressBookView[];
  /** null: every address book. */
  addressbookUrl: string | null;
  search: string;
  /** Only the members of the groups of this name (null: every contact). */
  group?: string | null;
  /** A contact to open (a birthday was clicked). */
  focus?: ContactFocus | null;
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
  return addressbookOfHref(contact.href, books) ?? books.find((b) => b.displayName === contact.addressbook) ?? null;
}

export function ContactsPane(p: ContactsPaneProps): ReactElement {
  const query = p.search.trim();
  const group = p.group ?? null;
  const list = useContactList({ addressbookUrl: p.addressbookUrl, search: query, group }, p.dataVersion, p.initialHeight);
  const { selected, select, onKeyDown } = useListSelection(list, p.handleRef);
  // A contact opened from a birthday, until its row is selected (or when the list has it on a page not loaded).
  const focused = useContactFocus(p.focus ?? null, list, selected, select);
  const selectedContact = selected?.contact ?? null;
  const book = selectedContact ? addressbookFor(selectedContact, p.addressbooks) : null;
  const contactRef: ContactRef | null = selectedContact && book ? { addressbookUrl: book.url, href: selectedContact.href } : focused;
  useReportSelection(contactRef, p.onSelectionChange);
  return (
    <section className="dl-contacts-pane" aria-label={t('contacts.title')}>
      <div className="dl-contact-list-col">
        <ListHeader list={list} group={group} />
        <ErrorNotice message={list.error} />
        <ContactListBox
          list={list}
          selected={selected}
          onSelect={select}
          onKeyDown={onKeyDown}
          query={query}
          group={group}
          hasBooks={p.addressbooks.length > 0}
        />
      </div>
      <div className="dl-contact-detail-col">
        {selectedContact || focused ? (
          <ContactCard
            key={selectedContact?.href ?? focused?.href}
            contact={selectedContact}
            contactRef={contactRef}
            onExport={contactRef ? (c) => p.onExportContact(contactRef, c) : undefined}
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

function ListHeader({ list, group }: { list: ContactList; group: string | null }): ReactElement {
  const count = group === null ? t('contacts.count', { count: list.total }) : t('contacts.groupCount', { count: list.total, group });
  return (
    <div className="dl-list-header">
      <span role="status" aria-live="polite" data-testid="contacts-count">
        {list.loadingNew && list.staleTotal === null ? t('contacts.loading') : count}
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
  group: string | null;
  hasBooks: boolean;
}

function emptyText(query: string, group: string | null, hasBooks: boolean): string {
  if (query) return t('contacts.noMatch', { query });
  if (group !== null) return t('contacts.groupEmpty');
  return hasBooks ? t('contacts.empty') : t('contacts.none');
}

function ContactListBox({ list, selected, onSelect, onKeyDown, query, group, hasBooks }: ListBoxProps): ReactElement {
  const listId = useMemo(() => `dl-contacts-${Math.random().toString(36).slice(2)}`, []);
  const { total, loadingNew, virtualizer } = list;
  // With nothing to list it is no listbox (one without options is invalid ARIA), only the message saying why.
  const empty = total === 0 && !loadingNew;
  return (
    <div
      ref={list.scrollRef}
      className="dl-contact-list"
      role={empty ? undefined : 'listbox'}
      id={listId}
      aria-label={empty ? undefined : t('contacts.list')}
      tabIndex={empty ? undefined : 0}
      aria-activedescendant={selected ? `${listId}-${selected.index}` : undefined}
      onKeyDown={onKeyDown}
      data-loaded-query={loadingNew ? undefined : query}
    >
      {empty ? (
        <div className="dl-empty" role="presentation">
          <Icon name={query ? 'search' : 'contacts'} size={32} />
          <p>{emptyText(query, group, hasBooks)}</p>
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
