// End to end against a real server (Radicale behind nginx TLS, found through DNS SRV): an address book with a
// vCard 3.0 birthday with its year, a vCard 4.0 birthday without one (--MMDD) and an ANNIVERSARY, an Apple group card
// (X-ADDRESSBOOKSERVER-KIND:group with X-ADDRESSBOOKSERVER-MEMBER) and CATEGORIES. The account's Birthdays calendar
// is in the sidebar, marked as made by Davlens; a birthday shows on its day with the age and opens the contact; the
// Groups section lists the Apple group and the category with their member counts and filters the list to their
// members; the group card is never listed as a person. Any console error, page error or CSP violation fails the test.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../harness/servers.ts';
import { basicAuth, del, mkAddressbook, put } from '../harness/seed.ts';
import { datesWithEvent, gotoDate, screenshot, shotOnFailure } from './support/app.ts';
import type { Launched, WatchedPage } from './support/browser.ts';
import { launchChromium, watchedPage } from './support/browser.ts';
import { useHarness } from './support/harness.ts';
import { startWeb } from './support/web.ts';
import type { WebHost } from './support/web.ts';

const tag = Math.random().toString(36).slice(2, 7);
let h: Harness;
let release: () => Promise<void> = async () => {};
let chromium: Launched;
let web: WebHost | undefined;
let w: WatchedPage | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

const VCF = 'text/vcard; charset=utf-8';
const card = (...lines: string[]): string => ['BEGIN:VCARD', ...lines, 'END:VCARD', ''].join('\r\n');

// Names carry the run's tag: the server's other address books (other tests') never match them.
const jonas = { uid: randomUUID().toUpperCase(), fn: `Jonas Weber ${tag}` };
const mia = { uid: randomUUID(), fn: `Mia Roth ${tag}` };
const paul = { uid: randomUUID().toUpperCase(), fn: `Paul Lenz ${tag}` };
const bookClub = `Book club ${tag}`;
const climbing = `Climbing ${tag}`;
const bookName = `Friends ${tag}`;

const CARDS: Record<string, string> = {
  // vCard 3.0 (Apple's Contacts): a birthday with its year, in the Apple group.
  'jonas.vcf': card(
    'VERSION:3.0',
    'PRODID:-//Apple Inc.//macOS 14.5//EN',
    `N:Weber ${tag};Jonas;;;`,
    `FN:${jonas.fn}`,
    'EMAIL;type=INTERNET;type=HOME;type=pref:jonas@example.org',
    'BDAY:1986-03-15',
    `UID:${jonas.uid}`,
  ),
  // vCard 4.0: a birthday without a year, an anniversary with one, a category.
  'mia.vcf': card(
    'VERSION:4.0',
    `FN:${mia.fn}`,
    `N:Roth ${tag};Mia;;;`,
    'BDAY:--0520',
    'ANNIVERSARY:20100612',
    `CATEGORIES:${climbing}`,
    `UID:urn:uuid:${mia.uid}`,
  ),
  // No date; the category and the Apple group.
  'paul.vcf': card('VERSION:3.0', `N:Lenz ${tag};Paul;;;`, `FN:${paul.fn}`, `CATEGORIES:${climbing}`, `UID:${paul.uid}`),
  // Apple's group card: two members, and one whose card was deleted (not counted).
  'book-club.vcf': card(
    'VERSION:3.0',
    'PRODID:-//Apple Inc.//macOS 14.5//EN',
    `N:${bookClub};;;;`,
    `FN:${bookClub}`,
    'X-ADDRESSBOOKSERVER-KIND:group',
    `X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:${jonas.uid}`,
    `X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:${paul.uid}`,
    `X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:${randomUUID().toUpperCase()}`,
    `UID:${randomUUID().toUpperCase()}`,
  ),
};

/** Years from the date to today (the age shown on the card). */
function yearsSince(ymd: string): number {
  const now = new Date();
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  return now.getFullYear() - y - (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d) ? 1 : 0);
}

beforeAll(async () => {
  ({ harness: h, release } = await useHarness());
  chromium = await launchChromium();
  const alice = h.users.alice;
  const auth = basicAuth(alice.username, alice.password);
  const book = `https://dav.example.test:${h.ports.radicaleTls}/alice%40example.test/e2e-dates-${tag}/`;
  await mkAddressbook(book, auth, { displayName: bookName });
  cleanups.push(() => del(book, auth));
  for (const [name, text] of Object.entries(CARDS)) await put(`${book}${name}`, auth, text, VCF);
});

afterAll(async () => {
  await w?.close();
  await web?.stop();
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await chromium?.close();
  await release();
});

describe('birthdays from contacts, and contact groups', () => {
  it('shows the Birthdays calendar, a birthday with the age that opens the contact, and the groups as a filter', async () => {
    web = await startWeb({ dns: h.dns, ca: h.caFile });
    w = await watchedPage(chromium.browser);
    const { page } = w;
    await page.goto(web.url);
    await shotOnFailure(page, 'birthdays-groups', async () => {
      await page.getByLabel('Email address').fill(h.users.alice.email);
      await page.getByLabel('Password', { exact: true }).fill(h.users.alice.password);
      await page.getByRole('button', { name: 'Connect' }).click();
      await page.getByText('Account added').waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Done' }).click();

      // The Birthdays calendar under the account, marked as made by Davlens from the contacts, read-only.
      const nav = page.getByRole('navigation', { name: 'Calendars' });
      const account = nav.getByRole('region', { name: h.users.alice.email });
      const birthdays = account.getByRole('checkbox', { name: 'Birthdays from contacts' });
      await birthdays.waitFor({ timeout: 30_000 });
      const row = account.locator('[data-kind="birthdays"]');
      await expect(row.getByRole('img', { name: 'Made by Davlens from the contacts, read-only' }).count()).resolves.toBe(1);
      await expect(row.getByRole('button').count()).resolves.toBe(0);

      // Jonas's birthday on its day with his age; Mia's without a year shows no age.
      const jonasBirthday = `${jonas.fn}'s birthday`;
      await gotoDate(page, '2026-03-10', /March 2026/);
      await expect.poll(() => datesWithEvent(page, jonasBirthday), { timeout: 30_000 }).toEqual(['2026-03-15']);
      const event = page.locator('[data-date="2026-03-15"] .dl-event', { hasText: jonasBirthday });
      await expect(event.locator('.dl-ev-title').textContent()).resolves.toBe(`${jonasBirthday} (40)`);
      await expect(event.getAttribute('class')).resolves.toContain('dl-birthday');
      await gotoDate(page, '2026-05-10', /May 2026/);
      expect(await datesWithEvent(page, `${mia.fn}'s birthday`)).toEqual(['2026-05-20']);
      await expect(
        page
          .locator('.dl-event', { hasText: `${mia.fn}'s birthday` })
          .locator('.dl-ev-title')
          .textContent(),
      ).resolves.toBe(`${mia.fn}'s birthday`);
      await gotoDate(page, '2026-06-10', /June 2026/);
      await expect(page.locator('[data-date="2026-06-12"] .dl-event .dl-ev-title', { hasText: `${mia.fn}'s anniversary` }).textContent()).resolves.toBe(
        `${mia.fn}'s anniversary (16)`,
      );

      // Hidden like any calendar, and shown again.
      await birthdays.uncheck();
      await expect.poll(() => datesWithEvent(page, `${mia.fn}'s anniversary`)).toEqual([]);
      await birthdays.check();
      await expect.poll(() => datesWithEvent(page, `${mia.fn}'s anniversary`)).toEqual(['2026-06-12']);

      // A birthday opens the contact, not event details.
      await gotoDate(page, '2026-03-10', /March 2026/);
      await screenshot(page, 'birthdays-month');
      await event.click();
      await page.getByRole('navigation', { name: 'Address books' }).waitFor();
      const cardView = page.getByRole('article', { name: 'Contact details' });
      await cardView.getByRole('heading', { level: 2, name: jonas.fn }).waitFor();
      await expect(cardView.getByTestId('contact-birthday').textContent()).resolves.toBe(`15 March 1986 · ${yearsSince('1986-03-15')} years`);
      await expect(cardView.getByTestId('contact-groups').textContent()).resolves.toBe(bookClub);
      await page.getByRole('option', { name: new RegExp(jonas.fn), selected: true }).waitFor();
      await expect(page.getByRole('complementary', { name: 'Event details' }).count()).resolves.toBe(0);

      // The address book holds three people: the group card is none of them.
      const contactsNav = page.getByRole('navigation', { name: 'Address books' });
      await contactsNav.getByRole('button', { name: new RegExp(`^${bookName}`) }).click();
      await page
        .getByTestId('contacts-count')
        .filter({ hasText: /^3 contacts$/ })
        .waitFor();
      // Filed by family name: Lenz, Roth, Weber.
      expect((await page.getByRole('option').allTextContents()).map((t) => t.match(/(Jonas|Mia|Paul|Book)/)?.[1])).toEqual(['Paul', 'Mia', 'Jonas']);

      // The groups with their member counts: the Apple group card and the category.
      const groups = contactsNav.getByRole('region', { name: 'Groups' });
      const club = groups.getByRole('button', { name: `${bookClub}, 2 contacts, Apple group card`, exact: true });
      const climbers = groups.getByRole('button', { name: `${climbing}, 2 contacts, category`, exact: true });
      await club.waitFor();
      await climbers.waitFor();
      await screenshot(page, 'contacts-groups');

      // A group filters the list to its members, and shows as pressed.
      await club.click();
      await page
        .getByTestId('contacts-count')
        .filter({ hasText: `2 contacts in ${bookClub}` })
        .waitFor();
      await expect(club.getAttribute('aria-pressed')).resolves.toBe('true');
      await expect
        .poll(async () => (await page.getByRole('option').allTextContents()).map((t) => t.match(/(Jonas|Mia|Paul|Book)/)?.[1]))
        .toEqual(['Paul', 'Jonas']);
      await climbers.click();
      await page
        .getByTestId('contacts-count')
        .filter({ hasText: `2 contacts in ${climbing}` })
        .waitFor();
      await expect(club.getAttribute('aria-pressed')).resolves.toBe('false');
      await expect
        .poll(async () => (await page.getByRole('option').allTextContents()).map((t) => t.match(/(Jonas|Mia|Paul|Book)/)?.[1]))
        .toEqual(['Paul', 'Mia']);
      // Mia's card: the birthday without a year, the anniversary with its years, her category.
      await page.getByRole('option', { name: new RegExp(mia.fn) }).click();
      await cardView.getByRole('heading', { level: 2, name: mia.fn }).waitFor();
      await expect(cardView.getByTestId('contact-birthday').textContent()).resolves.toBe('20 May');
      await expect(cardView.getByTestId('contact-anniversary').textContent()).resolves.toBe(`12 June 2010 · ${yearsSince('2010-06-12')} years`);
      await expect(cardView.getByTestId('contact-groups').textContent()).resolves.toBe(climbing);
      // Pressed again: the whole address book.
      await climbers.click();
      await page
        .getByTestId('contacts-count')
        .filter({ hasText: /^3 contacts$/ })
        .waitFor();
      await expect(climbers.getAttribute('aria-pressed')).resolves.toBe('false');
    });
    expect(w.problems).toEqual([]);
  });
});
