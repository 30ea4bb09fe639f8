// The app shell: first run (add an account, subscribe to a calendar, try the demo, open a file) or the main window
// (header with sections, search and sync; sidebar; calendar or contacts; details), the dialogs, keyboard shortcuts,
// drag-and-drop of .ics/.vcf files, and the host's menu commands.
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ReactElement, RefObject } from 'react';
import type { ExportTarget, SubscriptionView } from '../../shared/api.ts';
import { AppDialogs } from './components/AppDialogs.tsx';
import type { DialogState } from './components/AppDialogs.tsx';
import { AppHeader } from './components/AppHeader.tsx';
import { CalendarPane } from './components/CalendarPane.tsx';
import type { CalendarHandle, VisibleRange } from './components/CalendarPane.tsx';
import { ContactsPane } from './components/ContactsPane.tsx';
import { EventDetailsPanel } from './components/EventDetails.tsx';
import { EventSearch } from './components/EventSearch.tsx';
import type { MenuItem } from './components/Menu.tsx';
import { MiniMonth } from './components/MiniMonth.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import type { SubscriptionAction } from './components/SubscriptionList.tsx';
import { TimeZoneSelect } from './components/TimeZoneSelect.tsx';
import { Splash, Welcome } from './components/Welcome.tsx';
import { t } from './i18n/messages.ts';
import { contactDate, occurrenceKey } from './lib/events.ts';
import { firstDayOfWeek, uiLocale } from './lib/locale.ts';
import { ymdInZone } from './lib/time.ts';
import { useAppData } from './state/appData.ts';
import { useClient } from './state/client.tsx';
import type { ContactsHandle } from './state/contactList.ts';
import { useGroups } from './state/groups.ts';
import {
  eventTarget,
  selectionTarget,
  useAccountEntry,
  useDisplay,
  useExport,
  useGroupFilter,
  useLocalFiles,
  useOpenOccurrence,
  useSearches,
  useSelection,
} from './state/shell.ts';
import type { Display, Mode } from './state/shell.ts';
import { useHostCommands, useShortcuts } from './state/shortcuts.ts';
import { useSubscriptionRefresh } from './state/subscriptions.ts';

/** All of the app's state, and the commands from the keyboard and the host's menu. */
function useApp() {
  const [data, actions] = useAppData(useClient());
  const [mode, setMode] = useState<Mode>('calendar');
  const [dialog, setDialog] = useState<DialogState>(null);
  const [addBusy, setAddBusy] = useState(false);
  // The first account's discovery report stays on the welcome screen until the user closes it, even
  // though the account (and its first sync) arrive earlier.
  const [onboarding, setOnboarding] = useState(false);
  const display = useDisplay(data, actions);
  const searches = useSearches(mode);
  const selection = useSelection(display.addressbooks);
  const groups = useGroups(selection.addressbook, data.dataVersion, mode === 'contacts');
  useGroupFilter(selection, groups);
  const openOccurrence = useOpenOccurrence(selection, display.addressbooks, mode, setMode, searches);
  const refs = {
    search: useRef<HTMLInputElement>(null),
    calendar: useRef<CalendarHandle>(null),
    contacts: useRef<ContactsHandle>(null),
    fileInput: useRef<HTMLInputElement>(null),
  };
  const doExport = useExport();
  // The days the calendar grid shows, for the sidebar's mini-month.
  const [visibleRange, setVisibleRange] = useState<VisibleRange | null>(null);
  const files = useLocalFiles(display.tz, (file) => setDialog({ kind: 'file', file }));
  const closeDialog = useCallback(() => setDialog(null), []);
  const entry = useAccountEntry(
    actions,
    closeDialog,
    useCallback(() => setOnboarding(false), []),
  );
  const onAccountRemoved = (): void => {
    setDialog(null);
    selection.setSelected(null);
    void actions.reload();
  };
  const onSubscriptionsChanged = (removedUrl?: string): void => {
    setDialog(null);
    if (removedUrl && selection.selected?.calendarUrl === removedUrl) selection.setSelected(null);
    // Subscribed again later, it shows again.
    if (removedUrl && display.hidden.includes(removedUrl)) void actions.updateSettings({ hiddenCalendars: display.hidden.filter((u) => u !== removedUrl) });
    actions.dataChanged();
  };
  const feeds = useSubscriptionRefresh(actions.dataChanged);
  const showView = (v: Display['view']): void => {
    setMode('calendar');
    display.setView(v);
  };
  useHostCommands(showView, () => {
    const target = selectionTarget(mode, selection, display.visibleUrls);
    if (target) void doExport(target);
  });
  const showKeys = (): void => setDialog({ kind: 'keys' });
  // The header's button and F9 (GNOME's key for it); remembered as a setting.
  const toggleSidebar = (): void => {
    if (data.settings) void actions.updateSettings({ sidebarCollapsed: !data.settings.sidebarCollapsed });
  };
  useShortcuts({ mode, dialogOpen: dialog !== null, searches, selection, setView: display.setView, showKeys, toggleSidebar, refs });
  const onAccountAdded = (): void => void entry.accountAdded();
  const onExport = (target: ExportTarget): void => void doExport(target);
  const dialogs = { dialog, setDialog, data, actions, tz: display.tz, addBusy, setAddBusy, onAccountAdded, onAccountRemoved, onSubscriptionsChanged, onExport };
  const openFilePicker = (): void => refs.fileInput.current?.click();
  return {
    data,
    actions,
    mode,
    setMode,
    dialogs,
    onboarding,
    setOnboarding,
    display,
    searches,
    selection,
    refs,
    doExport,
    visibleRange,
    setVisibleRange,
    files,
    entry,
    openFilePicker,
    toggleSidebar,
    feeds,
    groups,
    openOccurrence,
  };
}

type AppState = ReturnType<typeof useApp>;

export function App(): ReactElement {
  const app = useApp();
  const { data, actions, mode, files, refs, dialogs } = app;
  if (data.accounts === null || data.settings === null) return <Splash />;
  const collapsed = data.settings.sidebarCollapsed;
  // The same on the welcome screen and in the main window.
  const overlays = (
    <>
      <FileInput inputRef={refs.fileInput} onFile={(f) => void files.openFile(f)} />
      <AppDialogs {...dialogs} />
      {files.dragging ? <div className="dl-drop-hint">{t('file.dropHere')}</div> : null}
    </>
  );
  // Subscriptions alone make a main window too (their calendar, no account).
  if ((data.accounts.length === 0 && app.display.subscriptions.length === 0) || app.onboarding) {
    return (
      <Welcome
        loadError={data.loadError}
        files={files}
        onAdded={dialogs.onAccountAdded}
        onBusyChange={dialogs.setAddBusy}
        onActiveChange={app.setOnboarding}
        onDemo={() => void app.entry.openDemo()}
        onOpenFile={app.openFilePicker}
        onSubscribe={() => dialogs.setDialog({ kind: 'subscribe' })}
        tz={app.display.tz}
      >
        {overlays}
      </Welcome>
    );
  }
  return (
    <div className={`dl-app${files.dragging ? ' dl-dragging' : ''}${collapsed ? ' dl-sidebar-collapsed' : ''}`} {...files.dragProps}>
      <AppHeader
        mode={mode}
        setMode={app.setMode}
        searches={app.searches}
        searchRef={refs.search}
        accounts={data.accounts}
        subscriptions={app.display.subscriptions}
        sync={data.sync}
        onSyncNow={() => void actions.syncNow()}
        onShowSync={() => dialogs.setDialog({ kind: 'sync' })}
        onOpenFile={app.openFilePicker}
        onSettings={() => dialogs.setDialog({ kind: 'settings' })}
        sidebarCollapsed={collapsed}
        onToggleSidebar={app.toggleSidebar}
        menu={appMenu(app)}
      />
      <div className="dl-body">
        <AppSidebar app={app} />
        <main className="dl-main">{mode === 'calendar' ? <CalendarLayout app={app} /> : <ContactsLayout app={app} />}</main>
      </div>
      {overlays}
    </div>
  );
}

/** The hidden file input behind "Open file". */
function FileInput({ inputRef, onFile }: { inputRef: RefObject<HTMLInputElement | null>; onFile: (file: File) => void }): ReactElement {
  return (
    <input
      ref={inputRef}
      type="file"
      accept=".ics,.vcf,.ical,.vcard,text/calendar,text/vcard"
      className="dl-visually-hidden"
      tabIndex={-1}
      aria-hidden="true"
      data-testid="open-file-input"
      onChange={(e) => {
        const f = e.target.files?.[0];
        e.target.value = '';
        if (f) onFile(f);
      }}
    />
  );
}

/** The header's menu: export a calendar or an address book (chosen in a dialog), the keyboard shortcuts. */
function appMenu(app: AppState): MenuItem[] {
  const { collections } = app.data;
  const { setDialog } = app.dialogs;
  const noCalendars = !collections || (collections.calendars.every((c) => c.kind === 'birthdays') && collections.subscriptions.length === 0);
  return [
    { label: t('calendar.exportMenu'), onSelect: () => setDialog({ kind: 'export', what: 'calendar' }), disabled: noCalendars },
    { label: t('contacts.exportMenu'), onSelect: () => setDialog({ kind: 'export', what: 'addressbook' }), disabled: !collections?.addressbooks.length },
    { label: t('keys.title'), onSelect: () => setDialog({ kind: 'keys' }) },
  ];
}

/** What a subscription's menu (or its error's Retry) asks for. */
function subscriptionCommand(app: AppState): (action: SubscriptionAction, s: SubscriptionView) => void {
  return (action, s) => {
    if (action === 'refresh') void app.feeds.refresh(s);
    else if (action === 'export') void app.doExport({ kind: 'calendar', calendarUrl: s.url });
    else app.dialogs.setDialog({ kind: 'subscription', action, subscription: s });
  };
}

/** The sidebar: the accounts with their calendars or address books, the subscriptions, and the time zone under the calendars. */
function AppSidebar({ app }: { app: AppState }): ReactElement {
  const { mode, data, actions, display, selection, doExport } = app;
  const { setDialog } = app.dialogs;
  const { hidden, tz } = display;
  return (
    <Sidebar
      mode={mode}
      accounts={data.accounts ?? []}
      calendars={display.calendars}
      addressbooks={display.addressbooks}
      subscriptions={display.subscriptions}
      refreshingSubscriptions={app.feeds.refreshing}
      hiddenCalendars={hidden}
      sync={data.sync}
      selectedAddressbook={selection.addressbook}
      groups={app.groups.groups}
      selectedGroup={selection.group}
      onSelectGroup={selection.setGroup}
      onToggleCalendar={(url, visible) => {
        const next = visible ? hidden.filter((h) => h !== url) : [...new Set([...hidden, url])];
        void actions.updateSettings({ hiddenCalendars: next });
      }}
      onExportCalendar={(c) => void doExport({ kind: 'calendar', calendarUrl: c.url })}
      onSelectAddressbook={selection.setAddressbook}
      onExportAddressbook={(a) => void doExport({ kind: 'addressbook', addressbookUrl: a.url })}
      onAddAccount={() => setDialog({ kind: 'add' })}
      onSubscribe={() => setDialog({ kind: 'subscribe' })}
      onSubscriptionAction={subscriptionCommand(app)}
      onSyncAccount={(id) => void actions.syncNow(id)}
      onEnterPassword={(account) => setDialog({ kind: 'password', account })}
      onRemoveAccount={(account) => setDialog({ kind: 'remove', account })}
      onShowAccount={(account) => setDialog({ kind: 'account', account })}
      header={mode === 'calendar' ? <SidebarMiniMonth app={app} /> : null}
      footer={
        mode === 'calendar' ? (
          <div className="dl-sidebar-footer">
            <div className="dl-sidebar-label">{t('calendar.timeZone')}</div>
            <TimeZoneSelect value={display.tzSetting} resolved={tz} onChange={(z) => void actions.updateSettings({ timeZone: z })} />
          </div>
        ) : null
      }
    />
  );
}

/** The mini-month above the calendars: today in the chosen zone, the grid's days shaded; a day moves the grid there. */
function SidebarMiniMonth({ app }: { app: AppState }): ReactElement {
  const firstDay = useMemo(() => firstDayOfWeek(), []);
  const locale = useMemo(() => uiLocale(), []);
  return (
    <MiniMonth
      today={ymdInZone(new Date(), app.display.tz)}
      range={app.visibleRange}
      firstDay={firstDay}
      locale={locale}
      onSelect={(ymd) => app.refs.calendar.current?.gotoDate(ymd)}
    />
  );
}

/** The contact list of the address book chosen in the sidebar, and the selected contact's card. */
function ContactsLayout({ app }: { app: AppState }): ReactElement {
  const { selection } = app;
  return (
    <ContactsPane
      handleRef={app.refs.contacts}
      addressbooks={app.display.addressbooks}
      addressbookUrl={selection.addressbook}
      search={app.searches.conSearch}
      group={selection.group}
      focus={selection.contactFocus}
      dataVersion={app.data.dataVersion}
      onExportContact={(ref) => void app.doExport({ kind: 'contact', ...ref })}
      onSelectionChange={(ref) => {
        selection.contactSelection.current = ref;
      }}
    />
  );
}

/** The calendar, with the selected event's details or the search results beside it. */
function CalendarLayout({ app }: { app: AppState }): ReactElement {
  const { data, display, searches, selection, doExport } = app;
  const handle = app.refs.calendar;
  const { selected, setSelected } = selection;
  // The accounts' calendars and the subscriptions.
  const { tz, sources: calendars } = display;
  const selectedColor = selected ? (calendars.find((c) => c.url === selected.calendarUrl)?.color ?? null) : null;
  const showSearch = searches.calSearch && !searches.searchClosed && !selected;
  return (
    <div className="dl-calendar-layout">
      <CalendarPane
        handleRef={handle}
        calendars={calendars}
        hiddenCalendars={display.hidden}
        timeZone={tz}
        view={display.view}
        weekNumbers={data.settings?.weekNumbers ?? false}
        onRangeChange={app.setVisibleRange}
        onViewChange={display.setView}
        search={searches.calSearch}
        dataVersion={data.dataVersion}
        syncing={data.sync?.running === true}
        onSelect={app.openOccurrence}
        selectedKey={selected ? occurrenceKey(selected) : null}
        goto={selection.goto}
      />
      {selected ? (
        <EventDetailsPanel
          key={occurrenceKey(selected)}
          occurrence={selected}
          tz={tz}
          color={selectedColor}
          onClose={() => setSelected(null)}
          onExport={() => void doExport(eventTarget(selected))}
        />
      ) : null}
      {showSearch ? (
        <EventSearch
          query={searches.calSearch}
          tz={tz}
          calendars={calendars}
          visibleUrls={display.visibleUrls}
          dataVersion={data.dataVersion}
          onSelect={(o) => {
            // A birthday opens its contact; an event shows on its day, with its details.
            if (!contactDate(o)) selection.setGoto({ date: o.start.slice(0, 10) });
            app.openOccurrence(o);
          }}
          onClose={searches.closeCalendarSearch}
        />
      ) : null}
    </div>
  );
}
