// The sidebar: accounts, each with its calendars (server colour, a checkbox each; the Birthdays calendar Davlens
// makes from the contacts marked as such) or address books, its sync state and what to do about an error; account
// actions (sync, password, remove) in a menu; the contact groups below the address books, as a filter; the
// subscribed calendars below the accounts; adding an account or a subscription. A calendar's or address book's
// row has a menu (its "…" button, or a right-click on the row) with its export.
import { useState } from 'react';
import type { MouseEvent, ReactElement, ReactNode } from 'react';
import type { AccountSummary, AddressBookView, CalendarView, SubscriptionView, SyncStatus } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import type { ContactGroup } from '../../../shared/models.ts';
import { t } from '../i18n/messages.ts';
import { normaliseColor } from '../lib/events.ts';
import { relativeTime } from '../lib/time.ts';
import { Icon } from './Icon.tsx';
import type { IconName } from './Icon.tsx';
import { MenuButton } from './Menu.tsx';
import type { MenuItem } from './Menu.tsx';
import { SubscriptionList } from './SubscriptionList.tsx';
import type { SubscriptionAction } from './SubscriptionList.tsx';

export interface SidebarProps {
  mode: 'calendar' | 'contacts';
  accounts: AccountSummary[];
  calendars: CalendarView[];
  addressbooks: AddressBookView[];
  subscriptions: SubscriptionView[];
  /** URLs of the subscriptions whose refresh is running. */
  refreshingSubscriptions: ReadonlySet<string>;
  hiddenCalendars: string[];
  sync: SyncStatus | null;
  selectedAddressbook: string | null;
  /** The groups of the address book shown (all when none is chosen); null until they are in. */
  groups: ContactGroup[] | null;
  /** The group the contact list is filtered to, by name. */
  selectedGroup: string | null;
  onSelectGroup: (name: string | null) => void;
  onToggleCalendar: (url: string, visible: boolean) => void;
  onExportCalendar: (cal: CalendarView) => void;
  onSelectAddressbook: (url: string | null) => void;
  onExportAddressbook: (ab: AddressBookView) => void;
  onAddAccount: () => void;
  onSubscribe: () => void;
  onSubscriptionAction: (action: SubscriptionAction, subscription: SubscriptionView) => void;
  onSyncAccount: (accountId: string) => void;
  onEnterPassword: (account: AccountSummary) => void;
  onRemoveAccount: (account: AccountSummary) => void;
  onShowAccount: (account: AccountSummary) => void;
  /** Above the accounts (the mini-month in the calendar). */
  header?: ReactNode;
  footer?: ReactNode;
}

export function sortCalendars(cals: CalendarView[]): CalendarView[] {
  return [...cals].sort((a, b) => (a.order ?? 1e9) - (b.order ?? 1e9) || a.displayName.localeCompare(b.displayName));
}

export function accountError(account: AccountSummary, sync: SyncStatus | null): DavlensError | null {
  const fromSync = sync?.accounts.find((a) => a.accountId === account.id);
  return fromSync ? fromSync.error : account.lastError;
}

export function accountSyncedAt(account: AccountSummary, sync: SyncStatus | null): string | null {
  return sync?.accounts.find((a) => a.accountId === account.id)?.syncedAt ?? account.syncedAt;
}

export function syncErrorText(account: AccountSummary, error: DavlensError): string {
  if (error.code === 'auth-failed' || error.code === 'auth-stopped') return t('sync.error.auth', { email: account.email });
  if (error.code === 'network' || error.code === 'timeout' || error.code === 'dns-failed') return t('sync.error.network', { email: account.email });
  if (error.code === 'tls-untrusted' || error.code === 'tls-pin-mismatch') return t('sync.error.tls', { email: account.email });
  return t('sync.error.other', { email: account.email, message: error.message });
}

function AccountStatus({
  account,
  sync,
  onEnterPassword,
  onSync,
}: {
  account: AccountSummary;
  sync: SyncStatus | null;
  onEnterPassword: () => void;
  onSync: () => void;
}): ReactElement | null {
  if (account.demo) return <div className="dl-account-status dl-muted">{t('account.demoHint')}</div>;
  const error = accountError(account, sync);
  if (account.needsPassword || error?.code === 'auth-failed') {
    return (
      <div className="dl-account-status dl-status-error" role="alert">
        <Icon name="key" size={14} /> {t('account.needsPassword')}{' '}
        <button type="button" className="dl-link-button" onClick={onEnterPassword}>
          {t('account.enterPassword')}
        </button>
      </div>
    );
  }
  if (error) {
    return (
      <div className="dl-account-status dl-status-error" role="alert" title={error.message}>
        <Icon name="alert" size={14} /> {syncErrorText(account, error)}{' '}
        <button type="button" className="dl-link-button" onClick={onSync}>
          {t('error.action.retry')}
        </button>
      </div>
    );
  }
  const at = accountSyncedAt(account, sync);
  return <div className="dl-account-status dl-muted">{at ? t('sync.last', { when: relativeTime(at) }) : t('sync.never')}</div>;
}

/** The sidebar's element id, for the header's button that folds it away. */
export const SIDEBAR_ID = 'dl-sidebar';

export function Sidebar(p: SidebarProps): ReactElement {
  const hidden = new Set(p.hiddenCalendars);
  return (
    <nav id={SIDEBAR_ID} className="dl-sidebar" aria-label={p.mode === 'calendar' ? t('calendar.calendars') : t('contacts.addressbooks')}>
      {p.header}
      {p.mode === 'contacts' ? (
        <SourceButton
          className="dl-source-row dl-all-contacts"
          selected={p.selectedAddressbook === null && p.selectedGroup === null}
          onClick={() => {
            p.onSelectAddressbook(null);
            p.onSelectGroup(null);
          }}
          icon="users"
          name={t('contacts.all')}
          count={p.addressbooks.reduce((n, a) => n + a.count, 0)}
        />
      ) : null}
      {p.accounts.map((account) => (
        <AccountSection key={account.id} account={account} p={p} hidden={hidden} />
      ))}
      {p.mode === 'contacts' && p.groups && p.addressbooks.length > 0 ? (
        <GroupList groups={p.groups} selected={p.selectedGroup} onSelect={p.onSelectGroup} />
      ) : null}
      {p.mode === 'calendar' && p.subscriptions.length > 0 ? (
        <SubscriptionList
          subscriptions={p.subscriptions}
          hidden={hidden}
          refreshing={p.refreshingSubscriptions}
          onToggle={p.onToggleCalendar}
          onAction={p.onSubscriptionAction}
        />
      ) : null}
      <button type="button" className="dl-button dl-add-account-button" onClick={p.onAddAccount}>
        <Icon name="plus" /> {t('account.add')}
      </button>
      <button type="button" className="dl-button dl-add-account-button dl-subscribe-button" onClick={p.onSubscribe}>
        <Icon name="feed" /> {t('subscribe.open')}
      </button>
      {p.footer}
    </nav>
  );
}

function AccountSection({ account, p, hidden }: { account: AccountSummary; p: SidebarProps; hidden: Set<string> }): ReactElement {
  return (
    <section className="dl-account" aria-label={account.email} data-account={account.id}>
      <header className="dl-account-header">
        <Icon name={account.demo ? 'eye' : 'server'} />
        <h3 title={account.email}>{account.demo ? t('account.demo') : account.email}</h3>
        <MenuButton label={t('account.menu', { email: account.email })} items={accountMenu(account, p)}>
          <Icon name="more" />
        </MenuButton>
      </header>
      <AccountStatus account={account} sync={p.sync} onEnterPassword={() => p.onEnterPassword(account)} onSync={() => p.onSyncAccount(account.id)} />
      {p.mode === 'calendar' ? (
        <CalendarList
          calendars={sortCalendars(p.calendars.filter((c) => c.accountId === account.id))}
          email={account.email}
          hidden={hidden}
          onToggle={p.onToggleCalendar}
          onExport={p.onExportCalendar}
        />
      ) : (
        <AddressBookList
          books={p.addressbooks.filter((a) => a.accountId === account.id)}
          selected={p.selectedAddressbook}
          onSelect={p.onSelectAddressbook}
          onExport={p.onExportAddressbook}
        />
      )}
    </section>
  );
}

// The demo account has no server to sync with and no password to enter.
function accountMenu(account: AccountSummary, p: SidebarProps): MenuItem[] {
  return [
    ...(account.demo ? [] : [{ label: t('account.syncNow'), onSelect: () => p.onSyncAccount(account.id) }]),
    ...(account.demo ? [] : [{ label: t('account.enterPassword'), onSelect: () => p.onEnterPassword(account) }]),
    { label: t('account.details'), onSelect: () => p.onShowAccount(account) },
    { label: t('account.remove'), onSelect: () => p.onRemoveAccount(account), danger: true },
  ];
}

function CalendarList({
  calendars,
  email,
  hidden,
  onToggle,
  onExport,
}: {
  calendars: CalendarView[];
  email: string;
  hidden: Set<string>;
  onToggle: (url: string, visible: boolean) => void;
  onExport: (cal: CalendarView) => void;
}): ReactElement {
  return (
    <ul className="dl-sources">
      {calendars.length === 0 ? <li className="dl-muted dl-empty-source">{t('calendar.none')}</li> : null}
      {calendars.map((cal) => {
        if (cal.kind === 'birthdays') return <BirthdaysRow key={cal.url} cal={cal} email={email} visible={!hidden.has(cal.url)} onToggle={onToggle} />;
        const color = normaliseColor(cal.color);
        return (
          <RowWithMenu
            key={cal.url}
            className="dl-source-row dl-calendar-row"
            data={{ 'data-calendar': cal.displayName }}
            label={t('source.menu', { name: cal.displayName })}
            items={[{ label: t('calendar.exportItem'), onSelect: () => onExport(cal) }]}
          >
            <label className="dl-calendar-toggle" title={cal.description ?? cal.displayName}>
              <input type="checkbox" checked={!hidden.has(cal.url)} onChange={(e) => onToggle(cal.url, e.target.checked)} style={{ accentColor: color }} />
              <span className="dl-swatch" style={{ background: color }} aria-hidden="true" />
              <span className="dl-source-name">{cal.displayName}</span>
            </label>
            {cal.readOnly ? <Icon name="lock" size={12} className="dl-muted" /> : null}
          </RowWithMenu>
        );
      })}
    </ul>
  );
}

/**
 * The account's Birthdays calendar, made by Davlens from its contacts: hidden like any calendar, but marked as no
 * server's (a cake, "from contacts", a read-only mark) and with no export (it has no items of its own).
 */
function BirthdaysRow({
  cal,
  email,
  visible,
  onToggle,
}: {
  cal: CalendarView;
  email: string;
  visible: boolean;
  onToggle: (url: string, visible: boolean) => void;
}): ReactElement {
  const color = normaliseColor(cal.color);
  return (
    <li className="dl-source-row dl-calendar-row dl-birthdays-row" data-calendar={cal.displayName} data-kind="birthdays">
      <label className="dl-calendar-toggle" title={t('calendar.birthdays.title', { email })}>
        <input type="checkbox" checked={visible} onChange={(e) => onToggle(cal.url, e.target.checked)} style={{ accentColor: color }} />
        <Icon name="cake" size={14} className="dl-birthdays-icon" />
        <span className="dl-source-name">
          {cal.displayName} <span className="dl-source-hint">{t('calendar.birthdays.hint')}</span>
        </span>
      </label>
      <span className="dl-read-only" role="img" aria-label={t('calendar.birthdays.readOnly')} title={t('calendar.birthdays.readOnly')}>
        <Icon name="lock" size={12} />
      </span>
    </li>
  );
}

function AddressBookList({
  books,
  selected,
  onSelect,
  onExport,
}: {
  books: AddressBookView[];
  selected: string | null;
  onSelect: (url: string | null) => void;
  onExport: (ab: AddressBookView) => void;
}): ReactElement {
  return (
    <ul className="dl-sources">
      {books.length === 0 ? <li className="dl-muted dl-empty-source">{t('contacts.none')}</li> : null}
      {books.map((ab) => (
        <RowWithMenu
          key={ab.url}
          className="dl-source-row-wrap"
          data={{ 'data-addressbook': ab.displayName }}
          label={t('source.menu', { name: ab.displayName })}
          items={[{ label: t('contacts.exportItem'), onSelect: () => onExport(ab) }]}
        >
          <SourceButton
            className="dl-source-row"
            selected={selected === ab.url}
            onClick={() => onSelect(ab.url)}
            icon="contacts"
            name={ab.displayName}
            count={ab.count}
          />
        </RowWithMenu>
      ))}
    </ul>
  );
}

const GROUP_ICON: Record<ContactGroup['source'], IconName> = { kind: 'users', apple: 'users', categories: 'tag' };

/**
 * The groups as a filter of the contact list: group cards (vCard 4, Apple) and categories, each with its member
 * count; the chosen one is pressed, and pressing it again shows every contact again.
 */
function GroupList({ groups, selected, onSelect }: { groups: ContactGroup[]; selected: string | null; onSelect: (name: string | null) => void }): ReactElement {
  return (
    <section className="dl-account dl-groups" aria-label={t('contacts.groups')}>
      <header className="dl-account-header">
        <Icon name="users" />
        <h3>{t('contacts.groups')}</h3>
      </header>
      <ul className="dl-sources">
        {groups.length === 0 ? <li className="dl-muted dl-empty-source">{t('contacts.groupsNone')}</li> : null}
        {groups.map((g) => {
          const on = selected !== null && selected.toLowerCase() === g.name.toLowerCase();
          const source = t(`contacts.groupSource.${g.source}`);
          return (
            <li key={`${g.source}\u0000${g.href ?? ''}\u0000${g.name}`} className="dl-source-row-wrap" data-group={g.name} data-source={g.source}>
              <button
                type="button"
                className={`dl-source-row dl-group-row${on ? ' dl-selected' : ''}`}
                aria-pressed={on}
                aria-label={t('contacts.groupLabel', { name: g.name, source, count: g.members })}
                title={`${t('contacts.groupFilter', { name: g.name })} (${source})`}
                onClick={() => onSelect(on ? null : g.name)}
              >
                <Icon name={GROUP_ICON[g.source]} /> <span className="dl-source-name">{g.name}</span>{' '}
                <span className="dl-count">{g.members.toLocaleString()}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A row that selects what the list shows: an address book, or all of them. */
function SourceButton({
  className,
  selected,
  onClick,
  icon,
  name,
  count,
}: {
  className: string;
  selected: boolean;
  onClick: () => void;
  icon: IconName;
  name: string;
  count: number;
}): ReactElement {
  return (
    <button type="button" className={`${className}${selected ? ' dl-selected' : ''}`} aria-current={selected ? 'true' : undefined} onClick={onClick}>
      <Icon name={icon} /> <span className="dl-source-name">{name}</span> <span className="dl-count">{count.toLocaleString()}</span>
    </button>
  );
}

/** A calendar's or address book's row with its "…" menu, which a right-click on the row opens too. */
function RowWithMenu({
  className,
  data,
  label,
  items,
  children,
}: {
  className: string;
  data: Record<`data-${string}`, string>;
  label: string;
  items: MenuItem[];
  children: ReactNode;
}): ReactElement {
  const [open, setOpen] = useState(false);
  const onContextMenu = (e: MouseEvent): void => {
    e.preventDefault();
    setOpen(true);
  };
  return (
    <li className={className} {...data} onContextMenu={onContextMenu}>
      {children}
      <MenuButton label={label} items={items} open={open} onOpenChange={setOpen} className="dl-row-action dl-row-menu">
        <Icon name="more" size={14} />
      </MenuButton>
    </li>
  );
}
