// The main window's header: the sections, the search box of the section on screen, sync state, open a
// file, settings, the app menu (export a calendar or an address book, the keyboard shortcuts).
import type { ReactElement, RefObject } from 'react';
import type { AccountSummary, SubscriptionView, SyncStatus } from '../../../shared/api.ts';
import { t } from '../i18n/messages.ts';
import type { Mode, Searches } from '../state/shell.ts';
import { Icon } from './Icon.tsx';
import { Logo } from './Logo.tsx';
import { SIDEBAR_ID } from './Sidebar.tsx';
import { MenuButton } from './Menu.tsx';
import type { MenuItem } from './Menu.tsx';
import { SyncIndicator } from './SyncStatus.tsx';

export interface AppHeaderProps {
  mode: Mode;
  setMode: (mode: Mode) => void;
  searches: Searches;
  searchRef: RefObject<HTMLInputElement | null>;
  accounts: AccountSummary[];
  subscriptions: SubscriptionView[];
  sync: SyncStatus | null;
  onSyncNow: () => void;
  onShowSync: () => void;
  onOpenFile: () => void;
  onSettings: () => void;
  sidebarCollapsed: boolean;
  onToggleSidebar: () => void;
  menu: MenuItem[];
}

const MODES = [
  { mode: 'calendar', icon: 'calendar', label: 'nav.calendar' },
  { mode: 'contacts', icon: 'contacts', label: 'nav.contacts' },
] as const;

export function AppHeader(h: AppHeaderProps): ReactElement {
  const calendar = h.mode === 'calendar';
  return (
    <header className="dl-header">
      <button
        type="button"
        className="dl-icon-button dl-sidebar-toggle"
        aria-label={t('nav.sidebar')}
        aria-expanded={!h.sidebarCollapsed}
        aria-controls={SIDEBAR_ID}
        title={h.sidebarCollapsed ? t('nav.sidebar.show') : t('nav.sidebar.hide')}
        onClick={h.onToggleSidebar}
      >
        <Icon name="sidebar" />
      </button>
      <div className="dl-brand">
        <Logo size={22} />
        <span>{t('app.name')}</span>
      </div>
      <nav className="dl-tabs" aria-label={t('nav.sections')}>
        {MODES.map((m) => (
          <button
            key={m.mode}
            type="button"
            className={h.mode === m.mode ? 'dl-active' : undefined}
            aria-pressed={h.mode === m.mode}
            onClick={() => h.setMode(m.mode)}
          >
            <Icon name={m.icon} /> {t(m.label)}
          </button>
        ))}
      </nav>
      <div className="dl-search" role="search">
        <Icon name="search" />
        <input
          ref={h.searchRef}
          type="search"
          value={h.searches.text}
          onChange={(e) => h.searches.setText(e.target.value)}
          placeholder={calendar ? t('calendar.search') : t('contacts.search')}
          aria-label={calendar ? t('calendar.search') : t('contacts.search')}
          title={t('search.shortcut')}
          spellCheck={false}
        />
        <kbd aria-hidden="true">/</kbd>
      </div>
      <span className="dl-spacer" />
      <SyncIndicator accounts={h.accounts} subscriptions={h.subscriptions} sync={h.sync} onSyncNow={h.onSyncNow} onShowDetails={h.onShowSync} />
      <button type="button" className="dl-icon-button" onClick={h.onOpenFile} aria-label={t('file.open')} title={t('file.openHint')}>
        <Icon name="file" />
      </button>
      <button type="button" className="dl-icon-button" onClick={h.onSettings} aria-label={t('settings.open')} title={t('settings.open')}>
        <Icon name="gear" />
      </button>
      <MenuButton label={t('app.menu')} items={h.menu}>
        <Icon name="more" />
      </MenuButton>
    </header>
  );
}
