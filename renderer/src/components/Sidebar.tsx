// The sidebar: accounts, each with its calendars (server colour, a checkbox each) or address books, its
// sync state and what to do about an error; account actions (sync, password, remove) in a menu.
import type { ReactElement, ReactNode } from 'react';
import type { AccountSummary, AddressBookView, CalendarView, SyncStatus } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import { t } from '../i18n/messages.ts';
import { normaliseColor } from '../lib/events.ts';
import { relativeTime } from '../lib/time.ts';
import { Icon } from './Icon.tsx';
import { MenuButton } from './Menu.tsx';

export interface SidebarProps {
  mode: 'calendar' | 'contacts';
  accounts: AccountSummary[];
  calendars: CalendarView[];
  addressbooks: AddressBookView[];
  hiddenCalendars: string[];
  sync: SyncStatus | null;
  selectedAddressbook: string | null;
  onToggleCalendar: (url: string, visible: boolean) => void;
  onExportCalendar: (cal: CalendarView) => void;
  onSelectAddressbook: (url: string | null) => void;
  onExportAddressbook: (ab: AddressBookView) => void;
  onAddAccount: () => void;
  onSyncAccount: (accountId: string) => void;
  onEnterPassword: (account: AccountSummary) => void;
  onRemoveAccount: (account: AccountSummary) => void;
  onShowAccount: (account: AccountSummary) => void;
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

export function Sidebar(p: SidebarProps): ReactElement {
  const hidden = new Set(p.hiddenCalendars);
  return (
    <nav className="dl-sidebar" aria-label={p.mode === 'calendar' ? t('calendar.calendars') : t('contacts.addressbooks')}>
      {p.mode === 'contacts' ? (
        <button
          type="button"
          className={`dl-source-row dl-all-contacts${p.selectedAddressbook === null ? ' dl-selected' : ''}`}
          aria-current={p.selectedAddressbook === null ? 'true' : undefined}
          onClick={() => p.onSelectAddressbook(null)}
        >
          <Icon name="users" /> <span className="dl-source-name">{t('contacts.all')}</span>
          <span className="dl-count">{p.addressbooks.reduce((n, a) => n + a.count, 0).toLocaleString()}</span>
        </button>
      ) : null}
      {p.accounts.map((account) => {
        const cals = sortCalendars(p.calendars.filter((c) => c.accountId === account.id));
        const books = p.addressbooks.filter((a) => a.accountId === account.id);
        const menu = [
          ...(account.demo ? [] : [{ label: t('account.syncNow'), onSelect: () => p.onSyncAccount(account.id) }]),
          ...(account.demo ? [] : [{ label: t('account.enterPassword'), onSelect: () => p.onEnterPassword(account) }]),
          { label: t('account.details'), onSelect: () => p.onShowAccount(account) },
          { label: t('account.remove'), onSelect: () => p.onRemoveAccount(account), danger: true },
        ];
        return (
          <section key={account.id} className="dl-account" aria-label={account.email} data-account={account.id}>
            <header className="dl-account-header">
              <Icon name={account.demo ? 'eye' : 'server'} />
              <h3 title={account.email}>{account.demo ? t('account.demo') : account.email}</h3>
              <MenuButton label={t('account.menu', { email: account.email })} items={menu}>
                <Icon name="more" />
              </MenuButton>
            </header>
            <AccountStatus account={account} sync={p.sync} onEnterPassword={() => p.onEnterPassword(account)} onSync={() => p.onSyncAccount(account.id)} />
            {p.mode === 'calendar' ? (
              <ul className="dl-sources">
                {cals.length === 0 ? <li className="dl-muted dl-empty-source">{t('calendar.none')}</li> : null}
                {cals.map((cal) => {
                  const color = normaliseColor(cal.color);
                  const visible = !hidden.has(cal.url);
                  return (
                    <li key={cal.url} className="dl-source-row dl-calendar-row" data-calendar={cal.displayName}>
                      <label className="dl-calendar-toggle" title={cal.description ?? cal.displayName}>
                        <input
                          type="checkbox"
                          checked={visible}
                          onChange={(e) => p.onToggleCalendar(cal.url, e.target.checked)}
                          style={{ accentColor: color }}
                        />
                        <span className="dl-swatch" style={{ background: color }} aria-hidden="true" />
                        <span className="dl-source-name">{cal.displayName}</span>
                      </label>
                      {cal.readOnly ? <Icon name="lock" size={12} className="dl-muted" /> : null}
                      <button
                        type="button"
                        className="dl-icon-button dl-row-action"
                        aria-label={t('calendar.export', { name: cal.displayName })}
                        title={t('calendar.export', { name: cal.displayName })}
                        onClick={() => p.onExportCalendar(cal)}
                      >
                        <Icon name="download" size={14} />
                      </button>
                    </li>
                  );
                })}
              </ul>
            ) : (
              <ul className="dl-sources">
                {books.length === 0 ? <li className="dl-muted dl-empty-source">{t('contacts.none')}</li> : null}
                {books.map((ab) => (
                  <li key={ab.url} className="dl-source-row-wrap">
                    <button
                      type="button"
                      className={`dl-source-row${p.selectedAddressbook === ab.url ? ' dl-selected' : ''}`}
                      aria-current={p.selectedAddressbook === ab.url ? 'true' : undefined}
                      onClick={() => p.onSelectAddressbook(ab.url)}
                    >
                      <Icon name="contacts" /> <span className="dl-source-name">{ab.displayName}</span>
                      <span className="dl-count">{ab.count.toLocaleString()}</span>
                    </button>
                    <button
                      type="button"
                      className="dl-icon-button dl-row-action"
                      aria-label={t('contacts.export', { name: ab.displayName })}
                      title={t('contacts.export', { name: ab.displayName })}
                      onClick={() => p.onExportAddressbook(ab)}
                    >
                      <Icon name="download" size={14} />
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
      <button type="button" className="dl-button dl-add-account-button" onClick={p.onAddAccount}>
        <Icon name="plus" /> {t('account.add')}
      </button>
      {p.footer}
    </nav>
  );
}
