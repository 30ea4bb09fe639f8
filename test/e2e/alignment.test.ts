// The small things of the demo that line up (issue 18, point 9): the sidebar's counts in one right-aligned column,
// the settings' selects at one width and height, the list view's titles in one column, the contact search's
// placeholder inside its box at 1440 and 1024 wide, and contacts filed by family name ("Dr." decides nothing).
// Any console error, page error or CSP violation fails the test.
import { describe, expect, it } from 'vitest';
import { gotoDate, screenshot, shotOnFailure } from './support/app.ts';
import { useWebPage } from './support/web-page.ts';

const w = useWebPage('alignment');

/** Distinct values, rounded to whole pixels. */
const distinct = (values: number[]): number[] => [...new Set(values.map((v) => Math.round(v)))];

describe('the demo lines up', () => {
  it('titles of the list view in one column, and the settings’ selects at one width and height', async () => {
    const { page } = w;
    await page.goto(w.url);
    await page.getByRole('button', { name: 'Try the demo' }).click();
    await page.getByRole('navigation', { name: 'Calendars' }).getByRole('checkbox', { name: 'Work', exact: true }).waitFor();
    await shotOnFailure(page, 'alignment-calendar', async () => {
      await gotoDate(page, '2026-03-04', /March 2026/);
      await page.keyboard.press('l');
      await page.locator('.dl-list-item').first().waitFor();
      // Timed events, all-day birthdays (with their cake) and to-dos (with their box) alike. The Birthdays calendar
      // (made from the contacts) may show a moment after the other calendars: its rows are waited for, not sampled.
      const rows = page.locator('.dl-list-item');
      const todos = rows.filter({ has: page.locator('.dl-ev-box') });
      const birthdays = rows.filter({ has: page.locator('.dl-ev-icon') });
      await todos.first().waitFor();
      await birthdays.first().waitFor();
      await expect(todos.count()).resolves.toBeGreaterThan(0);
      await expect(birthdays.count()).resolves.toBeGreaterThan(0);
      const lefts = await page.$$eval('.dl-list-item .dl-ev-title', (els) => els.map((e) => e.getBoundingClientRect().left));
      expect(lefts.length).toBeGreaterThan(20);
      expect(distinct(lefts)).toHaveLength(1);
      await screenshot(page, 'list-view-aligned');

      await page.getByRole('button', { name: 'Settings' }).click();
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await dialog.getByRole('combobox', { name: 'Time zone' }).waitFor();
      // The sync interval's select and the time zone's picker (a combobox you can type a city into).
      const boxes = await dialog
        .locator('select, input[role="combobox"]')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.right, r.height]));
      expect(boxes).toHaveLength(2);
      expect(distinct(boxes.map((b) => b[0]!))).toHaveLength(1);
      expect(distinct(boxes.map((b) => b[1]!))).toHaveLength(1);
      expect(distinct(boxes.map((b) => b[2]!))).toEqual([34]);
      await screenshot(page, 'settings');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    });
    expect(w.problems).toEqual([]);
  });

  it('counts of the contacts sidebar in one right-aligned column, a search placeholder that fits, and contacts filed by family name', async () => {
    const { page } = w;
    await shotOnFailure(page, 'alignment-contacts', async () => {
      await page.getByRole('button', { name: 'Contacts' }).click();
      await page.getByTestId('contacts-count').filter({ hasText: '39 contacts' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Address books' });
      await nav.getByRole('region', { name: 'Groups' }).waitFor();
      // "All contacts", the address book (whose row also holds its export button) and every group.
      const rights = await nav.locator('.dl-count').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
      expect(rights.length).toBeGreaterThanOrEqual(4);
      expect(distinct(rights)).toHaveLength(1);

      const search = page.getByRole('searchbox', { name: 'Search contacts' });
      const fits = async () => {
        const placeholder = (await search.getAttribute('placeholder')) ?? '';
        const room = await search.evaluate((input, text) => {
          const style = input.ownerDocument.defaultView!.getComputedStyle(input);
          const context = input.ownerDocument.createElement('canvas').getContext('2d')!;
          context.font = style.font;
          return input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - context.measureText(text).width;
        }, placeholder);
        return placeholder.length > 0 && room >= 0;
      };
      await expect(fits()).resolves.toBe(true);

      // Dr. Helga Wagner is under W and Dr. Ahmed Hassan under H, not under D.
      for (const [name, letter] of [
        ['Helga Wagner', 'W'],
        ['Ahmed Hassan', 'H'],
      ] as const) {
        await search.fill(name);
        const option = page.getByRole('option', { name: new RegExp(name) });
        await option.waitFor();
        await expect(page.getByRole('option').count()).resolves.toBe(1);
        await expect(page.locator('.dl-contact-slot', { has: option }).locator('.dl-group-header').textContent()).resolves.toBe(letter);
      }
      await search.fill('');
      await page.getByTestId('contacts-count').filter({ hasText: '39 contacts' }).waitFor();
      await screenshot(page, 'contacts-sidebar');

      await page.setViewportSize({ width: 1024, height: 700 });
      await expect(fits()).resolves.toBe(true);
      await page.setViewportSize({ width: 1400, height: 900 });
    });
    expect(w.problems).toEqual([]);
  });
});
