// Driving the app in Chromium: open the web host's one-time URL, find calendar cells and events, save
// screenshots of the main screens to test-results/screenshots/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';

export const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', '..', 'test-results', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The month grid's cell for a date (FullCalendar 7 marks day cells with role=cell and data-date). */
export function dayCell(page: Page, ymd: string): Locator {
  return page.locator(`[role="cell"][data-date="${ymd}"]`);
}

/** Picks a zone in the time-zone picker by typing its city and choosing its option; '' is the system zone. */
export async function chooseTimeZone(page: Page, zone: string): Promise<void> {
  const box = page.getByRole('combobox', { name: 'Time zone' });
  await box.click();
  if (zone) await box.fill(zone.split('/').pop()!.replace(/_/g, ' '));
  const option = zone ? page.getByRole('option').filter({ hasText: `— ${zone.replace(/_/g, ' ')} (` }) : page.getByRole('option', { name: /\(system\)$/ });
  await option.click();
}

/** Exports a calendar or an address book from its row's menu in the sidebar. */
export async function exportFromRowMenu(page: Page, sidebar: Locator, name: string): Promise<void> {
  await sidebar.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
  await page.getByRole('menuitem', { name: /^Export \(\.(ics|vcf)\)$/ }).click();
}

/** Goes to a date with the toolbar's date picker and waits for the title to change. */
export async function gotoDate(page: Page, ymd: string, title: RegExp): Promise<void> {
  const picker = page.getByLabel('Go to date');
  await picker.fill(ymd);
  // Leave the field, so the keyboard shortcuts reach the calendar again.
  await picker.blur();
  await page.locator('.dl-calendar-title').filter({ hasText: title }).waitFor();
  await eventsLoaded(page, ymd);
}

/** Waits until the events of a range holding `ymd` are fetched and FullCalendar has them. */
export async function eventsLoaded(page: Page, ymd: string, timeoutMs = 30_000): Promise<void> {
  // Polled from here: the page's CSP forbids the eval that a string waitForFunction would need.
  const host = page.locator('.dl-fc-host');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [loading, from, to] = await Promise.all([
      host.getAttribute('data-loading'),
      host.getAttribute('data-loaded-from'),
      host.getAttribute('data-loaded-to'),
    ]);
    if (loading === 'false' && from !== null && to !== null && from <= ymd && ymd < to) break;
    if (Date.now() > deadline) throw new Error(`events around ${ymd} did not load (loading=${loading}, range ${from}..${to})`);
    await page.waitForTimeout(25);
  }
  // One frame for FullCalendar to paint what it got.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
}

/** Every date in [from, to) that falls on one of the weekdays (0 = Sunday). */
export function weekdaysBetween(from: string, to: string, weekdays: number[]): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T12:00:00Z`); d < new Date(`${to}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    if (weekdays.includes(d.getUTCDay())) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** The dates (data-date) of the month-grid cells holding an event with this title. */
export async function datesWithEvent(page: Page, title: string): Promise<string[]> {
  const cells = page.locator('[role="cell"][data-date]').filter({ has: page.locator('.dl-event', { hasText: title }) });
  const dates = await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-date') ?? ''));
  return [...new Set(dates)].sort();
}

export function readDownload(path: string): string {
  return readFileSync(path, 'utf8');
}

/** Runs a test body; on failure saves a screenshot (failure-NAME.png) and rethrows. */
export async function shotOnFailure(page: Page, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    await screenshot(page, `failure-${name}`).catch(() => undefined);
    throw e;
  }
}
