// What every desktop calendar has: the sidebar's mini-month, today marked in the grid, week numbers (a setting),
// the searchable time-zone picker, and export from a row's menu and the app menu.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App.tsx';
import { FAKE_ADDRESSBOOK, FAKE_CALENDARS, FAKE_SUBSCRIPTION } from '../../renderer/dev/fakeClient.ts';
import { MiniMonth, monthDays } from '../../renderer/src/components/MiniMonth.tsx';
import { SettingsDialog } from '../../renderer/src/components/SettingsDialog.tsx';
import { TimeZoneSelect } from '../../renderer/src/components/TimeZoneSelect.tsx';
import { filterZones, parseOffset, warmZoneEntries, zoneEntries, zoneEntry } from '../../renderer/src/lib/zones.ts';
import { DEFAULT_SETTINGS } from '../../shared/api.ts';
import { fakeClient, renderWith } from './helpers.tsx';

const day = (ymd: string): HTMLElement => document.querySelector<HTMLElement>(`.dl-mini-month [data-date="${ymd}"]`)!;
const selected = (): string[] => [...document.querySelectorAll('.dl-mini-month td[aria-selected="true"] button')].map((b) => (b as HTMLElement).dataset.date!);

describe('the mini-month', () => {
  it('lays out six weeks from the week start', () => {
    const days = monthDays('2026-03-18', 1);
    expect(days).toHaveLength(42);
    expect(days[0]).toBe('2026-02-23'); // the Monday before 1 March (a Sunday)
    expect(monthDays('2026-03-18', 0)[0]).toBe('2026-03-01');
  });

  it('marks today, shades the range the grid shows, and goes to a clicked day', async () => {
    const onSelect = vi.fn();
    const range = { start: '2026-03-16', end: '2026-03-23', date: '2026-03-18' };
    renderWith(fakeClient(), <MiniMonth today="2026-03-18" range={range} firstDay={1} locale="en-US" onSelect={onSelect} />);
    const grid = screen.getByRole('grid', { name: 'March 2026' });
    expect(within(grid).getAllByRole('row')).toHaveLength(7);
    expect(day('2026-03-18').getAttribute('aria-current')).toBe('date');
    expect(day('2026-03-18').classList.contains('dl-mini-today')).toBe(true);
    expect(day('2026-03-19').getAttribute('aria-current')).toBeNull();
    expect(selected()).toEqual(['2026-03-16', '2026-03-17', '2026-03-18', '2026-03-19', '2026-03-20', '2026-03-21', '2026-03-22']);
    await userEvent.click(day('2026-03-27'));
    expect(onSelect).toHaveBeenCalledWith('2026-03-27');
  });

  it('steps through months with its buttons and moves by keyboard', async () => {
    const onSelect = vi.fn();
    const range = { start: '2026-02-23', end: '2026-04-06', date: '2026-03-31' };
    renderWith(fakeClient(), <MiniMonth today="2026-03-18" range={range} firstDay={1} locale="en-US" onSelect={onSelect} />);
    await userEvent.click(screen.getByRole('button', { name: 'Next month' }));
    expect(screen.getByRole('grid', { name: 'April 2026' })).toBeTruthy();
    // 31 March + 1 month is 30 April; the focusable day follows.
    expect(day('2026-04-30').tabIndex).toBe(0);
    await userEvent.click(screen.getByRole('button', { name: 'Previous month' }));
    await userEvent.click(screen.getByRole('button', { name: 'Previous month' }));
    expect(screen.getByRole('grid', { name: 'February 2026' })).toBeTruthy();

    // One day in the Tab order; arrows move it, Page Down moves a month, Enter goes there.
    act(() => day('2026-02-28').focus());
    await userEvent.keyboard('{ArrowRight}');
    expect(document.activeElement).toBe(day('2026-03-01'));
    expect(screen.getByRole('grid', { name: 'March 2026' })).toBeTruthy();
    await userEvent.keyboard('{ArrowDown}{PageDown}');
    expect(document.activeElement).toBe(day('2026-04-08'));
    await userEvent.keyboard('{Enter}');
    expect(onSelect).toHaveBeenLastCalledWith('2026-04-08');
    expect(document.querySelectorAll('.dl-mini-month [tabindex="0"]')).toHaveLength(1);
  });

  it('sits in the sidebar, follows the grid and moves it', async () => {
    const client = fakeClient({ startMonth: '2026-03' });
    renderWith(client, <App />);
    const nav = await screen.findByRole('navigation', { name: 'Calendars' });
    const mini = await within(nav).findByRole('region', { name: 'Month at a glance' });
    const today = within(mini).getByRole('button', { current: 'date' });
    expect(today.classList.contains('dl-mini-today')).toBe(true);
    // The grid's month (its six weeks) is shaded.
    await waitFor(() => expect(selected().length).toBeGreaterThanOrEqual(28));
    const title = (): string => document.querySelector('.dl-calendar-title')!.textContent!;
    const before = title();
    await userEvent.click(within(mini).getByRole('button', { name: 'Next month' }));
    const first = [...mini.querySelectorAll<HTMLElement>('[data-date]')].find((b) => b.dataset.date!.endsWith('-15'))!;
    await userEvent.click(first);
    await waitFor(() => expect(title()).not.toBe(before));
    await waitFor(() => expect(selected()).toContain(first.dataset.date));
  });
});

describe('today in the grid', () => {
  it('gets a filled circle in the month view', async () => {
    renderWith(fakeClient(), <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    await waitFor(() => expect(document.querySelectorAll('.dl-fc-host .dl-today-number')).toHaveLength(1));
    expect(document.querySelector('.dl-fc-host .dl-today-number')!.textContent).toBe(String(new Date().getDate()));
  });
});

describe('week numbers', () => {
  const weekNumbers = (): string[] => [...document.querySelectorAll('.dl-fc-host [aria-label^="Go to Week"]')].map((e) => e.textContent ?? '');
  /** ISO 8601: the week with the year's first Thursday is week 1. */
  const isoWeek = (d: Date): number => {
    const thursday = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate() + 3 - ((d.getDay() + 6) % 7)));
    const jan4 = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
    return 1 + Math.round((thursday.getTime() - jan4.getTime()) / 86_400_000 / 7 - 3 / 7 + ((jan4.getUTCDay() + 6) % 7) / 7);
  };

  it('show in the month view when the setting is on', async () => {
    const off = fakeClient({ startMonth: '2026-03' });
    const { unmount } = renderWith(off, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    await waitFor(() => expect(document.querySelector('.dl-fc-host .dl-today-number, .dl-fc-host [data-date]')).toBeTruthy());
    expect(weekNumbers()).toEqual([]);
    unmount();

    const on = fakeClient({ startMonth: '2026-03' });
    on.settings.weekNumbers = true;
    renderWith(on, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    await waitFor(() => expect(weekNumbers().length).toBeGreaterThanOrEqual(5));
    // ISO weeks: mid-month's number is among them, whatever day the locale starts its week on.
    const now = new Date();
    expect(weekNumbers()).toContain(`W${isoWeek(new Date(now.getFullYear(), now.getMonth(), 15))}`);
  });

  it('are a setting', async () => {
    const onChange = vi.fn();
    renderWith(fakeClient(), <SettingsDialog settings={DEFAULT_SETTINGS} onChange={onChange} onClose={() => {}} />);
    const box = screen.getByRole('checkbox', { name: 'Show week numbers (ISO 8601)' });
    expect((box as HTMLInputElement).checked).toBe(false);
    await userEvent.click(box);
    expect(onChange).toHaveBeenCalledWith({ weekNumbers: true });
  });
});

describe('the time-zone picker', () => {
  it('finds a zone by city, region, words and offset', () => {
    const entries = zoneEntries();
    const ids = (q: string): string[] => filterZones(entries, q).map((e) => e.id);
    expect(ids('Berlin')).toContain('Europe/Berlin');
    expect(ids('berlin')[0]).toBe('Europe/Berlin');
    expect(ids('new york')).toContain('America/New_York');
    expect(ids('america york')).toContain('America/New_York');
    const berlin = zoneEntry('Europe/Berlin');
    expect(berlin.label).toMatch(/^Berlin — Europe\/Berlin \(UTC\+0[12]:00\)$/);
    expect(ids(berlin.offset)).toContain('Europe/Berlin');
    expect(ids(berlin.offset).every((z) => zoneEntry(z).offset === berlin.offset)).toBe(true);
    expect(ids(berlin.offset.replace('UTC', '').replace(':00', '').replace('0', ''))).toContain('Europe/Berlin'); // "+1"
    expect(ids('UTC+05:30')).toContain('Asia/Colombo');
    // ICU's older spelling, found by today's name.
    expect(filterZones(entries, 'Kolkata').map((e) => e.label)).toEqual([expect.stringMatching(/^Kolkata — Asia\/(Calcutta|Kolkata) \(UTC\+05:30\)$/)]);
    expect([parseOffset('+1'), parseOffset('GMT-0800'), parseOffset('UTC'), parseOffset('berlin')]).toEqual([60, -480, 0, null]);
  });

  it('works the zones out ahead, in slices, for the day it is', async () => {
    const summer = new Date('2030-07-01T12:00:00Z');
    const total = zoneEntries().length;
    const spy = vi.spyOn(Intl, 'DateTimeFormat');
    warmZoneEntries(0, summer);
    // Nothing yet: the slices run as later tasks.
    expect(spy).not.toHaveBeenCalled();
    await waitFor(() => expect(spy.mock.calls.length).toBe(total));
    spy.mockClear();
    const entries = zoneEntries(summer);
    // Ready: the picker opens without working them out again.
    expect(spy).not.toHaveBeenCalled();
    expect(entries.find((e) => e.id === 'Europe/Berlin')!.offset).toBe('UTC+02:00');
    spy.mockRestore();
  });

  it('starts working the zones out only after the delay it is given (not while the first screen is made)', async () => {
    const winter = new Date('2031-01-15T12:00:00Z');
    const total = zoneEntries().length;
    const spy = vi.spyOn(Intl, 'DateTimeFormat');
    warmZoneEntries(300, winter);
    await new Promise((r) => setTimeout(r, 150));
    expect(spy).not.toHaveBeenCalled();
    await waitFor(() => expect(spy.mock.calls.length).toBe(total));
    spy.mockRestore();
  });

  it('filters as one types and picks with the keyboard', async () => {
    const onChange = vi.fn();
    renderWith(fakeClient(), <TimeZoneSelect value={null} resolved="UTC" onChange={onChange} />);
    const input = screen.getByRole('combobox', { name: 'Time zone' });
    expect(input.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(input);
    expect(input.getAttribute('aria-expanded')).toBe('true');
    const list = screen.getByRole('listbox', { name: 'Time zone' });
    expect(within(list).getAllByRole('option').length).toBeGreaterThan(300);
    await userEvent.type(input, 'Berlin');
    const options = within(list).getAllByRole('option');
    expect(options[0]!.textContent).toMatch(/^Berlin — Europe\/Berlin \(UTC\+0[12]:00\)$/);
    expect(input.getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    await userEvent.keyboard('{Enter}');
    expect(onChange).toHaveBeenCalledWith('Europe/Berlin');
    expect(input.getAttribute('aria-expanded')).toBe('false');
  });

  it('finds Berlin by its offset, and Esc closes only the list', async () => {
    const onChange = vi.fn();
    renderWith(fakeClient(), <TimeZoneSelect value="Asia/Tokyo" resolved="Asia/Tokyo" onChange={onChange} />);
    const input = screen.getByRole('combobox', { name: 'Time zone' }) as HTMLInputElement;
    expect(input.value).toMatch(/^Tokyo — Asia\/Tokyo \(UTC\+09:00\)$/);
    await userEvent.click(input);
    await userEvent.type(input, zoneEntry('Europe/Berlin').offset);
    const berlin = screen.getByRole('option', { name: /Europe\/Berlin/ });
    await userEvent.click(berlin);
    expect(onChange).toHaveBeenCalledWith('Europe/Berlin');
    await userEvent.click(input);
    await userEvent.type(input, 'zzz-nowhere');
    expect(screen.getByText('No time zone matches “zzz-nowhere”.')).toBeTruthy();
    await userEvent.keyboard('{Escape}');
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect(input.value).toMatch(/Asia\/Tokyo/);
  });
});

describe('export from a menu', () => {
  it("is in a calendar's and an address book's row menu: right-click or its button", async () => {
    const client = fakeClient({ startMonth: '2026-03' });
    const exportFile = vi.spyOn(client, 'exportFile');
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderWith(client, <App />);
    const nav = await screen.findByRole('navigation', { name: 'Calendars' });
    const row = nav.querySelector<HTMLElement>('[data-calendar="Work"]')!;
    fireEvent.contextMenu(within(row).getByText('Work'));
    const menu = await screen.findByRole('menu', { name: 'Actions for Work' });
    expect(document.activeElement).toBe(within(menu).getByRole('menuitem', { name: 'Export (.ics)' }));
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(exportFile).toHaveBeenCalledWith({ kind: 'calendar', calendarUrl: FAKE_CALENDARS[0]!.url }));
    expect(screen.queryByRole('menu')).toBeNull();

    // The "…" button, from the keyboard.
    const button = within(nav.querySelector<HTMLElement>('[data-calendar="Family"]')!).getByRole('button', { name: 'Actions for Family' });
    act(() => button.focus());
    await userEvent.keyboard('{Enter}');
    await userEvent.click(screen.getByRole('menuitem', { name: 'Export (.ics)' }));
    await waitFor(() => expect(exportFile).toHaveBeenCalledWith({ kind: 'calendar', calendarUrl: FAKE_CALENDARS[1]!.url }));

    // A subscription's row: the right-click opens the menu it already had.
    fireEvent.contextMenu(within(nav.querySelector<HTMLElement>(`[data-subscription="${FAKE_SUBSCRIPTION.name}"]`)!).getByText(FAKE_SUBSCRIPTION.name));
    await userEvent.click(
      within(await screen.findByRole('menu', { name: `Actions for ${FAKE_SUBSCRIPTION.name}` })).getByRole('menuitem', { name: 'Export (.ics)' }),
    );
    await waitFor(() => expect(exportFile).toHaveBeenCalledWith({ kind: 'calendar', calendarUrl: FAKE_SUBSCRIPTION.url }));

    await userEvent.click(screen.getByRole('button', { name: 'Contacts' }));
    const books = await screen.findByRole('navigation', { name: 'Address books' });
    const book = await waitFor(() => books.querySelector<HTMLElement>(`[data-addressbook="${FAKE_ADDRESSBOOK.displayName}"]`)!);
    fireEvent.contextMenu(book);
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Export (.vcf)' }));
    await waitFor(() => expect(exportFile).toHaveBeenCalledWith({ kind: 'addressbook', addressbookUrl: FAKE_ADDRESSBOOK.url }));
    click.mockRestore();
  });

  it('is in the app menu: pick a calendar or an address book', async () => {
    const client = fakeClient({ startMonth: '2026-03' });
    const exportFile = vi.spyOn(client, 'exportFile');
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderWith(client, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    await userEvent.click(screen.getByRole('button', { name: 'Menu' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'Export calendar…' }));
    const dialog = screen.getByRole('dialog', { name: 'Export a calendar' });
    const select = within(dialog).getByRole('combobox', { name: 'Calendars' });
    // The Birthdays calendar holds no items of its own: not offered.
    expect(
      within(select)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).not.toContainEqual(expect.stringMatching(/Birthdays/));
    await userEvent.selectOptions(select, FAKE_CALENDARS[2]!.url);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(exportFile).toHaveBeenCalledWith({ kind: 'calendar', calendarUrl: FAKE_CALENDARS[2]!.url }));
    expect(screen.queryByRole('dialog')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Menu' }));
    await userEvent.click(screen.getByRole('menuitem', { name: 'Export address book…' }));
    await userEvent.click(within(screen.getByRole('dialog', { name: 'Export an address book' })).getByRole('button', { name: 'Export' }));
    await waitFor(() => expect(exportFile).toHaveBeenCalledWith({ kind: 'addressbook', addressbookUrl: FAKE_ADDRESSBOOK.url }));
    click.mockRestore();
  });
});
