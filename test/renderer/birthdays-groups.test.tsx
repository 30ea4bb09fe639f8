// Birthdays from contacts and contact groups in the UI: the Birthdays calendar Davlens makes (marked as such in the
// sidebar, hidden like any calendar), a birthday in the grid with the age that opens the contact instead of event
// details, the groups under the address books as a filter of the list, and the card's anniversary and groups.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ContactQuery, OccurrenceQuery } from '../../shared/api.ts';
import { ok } from '../../shared/api.ts';
import type { Contact, Occurrence } from '../../shared/models.ts';
import { FAKE_ADDRESSBOOK, FAKE_BIRTHDAYS, FAKE_GROUPS, makeContacts } from '../../renderer/dev/fakeClient.ts';
import { birthdayOccurrences } from '../../shared/birthdays.ts';
import { App } from '../../renderer/src/App.tsx';
import { ContactCard } from '../../renderer/src/components/ContactCard.tsx';
import { addressbookOfHref, parentCollection } from '../../renderer/src/lib/contacts.ts';
import { occurrenceTitle, toEventInput } from '../../renderer/src/lib/events.ts';
import { fakeClient, fakeLayout, renderWith } from './helpers.tsx';

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 50));
  });
}

const month = new Date().toISOString().slice(0, 7);

/** A birthday of the fake's Birthdays calendar on the 15th of this month, as the engine makes it from the card. */
function birthdayOf(c: Contact, age: number | null, source: 'birthday' | 'anniversary' = 'birthday'): Occurrence {
  // The card's one date: the year that makes `age` this year, or none (--MM-DD) for no age.
  const date = age === null ? `--${month.slice(5)}-15` : `${Number(month.slice(0, 4)) - age}${month.slice(4)}-15`;
  const dated = { ...c, bday: source === 'birthday' ? date : null, anniversary: source === 'anniversary' ? date : null };
  const [made] = birthdayOccurrences([dated], `${month}-01`, `${month}-28`, FAKE_BIRTHDAYS);
  if (!made) throw new Error(`no ${source} made for ${c.fn}`);
  return made;
}

describe('birthdays and anniversaries as occurrences', () => {
  it('show the age only when the year is known', () => {
    const [c] = makeContacts(1);
    expect(occurrenceTitle(birthdayOf(c!, 40))).toBe(`${c!.fn}'s birthday (40)`);
    expect(occurrenceTitle(birthdayOf(c!, null))).toBe(`${c!.fn}'s birthday`);
    expect(occurrenceTitle(birthdayOf(c!, 0, 'anniversary'))).toBe(`${c!.fn}'s anniversary (0)`);
    const input = toEventInput(birthdayOf(c!, 40), new Map([[FAKE_BIRTHDAYS.url, '#c2410c']]));
    expect(input.title).toBe(`${c!.fn}'s birthday (40)`);
    expect(input.className).toContain('dl-birthday');
    // A calendar's event keeps its title as it is.
    expect(occurrenceTitle({ ...birthdayOf(c!, 40), source: 'calendar' })).toBe(`${c!.fn}'s birthday`);
  });

  it('are made as the engine makes them, from --MM-DD and full dates, never before the year itself', () => {
    const c = { ...makeContacts(1)[0]!, bday: '1986-03-02', anniversary: '--03-20' };
    const list = birthdayOccurrences([c], '2026-03-01', '2026-04-01', FAKE_BIRTHDAYS);
    expect(list.map((o) => [o.source, o.start, o.age])).toEqual([
      ['birthday', '2026-03-02', 40],
      ['anniversary', '2026-03-20', null],
    ]);
    expect(birthdayOccurrences([{ ...c, bday: '2027-03-02', anniversary: null }], '2026-03-01', '2026-04-01', FAKE_BIRTHDAYS)).toEqual([]);
  });

  it('find the address book of a contact from its href', () => {
    const a = { url: 'https://h/dav/alice/contacts/' };
    const b = { url: 'https://h/dav/alice/contacts-work/' };
    expect(addressbookOfHref('https://h/dav/alice/contacts-work/x.vcf', [a, b])).toBe(b);
    expect(addressbookOfHref('https://h/dav/alice/contacts/x.vcf', [a, b])).toBe(a);
    expect(addressbookOfHref('https://other/x.vcf', [a, b])).toBeNull();
    expect(parentCollection('https://h/dav/bob/book/x%20y.vcf')).toBe('https://h/dav/bob/book/');
  });
});

describe('the Birthdays calendar in the sidebar', () => {
  it('is listed under its account as made by Davlens from the contacts, read-only, without export, and hides', async () => {
    const client = fakeClient({ startMonth: month });
    const occurrences = vi.spyOn(client, 'occurrences');
    const update = vi.spyOn(client, 'updateSettings');
    renderWith(client, <App />);
    const nav = await screen.findByRole('navigation', { name: 'Calendars' });
    const account = within(nav).getByRole('region', { name: 'alice@example.test' });
    const box = within(account).getByRole('checkbox', { name: 'Birthdays from contacts' });
    const row = box.closest('li')!;
    expect(row.getAttribute('data-kind')).toBe('birthdays');
    expect(within(row).getByRole('img', { name: 'Made by Davlens from the contacts, read-only' })).toBeTruthy();
    expect(row.querySelector('label')!.getAttribute('title')).toMatch(/from the contacts of alice@example\.test, made by Davlens/);
    // An icon of its own (no server colour swatch) and no export: it has no items to export.
    expect(row.querySelector('svg.dl-birthdays-icon')).toBeTruthy();
    expect(within(row).queryByRole('button')).toBeNull();
    // Its events are asked for with the others'.
    await waitFor(() => expect((occurrences.mock.calls.at(-1)![0] as OccurrenceQuery).calendarUrls).toContain(FAKE_BIRTHDAYS.url));

    await userEvent.click(box);
    expect(update).toHaveBeenCalledWith({ hiddenCalendars: [FAKE_BIRTHDAYS.url] });
    await waitFor(() => expect((occurrences.mock.calls.at(-1)![0] as OccurrenceQuery).calendarUrls).not.toContain(FAKE_BIRTHDAYS.url));
    expect((within(account).getByRole('checkbox', { name: 'Birthdays from contacts' }) as HTMLInputElement).checked).toBe(false);
    await userEvent.click(within(account).getByRole('checkbox', { name: 'Birthdays from contacts' }));
    expect(update).toHaveBeenLastCalledWith({ hiddenCalendars: [] });
    await settle();
  });
});

describe('a birthday in the calendar', () => {
  let restore: () => void = () => {};
  beforeAll(() => {
    restore = fakeLayout('dl-contact-list', 340, 600);
  });
  afterAll(() => restore());

  /** The fake with no events but one birthday (with the age) and one anniversary (without) on the 15th. */
  async function withBirthdays() {
    const client = fakeClient({ startMonth: month, events: 0, subscription: false, contacts: 60 });
    const page = await client.contacts({});
    const people = page.ok ? page.value.contacts : [];
    const jonas = people[12]!;
    const vera = people[30]!;
    const shown = [birthdayOf(jonas, 40), birthdayOf(vera, null, 'anniversary')];
    client.occurrences = async (q: OccurrenceQuery) => ok({ events: q.calendarUrls?.includes(FAKE_BIRTHDAYS.url) ? shown : [], partial: false, errors: [] });
    return { client, jonas, vera };
  }

  it('shows its icon and the age, and opens the contact, not event details', async () => {
    const { client, jonas } = await withBirthdays();
    const details = vi.spyOn(client, 'eventDetails');
    const contactDetails = vi.spyOn(client, 'contactDetails');
    renderWith(client, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    const title = `${jonas.fn}'s birthday (40)`;
    const event = await screen.findByText(title);
    const block = event.closest('.dl-ev')!;
    expect(block.querySelector('svg.dl-ev-icon')).toBeTruthy();
    expect(block.querySelector('.dl-ev-repeat')).toBeNull();
    expect(block.textContent).toContain('opens the contact');
    await userEvent.click(event);

    // The contacts section, the contact's row selected and its card open.
    await screen.findByRole('navigation', { name: 'Address books' });
    const card = await screen.findByRole('article', { name: 'Contact details' });
    expect(await within(card).findByRole('heading', { level: 2, name: jonas.fn })).toBeTruthy();
    expect(contactDetails).toHaveBeenCalledWith({ addressbookUrl: FAKE_ADDRESSBOOK.url, href: jonas.href });
    const list = screen.getByRole('listbox', { name: 'Contact list' });
    await waitFor(() => expect(within(list).getByRole('option', { selected: true }).textContent).toContain(jonas.fn));
    expect(details).not.toHaveBeenCalled();
    expect(screen.queryByRole('complementary', { name: 'Event details' })).toBeNull();

    // Another contact chosen in the list replaces it; back in the calendar and again in contacts, it is not forced open.
    fireEvent.keyDown(list, { key: 'Home' });
    await waitFor(() => expect(within(list).getByRole('option', { selected: true }).getAttribute('aria-posinset')).toBe('1'));
    await userEvent.click(screen.getByRole('button', { name: 'Calendar' }));
    await screen.findByText(title);
    await userEvent.click(screen.getByRole('button', { name: 'Contacts' }));
    await screen.findByRole('navigation', { name: 'Address books' });
    await settle();
    expect(screen.queryByRole('article', { name: 'Contact details' })).toBeNull();
  });

  it('opens the contact from the search results too, and shows the age there', async () => {
    const { client, vera } = await withBirthdays();
    const details = vi.spyOn(client, 'eventDetails');
    renderWith(client, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search events' }), 'anniversary');
    const results = await screen.findByRole('complementary', { name: 'Search events' });
    const item = await within(results).findByRole('button', { name: new RegExp(`${vera.fn}'s anniversary`) });
    // No year known: no number.
    expect(item.textContent).not.toMatch(/\(\d+\)/);
    expect(item.querySelector('svg')).toBeTruthy();
    await userEvent.click(item);
    const card = await screen.findByRole('article', { name: 'Contact details' });
    expect(await within(card).findByRole('heading', { level: 2, name: vera.fn })).toBeTruthy();
    expect(details).not.toHaveBeenCalled();
    await settle();
  });
});

describe('contact groups', () => {
  let restore: () => void = () => {};
  beforeAll(() => {
    restore = fakeLayout('dl-contact-list', 340, 600);
  });
  afterAll(() => restore());

  it('are listed under the address books with their member counts, and filter the list', async () => {
    const client = fakeClient({ contacts: 70 });
    const contacts = vi.spyOn(client, 'contacts');
    const groups = vi.spyOn(client, 'groups');
    renderWith(client, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    expect(groups).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Contacts' }));
    const nav = await screen.findByRole('navigation', { name: 'Address books' });
    const section = await within(nav).findByRole('region', { name: 'Groups' });
    // Below the address books.
    expect(within(nav).getByRole('region', { name: 'alice@example.test' }).compareDocumentPosition(section) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const friends = within(section).getByRole('button', { name: 'Friends, 14 contacts, category' });
    const club = within(section).getByRole('button', { name: 'Book club, 10 contacts, Apple group card' });
    expect(friends.getAttribute('aria-pressed')).toBe('false');
    expect(club.closest('li')!.getAttribute('data-source')).toBe('apple');
    expect(groups).toHaveBeenLastCalledWith({});

    await userEvent.click(friends);
    await waitFor(() => expect(contacts).toHaveBeenLastCalledWith(expect.objectContaining({ group: FAKE_GROUPS.friends.name, offset: 0 })));
    expect(friends.getAttribute('aria-pressed')).toBe('true');
    expect(
      within(nav)
        .getByRole('button', { name: /^All contacts/ })
        .getAttribute('aria-current'),
    ).toBeNull();
    await waitFor(() => expect(screen.getByTestId('contacts-count').textContent).toBe('14 contacts in Friends'));
    const list = screen.getByRole('listbox', { name: 'Contact list' });
    await waitFor(() => expect(within(list).getAllByRole('option')).toHaveLength(14));

    // Pressed again: every contact again.
    await userEvent.click(friends);
    await waitFor(() => expect(screen.getByTestId('contacts-count').textContent).toBe('70 contacts'));
    expect((contacts.mock.calls.at(-1)![0] as ContactQuery).group).toBeUndefined();
    expect(friends.getAttribute('aria-pressed')).toBe('false');

    // "All contacts" clears it too.
    await userEvent.click(club);
    await waitFor(() => expect(screen.getByTestId('contacts-count').textContent).toBe('10 contacts in Book club'));
    await userEvent.click(within(nav).getByRole('button', { name: /^All contacts/ }));
    await waitFor(() => expect(screen.getByTestId('contacts-count').textContent).toBe('70 contacts'));
    expect(club.getAttribute('aria-pressed')).toBe('false');
    expect(
      within(nav)
        .getByRole('button', { name: /^All contacts/ })
        .getAttribute('aria-current'),
    ).toBe('true');
  });

  it('are asked for again, for the address book chosen, when the data changes', async () => {
    const client = fakeClient({ contacts: 30 });
    const groups = vi.spyOn(client, 'groups');
    renderWith(client, <App />);
    await userEvent.click(await screen.findByRole('button', { name: 'Contacts' }));
    const nav = await screen.findByRole('navigation', { name: 'Address books' });
    await within(nav).findByRole('region', { name: 'Groups' });
    const asked = groups.mock.calls.length;
    await userEvent.click(within(nav).getByRole('button', { name: 'Contacts 30' }));
    await waitFor(() => expect(groups).toHaveBeenLastCalledWith({ addressbookUrls: [FAKE_ADDRESSBOOK.url] }));
    const afterBook = groups.mock.calls.length;
    expect(afterBook).toBeGreaterThan(asked);
    // A sync that stored changes: the groups are asked for again, as the contacts are.
    act(() => client.emit({ type: 'sync', status: { running: true, accounts: [], collections: [] } }));
    act(() => client.emit({ type: 'sync', status: { running: false, accounts: [], collections: [] } }));
    await waitFor(() => expect(groups.mock.calls.length).toBeGreaterThan(afterBook));
    await settle();
  });

  it('drops a filter whose group is gone', async () => {
    const client = fakeClient({ contacts: 30 });
    renderWith(client, <App />);
    await userEvent.click(await screen.findByRole('button', { name: 'Contacts' }));
    const nav = await screen.findByRole('navigation', { name: 'Address books' });
    const section = await within(nav).findByRole('region', { name: 'Groups' });
    await userEvent.click(within(section).getByRole('button', { name: /^Book club/ }));
    await waitFor(() => expect(screen.getByTestId('contacts-count').textContent).toMatch(/in Book club$/));
    // The group card is deleted on the server; the next sync stores that.
    client.groups = async () => ok({ groups: [{ ...FAKE_GROUPS.friends, members: 6 }], errors: [] });
    act(() => client.emit({ type: 'sync', status: { running: true, accounts: [], collections: [] } }));
    act(() => client.emit({ type: 'sync', status: { running: false, accounts: [], collections: [] } }));
    await waitFor(() => expect(screen.getByTestId('contacts-count').textContent).toBe('30 contacts'));
    expect(within(section).queryByRole('button', { name: /^Book club/ })).toBeNull();
  });
});

describe('the contact card', () => {
  const base = makeContacts(1)[0]!;
  const years = (ymd: string): number => {
    const now = new Date();
    const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
    return now.getFullYear() - y - (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d) ? 1 : 0);
  };

  it('shows the anniversary (with the years when the year is known) and the groups the contact is in', () => {
    const contact: Contact = { ...base, bday: '--05-06', anniversary: '2010-06-12', categories: ['Friends'], groups: ['Book club', 'Friends'] };
    renderWith(fakeClient(), <ContactCard contact={contact} />);
    expect(screen.getByTestId('contact-birthday').textContent).toMatch(/^(6 May|May 6)$/);
    const anniversary = screen.getByRole('region', { name: 'Anniversary' });
    expect(within(anniversary).getByTestId('contact-anniversary').textContent).toMatch(
      new RegExp(`^(12 June 2010|June 12, 2010) · ${years('2010-06-12')} years$`),
    );
    const groups = screen.getByRole('region', { name: 'Groups' });
    expect(
      within(groups)
        .getAllByText(/Book club|Friends/)
        .map((e) => e.textContent),
    ).toEqual(['Book club', 'Friends']);
  });

  it('shows an anniversary without a year as the day alone, and the categories when no groups are known', () => {
    const contact: Contact = { ...base, bday: null, anniversary: '--06-12', categories: ['Work'], groups: [] };
    renderWith(fakeClient(), <ContactCard contact={contact} />);
    expect(screen.getByTestId('contact-anniversary').textContent).toMatch(/^(12 June|June 12)$/);
    expect(screen.queryByTestId('contact-birthday')).toBeNull();
    expect(within(screen.getByRole('region', { name: 'Groups' })).getByText('Work')).toBeTruthy();
  });

  it('opened by reference alone, shows the details the engine gives, with a text anniversary as it is', async () => {
    const client = fakeClient();
    const contact: Contact = { ...base, anniversary: 'summer 2004', groups: ['Friends'] };
    client.contactDetails = async () => ok({ contact, photo: null, nicknames: [], impps: [], addresses: [] });
    renderWith(client, <ContactCard contact={null} contactRef={{ addressbookUrl: FAKE_ADDRESSBOOK.url, href: contact.href }} />);
    expect(await screen.findByRole('heading', { level: 2, name: contact.fn })).toBeTruthy();
    expect(screen.getByTestId('contact-anniversary').textContent).toBe('summer 2004');
    expect(screen.getByTestId('contact-groups').textContent).toBe('Friends');
  });
});
