// End to end in Debian's Chromium against `npm run web`: subscribe to a calendar feed served over plain http by a
// server of the test's own on loopback (allowed in the dialog), see its weekly event on the right days in its
// colour, its name and refresh time in the sidebar and its details; then, with the feed server gone, reload: the
// events are read from the store, a refresh says why it failed and keeps them; remove it from its menu.
// No DAV server is needed. Any console error, page error or CSP violation fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BERLIN_TZ } from '../support/dav-fixtures.ts';
import { startScriptedServer } from '../support/scripted-server.ts';
import type { ScriptedServer } from '../support/scripted-server.ts';
import { datesWithEvent, dayCell, eventsLoaded, gotoDate, screenshot, shotOnFailure, weekdaysBetween } from './support/app.ts';
import { useWebPage } from './support/web-page.ts';

const tag = Math.random().toString(36).slice(2, 7);
const calName = `Rota ${tag}`;
const title = `Rota shift ${tag}`;
const ETAG = `"rota-${tag}"`;

/** A feed as publishers write them: a name, an Apple colour, a zone, one weekly event (Monday and Wednesday). */
const FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Davlens e2e//feed//EN',
  `X-WR-CALNAME:${calName}`,
  'X-APPLE-CALENDAR-COLOR:#E66100FF',
  ...BERLIN_TZ,
  'BEGIN:VEVENT',
  `UID:rota-${tag}@feed.test`,
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=Europe/Berlin:20260105T090000',
  'DTEND;TZID=Europe/Berlin:20260105T120000',
  'RRULE:FREQ=WEEKLY;BYDAY=MO,WE',
  `SUMMARY:${title}`,
  'LOCATION:Front desk',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

let feed: ScriptedServer;
const w = useWebPage('subscriptions');

beforeAll(async () => {
  feed = await startScriptedServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/feeds/rota.ics') return void res.writeHead(404).end('not here');
    if (req.headers['if-none-match'] === ETAG) return void res.writeHead(304, { ETag: ETAG }).end();
    res.writeHead(200, { 'Content-Type': 'text/calendar; charset=utf-8', ETag: ETAG }).end(FEED);
  });
});

afterAll(async () => {
  await feed?.close();
});

describe('a subscribed calendar in the browser', () => {
  const feedUrl = (): string => `${feed.url}feeds/rota.ics`;
  const entry = () => w.page.getByRole('region', { name: 'Subscriptions' }).locator('li.dl-subscription', { hasText: calName });

  it('subscribes over plain http from the first screen and shows the feed’s events, name and refresh time', async () => {
    const { page } = w;
    await page.goto(w.url);
    await shotOnFailure(page, 'subscription-add', async () => {
      await page.getByRole('heading', { name: 'Welcome to Davlens' }).waitFor();
      await page.getByRole('button', { name: 'Subscribe to calendar…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Subscribe to a calendar' });
      const url = dialog.getByLabel('Calendar URL');
      await url.fill(`${feed.url}feeds/missing.ics`);
      // Plain http is refused until allowed.
      await dialog.getByRole('button', { name: 'Subscribe' }).click();
      await dialog.getByRole('alert').filter({ hasText: 'allow plain HTTP below' }).waitFor();
      await dialog.getByLabel('Allow plain HTTP (not encrypted)').check();
      await dialog.getByLabel('Refresh').selectOption({ label: 'every hour' });
      // A feed that is not there: the engine's reason, and nothing added.
      await dialog.getByRole('button', { name: 'Subscribe' }).click();
      const failure = dialog.getByRole('alert').filter({ hasText: 'The calendar could not be added' });
      await failure.waitFor({ timeout: 60_000 });
      await expect(failure.locator('li').count()).resolves.toBeGreaterThan(0);
      await screenshot(page, 'subscription-failed');
      await url.fill(feedUrl());
      await screenshot(page, 'subscription-dialog');
      await dialog.getByRole('button', { name: 'Subscribe' }).click();
      await dialog.waitFor({ state: 'detached', timeout: 60_000 });
      await page.getByText(`Subscribed to ${calName}`).waitFor();
      expect(feed.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /feeds/missing.ics', 'GET /feeds/rota.ics']);

      // The sidebar: its name (X-WR-CALNAME) in its colour (X-APPLE-CALENDAR-COLOR), read-only, every hour, refreshed just now.
      const nav = page.getByRole('navigation', { name: 'Calendars' });
      const box = nav.getByRole('checkbox', { name: calName });
      await box.waitFor();
      await expect(box.getAttribute('style')).resolves.toMatch(/accent-color: (rgb\(230, 97, 0\)|#e66100)/);
      await expect(entry().getByRole('img', { name: 'Subscribed calendar, read-only' }).count()).resolves.toBe(1);
      await expect(entry().locator('.dl-subscription-status').textContent()).resolves.toMatch(/every hour · refreshed just now/);
      // No account: the header's sync state is the subscription's.
      await expect(page.getByTestId('sync-status').textContent()).resolves.toBe('Synced just now');

      // The weekly event on every Monday and Wednesday of the month on screen, at 09:00.
      await gotoDate(page, '2026-03-10', /March 2026/);
      expect(await datesWithEvent(page, title)).toEqual(weekdaysBetween('2026-02-23', '2026-04-06', [1, 3]));
      const monday = dayCell(page, '2026-03-02').locator('.dl-event', { hasText: title });
      await expect(monday.locator('.dl-ev-time').textContent()).resolves.toMatch(/^0?9:00$/);
      await expect(monday.getAttribute('class')).resolves.toContain('dl-recurring');
      await screenshot(page, 'subscription-calendar');

      // Its details, read from the store like any calendar's.
      await monday.click();
      const details = page.getByRole('complementary', { name: 'Event details' });
      await details.getByText('Front desk').first().waitFor();
      await details
        .getByText(/every week on Monday/)
        .first()
        .waitFor();
      await expect(details.getByText(calName).count()).resolves.toBeGreaterThan(0);
      await expect(details.locator('.dl-swatch-lg').getAttribute('style')).resolves.toMatch(/rgb\(230, 97, 0\)|#e66100/);
      await page.keyboard.press('Escape');
      await details.waitFor({ state: 'detached' });
    });
    expect(w.problems).toEqual([]);
  });

  it('shows the stored events with the feed server gone, and says why a refresh failed', async () => {
    const { page } = w;
    await feed.close();
    await shotOnFailure(page, 'subscription-offline', async () => {
      await page.reload();
      await page.getByRole('navigation', { name: 'Calendars' }).getByRole('checkbox', { name: calName }).waitFor();
      await gotoDate(page, '2026-03-10', /March 2026/);
      expect(await datesWithEvent(page, title)).toEqual(weekdaysBetween('2026-02-23', '2026-04-06', [1, 3]));

      await entry()
        .getByRole('button', { name: `Actions for ${calName}` })
        .click();
      await page.getByRole('menuitem', { name: 'Refresh now' }).click();
      await page.getByText(new RegExp(`${calName} could not be refreshed`)).waitFor({ timeout: 60_000 });
      await entry().getByRole('alert').waitFor();
      await expect(entry().getByRole('alert').textContent()).resolves.toMatch(/\S/);
      // The last good copy stays.
      await eventsLoaded(page, '2026-03-10');
      expect(await datesWithEvent(page, title)).toEqual(weekdaysBetween('2026-02-23', '2026-04-06', [1, 3]));
      await screenshot(page, 'subscription-offline');
    });
    expect(w.problems).toEqual([]);
  });

  it('removes it from its menu after asking', async () => {
    const { page } = w;
    await shotOnFailure(page, 'subscription-remove', async () => {
      await entry()
        .getByRole('button', { name: `Actions for ${calName}` })
        .click();
      await page.getByRole('menuitem', { name: 'Remove…' }).click();
      const confirm = page.getByRole('dialog', { name: `Remove ${calName}?` });
      await confirm.getByRole('button', { name: 'Remove' }).click();
      await page.getByText(`Removed ${calName}`).waitFor();
      // Nothing left (no account either): the first screen again.
      await page.getByRole('heading', { name: 'Welcome to Davlens' }).waitFor();
      await expect(page.getByRole('checkbox', { name: calName }).count()).resolves.toBe(0);
      await page.reload();
      await page.getByRole('heading', { name: 'Welcome to Davlens' }).waitFor();
    });
    expect(w.problems).toEqual([]);
  });
});
