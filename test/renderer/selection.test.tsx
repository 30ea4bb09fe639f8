// The event whose details are open is marked in the grid (class dl-selected and aria-current="true") in the
// month, week, day and list views, and only that one; closing the details clears the mark.
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App.tsx';
import { fakeClient, renderWith } from './helpers.tsx';

/** The grid's event buttons (FullCalendar's role=button elements carrying our dl-event class). */
function gridEvents(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('.dl-fc-host .dl-event')];
}

function marked(): HTMLElement[] {
  return gridEvents().filter((e) => e.getAttribute('aria-current') === 'true');
}

function titleOf(el: HTMLElement): string {
  return el.querySelector('.dl-ev-title')?.textContent ?? '';
}

describe('the open event in the grid', () => {
  it('is marked with aria-current and dl-selected in month, week, day and list, and unmarked when closed', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const client = fakeClient({ startMonth: today.slice(0, 7), events: 40, months: 1 });
    renderWith(client, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    await waitFor(() => expect(gridEvents().length).toBeGreaterThan(0));
    expect(marked()).toEqual([]);

    const first = gridEvents()[0]!;
    expect(first.getAttribute('role')).toBe('button');
    const title = titleOf(first);
    await act(async () => fireEvent.click(first));
    await screen.findByRole('complementary', { name: 'Event details' });
    await waitFor(() => expect(marked().map(titleOf)).toEqual([title]));
    expect(marked()[0]!.classList.contains('dl-selected')).toBe(true);
    expect(
      gridEvents()
        .filter((e) => e.classList.contains('dl-selected'))
        .map(titleOf),
    ).toEqual([title]);

    // Another event moves the mark.
    const other = gridEvents().find((e) => titleOf(e) !== title)!;
    const otherTitle = titleOf(other);
    await act(async () => fireEvent.click(other));
    await waitFor(() => expect(marked().map(titleOf)).toEqual([otherTitle]));

    // The other views, at the event's day, draw the same occurrence marked.
    const date = other.closest('[data-date]')!.getAttribute('data-date')!;
    const picker = screen.getByLabelText('Go to date') as HTMLInputElement;
    await act(async () => fireEvent.change(picker, { target: { value: date } }));
    for (const key of ['w', 'd', 'l', 'm']) {
      await act(async () => fireEvent.keyDown(document.body, { key }));
      await waitFor(() => expect(marked().map(titleOf)).toEqual([otherTitle]));
      expect(marked()[0]!.classList.contains('dl-selected')).toBe(true);
      expect(picker.value).toBe(date);
    }

    await act(async () => fireEvent.keyDown(document.body, { key: 'Escape' }));
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'Event details' })).toBeNull());
    await waitFor(() => expect(marked()).toEqual([]));
    expect(gridEvents().some((e) => e.classList.contains('dl-selected'))).toBe(false);
  }, 20_000);
});
