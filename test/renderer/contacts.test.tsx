// The contacts list: 10,000 contacts render as a window of rows, grouped by initial; search goes to the
// engine; the keyboard moves the selection and opens the card.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ContactQuery } from '../../shared/api.ts';
import { FAKE_ADDRESSBOOK } from '../../renderer/dev/fakeClient.ts';
import { addressbookFor, ContactsPane } from '../../renderer/src/components/ContactsPane.tsx';
import { fakeClient, fakeLayout, renderWith } from './helpers.tsx';

const books = [{ ...FAKE_ADDRESSBOOK, count: 10_000 }];

describe('ContactsPane', () => {
  let restore: () => void = () => {};
  beforeAll(() => {
    restore = fakeLayout('dl-contact-list', 340, 600);
  });
  afterAll(() => restore());

  it('shows 10,000 contacts through a window of rows, fetched a page at a time', async () => {
    const client = fakeClient({ contacts: 10_000 });
    const contacts = vi.spyOn(client, 'contacts');
    renderWith(client, <ContactsPane addressbooks={books} addressbookUrl={null} search="" dataVersion={0} onExportContact={() => {}} />);
    expect(await screen.findByText('10,000 contacts')).toBeTruthy();
    const list = screen.getByRole('listbox', { name: 'Contact list' });
    await waitFor(() => expect(within(list).getAllByRole('option').length).toBeGreaterThan(5));
    const options = within(list).getAllByRole('option');
    expect(options.length).toBeLessThan(60);
    expect(options[0]!.getAttribute('aria-setsize')).toBe('10000');
    // Only the first page was asked for, with a limit.
    expect(contacts.mock.calls.every(([q]) => (q as ContactQuery).limit === 100)).toBe(true);
    expect(contacts.mock.calls.map(([q]) => (q as ContactQuery).offset)).toEqual([0]);
    // The first contact opens its group.
    expect(list.querySelector('.dl-group-header')?.textContent).toMatch(/^[A-Z#]$/);
  });

  it('searches in the engine and says when nothing matches', async () => {
    const client = fakeClient({ contacts: 2000 });
    const contacts = vi.spyOn(client, 'contacts');
    const { rerenderWith } = renderWith(
      client,
      <ContactsPane addressbooks={books} addressbookUrl={null} search="" dataVersion={0} onExportContact={() => {}} />,
    );
    await screen.findByText('2,000 contacts');
    rerenderWith(<ContactsPane addressbooks={books} addressbookUrl={null} search="tanaka" dataVersion={0} onExportContact={() => {}} />);
    await waitFor(() => expect(contacts.mock.calls.some(([q]) => (q as ContactQuery).search === 'tanaka')).toBe(true));
    await waitFor(() => expect(screen.getByTestId('contacts-count').textContent).not.toBe('2,000 contacts'));
    for (const name of screen.getAllByRole('option').map((o) => o.textContent ?? '')) expect(name.toLowerCase()).toContain('tanaka');
    rerenderWith(<ContactsPane addressbooks={books} addressbookUrl={null} search="zzzz-nobody" dataVersion={0} onExportContact={() => {}} />);
    expect(await screen.findByText('No contacts match “zzzz-nobody”.')).toBeTruthy();
    // No empty listbox (invalid ARIA, a critical axe finding): the message alone.
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('moves with the arrow keys and shows the selected contact', async () => {
    const client = fakeClient({ contacts: 500 });
    const onSelection = vi.fn();
    renderWith(
      client,
      <ContactsPane addressbooks={books} addressbookUrl={null} search="" dataVersion={0} onExportContact={() => {}} onSelectionChange={onSelection} />,
    );
    await screen.findByText('500 contacts');
    const list = screen.getByRole('listbox', { name: 'Contact list' });
    await waitFor(() => expect(within(list).getAllByRole('option').length).toBeGreaterThan(2));
    act(() => list.focus());
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    const second = within(list).getAllByRole('option')[1]!;
    await waitFor(() => expect(second.getAttribute('aria-selected')).toBe('true'));
    expect(list.getAttribute('aria-activedescendant')).toBe(second.id);
    const name = second.querySelector('.dl-contact-name')!.textContent!;
    expect(await screen.findByRole('heading', { name, level: 2 })).toBeTruthy();
    await waitFor(() =>
      expect(onSelection).toHaveBeenLastCalledWith({ addressbookUrl: FAKE_ADDRESSBOOK.url, href: expect.stringContaining(FAKE_ADDRESSBOOK.url) }),
    );
    fireEvent.keyDown(list, { key: 'End' });
    await waitFor(() => expect(list.getAttribute('aria-activedescendant')).toMatch(/-499$/));
  });

  it('finds the address book a contact lives in', () => {
    const a = { ...FAKE_ADDRESSBOOK, url: 'https://h/dav/alice/contacts/', displayName: 'Contacts' };
    const b = { ...FAKE_ADDRESSBOOK, url: 'https://h/dav/alice/work/', displayName: 'Work' };
    const c = { href: '/dav/alice/work/x.vcf', addressbook: 'Work' } as never;
    expect(addressbookFor(c, [a, b])?.url).toBe(b.url);
    expect(addressbookFor({ href: 'elsewhere', addressbook: 'Contacts' } as never, [a, b])?.url).toBe(a.url);
  });
});
