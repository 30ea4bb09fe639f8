// The layout at 1440x900, 1024x700 and 800x600 with the demo (issue 18): event text in the week and day views
// shows whole lines only (no box cuts a line through) and overlapping events sit side by side; nothing runs
// past the window's right edge on the main screens (month, week, day, list, details, contacts, a card); the
// sidebar folds away and comes back, and stays as it was left. Screenshots of every screen at each size go to
// test-results/screenshots/layout-WIDTH-SCREEN.png.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventsLoaded, gotoDate, screenshot, shotOnFailure } from './support/app.ts';
import { useWebPage } from './support/web-page.ts';

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
  { width: 800, height: 600 },
] as const;

const w = useWebPage('layout', { page: { viewport: SIZES[0] } });

interface TextCheck {
  /** Event blocks of the week or day view on screen. */
  blocks: number;
  /** Boxes in them whose content is taller than they show. */
  clipping: number;
  /** Those of them that show part of a line: what they are and their numbers. */
  cut: string[];
  /** Pairs of events drawn over each other. */
  overlapping: string[];
}

// Runs in the page (a string: this file is typed for Node, not the DOM). A box that clips its content must show
// a whole number of its lines; event blocks must not cover each other.
const CHECK_EVENT_TEXT = `(() => {
  const cut = [];
  let clipping = 0;
  for (const el of document.querySelectorAll('.dl-fc-host .dl-event, .dl-fc-host .dl-event *')) {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || (cs.overflowX === 'visible' && cs.overflowY === 'visible')) continue;
    // Words for screen readers only: a 1px box by design.
    if (el.clientWidth <= 1 || el.clientHeight <= 1) continue;
    if (el.scrollHeight <= el.clientHeight + 1) continue;
    clipping++;
    const line = cs.lineHeight === 'normal' ? parseFloat(cs.fontSize) * 1.2 : parseFloat(cs.lineHeight);
    const shown = el.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
    const lines = shown / line;
    if (Math.round(lines) < 1 || Math.abs(lines - Math.round(lines)) > 0.1) {
      cut.push(el.className + ' "' + el.textContent + '": shows ' + shown + 'px of ' + el.scrollHeight + 'px, line ' + line + 'px');
    }
  }
  const blocks = document.querySelectorAll('.dl-fc-host .dl-ev-timed').length;
  const events = [...document.querySelectorAll('.dl-fc-host .dl-event')];
  const rects = events.map((e) => e.getBoundingClientRect());
  const overlapping = [];
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i], b = rects[j];
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 1 && y > 1) overlapping.push(events[i].textContent + ' / ' + events[j].textContent);
    }
  }
  return { blocks, clipping, cut, overlapping };
})()`;

// Everything drawn past the window's right edge, unless an ancestor that clips ends inside the window.
const FIND_OVERFLOW = `(() => {
  const width = innerWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width) out.push('document is ' + document.documentElement.scrollWidth + 'px wide');
  for (const el of document.querySelectorAll('#root *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= width + 1) continue;
    let clipped = false;
    for (let a = el.parentElement; a && !clipped; a = a.parentElement) {
      const cs = getComputedStyle(a);
      clipped = cs.overflowX !== 'visible' && a.getBoundingClientRect().right <= width + 1;
    }
    if (!clipped) out.push((el.className || el.tagName) + ' "' + (el.textContent || '').slice(0, 40) + '" ends at ' + Math.round(r.right) + 'px');
  }
  return out;
})()`;

async function checkEventText(page: Page): Promise<TextCheck> {
  return (await page.evaluate(CHECK_EVENT_TEXT)) as TextCheck;
}

async function overflow(page: Page): Promise<string[]> {
  return (await page.evaluate(FIND_OVERFLOW)) as string[];
}

async function showView(page: Page, name: 'Month' | 'Week' | 'Day' | 'List'): Promise<void> {
  await page.getByRole('button', { name, exact: true }).click();
  await page.getByRole('button', { name, exact: true }).and(page.locator('[aria-pressed="true"]')).waitFor();
}

/** Saves the screen and checks nothing runs past the right edge. */
async function screen(page: Page, size: { width: number }, name: string): Promise<void> {
  await screenshot(page, `layout-${size.width}-${name}`);
  expect(await overflow(page), `${name} at ${size.width}`).toEqual([]);
}

beforeAll(async () => {
  await w.page.goto(w.url);
  await w.page.getByRole('button', { name: 'Try the demo' }).click();
  await w.page.getByRole('navigation', { name: 'Calendars' }).getByRole('checkbox', { name: 'Work', exact: true }).waitFor();
});

describe('the layout at 1440, 1024 and 800 wide', () => {
  for (const size of SIZES) {
    it(`shows whole lines of event text and fits the window at ${size.width}x${size.height}`, async () => {
      const { page } = w;
      await page.setViewportSize(size);
      await shotOnFailure(page, `layout-${size.width}`, async () => {
        await page.getByRole('button', { name: 'Calendar', exact: true }).click();
        await showView(page, 'Month');
        await gotoDate(page, '2026-11-24', /November 2026/);
        await screen(page, size, 'month');

        await showView(page, 'Week');
        await eventsLoaded(page, '2026-11-24');
        await page.locator('.dl-ev-timed', { hasText: 'Swimming lessons (Mia)' }).waitFor();
        const week = await checkEventText(page);
        expect(week.blocks).toBeGreaterThan(5);
        expect(week.cut).toEqual([]);
        expect(week.overlapping).toEqual([]);
        await screen(page, size, 'week');

        // The details panel beside the grid, or over it when there is no room.
        await page.locator('.dl-event', { hasText: 'Swimming lessons (Mia)' }).first().click();
        await page.getByRole('complementary', { name: 'Event details' }).getByText('Stadtbad Prenzlauer Berg').waitFor();
        const withDetails = await checkEventText(page);
        expect(withDetails.cut).toEqual([]);
        expect(withDetails.overlapping).toEqual([]);
        await screen(page, size, 'week-details');
        // The toolbar stays on one line and in reach with the details open.
        const toolbar = await page.getByRole('toolbar', { name: 'Calendar' }).boundingBox();
        expect(toolbar?.height).toBeLessThan(60);
        await page.getByRole('button', { name: 'Next', exact: true }).click();
        await page.keyboard.press('Escape');
        await page.getByRole('complementary', { name: 'Event details' }).waitFor({ state: 'detached' });

        await showView(page, 'Day');
        await gotoDate(page, '2026-11-30', /30 November 2026|November 30, 2026/);
        await page.locator('.dl-ev-timed', { hasText: 'Weekly team meeting' }).waitFor();
        const day = await checkEventText(page);
        expect(day.blocks).toBeGreaterThan(1);
        expect(day.cut).toEqual([]);
        await screen(page, size, 'day');

        await showView(page, 'List');
        await page.locator('.dl-event', { hasText: 'Weekly team meeting' }).first().waitFor();
        await screen(page, size, 'list');

        await page.getByRole('button', { name: 'Contacts', exact: true }).click();
        // The list from its top (Andersson, filed by family name), then Anna Schmidt found by searching.
        await page.getByRole('option', { name: /Sven Andersson/ }).waitFor();
        await screen(page, size, 'contacts');
        await page.getByRole('searchbox', { name: 'Search contacts' }).fill('Anna Schmidt');
        await page.getByRole('option', { name: /Anna Schmidt/ }).click();
        await page.getByRole('article', { name: 'Contact details' }).getByText('anna.schmidt@nordlicht.example').waitFor();
        await screen(page, size, 'contact-card');
        // Room between the card and the window's edge.
        const card = await page.getByRole('article', { name: 'Contact details' }).boundingBox();
        expect(card!.x + card!.width).toBeLessThanOrEqual(size.width - 8);
        await page.getByRole('searchbox', { name: 'Search contacts' }).fill('');
        await page.getByRole('button', { name: 'Calendar', exact: true }).click();
      });
      expect(w.problems).toEqual([]);
    });
  }

  it('clamps a long title in a narrow block to the lines that fit, with the time on the same line when short', async () => {
    const { page } = w;
    await page.setViewportSize(SIZES[2]);
    await showView(page, 'Week');
    await gotoDate(page, '2026-11-24', /Nov/);
    await page.locator('.dl-ev-timed', { hasText: 'Weekly team meeting' }).waitFor();
    const text = await checkEventText(page);
    // At 800 wide titles wrap past their blocks: the check above is not empty-handed.
    expect(text.clipping).toBeGreaterThan(0);
    expect(text.cut).toEqual([]);
    // A 15-minute stand-up: one line, title then start time.
    const standUp = page.locator('.dl-ev-timed', { hasText: 'Daily stand-up' }).first();
    await expect(standUp.getAttribute('class')).resolves.not.toContain('dl-ev-stacked');
    await expect(standUp.locator('.dl-ev-when-inline .dl-ev-time').textContent()).resolves.toBe('09:15');
    // The to-do's box sits on the title's line.
    const todo = page.locator('.dl-ev-timed', { hasText: 'Fill in the timesheet' }).first();
    const [box, title] = await Promise.all([todo.locator('.dl-ev-box').boundingBox(), todo.locator('.dl-ev-title').boundingBox()]);
    expect(box && title && Math.abs(box.y + box.height / 2 - (title.y + 7.5))).toBeLessThan(6);
    // Overlapping events (the talk in Lisbon, 16:30–17:15, and the New York call at 17:00) side by side, both readable.
    await gotoDate(page, '2026-09-23', /Sep/);
    const talk = page.locator('.dl-ev-timed', { hasText: 'My talk: Discovery done right' });
    const call = page.locator('.dl-ev-timed', { hasText: 'Call with the New York office' });
    await talk.waitFor();
    const [a, b] = await Promise.all([talk.boundingBox(), call.first().boundingBox()]);
    expect(a!.y + a!.height).toBeGreaterThan(b!.y);
    const overlapped = await checkEventText(page);
    expect(overlapped.overlapping).toEqual([]);
    expect(overlapped.cut).toEqual([]);
    await talk.scrollIntoViewIfNeeded();
    await screenshot(page, 'layout-800-week-overlap');
    expect(w.problems).toEqual([]);
  });

  it('folds the sidebar away and back, and remembers it', async () => {
    const { page } = w;
    await page.setViewportSize(SIZES[1]);
    const toggle = page.getByRole('button', { name: 'Sidebar', exact: true });
    const sidebar = page.getByRole('navigation', { name: 'Calendars' });
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    const before = await page.locator('.dl-main').boundingBox();
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('false');
    await sidebar.waitFor({ state: 'hidden' });
    const after = await page.locator('.dl-main').boundingBox();
    expect(after!.width).toBeGreaterThan(before!.width + 200);
    expect(await overflow(page)).toEqual([]);
    await screenshot(page, 'layout-1024-sidebar-collapsed');
    // Remembered in the settings: still folded after a reload (a fresh host: the one-time link is spent).
    await page.goto('about:blank');
    await page.goto(await w.restartWeb());
    await page.getByRole('button', { name: 'Sidebar', exact: true }).waitFor();
    await expect(page.getByRole('button', { name: 'Sidebar', exact: true }).getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(page.getByRole('navigation', { name: 'Calendars' }).isVisible()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Sidebar', exact: true }).click();
    await page.getByRole('navigation', { name: 'Calendars' }).getByRole('checkbox', { name: 'Work', exact: true }).waitFor();
    await expect(page.getByRole('button', { name: 'Sidebar', exact: true }).getAttribute('aria-expanded')).resolves.toBe('true');
    expect(w.problems).toEqual([]);
  });
});
