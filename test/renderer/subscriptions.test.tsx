// Subscribed calendars in the UI: the subscribe dialog (what it sends, its busy state, the errors it shows as
// text), the sidebar entry (name, refresh line, read-only, hide, rename, interval, export, remove, its error and
// password), their events in the search with their colour, and the app with subscriptions but no account.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { OccurrenceQuery, Result, SubscribeOutcome, SubscriptionView } from '../../shared/api.ts';
import { ok } from '../../shared/api.ts';
import type { DavlensError } from '../../shared/errors.ts';
import { FAKE_SUBSCRIPTION } from '../../renderer/dev/fakeClient.ts';
import { App } from '../../renderer/src/App.tsx';
import { SubscribeDialog } from '../../renderer/src/components/SubscribeDialog.tsx';
import { refreshText, subscribeRequest, subscriptionStatus, validateSubscribeForm, EMPTY_SUBSCRIBE_FORM } from '../../renderer/src/lib/subscriptions.ts';
import { deferred, fakeClient, renderWith } from './helpers.tsx';

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 50));
  });
}

function feedError(code: DavlensError['code'], message: string): DavlensError {
  return { code, message, step: 'feed', url: 'https://feeds.example.test/x.ics', status: null };
}

const ROTA: SubscriptionView = { ...FAKE_SUBSCRIPTION, url: 'https://rota.example.test/team.ics', name: 'Team rota', color: '#26a269' };

/** The sidebar's entry of a subscription. */
async function sidebarEntry(name: string): Promise<HTMLElement> {
  const group = await screen.findByRole('region', { name: 'Subscriptions' });
  return within(group).getByRole('checkbox', { name }).closest('li')!;
}

async function chooseFromMenu(entry: HTMLElement, name: string, item: string): Promise<void> {
  await userEvent.click(within(entry).getByRole('button', { name: `Actions for ${name}` }));
  await userEvent.click(screen.getByRole('menuitem', { name: item }));
}

describe('the subscription helpers', () => {
  it('say how often and when a feed was refreshed', () => {
    expect([15, 60, 360, 1440, 2880, 10080, 90].map(refreshText)).toEqual([
      'every 15 minutes',
      'every hour',
      'every 6 hours',
      'every day',
      'every 2 days',
      'every week',
      'every 90 minutes',
    ]);
    const now = Date.parse('2026-03-10T12:00:00Z');
    expect(subscriptionStatus({ refreshMinutes: 1440, syncedAt: '2026-03-10T11:55:00Z' }, now)).toBe('every day · refreshed 5 minutes ago');
    expect(subscriptionStatus({ refreshMinutes: 60, syncedAt: null }, now)).toBe('every hour · not refreshed yet');
  });

  it('check the URL and build the request', () => {
    const form = { ...EMPTY_SUBSCRIBE_FORM, url: ' webcal://example.com/h.ics ' };
    expect(validateSubscribeForm({ ...form, url: '' })).toMatch(/Enter the calendar’s URL/);
    expect(validateSubscribeForm({ ...form, url: 'ftp://example.com/h.ics' })).toMatch(/must start with webcal/);
    expect(validateSubscribeForm({ ...form, url: 'example.com/h.ics' })).toMatch(/must start with webcal/);
    expect(validateSubscribeForm({ ...form, url: 'http://example.com/h.ics' })).toMatch(/allow plain HTTP/);
    expect(validateSubscribeForm({ ...form, url: 'http://example.com/h.ics', insecureHttp: true })).toBeNull();
    expect(validateSubscribeForm({ ...form, login: true, user: 'ann' })).toMatch(/user name and the password/);
    expect(validateSubscribeForm(form)).toBeNull();
    expect(subscribeRequest(form)).toEqual({ url: 'webcal://example.com/h.ics' });
    // Plain http is allowed only for an http:// URL; the login only when its section is open.
    expect(subscribeRequest({ ...form, insecureHttp: true, user: 'ann', password: 'pw', refresh: '60', name: ' Hols ' })).toEqual({
      url: 'webcal://example.com/h.ics',
      name: 'Hols',
      refreshMinutes: 60,
    });
  });
});

describe('SubscribeDialog', () => {
  it('sends the URL, name, interval and login, busy until the first fetch is in', async () => {
    const client = fakeClient();
    const pending = deferred<Result<SubscribeOutcome>>();
    const subscribe = vi.fn(() => pending.promise);
    client.subscribe = subscribe;
    const onSubscribed = vi.fn();
    const onClose = vi.fn();
    renderWith(client, <SubscribeDialog onClose={onClose} onSubscribed={onSubscribed} />);
    const dialog = screen.getByRole('dialog', { name: 'Subscribe to a calendar' });
    const url = within(dialog).getByLabelText('Calendar URL');
    expect(document.activeElement).toBe(url);
    await userEvent.type(url, 'webcals://rota.example.test/team.ics');
    // The plain-http allowance is offered for http:// URLs only.
    expect(within(dialog).queryByLabelText('Allow plain HTTP (not encrypted)')).toBeNull();
    await userEvent.type(within(dialog).getByLabelText('Name (optional)'), 'Team rota');
    await userEvent.selectOptions(within(dialog).getByLabelText('Refresh'), 'every hour');
    expect(within(dialog).queryByLabelText('User name')).toBeNull();
    await userEvent.click(within(dialog).getByRole('button', { name: 'This feed needs a login' }));
    await userEvent.type(within(dialog).getByLabelText('User name'), 'ann');
    await userEvent.type(within(dialog).getByLabelText('Password'), 's3cret');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Subscribe' }));

    expect(subscribe).toHaveBeenCalledWith({
      url: 'webcals://rota.example.test/team.ics',
      name: 'Team rota',
      refreshMinutes: 60,
      user: 'ann',
      password: 's3cret',
    });
    expect(within(dialog).getByRole('status').textContent).toMatch(/Fetching the calendar/);
    // The focus stays in the dialog, on what says it is busy.
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('status')));
    expect((within(dialog).getByRole('button', { name: 'Subscribe' }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(dialog).getByLabelText('Calendar URL').matches(':disabled')).toBe(true);
    // Esc does not close it while the feed is being fetched.
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(onClose).not.toHaveBeenCalled();

    const defect = feedError('feed-defect', 'Two events share the UID x: both are shown.');
    await act(async () => pending.resolve(ok({ subscription: ROTA, errors: [defect] })));
    expect(onSubscribed).toHaveBeenCalledWith(ROTA, [defect]);
  });

  it('allows plain http only when asked, and shows why a feed was not added, as text', async () => {
    const client = fakeClient();
    const subscribe = vi.fn(async (): Promise<Result<SubscribeOutcome>> => ({
      ok: true,
      value: {
        subscription: null,
        errors: [
          feedError('bad-response', 'The feed at http://192.168.1.9/cal could not be read: it is an HTML page, not a calendar. <b>not bold</b>'),
          feedError('auth-failed', 'The feed refused the login.'),
        ],
      },
    }));
    client.subscribe = subscribe;
    const onSubscribed = vi.fn();
    renderWith(client, <SubscribeDialog onClose={() => {}} onSubscribed={onSubscribed} />);
    const dialog = screen.getByRole('dialog', { name: 'Subscribe to a calendar' });
    await userEvent.type(within(dialog).getByLabelText('Calendar URL'), 'http://192.168.1.9/cal');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Subscribe' }));
    expect(within(dialog).getByRole('alert').textContent).toMatch(/allow plain HTTP below, or use https/);
    expect(subscribe).not.toHaveBeenCalled();

    await userEvent.click(within(dialog).getByLabelText('Allow plain HTTP (not encrypted)'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Subscribe' }));
    expect(subscribe).toHaveBeenCalledWith({ url: 'http://192.168.1.9/cal', insecureHttp: true });
    const failure = await within(dialog).findByRole('alert');
    expect(failure.textContent).toMatch(/The calendar could not be added/);
    expect(within(failure).getByText(/it is an HTML page, not a calendar\. <b>not bold<\/b>/)).toBeTruthy();
    expect(failure.querySelector('b')).toBeNull();
    expect(within(failure).getByText('The feed refused the login.')).toBeTruthy();
    // A refused login opens the login section.
    expect(failure.textContent).toMatch(/enter them under “This feed needs a login”/);
    expect(within(dialog).getByRole('button', { name: 'This feed needs a login' }).getAttribute('aria-expanded')).toBe('true');
    expect(within(dialog).getByLabelText('User name')).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(failure));
    expect(onSubscribed).not.toHaveBeenCalled();
  });

  it('shows a request the engine refused', async () => {
    const client = fakeClient();
    client.subscribe = async () => ({ ok: false, error: feedError('bad-input', 'A feed URL carrying user:password@ is refused.') });
    renderWith(client, <SubscribeDialog onClose={() => {}} onSubscribed={() => {}} />);
    await userEvent.type(screen.getByLabelText('Calendar URL'), 'https://a:b@example.com/x.ics');
    await userEvent.click(screen.getByRole('button', { name: 'Subscribe' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/user:password@ is refused/);
  });
});

describe('subscriptions in the app', () => {
  it('lists a subscription below the accounts, with its refresh line, read-only, and hides it', async () => {
    const client = fakeClient({ startMonth: new Date().toISOString().slice(0, 7) });
    const occurrences = vi.spyOn(client, 'occurrences');
    const update = vi.spyOn(client, 'updateSettings');
    renderWith(client, <App />);
    const nav = await screen.findByRole('navigation', { name: 'Calendars' });
    const group = within(nav).getByRole('region', { name: 'Subscriptions' });
    // Below the account.
    expect(within(nav).getByRole('region', { name: 'alice@example.test' }).compareDocumentPosition(group) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const entry = await sidebarEntry('Public holidays');
    expect(entry.textContent).toMatch(/every day · refreshed 2 hours ago/);
    expect(within(entry).getByRole('img', { name: 'Subscribed calendar, read-only' })).toBeTruthy();
    expect(within(entry).getByRole('checkbox', { name: 'Public holidays' }).getAttribute('style')).toMatch(/accent-color: (#e66100|rgb\(230, 97, 0\))/);
    expect(within(entry).queryByRole('alert')).toBeNull();
    await waitFor(() => expect((occurrences.mock.calls.at(-1)![0] as OccurrenceQuery).calendarUrls).toContain(FAKE_SUBSCRIPTION.url));

    await userEvent.click(within(entry).getByRole('checkbox', { name: 'Public holidays' }));
    expect(update).toHaveBeenCalledWith({ hiddenCalendars: [FAKE_SUBSCRIPTION.url] });
    await waitFor(() => expect((occurrences.mock.calls.at(-1)![0] as OccurrenceQuery).calendarUrls).not.toContain(FAKE_SUBSCRIPTION.url));
    expect((within(entry).getByRole('checkbox', { name: 'Public holidays' }) as HTMLInputElement).checked).toBe(false);
    await settle();
  });

  it('finds its events in the search, in its colour, and shows their details', async () => {
    const client = fakeClient({ startMonth: new Date().toISOString().slice(0, 7) });
    const details = vi.spyOn(client, 'eventDetails');
    renderWith(client, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search events' }), 'Holiday 1.1');
    const results = await screen.findByRole('complementary', { name: 'Search events' });
    const item = await within(results).findByRole('button', { name: /Holiday 1\.1/ });
    expect(item.querySelector('.dl-swatch')!.getAttribute('style')).toMatch(/#e66100|rgb\(230, 97, 0\)/);
    await userEvent.click(item);
    const panel = await screen.findByRole('complementary', { name: 'Event details' });
    expect(details).toHaveBeenCalledWith(expect.objectContaining({ calendarUrl: FAKE_SUBSCRIPTION.url, uid: 'holiday-0-8' }));
    expect(panel.querySelector('.dl-swatch-lg')!.getAttribute('style')).toMatch(/#e66100|rgb\(230, 97, 0\)/);
    expect(within(panel).getAllByText(/Public holidays/).length).toBeGreaterThan(0);
    await settle();
  });

  it('renames it, sets its interval, exports it and removes it after asking', async () => {
    const client = fakeClient();
    const updateSubscription = vi.spyOn(client, 'updateSubscription');
    const exportFile = vi.spyOn(client, 'exportFile');
    const unsubscribe = vi.spyOn(client, 'unsubscribe');
    renderWith(client, <App />);
    let entry = await sidebarEntry('Public holidays');

    await chooseFromMenu(entry, 'Public holidays', 'Rename…');
    const rename = screen.getByRole('dialog', { name: 'Rename Public holidays' });
    const field = within(rename).getByLabelText('Name');
    expect(document.activeElement).toBe(field);
    await userEvent.clear(field);
    await userEvent.click(within(rename).getByRole('button', { name: 'Save' }));
    expect(within(rename).getByRole('alert').textContent).toBe('Enter a name.');
    await userEvent.type(field, 'Holidays (DE)');
    await userEvent.click(within(rename).getByRole('button', { name: 'Save' }));
    expect(updateSubscription).toHaveBeenCalledWith({ url: FAKE_SUBSCRIPTION.url, name: 'Holidays (DE)' });
    entry = await sidebarEntry('Holidays (DE)');
    expect(screen.queryByRole('dialog')).toBeNull();

    await chooseFromMenu(entry, 'Holidays (DE)', 'Refresh interval…');
    const interval = screen.getByRole('dialog', { name: 'How often to refresh Holidays (DE)' });
    const select = within(interval).getByLabelText('Refresh') as HTMLSelectElement;
    expect(select.value).toBe('');
    expect(within(select).getByRole('option', { name: 'as the calendar asks (every day now)' })).toBeTruthy();
    await userEvent.selectOptions(select, 'every 6 hours');
    await userEvent.click(within(interval).getByRole('button', { name: 'Save' }));
    expect(updateSubscription).toHaveBeenLastCalledWith({ url: FAKE_SUBSCRIPTION.url, refreshMinutes: 360 });
    await waitFor(async () => expect((await sidebarEntry('Holidays (DE)')).textContent).toMatch(/every 6 hours · refreshed/));
    entry = await sidebarEntry('Holidays (DE)');
    await chooseFromMenu(entry, 'Holidays (DE)', 'Refresh interval…');
    const again = screen.getByRole('dialog', { name: 'How often to refresh Holidays (DE)' });
    expect((within(again).getByLabelText('Refresh') as HTMLSelectElement).value).toBe('360');
    await userEvent.selectOptions(within(again).getByLabelText('Refresh'), '');
    await userEvent.click(within(again).getByRole('button', { name: 'Save' }));
    expect(updateSubscription).toHaveBeenLastCalledWith({ url: FAKE_SUBSCRIPTION.url, refreshMinutes: null });

    entry = await sidebarEntry('Holidays (DE)');
    // The browser's download of the file (jsdom cannot follow it).
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await chooseFromMenu(entry, 'Holidays (DE)', 'Export (.ics)');
    await waitFor(() => expect(exportFile).toHaveBeenCalledWith({ kind: 'calendar', calendarUrl: FAKE_SUBSCRIPTION.url }));
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    click.mockRestore();

    // Hidden, then removed: subscribed again, it would show.
    const update = vi.spyOn(client, 'updateSettings');
    await userEvent.click(within(entry).getByRole('checkbox', { name: 'Holidays (DE)' }));
    expect(update).toHaveBeenLastCalledWith({ hiddenCalendars: [FAKE_SUBSCRIPTION.url] });
    await chooseFromMenu(entry, 'Holidays (DE)', 'Remove…');
    const confirm = screen.getByRole('dialog', { name: 'Remove Holidays (DE)?' });
    expect(confirm.textContent).toMatch(/The published calendar is not changed/);
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Cancel' }));
    await userEvent.click(within(confirm).getByRole('button', { name: 'Remove' }));
    expect(unsubscribe).toHaveBeenCalledWith({ url: FAKE_SUBSCRIPTION.url });
    await waitFor(() => expect(update).toHaveBeenLastCalledWith({ hiddenCalendars: [] }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Subscriptions' })).toBeNull());
    expect(screen.getByText('Removed Holidays (DE)')).toBeTruthy();
    await settle();
  });

  it('subscribes from the sidebar and tells the feed’s problems', async () => {
    const client = fakeClient();
    renderWith(client, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    client.subscribe = vi.fn(async (req) => {
      // The engine adds it; the collections list it from then on.
      const list = client.listCollections;
      client.listCollections = async () => {
        const r = await list();
        return r.ok ? ok({ ...r.value, subscriptions: [...r.value.subscriptions, ROTA] }) : r;
      };
      expect(req).toEqual({ url: ROTA.url });
      return ok({ subscription: ROTA, errors: [feedError('feed-defect', 'An override carries its own RRULE: it is ignored.')] });
    });
    await userEvent.click(screen.getByRole('button', { name: 'Subscribe to calendar…' }));
    const dialog = screen.getByRole('dialog', { name: 'Subscribe to a calendar' });
    await userEvent.type(within(dialog).getByLabelText('Calendar URL'), ROTA.url);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Subscribe' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await sidebarEntry('Team rota')).toBeTruthy();
    expect(screen.getByText('Subscribed to Team rota')).toBeTruthy();
    expect(screen.getByText(/The feed of Team rota has 1 problem .*An override carries its own RRULE: it is ignored\./)).toBeTruthy();
    await settle();
  });

  it('shows the last refresh’s error as text with Retry, and asks for a password the feed needs', async () => {
    const client = fakeClient();
    const failing: SubscriptionView = { ...FAKE_SUBSCRIPTION, lastError: feedError('network', 'The feed could not be reached: <i>ECONNREFUSED</i>.') };
    const locked: SubscriptionView = { ...ROTA, needsPassword: true, lastError: feedError('auth-failed', 'refused') };
    const list = client.listCollections;
    client.listCollections = async () => {
      const r = await list();
      return r.ok ? ok({ ...r.value, subscriptions: [failing, locked] }) : r;
    };
    const subscribe = vi
      .spyOn(client, 'subscribe')
      .mockImplementation(async (req) => ok({ subscription: req.url === ROTA.url ? ROTA : FAKE_SUBSCRIPTION, errors: [] }));
    renderWith(client, <App />);

    const entry = await sidebarEntry('Public holidays');
    const problem = within(entry).getByRole('alert');
    expect(problem.textContent).toContain('The feed could not be reached: <i>ECONNREFUSED</i>.');
    expect(problem.querySelector('i')).toBeNull();
    // Refresh now: the feed still cannot be reached (its last copy stays), then it can.
    subscribe.mockImplementationOnce(async () => ok({ subscription: failing, errors: [feedError('network', 'Could not connect to feeds.example.test.')] }));
    await userEvent.click(within(problem).getByRole('button', { name: 'Retry' }));
    expect(subscribe).toHaveBeenCalledWith({ url: FAKE_SUBSCRIPTION.url });
    expect(await screen.findByText(/Public holidays could not be refreshed \(the last copy stays\): Could not connect/)).toBeTruthy();
    await chooseFromMenu(entry, 'Public holidays', 'Refresh now');
    expect(await screen.findByText('Public holidays is up to date')).toBeTruthy();
    expect(subscribe).toHaveBeenCalledTimes(2);

    const rota = await sidebarEntry('Team rota');
    expect(within(rota).getByRole('alert').textContent).toMatch(/Password needed/);
    await userEvent.click(within(rota).getByRole('button', { name: 'Enter password…' }));
    const dialog = screen.getByRole('dialog', { name: 'Password for Team rota' });
    await userEvent.type(within(dialog).getByLabelText('Password'), 'pw');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save and refresh' }));
    expect(subscribe).toHaveBeenLastCalledWith({ url: ROTA.url, password: 'pw' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await settle();
  });

  it('tells what its feed breaks: a count, and each sentence as text when opened', async () => {
    const client = fakeClient();
    const notes = [
      feedError('feed-defect', 'The feed at https://feeds.example.test/holidays.ics: 2 events have no UID: each is known by a hash of its content.'),
      feedError('feed-defect', 'The feed at https://feeds.example.test/holidays.ics: UID <b>x</b> names several different events: each is shown.'),
    ];
    const list = client.listCollections;
    client.listCollections = async () => {
      const r = await list();
      return r.ok ? ok({ ...r.value, subscriptions: [{ ...FAKE_SUBSCRIPTION, notes }, ROTA] }) : r;
    };
    renderWith(client, <App />);
    const entry = await sidebarEntry('Public holidays');
    // A note is no failure: no alert, the events are shown.
    expect(within(entry).queryByRole('alert')).toBeNull();
    const details = entry.querySelector('details')!;
    const summary = within(details).getByText('The feed has 2 problems (what can be shown is shown)');
    expect(details.open).toBe(false);
    await userEvent.click(summary);
    expect(details.open).toBe(true);
    expect([...details.querySelectorAll('li')].map((li) => li.textContent)).toEqual(notes.map((n) => n.message));
    expect(details.querySelector('b')).toBeNull();
    // A feed without problems says nothing of them.
    const rota = await sidebarEntry('Team rota');
    expect(rota.querySelector('details')).toBeNull();
    expect(rota.textContent).not.toMatch(/problem/);
    await settle();
  });

  it('opens the main window for subscriptions without an account, and subscribes from the welcome screen', async () => {
    const client = fakeClient({ empty: true });
    renderWith(client, <App />);
    await screen.findByRole('heading', { name: 'Welcome to Davlens' });
    await userEvent.click(screen.getByRole('button', { name: 'Subscribe to calendar…' }));
    const dialog = screen.getByRole('dialog', { name: 'Subscribe to a calendar' });
    await userEvent.type(within(dialog).getByLabelText('Calendar URL'), 'webcal://feeds.example.test/Team%20rota.ics');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Subscribe' }));
    const nav = await screen.findByRole('navigation', { name: 'Calendars' });
    expect(within(nav).getByRole('region', { name: 'Subscriptions' }).textContent).toMatch(/Team rota.*every day · refreshed just now/);
    expect(screen.queryByRole('heading', { name: 'Welcome to Davlens' })).toBeNull();
    await settle();
  });
});
