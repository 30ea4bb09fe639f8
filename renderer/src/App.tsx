// The app shell: first run (add an account, try the demo, open a file) or the main window (header with
// sections, search and sync; sidebar; calendar or contacts; details), the dialogs, keyboard shortcuts,
// drag-and-drop of .ics/.vcf files, and the host's menu commands.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent, ReactElement } from 'react';
import type { AccountSummary, AddressBookView, CalendarView, ContactRef, ExportTarget, LocalFileView } from '../../shared/api.ts';
import type { Contact, Occurrence } from '../../shared/models.ts';
import { AccountDetailsDialog, PasswordDialog, RemoveAccountDialog } from './components/AccountDialogs.tsx';
import { AddAccount } from './components/AddAccount.tsx';
import { CalendarPane } from './components/CalendarPane.tsx';
import type { CalendarHandle, ViewName } from './components/CalendarPane.tsx';
import { ContactsPane } from './components/ContactsPane.tsx';
import type { ContactsHandle } from './components/ContactsPane.tsx';
import { Dialog } from './components/Dialog.tsx';
import { EventDetailsPanel } from './components/EventDetails.tsx';
import { EventSearch } from './components/EventSearch.tsx';
import { Icon } from './components/Icon.tsx';
import { Logo } from './components/Logo.tsx';
import { isOpenableFile, LocalFileDialog, MAX_LOCAL_FILE_BYTES } from './components/LocalFile.tsx';
import { KeyboardShortcuts, SettingsDialog } from './components/SettingsDialog.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { TimeZoneSelect } from './components/TimeZoneSelect.tsx';
import { SyncDetailsDialog, SyncIndicator } from './components/SyncStatus.tsx';
import { t } from './i18n/messages.ts';
import { exportTarget } from './lib/exporting.ts';
import { occurrenceKey } from './lib/events.ts';
import { isValidTimeZone, systemTimeZone } from './lib/locale.ts';
import { useAppData } from './state/appData.ts';
import { subscribeHostEvents, useClient } from './state/client.tsx';
import { useDebounced } from './state/hooks.ts';
import { useNotify } from './state/toasts.tsx';

type Mode = 'calendar' | 'contacts';

type DialogState =
  | null
  | { kind: 'add' }
  | { kind: 'password'; account: AccountSummary }
  | { kind: 'remove'; account: AccountSummary }
  | { kind: 'account'; account: AccountSummary }
  | { kind: 'settings' }
  | { kind: 'sync' }
  | { kind: 'file'; file: LocalFileView }
  | { kind: 'keys' };

const VIEW_KEYS: Record<string, ViewName> = { m: 'month', w: 'week', d: 'day', l: 'list' };

function isEditable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit'].includes(el.type);
  return false;
}

export function App(): ReactElement {
  const client = useClient();
  const notify = useNotify();
  const [data, actions] = useAppData(client);
  const [mode, setMode] = useState<Mode>('calendar');
  const [dialog, setDialog] = useState<DialogState>(null);
  const [addBusy, setAddBusy] = useState(false);
  // The first account's discovery report stays on the welcome screen until the user closes it, even
  // though the account (and its first sync) arrive earlier.
  const [onboarding, setOnboarding] = useState(false);
  const [calendarSearch, setCalendarSearch] = useState('');
  const [contactSearch, setContactSearch] = useState('');
  const [selected, setSelected] = useState<Occurrence | null>(null);
  const [goto, setGoto] = useState<{ date: string } | null>(null);
  const [addressbook, setAddressbook] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [searchClosed, setSearchClosed] = useState(false);
  const calendarHandle = useRef<CalendarHandle>(null);
  const contactsHandle = useRef<ContactsHandle>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const contactSelection = useRef<ContactRef | null>(null);

  const settings = data.settings;
  const tzSetting = settings?.timeZone && isValidTimeZone(settings.timeZone) ? settings.timeZone : null;
  const tz = tzSetting ?? systemTimeZone();
  const view: ViewName = settings?.view ?? 'month';
  const calendars: CalendarView[] = useMemo(() => data.collections?.calendars ?? [], [data.collections]);
  const addressbooks: AddressBookView[] = useMemo(() => data.collections?.addressbooks ?? [], [data.collections]);
  const hidden = useMemo(() => settings?.hiddenCalendars ?? [], [settings]);
  const visibleUrls = useMemo(() => calendars.filter((c) => !hidden.includes(c.url)).map((c) => c.url), [calendars, hidden]);
  const calSearch = useDebounced(calendarSearch.trim(), 200);
  const conSearch = useDebounced(contactSearch, 0);
  const search = mode === 'calendar' ? calendarSearch : contactSearch;

  useEffect(() => setSearchClosed(false), [calSearch]);
  // An address book that went away (account removed) falls back to all.
  useEffect(() => {
    if (addressbook && !addressbooks.some((a) => a.url === addressbook)) setAddressbook(null);
  }, [addressbook, addressbooks]);

  const doExport = useCallback(
    async (target: ExportTarget) => {
      const r = await exportTarget(client, target);
      notify(r.message, r.ok ? 'info' : 'error');
    },
    [client, notify],
  );

  const setView = useCallback((v: ViewName) => void actions.updateSettings({ view: v }), [actions]);

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
      if (r.ok) setDialog({ kind: 'file', file: r.value });
      else notify(r.error.message, 'error');
    },
    [client, notify, tz],
  );

  const openDemo = useCallback(async () => {
    const r = await client.openDemo();
    if (!r.ok) {
      notify(r.error.message, 'error');
      return;
    }
    setDialog(null);
    await actions.reload();
  }, [client, actions, notify]);

  const accountAdded = useCallback(
    async (account: AccountSummary) => {
      setDialog(null);
      setOnboarding(false);
      await actions.reload();
      void actions.syncNow(account.id);
    },
    [actions],
  );

  // Host menu commands (desktop): the same as the toolbar.
  const exportSelection = useRef<() => void>(() => {});
  exportSelection.current = () => {
    if (mode === 'calendar' && selected) void doExport({ kind: 'event', calendarUrl: selected.calendarUrl, href: selected.href, uid: selected.uid });
    else if (mode === 'contacts' && contactSelection.current) void doExport({ kind: 'contact', ...contactSelection.current });
    else if (mode === 'contacts' && addressbook) void doExport({ kind: 'addressbook', addressbookUrl: addressbook });
    else if (mode === 'calendar' && visibleUrls.length === 1) void doExport({ kind: 'calendar', calendarUrl: visibleUrls[0]! });
  };
  useEffect(
    () =>
      subscribeHostEvents(client, (e) => {
        if (e.command === 'view') {
          setMode('calendar');
          setView(e.view);
        } else if (e.command === 'export') exportSelection.current();
      }),
    [client, setView],
  );

  // Keyboard: arrows/PgUp/PgDn move, T today, M/W/D/L views, / search, Esc closes.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (dialog) return;
      const editing = isEditable(e.target);
      if (e.key === 'Escape') {
        if (editing && e.target === searchRef.current) {
          if (mode === 'calendar') setCalendarSearch('');
          else setContactSearch('');
          searchRef.current?.blur();
        } else if (selected) setSelected(null);
        else if (mode === 'calendar' && calSearch) setCalendarSearch('');
        return;
      }
      if (editing) return;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      if (key === '?') {
        setDialog({ kind: 'keys' });
        return;
      }
      if (key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      if (mode === 'calendar') {
        const cal = calendarHandle.current;
        if (!cal) return;
        if (key === 'ArrowLeft' || key === 'PageUp' || key === 'ArrowUp') cal.prev();
        else if (key === 'ArrowRight' || key === 'PageDown' || key === 'ArrowDown') cal.next();
        else if (key === 't') cal.today();
        else if (VIEW_KEYS[key]) setView(VIEW_KEYS[key]);
        else return;
        e.preventDefault();
      } else {
        const list = contactsHandle.current;
        if (!list) return;
        if (key === 'ArrowDown') list.move(1);
        else if (key === 'ArrowUp') list.move(-1);
        else if (key === 'PageDown') list.page(1);
        else if (key === 'PageUp') list.page(-1);
        else return;
        e.preventDefault();
        list.focusList();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [dialog, mode, selected, calSearch, setView]);

  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void openFile(file);
  };
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
    onDrop,
  };

  const fileInputEl = (
    <input
      ref={fileInput}
      type="file"
      accept=".ics,.vcf,.ical,.vcard,text/calendar,text/vcard"
      className="dl-visually-hidden"
      tabIndex={-1}
      aria-hidden="true"
      data-testid="open-file-input"
      onChange={(e) => {
        const f = e.target.files?.[0];
        e.target.value = '';
        if (f) void openFile(f);
      }}
    />
  );

  const dialogs = (
    <>
      {dialog?.kind === 'add' ? (
        <Dialog title={t('account.add.title')} onClose={() => setDialog(null)} busy={addBusy} size="medium">
          <AddAccount onAdded={(a) => void accountAdded(a)} onCancel={() => setDialog(null)} onBusyChange={setAddBusy} />
        </Dialog>
      ) : null}
      {dialog?.kind === 'password' ? (
        <PasswordDialog
          account={dialog.account}
          onClose={() => setDialog(null)}
          onDone={(a) => {
            setDialog(null);
            void actions.refreshAccounts();
            void actions.syncNow(a.id);
          }}
        />
      ) : null}
      {dialog?.kind === 'remove' ? (
        <RemoveAccountDialog
          account={dialog.account}
          onClose={() => setDialog(null)}
          onRemoved={() => {
            setDialog(null);
            setSelected(null);
            void actions.reload();
          }}
        />
      ) : null}
      {dialog?.kind === 'account' ? <AccountDetailsDialog account={dialog.account} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'settings' && settings ? (
        <SettingsDialog settings={settings} onChange={(p) => void actions.updateSettings(p)} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'sync' ? (
        <SyncDetailsDialog
          accounts={data.accounts ?? []}
          sync={data.sync}
          onClose={() => setDialog(null)}
          onEnterPassword={(account) => setDialog({ kind: 'password', account })}
          onSyncNow={() => void actions.syncNow()}
        />
      ) : null}
      {dialog?.kind === 'file' ? <LocalFileDialog file={dialog.file} tz={tz} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'keys' ? (
        <Dialog title={t('keys.title')} onClose={() => setDialog(null)} size="small">
          <KeyboardShortcuts />
        </Dialog>
      ) : null}
    </>
  );

  if (data.accounts === null || settings === null) {
    return (
      <div className="dl-splash" role="status" aria-live="polite">
        <span className="dl-spinner dl-spinner-lg" aria-hidden="true" /> {t('app.loading')}
      </div>
    );
  }

  if (data.accounts.length === 0 || onboarding) {
    return (
      <main className={`dl-welcome${dragging ? ' dl-dragging' : ''}`} {...dragProps}>
        <div className="dl-welcome-card">
          <div className="dl-welcome-brand">
            <Logo size={48} />
            <div>
              <h1>{t('welcome.title')}</h1>
              <p className="dl-muted">{t('welcome.body')}</p>
            </div>
          </div>
          {data.loadError ? (
            <p className="dl-notice dl-notice-error" role="alert">
              {data.loadError.message}
            </p>
          ) : null}
          <AddAccount onAdded={(a) => void accountAdded(a)} onBusyChange={setAddBusy} onActiveChange={setOnboarding} />
          <div className="dl-welcome-alt">
            <button type="button" className="dl-button dl-button-large" onClick={() => void openDemo()}>
              <Icon name="eye" /> {t('welcome.demo')}
            </button>
            <span className="dl-muted">{t('welcome.demoHint')}</span>
            <button type="button" className="dl-button dl-button-quiet" onClick={() => fileInput.current?.click()}>
              <Icon name="file" /> {t('welcome.openFile')}
            </button>
          </div>
        </div>
        {fileInputEl}
        {dialogs}
        {dragging ? <div className="dl-drop-hint">{t('file.dropHere')}</div> : null}
      </main>
    );
  }

  const selectedColor = selected ? (calendars.find((c) => c.url === selected.calendarUrl)?.color ?? null) : null;
  const showSearch = mode === 'calendar' && calSearch && !searchClosed && !selected;

  return (
    <div className={`dl-app${dragging ? ' dl-dragging' : ''}`} {...dragProps}>
      <header className="dl-header">
        <div className="dl-brand">
          <Logo size={22} />
          <span>{t('app.name')}</span>
        </div>
        <nav className="dl-tabs" aria-label={t('nav.sections')}>
          <button
            type="button"
            className={mode === 'calendar' ? 'dl-active' : undefined}
            aria-pressed={mode === 'calendar'}
            onClick={() => setMode('calendar')}
          >
            <Icon name="calendar" /> {t('nav.calendar')}
          </button>
          <button
            type="button"
            className={mode === 'contacts' ? 'dl-active' : undefined}
            aria-pressed={mode === 'contacts'}
            onClick={() => setMode('contacts')}
          >
            <Icon name="contacts" /> {t('nav.contacts')}
          </button>
        </nav>
        <div className="dl-search" role="search">
          <Icon name="search" />
          <input
            ref={searchRef}
            type="search"
            value={search}
            onChange={(e) => (mode === 'calendar' ? setCalendarSearch(e.target.value) : setContactSearch(e.target.value))}
            placeholder={mode === 'calendar' ? t('calendar.search') : t('contacts.searchPlaceholder')}
            aria-label={mode === 'calendar' ? t('calendar.search') : t('contacts.search')}
            title={t('search.shortcut')}
            spellCheck={false}
          />
          <kbd aria-hidden="true">/</kbd>
        </div>
        <span className="dl-spacer" />
        <SyncIndicator accounts={data.accounts} sync={data.sync} onSyncNow={() => void actions.syncNow()} onShowDetails={() => setDialog({ kind: 'sync' })} />
        <button type="button" className="dl-icon-button" onClick={() => fileInput.current?.click()} aria-label={t('file.open')} title={t('file.openHint')}>
          <Icon name="file" />
        </button>
        <button
          type="button"
          className="dl-icon-button"
          onClick={() => setDialog({ kind: 'settings' })}
          aria-label={t('settings.open')}
          title={t('settings.open')}
        >
          <Icon name="gear" />
        </button>
      </header>
      <div className="dl-body">
        <Sidebar
          mode={mode}
          accounts={data.accounts}
          calendars={calendars}
          addressbooks={addressbooks}
          hiddenCalendars={hidden}
          sync={data.sync}
          selectedAddressbook={addressbook}
          onToggleCalendar={(url, visible) => {
            const next = visible ? hidden.filter((h) => h !== url) : [...new Set([...hidden, url])];
            void actions.updateSettings({ hiddenCalendars: next });
          }}
          onExportCalendar={(c) => void doExport({ kind: 'calendar', calendarUrl: c.url })}
          onSelectAddressbook={setAddressbook}
          onExportAddressbook={(a) => void doExport({ kind: 'addressbook', addressbookUrl: a.url })}
          onAddAccount={() => setDialog({ kind: 'add' })}
          onSyncAccount={(id) => void actions.syncNow(id)}
          onEnterPassword={(account) => setDialog({ kind: 'password', account })}
          onRemoveAccount={(account) => setDialog({ kind: 'remove', account })}
          onShowAccount={(account) => setDialog({ kind: 'account', account })}
          footer={
            mode === 'calendar' ? (
              <div className="dl-sidebar-footer">
                <div className="dl-sidebar-label">{t('calendar.timeZone')}</div>
                <TimeZoneSelect value={tzSetting} resolved={tz} onChange={(z) => void actions.updateSettings({ timeZone: z })} />
              </div>
            ) : null
          }
        />
        <main className="dl-main">
          {mode === 'calendar' ? (
            <div className="dl-calendar-layout">
              <CalendarPane
                handleRef={calendarHandle}
                calendars={calendars}
                hiddenCalendars={hidden}
                timeZone={tz}
                view={view}
                onViewChange={setView}
                search={calSearch}
                dataVersion={data.dataVersion}
                onSelect={setSelected}
                goto={goto}
              />
              {selected ? (
                <EventDetailsPanel
                  key={occurrenceKey(selected)}
                  occurrence={selected}
                  tz={tz}
                  color={selectedColor}
                  onClose={() => setSelected(null)}
                  onExport={() => void doExport({ kind: 'event', calendarUrl: selected.calendarUrl, href: selected.href, uid: selected.uid })}
                />
              ) : null}
              {showSearch ? (
                <EventSearch
                  query={calSearch}
                  around={calendarHandle.current?.currentDate() ?? new Date().toISOString().slice(0, 10)}
                  tz={tz}
                  calendars={calendars}
                  visibleUrls={visibleUrls}
                  dataVersion={data.dataVersion}
                  onSelect={(o) => {
                    setGoto({ date: o.start.slice(0, 10) });
                    setSelected(o);
                  }}
                  onClose={() => {
                    setCalendarSearch('');
                    setSearchClosed(true);
                  }}
                />
              ) : null}
            </div>
          ) : (
            <ContactsPane
              handleRef={contactsHandle}
              addressbooks={addressbooks}
              addressbookUrl={addressbook}
              search={conSearch}
              dataVersion={data.dataVersion}
              onExportContact={(ref: ContactRef, _c: Contact) => void doExport({ kind: 'contact', ...ref })}
              onSelectionChange={(ref) => {
                contactSelection.current = ref;
              }}
            />
          )}
        </main>
      </div>
      {fileInputEl}
      {dialogs}
      {dragging ? <div className="dl-drop-hint">{t('file.dropHere')}</div> : null}
    </div>
  );
}
