// The adaptive layout's parts (issue 18): the header's sidebar button and the setting that remembers it, and the
// week view's event text clamped to the lines its block holds.
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App.tsx';
import { TimedEventText } from '../../renderer/src/components/TimedEventText.tsx';
import { fakeClient, fakeLayout, renderWith } from './helpers.tsx';

async function settle(): Promise<void> {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 50));
  });
}

describe('the sidebar button', () => {
  it('folds the sidebar away and back, saving the choice', async () => {
    const client = fakeClient();
    const update = vi.spyOn(client, 'updateSettings');
    const { container } = renderWith(client, <App />);
    await screen.findByRole('navigation', { name: 'Calendars' });
    const button = screen.getByRole('button', { name: 'Sidebar' });
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(button.getAttribute('aria-controls')).toBe(screen.getByRole('navigation', { name: 'Calendars' }).id);
    await userEvent.click(button);
    expect(update).toHaveBeenLastCalledWith({ sidebarCollapsed: true });
    await waitFor(() => expect(button.getAttribute('aria-expanded')).toBe('false'));
    expect(container.querySelector('.dl-app')!.classList.contains('dl-sidebar-collapsed')).toBe(true);
    expect(button.getAttribute('title')).toBe('Show the sidebar (F9)');
    await userEvent.click(button);
    expect(update).toHaveBeenLastCalledWith({ sidebarCollapsed: false });
    await waitFor(() => expect(button.getAttribute('aria-expanded')).toBe('true'));
    await settle();
  });

  it('folds and unfolds with F9, from the search field too, saving the choice', async () => {
    const client = fakeClient();
    const update = vi.spyOn(client, 'updateSettings');
    const { container } = renderWith(client, <App />);
    const button = await screen.findByRole('button', { name: 'Sidebar' });
    const app = container.querySelector('.dl-app')!;
    await userEvent.keyboard('{F9}');
    expect(update).toHaveBeenLastCalledWith({ sidebarCollapsed: true });
    await waitFor(() => expect(button.getAttribute('aria-expanded')).toBe('false'));
    expect(app.classList.contains('dl-sidebar-collapsed')).toBe(true);
    await userEvent.click(screen.getByRole('searchbox'));
    await userEvent.keyboard('{F9}');
    expect(update).toHaveBeenLastCalledWith({ sidebarCollapsed: false });
    await waitFor(() => expect(button.getAttribute('aria-expanded')).toBe('true'));
    expect(app.classList.contains('dl-sidebar-collapsed')).toBe(false);
    expect((screen.getByRole('searchbox') as HTMLInputElement).value).toBe('');
    await settle();
  });

  it('starts folded when the settings say so', async () => {
    const client = fakeClient();
    client.settings.sidebarCollapsed = true;
    const { container } = renderWith(client, <App />);
    const button = await screen.findByRole('button', { name: 'Sidebar' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(container.querySelector('.dl-app')!.classList.contains('dl-sidebar-collapsed')).toBe(true);
    await settle();
  });
});

describe('TimedEventText', () => {
  const restore: (() => void)[] = [];
  afterEach(() => {
    for (const r of restore.splice(0)) r();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  /** jsdom lays nothing out: a block of this height, 15 px lines, 1 px padding, and an observer that reports at once. */
  function layOut(height: number): void {
    restore.push(fakeLayout('dl-ev-timed', 120, height));
    const real = window.getComputedStyle.bind(window);
    vi.spyOn(window, 'getComputedStyle').mockImplementation((el: Element) => {
      const cs = real(el);
      return new Proxy(cs, {
        get: (target, key) => (key === 'lineHeight' ? '15px' : key === 'paddingTop' || key === 'paddingBottom' ? '1px' : Reflect.get(target, key)),
      });
    });
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(private readonly cb: (entries: { target: Element }[]) => void) {}
        observe(target: Element): void {
          this.cb([{ target }]);
        }
        unobserve(): void {}
        disconnect(): void {}
      },
    );
  }

  it('gives a short block one shared line: title, then time', () => {
    layOut(20);
    const { container } = render(<TimedEventText time="09:15" title="Daily stand-up" />);
    const root = container.querySelector('.dl-ev-timed')!;
    expect(root.classList.contains('dl-ev-stacked')).toBe(false);
    expect(root.classList.contains('dl-ev-one-line')).toBe(true);
    expect((container.querySelector('.dl-ev-text') as HTMLElement).style.getPropertyValue('--dl-lines')).toBe('1');
    expect(container.querySelector('.dl-ev-text')!.textContent).toBe('Daily stand-up 09:15');
  });

  it('gives a tall block the title’s lines and the time a line of its own', () => {
    layOut(62);
    const { container } = render(<TimedEventText time="10:00–11:00" title="Weekly team meeting" />);
    // 60 px of content: four lines, three for the title.
    expect(container.querySelector('.dl-ev-timed')!.classList.contains('dl-ev-stacked')).toBe(true);
    expect((container.querySelector('.dl-ev-text') as HTMLElement).style.getPropertyValue('--dl-lines')).toBe('3');
    expect(container.querySelector('.dl-ev-when-own')!.textContent).toBe('10:00–11:00');
  });
});
