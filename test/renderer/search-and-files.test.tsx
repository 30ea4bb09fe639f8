// The calendar search starts now (upcoming matches first, a series once with a note, the past ones on request),
// and an opened .ics starts at its first event not over yet, shown beside the list.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { DavlensClient, OccurrenceQuery } from '../../shared/api.ts';
import type { Occurrence } from '../../shared/models.ts';
import { EventSearch } from '../../renderer/src/components/EventSearch.tsx';
import { LocalFileDialog } from '../../renderer/src/components/LocalFile.tsx';
import { occurrence } from '../support/models.ts';
import { deferred, fakeClient, renderWith } from './helpers.tsx';

const DAY = 86_400_000;
const TZ = 'UTC';
/** An ISO instant `days` from now (rounded to the hour), as the engine writes it in UTC. */
const fromNow = (days: number, hours = 0) =>
  new Date(Math.floor((Date.now() + days * DAY) / 3600_000) * 3600_000 + hours * 3600_000).toISOString().replace('.000Z', '+00:00');

/** An hour's event `days` from now. */
const event = (summary: string, days: number, more: Partial<Occurrence> = {}): Occurrence => occurrence(summary, fromNow(days), fromNow(days, 1), more);

/** A weekly series: 104 instances, half of them past. */
const weekly = (summary: string): Occurrence[] =>
  Array.from({ length: 104 }, (_, i) => event(summary, (i - 52) * 7 + 2, { recurring: true, recurrenceId: fromNow((i - 52) * 7 + 2) }));

const titles = (list: HTMLElement) => [...list.querySelectorAll('.dl-event-item-title')].map((e) => e.textContent?.trim());

describe('the calendar search', () => {
  it('lists upcoming matches soonest first, a weekly series once with its note, and the past ones on request', async () => {
    const events = [...weekly('Yoga'), event('Yoga retreat', 40), event('Yoga mat order', -3), event('Yoga intro', -200), event('Yoga day', 10)];
    const occurrences = vi.fn(async (_q: OccurrenceQuery) => ({ ok: true as const, value: { events, errors: [], partial: false } }));
    const client = fakeClient({}, { occurrences });
    renderWith(
      client,
      <EventSearch query="Yoga" tz={TZ} calendars={[]} visibleUrls={['https://dav.test/cal/work/']} onSelect={() => {}} onClose={() => {}} dataVersion={0} />,
    );
    const results = screen.getByRole('complementary', { name: 'Search events' });
    // Five events, one of them a weekly series: five lines, not 108.
    await waitFor(() => expect(within(results).getByRole('status').textContent).toBe('5 events match “Yoga”'));
    // The window is a year either side of today, whatever date the calendar shows.
    const q = occurrences.mock.calls[0]![0];
    const today = new Date().toISOString().slice(0, 10);
    expect([Date.parse(q.from), Date.parse(q.to)]).toEqual([Date.parse(today) - 366 * DAY, Date.parse(today) + 366 * DAY]);

    const upcoming = within(results).getByRole('list', { name: 'Upcoming matches' });
    expect(titles(upcoming)).toEqual(['Yoga', 'Yoga day', 'Yoga retreat']);
    const [series, ...singles] = within(upcoming).getAllByRole('button');
    expect(series!.textContent).toContain('Repeats (104 times in this range)');
    expect(singles.map((b) => b.textContent).filter((text) => text?.includes('Repeats'))).toEqual([]);
    // The series' line is its next occurrence: two days from now.
    expect(within(upcoming).getAllByRole('listitem')[0]!.getAttribute('data-day')).toBe(fromNow(2).slice(0, 10));
    expect(within(results).queryByRole('list', { name: 'Past matches' })).toBeNull();

    const toggle = within(results).getByRole('button', { name: 'Show 2 past matches' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(toggle);
    const past = within(results).getByRole('list', { name: 'Past matches' });
    // Most recent first.
    expect(titles(past)).toEqual(['Yoga mat order', 'Yoga intro']);
    await userEvent.click(within(results).getByRole('button', { name: 'Hide past matches' }));
    expect(within(results).queryByRole('list', { name: 'Past matches' })).toBeNull();
  });

  it('says so when every match is past, and still offers them', async () => {
    const events = [event('Tax return', -30), event('Tax advisor', -90)];
    const client = fakeClient({}, { occurrences: async () => ({ ok: true as const, value: { events, errors: [], partial: false } }) });
    renderWith(
      client,
      <EventSearch query="Tax" tz={TZ} calendars={[]} visibleUrls={['https://dav.test/cal/work/']} onSelect={() => {}} onClose={() => {}} dataVersion={0} />,
    );
    const results = screen.getByRole('complementary', { name: 'Search events' });
    await within(results).findByText('Nothing upcoming matches: every match is in the past.');
    fireEvent.click(within(results).getByRole('button', { name: 'Show 2 past matches' }));
    expect(titles(within(results).getByRole('list', { name: 'Past matches' }))).toEqual(['Tax return', 'Tax advisor']);
  });
  it('never shows the last query’s matches as the new one’s while the new ones are on their way', async () => {
    const later = deferred<Awaited<ReturnType<DavlensClient['occurrences']>>>();
    const occurrences = vi.fn(async (q: OccurrenceQuery) =>
      q.search === 'Tax' ? later.promise : { ok: true as const, value: { events: [event('Yoga day', 10)], errors: [], partial: false } },
    );
    const ui = (query: string) => (
      <EventSearch query={query} tz={TZ} calendars={[]} visibleUrls={['https://dav.test/cal/work/']} onSelect={() => {}} onClose={() => {}} dataVersion={0} />
    );
    const view = renderWith(fakeClient({}, { occurrences }), ui('Yoga'));
    const results = screen.getByRole('complementary', { name: 'Search events' });
    await waitFor(() => expect(within(results).getByRole('status').textContent).toBe('1 event matches “Yoga”'));
    // Every text the status shows on the way (React paints a render before its effects run).
    const status = within(results).getByRole('status');
    const watch = new MutationObserver(() => {});
    watch.observe(status, { characterData: true, characterDataOldValue: true, childList: true, subtree: true });
    view.rerenderWith(ui('Tax'));
    const shown = [...watch.takeRecords().map((r) => (r.type === 'characterData' ? r.oldValue : null)), status.textContent];
    watch.disconnect();
    expect(shown.filter((text) => text?.includes('“Tax”'))).toEqual([]);
    expect(status.textContent).toBe('Searching…');
    expect(within(results).queryByText('Yoga day')).toBeNull();
    later.resolve({ ok: true, value: { events: [event('Tax return', 3)], errors: [], partial: false } });
    await waitFor(() => expect(within(results).getByRole('status').textContent).toBe('1 event matches “Tax”'));
  });
});

describe('an opened .ics', () => {
  it('opens at its first event not over yet, with its details beside the list; closing them gives the list the width', async () => {
    const events = [event('Old party', -100), event('Last week', -7), event('Next week', 7), event('Next month', 30)];
    renderWith(fakeClient(), <LocalFileDialog file={{ name: 'party.ics', kind: 'ics', events, contacts: [], errors: [] }} tz={TZ} onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'party.ics' });
    const details = within(dialog).getByRole('complementary', { name: 'Event details' });
    expect(within(details).getByRole('heading', { name: 'Next week' })).toBeTruthy();
    expect(dialog.querySelector('.dl-event-item.dl-selected')?.textContent).toContain('Next week');
    expect(dialog.querySelector('.dl-file-split')!.classList.contains('dl-file-split-open')).toBe(true);
    await userEvent.click(within(details).getByRole('button', { name: /close/i }));
    expect(within(dialog).queryByRole('complementary', { name: 'Event details' })).toBeNull();
    expect(dialog.querySelector('.dl-file-split')!.classList.contains('dl-file-split-open')).toBe(false);
  });

  it('opens an entirely past file at its last event', () => {
    const events = [event('First', -100), event('Last', -7)];
    renderWith(fakeClient(), <LocalFileDialog file={{ name: 'old.ics', kind: 'ics', events, contacts: [], errors: [] }} tz={TZ} onClose={() => {}} />);
    const details = screen.getByRole('complementary', { name: 'Event details' });
    expect(within(details).getByRole('heading', { name: 'Last' })).toBeTruthy();
  });
});
