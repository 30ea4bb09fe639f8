// The app shell on the fake client: first run and the demo, hidden calendars remembered through settings,
// events fetched per visible range in the chosen zone, account actions, keyboard shortcuts, sync state.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { OccurrenceQuery, SyncCollectionReport } from '../../shared/api.ts';
import { FAKE_ACCOUNT, FAKE_BIRTHDAYS, FAKE_CALENDARS, FAKE_SUBSCRIPTION } from '../../renderer/dev/fakeClient.ts';
import { App } from '../../renderer/src/App.tsx';
import { blankContact } from '../support/models.ts';
import { fakeClient, renderWith } from './helpers.tsx';

/** Lets the last answers of the fake client land inside act(). */
async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 50));
  });
}

describe('App', () => {
  it('opens on the welcome screen and shows the demo after “Try the demo”', async () => {
    const client = fakeClient({ empty: true });
    const openDemo = vi.spyOn(client, 'openDemo');
    renderWith(client, <App />);
    expect(await screen.findByRole('heading', { name: 'Welcome to Davlens' })).toBeTruthy();
    expect(screen.getByLabelText('Email address')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Try the demo' }));
    expect(openDemo).toHaveBeenCalledTimes(1);
    const nav = await screen.findByRole('navigation', { name: 'Calendars' });
    for (const c of FAKE_CALENDARS) expect(within(nav).getByRole('checkbox', { name: c.displayName })).toBeTruthy();
    await settle();
  });

  it('keeps the first account’s discovery report on screen until Done, although the account arrives first', async () => {
    const client = fakeClient({ empty: true });
    const syncNow = vi.spyOn(client, 'syncNow');
    renderWith(client, <App />);
    await userEvent.type(await screen.findByLabelText('Email address'), 'alice@example.test');
    await userEvent.type(screen.getByLabelText('Password'), 'pw');
    await userEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await screen.findByText('Account added');
    // The engine's first sync finishes while the report is still open: the app refreshes its accounts.
    act(() => client.emit({ type: 'sync', status: { running: true, accounts: [], collections: [] } }));
    act(() => client.emit({ type: 'sync', status: { running: false, accounts: [], collections: [] } }));
    await settle();
    expect(screen.getByText('Account added')).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Calendars' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(await screen.findByRole('navigation', { name: 'Calendars' })).toBeTruthy();
    await settle();
    // The engine syncs the account it added (after its first window); a second ask would start that sync early.
    expect(syncNow).not.toHaveBeenCalled();
  });

  it('asks for each visible range in the chosen zone, and remembers hidden calendars', async () => {
    const client = fakeClient({ startMonth: '2026-03' });
    client.settings.timeZone = 'America/New_York';
    const occurrences = vi.spyOn(client, 'occurrences');
    const update = vi.spyOn(client, 'updateSettings');
    renderWith(client, <App />);
    const nav = await screen.findByRole('navigation', { name: 'Calendars' });
    await waitFor(() => expect(occurrences).toHaveBeenCalled());
    const q = occurrences.mock.calls[0]![0] as OccurrenceQuery;
    expect(q.tz).toBe('America/New_York');
    expect(q.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(q.to > q.from).toBe(true);
    // The accounts' calendars (the Birthdays calendar too) and the subscription.
    expect(q.calendarUrls).toEqual([...FAKE_CALENDARS.map((c) => c.url), FAKE_BIRTHDAYS.url, FAKE_SUBSCRIPTION.url]);

    // The neighbouring ranges are fetched ahead, so previous/next show their events at once.
    await waitFor(() => expect(new Set(occurrences.mock.calls.map(([x]) => (x as OccurrenceQuery).from)).size).toBe(3));
    const calls = occurrences.mock.calls.length;
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Next' })));
    expect(occurrences.mock.calls.length).toBe(calls);
    await waitFor(() => expect(occurrences.mock.calls.length).toBeGreaterThan(calls));

    await userEvent.click(within(nav).getByRole('checkbox', { name: 'Family' }));
    expect(update).toHaveBeenCalledWith({ hiddenCalendars: [FAKE_CALENDARS[1]!.url] });
    await waitFor(() => expect((occurrences.mock.calls.at(-1)![0] as OccurrenceQuery).calendarUrls).not.toContain(FAKE_CALENDARS[1]!.url));
    expect((within(nav).getByRole('checkbox', { name: 'Family' }) as HTMLInputElement).checked).toBe(false);

    // The zone picker sets the zone for the engine's answers.
    const zone = screen.getByRole('combobox', { name: 'Time zone' });
    await userEvent.click(zone);
    await userEvent.type(zone, 'Tokyo');
    await userEvent.click(screen.getByRole('option', { name: /Asia\/Tokyo/ }));
    expect(update).toHaveBeenCalledWith({ timeZone: 'Asia/Tokyo' });
    await waitFor(() => expect((occurrences.mock.calls.at(-1)![0] as OccurrenceQuery).tz).toBe('Asia/Tokyo'));
  });

  it('refreshes the grid during a sync for the first stored collection at once, then at most once a second, without reading ahead', async () => {
    const client = fakeClient({ startMonth: '2026-03' });
    const occurrences = vi.spyOn(client, 'occurrences');
    const froms = (from: number): string[] => occurrences.mock.calls.slice(from).map(([q]) => (q as OccurrenceQuery).from);
    renderWith(client, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    // On screen and its two neighbours read ahead.
    await waitFor(() => expect(new Set(froms(0)).size).toBe(3));
    const visible = froms(0)[0]!;
    await settle();
    const stored = (n: number): SyncCollectionReport[] =>
      FAKE_CALENDARS.slice(0, n).map((c) => ({
        accountId: FAKE_ACCOUNT.id,
        url: c.url,
        displayName: c.displayName,
        kind: 'calendar',
        added: 10,
        changed: 0,
        deleted: 0,
        requests: 1,
        bytes: 1,
        ms: 1,
        error: null,
      }));
    const running = (n: number): void => act(() => client.emit({ type: 'sync', status: { running: true, accounts: [], collections: stored(n) } }));
    // A new calendar arrives with the first stored collection: one read of the range on screen, not one for the new
    // list and another for the new version.
    const listed = await client.listCollections();
    if (!listed.ok) throw new Error('listCollections failed');
    const added = { ...FAKE_CALENDARS[0]!, url: 'https://dav.example.test/cal/new/', displayName: 'New', hidden: false };
    client.listCollections = async () => ({ ok: true as const, value: { ...listed.value, calendars: [...listed.value.calendars, added] } });
    let before = occurrences.mock.calls.length;
    running(0);
    await settle();
    expect(occurrences.mock.calls.length).toBe(before);
    // Three collections stored in a row: the first refreshes at once, the other two together a second later; each
    // refresh is one read of the range on screen (not one for the new list and another for the new version), and
    // nothing is read ahead.
    running(1);
    running(2);
    running(3);
    await waitFor(() => expect(occurrences.mock.calls.length).toBeGreaterThanOrEqual(before + 1));
    expect((occurrences.mock.calls[before]![0] as OccurrenceQuery).calendarUrls).toContain(added.url);
    await waitFor(() => expect(occurrences.mock.calls.length).toBeGreaterThanOrEqual(before + 2), { timeout: 3000 });
    await act(async () => {
      await new Promise((r) => setTimeout(r, 400));
    });
    expect(froms(before)).toEqual([visible, visible]);
    // The run's end: the range on screen again, then its neighbours.
    before = occurrences.mock.calls.length;
    act(() => client.emit({ type: 'sync', status: { running: false, accounts: [], collections: stored(3) } }));
    await waitFor(() => expect(new Set(froms(before)).size).toBe(3));
    expect(froms(before)[0]).toBe(visible);
  });

  it('draws the grid again after a change of the store only when the range on screen reads differently; says when a window is drawn', async () => {
    const client = fakeClient({ startMonth: '2026-03' });
    const read = client.occurrences.bind(client);
    // First a new account's window (partial), then the store's answers.
    let partial = true;
    let renamed = false;
    const occurrences = vi.spyOn(client, 'occurrences').mockImplementation(async (q) => {
      const r = await read(q);
      if (!r.ok) return r;
      const events = renamed ? r.value.events.map((o) => ({ ...o, summary: `${o.summary} (moved)` })) : r.value.events;
      return { ...r, value: { ...r.value, partial, events } };
    });
    const grid = (): HTMLElement[] => [...document.querySelectorAll<HTMLElement>('.dl-fc-host .dl-event')];
    // The engine starts a new account's full sync once its window is on screen (not while it is being drawn).
    const drawnWith: number[] = [];
    const drawn = vi.spyOn(client, 'windowDrawn').mockImplementation(async () => {
      drawnWith.push(grid().length);
      return { ok: true, value: null };
    });
    renderWith(client, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    await waitFor(() => expect(grid().length).toBeGreaterThan(0));
    await waitFor(() => expect(drawn).toHaveBeenCalled());
    expect(drawnWith[0]).toBeGreaterThan(0);
    await settle();
    const drawnCalls = drawn.mock.calls.length;
    // A first window's neighbours are not read ahead (the store's are: below).
    const froms = (from: number): string[] => occurrences.mock.calls.slice(from).map(([q]) => q.from);
    expect(new Set(froms(0)).size).toBe(1);
    const first = grid()[0]!;
    const ended = async (): Promise<void> => {
      act(() => client.emit({ type: 'sync', status: { running: true, accounts: [], collections: [] } }));
      act(() => client.emit({ type: 'sync', status: { running: false, accounts: [], collections: [] } }));
      await settle();
    };
    // A sync stored what was on screen already (a full sync behind a first window): the range is read again, and
    // FullCalendar keeps the very elements it drew (the answer is no longer partial: nothing on screen says so).
    partial = false;
    let before = occurrences.mock.calls.length;
    await ended();
    await waitFor(() => expect(occurrences.mock.calls.length).toBeGreaterThan(before));
    await settle();
    await waitFor(() => expect(new Set(froms(before)).size).toBe(3));
    expect(first.isConnected).toBe(true);
    expect(grid()[0]).toBe(first);
    // A sync that changed them: drawn again, with the new titles.
    renamed = true;
    before = occurrences.mock.calls.length;
    await ended();
    await waitFor(() => expect(grid()[0]?.textContent).toContain('(moved)'));
    expect(first.isConnected).toBe(false);
    expect(occurrences.mock.calls.length).toBeGreaterThan(before);
    // The store's answers are no window.
    await settle();
    expect(drawn.mock.calls.length).toBe(drawnCalls);
  });

  it('searches events in the engine and lists the matches', async () => {
    const client = fakeClient({ startMonth: new Date().toISOString().slice(0, 7) });
    const occurrences = vi.spyOn(client, 'occurrences');
    renderWith(client, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    fireEvent.keyDown(document.body, { key: '/' });
    const search = screen.getByRole('searchbox', { name: 'Search events' });
    expect(document.activeElement).toBe(search);
    await userEvent.type(search, 'Dentist');
    await waitFor(() => expect(occurrences.mock.calls.some(([q]) => (q as OccurrenceQuery).search === 'Dentist')).toBe(true));
    const results = await screen.findByRole('complementary', { name: 'Search events' });
    await waitFor(() => expect(within(results).getByRole('status').textContent).toMatch(/match(es)? “Dentist”/));
    for (const item of within(results)
      .getAllByRole('button')
      .filter((b) => b.classList.contains('dl-event-item')))
      expect(item.textContent).toContain('Dentist');
    fireEvent.keyDown(search, { key: 'Escape' });
    expect((search as HTMLInputElement).value).toBe('');
  });

  it('switches views with M/W/D/L and keeps the choice in settings', async () => {
    const client = fakeClient();
    const update = vi.spyOn(client, 'updateSettings');
    renderWith(client, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    await act(async () => fireEvent.keyDown(document.body, { key: 'w' }));
    expect(update).toHaveBeenCalledWith({ view: 'week' });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Week' }).getAttribute('aria-pressed')).toBe('true'));
    await act(async () => fireEvent.keyDown(document.body, { key: 'l' }));
    expect(update).toHaveBeenLastCalledWith({ view: 'list' });
    await settle();
  });

  it('asks for the password again when the server refuses it, and removes an account', async () => {
    const client = fakeClient();
    client.listAccounts = async () => ({
      ok: true,
      value: [{ ...FAKE_ACCOUNT, needsPassword: true, lastError: { code: 'auth-failed', message: 'refused', step: 'principal', url: null, status: 401 } }],
    });
    const setPassword = vi.spyOn(client, 'setPassword');
    const syncNow = vi.spyOn(client, 'syncNow');
    const remove = vi.spyOn(client, 'removeAccount');
    renderWith(client, <App />);
    const account = await screen.findByRole('region', { name: FAKE_ACCOUNT.email });
    expect(within(account).getByRole('alert').textContent).toMatch(/Password needed/);
    await userEvent.click(within(account).getByRole('button', { name: 'Enter password…' }));
    const dialog = screen.getByRole('dialog', { name: `Password for ${FAKE_ACCOUNT.email}` });
    await userEvent.type(within(dialog).getByLabelText('Password'), 'new-secret');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save and sync' }));
    expect(setPassword).toHaveBeenCalledWith({ accountId: FAKE_ACCOUNT.id, password: 'new-secret' });
    await waitFor(() => expect(syncNow).toHaveBeenCalledWith({ accountId: FAKE_ACCOUNT.id }));

    await userEvent.click(within(account).getByRole('button', { name: `Actions for ${FAKE_ACCOUNT.email}` }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'Remove account…' }));
    const confirm = screen.getByRole('dialog', { name: `Remove ${FAKE_ACCOUNT.email}?` });
    expect(confirm.textContent).toMatch(/Nothing is deleted on the server/);
    await userEvent.click(within(confirm).getByRole('button', { name: 'Remove' }));
    expect(remove).toHaveBeenCalledWith({ accountId: FAKE_ACCOUNT.id });
  });

  it('shows when it last synced, a running sync, and syncs on demand', async () => {
    const client = fakeClient();
    const syncNow = vi.spyOn(client, 'syncNow');
    renderWith(client, <App />);
    const status = await screen.findByTestId('sync-status');
    expect(status.textContent).toMatch(/Synced 4 minutes ago/);
    act(() => client.emit({ type: 'sync', status: { running: true, accounts: [], collections: [] } }));
    expect(screen.getByTestId('sync-status').textContent).toBe('Syncing…');
    act(() =>
      client.emit({
        type: 'sync',
        status: { running: false, accounts: [{ accountId: FAKE_ACCOUNT.id, syncedAt: new Date().toISOString(), error: null }], collections: [] },
      }),
    );
    await waitFor(() => expect(screen.getByTestId('sync-status').textContent).toMatch(/Synced just now/));
    await userEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    expect(syncNow).toHaveBeenCalledWith({});
    act(() =>
      client.emit({
        type: 'sync',
        status: {
          running: false,
          accounts: [
            { accountId: FAKE_ACCOUNT.id, syncedAt: null, error: { code: 'network', message: 'ECONNREFUSED', step: 'sync', url: null, status: null } },
          ],
          collections: [],
        },
      }),
    );
    await waitFor(() => expect(screen.getByTestId('sync-status').textContent).toMatch(/Sync failed/));
    expect(screen.getByText(/could not be reached/)).toBeTruthy();
  });

  it('opens a local file read-only', async () => {
    const client = fakeClient();
    client.openLocalFile = vi.fn(async (req) => ({
      ok: true as const,
      value: {
        name: req.name,
        kind: 'vcf' as const,
        events: [],
        contacts: [
          blankContact({
            uid: 'x',
            href: 'file',
            fn: 'Local Person',
            n: { family: 'Person', given: 'Local', additional: '', prefix: '', suffix: '' },
            emails: [{ value: 'local@example.org', types: [], pref: null }],
            addressbook: req.name,
          }),
        ],
        errors: [],
      },
    }));
    renderWith(client, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    const input = screen.getByTestId('open-file-input') as HTMLInputElement;
    const file = new File(['BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Local Person\r\nEND:VCARD\r\n'], 'people.vcf', { type: 'text/vcard' });
    await userEvent.upload(input, file);
    const dialog = await screen.findByRole('dialog', { name: 'people.vcf' });
    expect(client.openLocalFile).toHaveBeenCalledWith({ name: 'people.vcf', content: expect.stringContaining('FN:Local Person'), tz: expect.any(String) });
    expect(within(dialog).getByText('Read-only')).toBeTruthy();
    await userEvent.click(within(dialog).getByRole('button', { name: /Local Person/ }));
    expect(within(dialog).getByRole('link', { name: 'Write to local@example.org' })).toBeTruthy();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});
