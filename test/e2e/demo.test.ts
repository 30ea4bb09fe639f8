// End to end in Debian's Chromium against `npm run web`: the first run, "Try the demo", the calendar
// (recurring events on the right days, an override moved to another day, views, details, search, time
// zone), contacts (search, a birthday without a year, a photo), exporting a calendar, dark mode.
// Any console error, page error or CSP violation fails the test.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchedPage } from './support/browser.ts';
import {
  chooseTimeZone,
  datesWithEvent,
  dayCell,
  eventsLoaded,
  exportFromRowMenu,
  gotoDate,
  readDownload,
  screenshot,
  shotOnFailure,
  weekdaysBetween,
} from './support/app.ts';
import { useWebPage } from './support/web-page.ts';

/** YYYY-MM-DD `days` after a date. */
const addDays = (ymd: string, days: number) => new Date(Date.parse(`${ymd}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const w = useWebPage('demo');

describe('the demo in the browser', () => {
  it('opens on the welcome screen and loads the demo', async () => {
    const { page } = w;
    await page.goto(w.url);
    await page.getByRole('heading', { name: 'Welcome to Davlens' }).waitFor();
    await screenshot(page, 'welcome');
    await page.getByRole('button', { name: 'Try the demo' }).click();
    const nav = page.getByRole('navigation', { name: 'Calendars' });
    // The demo's three calendars, and the Birthdays calendar Davlens makes from its contacts ("from contacts").
    for (const name of ['Work', 'Family', 'Important Dates', 'Birthdays from contacts']) await nav.getByRole('checkbox', { name, exact: true }).waitFor();
    expect(w.problems).toEqual([]);
  });

  it('shows a weekly event on every Monday, with its moved instance on the Tuesday', async () => {
    const { page } = w;
    await gotoDate(page, '2026-05-15', /May 2026/);
    await page.locator('.dl-event', { hasText: 'Weekly team meeting' }).first().waitFor();
    await screenshot(page, 'calendar-month');
    const mondays = weekdaysBetween('2026-04-27', '2026-06-08', [1]).filter((d) => d !== '2026-05-25');
    expect(await datesWithEvent(page, 'Weekly team meeting')).toEqual([...mondays, '2026-05-26'].sort());
    await expect(dayCell(page, '2026-05-26').locator('.dl-event', { hasText: 'moved: Whit Monday' }).count()).resolves.toBe(1);
    // Stand-ups on weekdays only, marked as recurring.
    const standups = await datesWithEvent(page, 'Daily stand-up');
    expect(standups).toEqual(weekdaysBetween('2026-04-27', '2026-06-08', [1, 2, 3, 4, 5]));
    await expect(page.locator('.dl-event.dl-recurring', { hasText: 'Daily stand-up' }).first().locator('[aria-label="Repeats"]').count()).resolves.toBe(1);
    // The leap-day birthday (from Lea's card, on the Birthdays calendar) falls on 28 February in 2027 and on 29 February in 2028.
    await gotoDate(page, '2027-02-10', /February 2027/);
    expect(await datesWithEvent(page, "Lea Fischer's birthday")).toEqual(['2027-02-28']);
    await gotoDate(page, '2028-02-10', /February 2028/);
    expect(await datesWithEvent(page, "Lea Fischer's birthday")).toEqual(['2028-02-29']);
    expect(w.problems).toEqual([]);
  });

  it('marks a cancelled instance and shows the details of an event', async () => {
    const { page } = w;
    await gotoDate(page, '2026-12-10', /December 2026/);
    const cancelled = dayCell(page, '2026-12-28').locator('.dl-event', { hasText: 'Weekly team meeting' });
    await expect(cancelled.getAttribute('class')).resolves.toContain('dl-cancelled');
    await gotoDate(page, '2026-03-04', /March 2026/);
    await page.keyboard.press('w');
    await page.getByRole('button', { name: 'Week' }).and(page.locator('[aria-pressed="true"]')).waitFor();
    await eventsLoaded(page, '2026-03-04');
    await page.locator('.dl-event', { hasText: 'Call with the New York office' }).first().click();
    const details = page.getByRole('complementary', { name: 'Event details' });
    await details.getByText('every week on Wednesday').waitFor();
    await expect(details.getByTestId('event-own-zone').textContent()).resolves.toMatch(/America\/New_York/);
    await expect(details.getByText('Emily Johnson').first().isVisible()).resolves.toBe(true);
    await screenshot(page, 'calendar-week-details');
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });
    await page.keyboard.press('l');
    await page.getByRole('button', { name: 'List' }).and(page.locator('[aria-pressed="true"]')).waitFor();
    await screenshot(page, 'calendar-list');
    await page.keyboard.press('m');
    expect(w.problems).toEqual([]);
  });

  it('searches titles, locations and descriptions, upcoming matches first and a series once', async () => {
    const { page } = w;
    await page.keyboard.press('/');
    await page.keyboard.type('Weekly team meeting');
    const results = page.getByRole('complementary', { name: 'Search events' });
    await results
      .getByRole('status')
      .filter({ hasText: /match(es)? “Weekly team meeting”/ })
      .waitFor();
    // The weekly series since 2024 (with its moved and cancelled instances) is one line, at its next occurrence.
    const upcoming = results.getByRole('list', { name: 'Upcoming matches' });
    const series = upcoming.locator('.dl-event-item', { hasText: 'Weekly team meeting' });
    await expect(series.count()).resolves.toBe(1);
    await expect(series.locator('.dl-event-item-note').textContent()).resolves.toMatch(/^Repeats \((\d{2,3}) times in this range\)$/);
    const today = await page.evaluate(() => new Date().toLocaleDateString('en-CA'));
    const next = await upcoming.locator('[data-day]').first().getAttribute('data-day');
    expect(next! >= today && next! <= addDays(today, 7)).toBe(true);
    await page.getByRole('searchbox', { name: 'Search events' }).fill('Lisboa');
    await results
      .getByRole('status')
      .filter({ hasText: /match(es)? “Lisboa”/ })
      .waitFor();
    // The Summit is held each September: this year's may be past, behind "Show past matches".
    const past = results.getByRole('button', { name: /^Show \d+ past match/ });
    if (await past.count()) await past.click();
    await screenshot(page, 'calendar-search');
    const items = await results.locator('.dl-event-item-title').allTextContents();
    expect(items.some((t) => /CalDAV Summit 20\d\d/.test(t))).toBe(true);
    const summit = results.locator('.dl-event-item', { hasText: /CalDAV Summit 20\d\d/ }).first();
    const year = /CalDAV Summit (20\d\d)/.exec((await summit.textContent()) ?? '')![1]!;
    await summit.click();
    await page
      .locator('.dl-calendar-title')
      .filter({ hasText: new RegExp(`September ${year}`) })
      .waitFor();
    await page.getByRole('complementary', { name: 'Event details' }).getByText(`https://caldav-summit.example/${year}`, { exact: true }).first().waitFor();
    await page.getByRole('searchbox', { name: 'Search events' }).fill('');
    await page.keyboard.press('Escape');
    expect(w.problems).toEqual([]);
  });

  it('shows the events in another time zone at that zone’s wall-clock time', async () => {
    const { page } = w;
    await gotoDate(page, '2026-03-02', /March 2026/);
    const cell = dayCell(page, '2026-03-02').locator('.dl-event', { hasText: 'Weekly team meeting' });
    await expect(cell.locator('.dl-ev-time').textContent()).resolves.toMatch(/^10:00$/);
    await chooseTimeZone(page, 'Asia/Tokyo');
    await expect.poll(() => cell.locator('.dl-ev-time').textContent()).toMatch(/^18:00$/);
    await chooseTimeZone(page, '');
    await expect.poll(() => cell.locator('.dl-ev-time').textContent()).toMatch(/^10:00$/);
    expect(w.problems).toEqual([]);
  });

  it('hides a calendar and remembers it', async () => {
    const { page } = w;
    const family = page.getByRole('navigation', { name: 'Calendars' }).getByRole('checkbox', { name: 'Family' });
    await family.uncheck();
    await expect.poll(() => page.locator('.dl-event', { hasText: 'Family dinner' }).count()).toBe(0);
    await page.reload();
    await expect(page.getByRole('navigation', { name: 'Calendars' }).getByRole('checkbox', { name: 'Family' }).isChecked()).resolves.toBe(false);
    await page.getByRole('navigation', { name: 'Calendars' }).getByRole('checkbox', { name: 'Family' }).check();
    await page.locator('.dl-event', { hasText: 'Family dinner' }).first().waitFor();
    expect(w.problems).toEqual([]);
  });

  it('exports a whole calendar as a file', async () => {
    const { page } = w;
    const nav = page.getByRole('navigation', { name: 'Calendars' });
    const [download] = await Promise.all([page.waitForEvent('download'), exportFromRowMenu(page, nav, 'Work')]);
    expect(download.suggestedFilename()).toMatch(/Work\.ics$/);
    const path = `${w.downloadsDir}/${download.suggestedFilename()}`;
    await download.saveAs(path);
    const ics = readDownload(path);
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics).toContain('SUMMARY:Weekly team meeting');
    expect(ics).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO');
    expect(ics).toContain('BEGIN:VTIMEZONE');
    expect(ics.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    expect(w.problems).toEqual([]);
  });

  it('finds contacts, shows a photo and a birthday without a year', async () => {
    const { page } = w;
    await page.getByRole('button', { name: 'Contacts' }).click();
    // 40 cards, one of them the Book Club's group card: a group, never listed as a person (issue 17).
    await page.getByTestId('contacts-count').filter({ hasText: '39 contacts' }).waitFor();
    await page.locator('.dl-group-header').first().waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('weber');
    await page
      .getByTestId('contacts-count')
      .filter({ hasText: /^1 contact$/ })
      .waitFor();
    await page.getByRole('option', { name: /Jonas Weber/ }).click();
    const card = page.getByRole('article', { name: 'Contact details' });
    await expect(card.getByTestId('contact-birthday').textContent()).resolves.toBe('6 May');
    await card
      .getByRole('link', { name: 'Call +49-176-11223344' })
      .or(card.getByRole('link', { name: /Call \+49/ }))
      .first()
      .waitFor();
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill('nordlicht');
    await page
      .getByTestId('contacts-count')
      .filter({ hasText: /contacts$/ })
      .waitFor();
    await page.getByRole('option', { name: /Anna Schmidt/ }).click();
    await card.getByRole('img', { name: 'Photo of Anna Schmidt' }).waitFor();
    await expect(card.getByRole('link', { name: 'Write to anna.schmidt@nordlicht.example' }).getAttribute('href')).resolves.toBe(
      'mailto:anna.schmidt@nordlicht.example',
    );
    await screenshot(page, 'contacts');
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Export contact (.vcf)' }).click()]);
    const path = `${w.downloadsDir}/${download.suggestedFilename()}`;
    await download.saveAs(path);
    expect(readDownload(path)).toMatch(/^BEGIN:VCARD\r\n[\s\S]*FN:Anna Schmidt\r\n[\s\S]*END:VCARD\r\n$/);
    expect(w.problems).toEqual([]);
  });

  it('opens a local .ics and a local .vcf file read-only', async () => {
    const { page } = w;
    await shotOnFailure(page, 'local-file', async () => {
      await page.getByTestId('open-file-input').setInputFiles(join(import.meta.dirname, '../../assets/demo/family.ics'));
      const dialog = page.getByRole('dialog', { name: 'family.ics' });
      await dialog.getByText('Read-only').first().waitFor();
      // The file opens at its first event not over yet, beside the list (family.ics runs from January 2024 on).
      const today = await page.evaluate(() => new Date().toLocaleDateString('en-CA'));
      const opened = dialog.locator('.dl-event-item.dl-selected');
      // Scrolled into the list's view, a year of earlier events above it.
      const inView = await opened.evaluate((el) => {
        const box = el.closest('.dl-file-list')!.getBoundingClientRect();
        const r = el.getBoundingClientRect();
        return r.top >= box.top && r.bottom <= box.bottom && el.closest('.dl-file-list')!.scrollTop > 0;
      });
      expect(inView).toBe(true);
      const day = await dialog.locator('[data-day]', { has: page.locator('.dl-event-item.dl-selected') }).getAttribute('data-day');
      expect(day! >= today && day! <= addDays(today, 14)).toBe(true);
      await dialog.getByRole('complementary', { name: 'Event details' }).waitFor();
      await dialog.locator('.dl-event-item', { hasText: 'Book club' }).first().click();
      await dialog.getByRole('complementary', { name: 'Event details' }).getByText('Café Buchwald, Bartningallee 29, Berlin').waitFor();
      await screenshot(page, 'local-file-ics');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('open-file-input').setInputFiles(join(import.meta.dirname, '../../assets/demo/contacts.vcf'));
      const cards = page.getByRole('dialog', { name: 'contacts.vcf' });
      // 40 cards, one of them a group card: 39 people, as in the address book.
      await cards.getByText('39 contacts').waitFor();
      await cards.getByRole('button', { name: /Yuki Tanaka/ }).click();
      await cards.getByRole('link', { name: 'Write to yuki.tanaka@sakura.example' }).waitFor();
      await page.keyboard.press('Escape');
      await cards.waitFor({ state: 'detached' });
    });
    expect(w.problems).toEqual([]);
  });

  it('looks right in dark mode', async () => {
    const dark = await watchedPage(w.browser, { colorScheme: 'dark' });
    try {
      // The one-time link is spent: a fresh host on the same profile, which already holds the demo.
      const url = await w.restartWeb();
      {
        await dark.page.goto(url);
        await dark.page.getByRole('navigation', { name: 'Calendars' }).getByRole('checkbox', { name: 'Work' }).waitFor();
        await dark.page.locator('.dl-event').first().waitFor();
        const bg = await dark.page.evaluate('getComputedStyle(document.body).backgroundColor');
        expect(bg).toBe('rgb(23, 25, 28)');
        await screenshot(dark.page, 'calendar-month-dark');
        await dark.page.getByRole('button', { name: 'Contacts' }).click();
        await dark.page.getByRole('option').first().click();
        await screenshot(dark.page, 'contacts-dark');
        expect(dark.problems).toEqual([]);
      }
    } finally {
      await dark.close();
    }
  });
});
