// `npm run bench:ui`: UI figures in Debian's Chromium (prints numbers; not a timed test).
//  1. Month view, 10,000 events in the account, ~2,000 in the visible month: time from clicking "next"
//     until the new month's events are painted, for
//       a. the app on `npm run web` with the events in the engine's store (the whole data path),
//       b. the app on an in-page client (the UI alone),
//       c. bare FullCalendar 7 given the same events precomputed (the floor).
//  2. Contacts, 10,000 in the account (through `npm run web`): time to first paint of the list, and the
//     latency of each search keystroke (typing at a person's pace) until the list shows that query's result.
//  3. A new account on a Radicale holding 10,000 events: from Connect until the month on screen is painted,
//     beside the floor and the full sync (bench-first-month.ts; BENCH_UI_PART=first-month runs it alone).
// Targets: under 200 ms per month switch, under 100 ms per search keystroke; the first month within 1.5x of
// its floor and at least 3x sooner than waiting for the full sync.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { calendarItemRow, contactItemRow } from '../../electron/engine/store/item-rows.ts';
import { Store } from '../../electron/engine/store/store.ts';
import type { AddressBook, Calendar } from '../../shared/models.ts';
import { firstMonthBench } from './bench-first-month.ts';
import { launchChromium, watchedPage } from './support/browser.ts';
import { serveStatic } from './support/static-server.ts';
import { startWeb } from './support/web.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const EVENTS = 10_000;
const MONTHS = 5; // January to May 2026: 2,000 events a month
const CONTACTS = 10_000;
const SWITCHES = 24;
const QUERIES = ['mül', 'anna', 'tanaka', '0176'];

const pad = (n: number): string => String(n).padStart(2, '0');

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const WHAT = ['Team meeting', 'Lunch', 'Review', 'Call with client', 'Planning', 'Workshop', 'Dentist', 'Gym', 'Stand-up', 'Retro', 'Coffee', 'Interview'];
const GIVEN = [
  'Anna',
  'Ben',
  'Clara',
  'David',
  'Eva',
  'Felix',
  'Greta',
  'Hugo',
  'Ida',
  'Jonas',
  'Karla',
  'Leo',
  'Mia',
  'Noah',
  'Olga',
  'Paul',
  'Rosa',
  'Simon',
  'Tara',
  'Umut',
  'Vera',
  'Yuki',
  'Zoe',
];
const FAMILY = [
  'Adler',
  'Bauer',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hansen',
  'Ito',
  'Jansen',
  'Kowalski',
  'Müller',
  'Novak',
  'Okafor',
  'Rossi',
  'Schmidt',
  'Tanaka',
  'Vogel',
  'Weber',
  'Yilmaz',
];

/** A profile whose account holds 10,000 events and 10,000 contacts, written straight into the store. */
function seedProfile(dir: string): void {
  const store = Store.open(dir);
  const accountId = 'bench@example.test';
  store.saveAccount({
    id: accountId,
    email: accountId,
    username: accountId,
    caldav: null,
    carddav: null,
    approvedHosts: [],
    options: {},
    syncedAt: new Date().toISOString(),
    lastError: null,
    demo: false,
  });
  const r = rng(42);
  const cals: Calendar[] = ['Work', 'Family', 'Sport', 'Travel'].map((name, i) => ({
    url: `https://bench.example.test/cal/${name.toLowerCase()}/`,
    displayName: name,
    color: ['#3584e4', '#2ec27e', '#e66100', '#9141ac'][i]!,
    order: i,
    components: ['VEVENT'],
    ctag: null,
    syncToken: null,
    readOnly: false,
    description: null,
  }));
  const perCal = new Map(cals.map((c) => [c.url, [] as ReturnType<typeof calendarItemRow>[]]));
  for (let i = 0; i < EVENTS; i++) {
    const month = Math.floor(i / (EVENTS / MONTHS));
    const day = 1 + Math.floor(r() * 28);
    const cal = cals[Math.floor(r() * cals.length)]!;
    const date = `2026${pad(month + 1)}${pad(day)}`;
    const allDay = r() < 0.12;
    const hour = 6 + Math.floor(r() * 12);
    const when = allDay
      ? [`DTSTART;VALUE=DATE:${date}`, `DTEND;VALUE=DATE:${date.slice(0, 6)}${pad(day + 1)}`]
      : [`DTSTART:${date}T${pad(hour)}${r() < 0.5 ? '00' : '30'}00Z`, `DTEND:${date}T${pad(hour + 1)}${r() < 0.5 ? '00' : '30'}00Z`];
    const data = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Davlens bench//EN',
      'BEGIN:VEVENT',
      `UID:bench-${i}`,
      'DTSTAMP:20260101T000000Z',
      ...when,
      `SUMMARY:${WHAT[i % WHAT.length]} ${i}`,
      `LOCATION:Room ${i % 17}`,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    perCal.get(cal.url)!.push(calendarItemRow({ href: `${cal.url}bench-${i}.ics`, etag: `"${i}"`, data }));
  }
  for (const cal of cals) {
    const col = store.upsertCollection(accountId, 'calendar', cal);
    store.applyChanges(col.id, { upserts: perCal.get(cal.url)!, deletes: [], replaceAll: true, ctag: null, syncToken: null, props: cal });
  }
  const book: AddressBook = { url: 'https://bench.example.test/card/contacts/', displayName: 'Contacts', ctag: null, syncToken: null, description: null };
  const rows = [];
  for (let i = 0; i < CONTACTS; i++) {
    const given = GIVEN[Math.floor(r() * GIVEN.length)]!;
    const family = FAMILY[Math.floor(r() * FAMILY.length)]!;
    const data = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      `UID:c-${i}`,
      `FN:${given} ${family} ${i}`,
      `N:${family};${given};;;`,
      `ORG:Company ${i % 97}`,
      `EMAIL;TYPE=INTERNET:${given.toLowerCase()}.${i}@example.org`,
      `TEL;TYPE=CELL:+49 176 ${1000000 + i}`,
      'END:VCARD',
      '',
    ].join('\r\n');
    rows.push(contactItemRow({ href: `${book.url}c-${i}.vcf`, etag: `"${i}"`, data }, book.displayName));
  }
  const col = store.upsertCollection(accountId, 'addressbook', book);
  store.applyChanges(col.id, { upserts: rows, deletes: [], replaceAll: true, ctag: null, syncToken: null, props: book });
  store.close();
}

interface Stats {
  median: number;
  p90: number;
  min: number;
  max: number;
  n: number;
}

function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p90: at(0.9), min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

const fmt = (x: Stats): string => `median ${x.median.toFixed(0)} ms, p90 ${x.p90.toFixed(0)} ms (min ${x.min.toFixed(0)}, max ${x.max.toFixed(0)}, n=${x.n})`;

// In the page: click a button, then wait until `done` holds and two frames have been produced.
// (Built as source text: the page's CSP forbids eval, and evaluate() takes the whole expression.)
function measure(click: string, done: string, first: { from: string; day: string }): string {
  return `(async () => {
    const first = ${JSON.stringify(first)};
    const done = () => { ${done} };
    const until = (cond) => new Promise((res) => { const tick = () => (cond() ? res() : requestAnimationFrame(tick)); tick(); });
    const t0 = performance.now();
    document.querySelector(${JSON.stringify(click)}).click();
    await until(done);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t0;
  })()`;
}

/** The app's "painted" condition: the new range is loaded and its first day holds events. */
const APP_DONE = `const host = document.querySelector('.dl-fc-host');
  return !!host && host.dataset.loading === 'false' && host.dataset.loadedFrom === first.from && !!document.querySelector('[role="cell"][data-date="' + first.day + '"] .dl-event');`;
const BARE_DONE = `return !!document.querySelector('[role="cell"][data-date="' + first.day + '"] .dl-event');`;

/** Month switches back and forth between February and March 2026 (both full of events). */
async function monthSwitches(page: Page, next: string, prev: string, done: string): Promise<number[]> {
  // Grid ranges with Monday first (the benchmark page runs in en-GB): Feb 2026 starts Mon 26 Jan, March on Mon 23 Feb.
  const feb = { from: '2026-01-26', day: '2026-02-15' };
  const mar = { from: '2026-02-23', day: '2026-03-15' };
  const out: number[] = [];
  for (let i = 0; i < SWITCHES; i++) {
    const forward = i % 2 === 0;
    const ms = (await page.evaluate(measure(forward ? next : prev, done, forward ? mar : feb))) as number;
    // The first two switches warm up (JIT, caches) and are left out; a person's pause between clicks.
    out.push(ms);
    await page.waitForTimeout(400);
  }
  return out;
}

/** Date-picker jumps between February and May: ranges not fetched ahead, so each one goes to the engine. */
async function coldJumps(page: Page): Promise<number[]> {
  const targets = [
    { date: '2026-05-10', from: '2026-04-27', day: '2026-05-15' },
    { date: '2026-02-10', from: '2026-01-26', day: '2026-02-15' },
  ];
  const out: number[] = [];
  for (let i = 0; i < 12; i++) {
    const t = targets[i % 2]!;
    const ms = (await page.evaluate(`(async () => {
      const first = ${JSON.stringify(t)};
      const input = document.querySelector('input[type="date"]');
      const until = (cond) => new Promise((res) => { const tick = () => (cond() ? res() : requestAnimationFrame(tick)); tick(); });
      const t0 = performance.now();
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, first.date);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await until(() => { ${APP_DONE} });
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - t0;
    })()`)) as number;
    out.push(ms);
    await page.waitForTimeout(700);
  }
  return out;
}

async function main(): Promise<void> {
  console.log(
    `bench:ui — ${EVENTS.toLocaleString('en')} events (${(EVENTS / MONTHS).toLocaleString('en')} a month), ${CONTACTS.toLocaleString('en')} contacts, Chromium ${execFileSync(
      '/usr/bin/chromium',
      ['--version'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    )
      .trim()
      .replace(/^Chromium /, '')}`,
  );
  execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--config', 'renderer/dev/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (process.env.BENCH_UI_PART === 'first-month') {
    const chromium = await launchChromium();
    try {
      for (const line of await firstMonthBench(chromium.browser)) console.log(line);
    } finally {
      await chromium.close();
    }
    return;
  }
  const profile = mkdtempSync(join(tmpdir(), 'davlens-bench-ui-'));
  const t = performance.now();
  seedProfile(profile);
  console.log(`seeded the store in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const web = await startWeb({ profile });
  const pages = await serveStatic(resolve(ROOT, 'dist/renderer-dev'));
  const chromium = await launchChromium();
  const results: Record<string, Stats> = {};
  const problems: string[] = [];
  let firstMonth: string[] = [];
  try {
    // a. The app through the engine.
    {
      const w = await watchedPage(chromium.browser, { viewport: { width: 1600, height: 1000 } });
      await w.page.goto(web.url);
      await w.page.getByRole('navigation', { name: 'Calendars' }).getByRole('checkbox', { name: 'Work' }).waitFor();
      await w.page.getByLabel('Go to date').fill('2026-02-10');
      await w.page.locator('.dl-fc-host[data-loaded-from="2026-01-26"][data-loading="false"]').waitFor();
      const count = await w.page.evaluate(
        `fetch('/api/occurrences', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Davlens': '1' }, body: JSON.stringify({ from: '2026-02-01', to: '2026-03-01', tz: 'Europe/Berlin' }) }).then((r) => r.json()).then((r) => r.value.events.length)`,
      );
      console.log(`engine: ${count} occurrences in February 2026`);
      const xs = await monthSwitches(w.page, 'button[aria-label="Next"]', 'button[aria-label="Previous"]', APP_DONE);
      results['month switch, app + engine (npm run web)'] = stats(xs.slice(2));
      results['month jump, not fetched ahead (engine round trip)'] = stats((await coldJumps(w.page)).slice(2));

      // Contacts: first paint, then search keystrokes.
      const t0 = (await w.page.evaluate(`(async () => {
        const t0 = performance.now();
        [...document.querySelectorAll('.dl-tabs button')].find((b) => b.textContent.includes('Contacts')).click();
        await new Promise((res) => { const tick = () => (document.querySelector('.dl-contact-row:not(.dl-skeleton)') ? res() : requestAnimationFrame(tick)); tick(); });
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        return performance.now() - t0;
      })()`)) as number;
      results['contacts: first paint of the list (10,000)'] = stats([t0]);
      const keystrokes: number[] = [];
      const search = w.page.getByRole('searchbox', { name: 'Search contacts' });
      for (const q of QUERIES) {
        await search.fill('');
        await w.page.locator('.dl-contact-list[data-loaded-query=""]').waitFor();
        await search.focus();
        for (let i = 1; i <= q.length; i++) {
          const typed = q.slice(0, i);
          const ms = (await w.page.evaluate(`(async () => {
            const input = document.activeElement;
            const t0 = performance.now();
            const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
            setter.call(input, ${JSON.stringify(typed)});
            input.dispatchEvent(new Event('input', { bubbles: true }));
            await new Promise((res) => { const tick = () => (document.querySelector('.dl-contact-list')?.dataset.loadedQuery === ${JSON.stringify(typed)} ? res() : requestAnimationFrame(tick)); tick(); });
            await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
            return performance.now() - t0;
          })()`)) as number;
          keystrokes.push(ms);
          await w.page.waitForTimeout(120); // a person's typing pace
        }
      }
      results['contacts: search keystroke until results painted'] = stats(keystrokes);
      const scroll = (await w.page.evaluate(`(async () => {
        const list = document.querySelector('.dl-contact-list');
        const frames = [];
        let last = performance.now();
        for (let i = 0; i < 120; i++) {
          list.scrollTop += 400;
          await new Promise((r) => requestAnimationFrame(r));
          const now = performance.now();
          frames.push(now - last);
          last = now;
        }
        return frames;
      })()`)) as number[];
      await w.page.getByRole('searchbox', { name: 'Search contacts' }).fill('');
      results['contacts: frame time while scrolling 400 px a frame'] = stats(scroll);
      problems.push(...w.problems);
      await w.close();
    }
    // b. The app on the in-page client, c. bare FullCalendar.
    {
      const w = await watchedPage(chromium.browser, { viewport: { width: 1600, height: 1000 } });
      await w.page.goto(`${pages.origin}/index.html?events=${EVENTS}&months=${MONTHS}&start=2026-01&contacts=0`);
      await w.page.getByRole('navigation', { name: 'Calendars' }).getByRole('checkbox', { name: 'Work' }).waitFor();
      await w.page.getByLabel('Go to date').fill('2026-02-10');
      await w.page.locator('.dl-fc-host[data-loaded-from="2026-01-26"][data-loading="false"]').waitFor();
      const xs = await monthSwitches(w.page, 'button[aria-label="Next"]', 'button[aria-label="Previous"]', APP_DONE);
      results['month switch, app + in-page client'] = stats(xs.slice(2));
      problems.push(...w.problems);
      await w.close();
    }
    {
      const w = await watchedPage(chromium.browser, { viewport: { width: 1600, height: 1000 } });
      await w.page.goto(`${pages.origin}/bare.html?events=${EVENTS}&months=${MONTHS}&start=2026-01&date=2026-02-10&tz=Europe/Berlin`);
      await w.page.evaluate(`Promise.all([window.__prepare('2026-01-26', '2026-03-09'), window.__prepare('2026-02-23', '2026-04-06')])`);
      // Buttons for the bare page: FullCalendar's own API through a tiny toolbar added here.
      await w.page.evaluate(`(() => {
        for (const [label, dir] of [['Next', 'next'], ['Previous', 'prev']]) {
          const b = document.createElement('button');
          b.setAttribute('aria-label', label);
          b.style.position = 'fixed'; b.style.top = '0'; b.style.right = dir === 'next' ? '0' : '60px'; b.style.zIndex = '9';
          b.textContent = label;
          b.onclick = () => window.__calendar?.[dir]();
          document.body.append(b);
        }
      })()`);
      for (let i = 0; i < 100 && !(await w.page.evaluate('!!window.__calendar')); i++) await w.page.waitForTimeout(50);
      await w.page.evaluate('window.__calendar.refetchEvents()');
      await w.page.locator('[role="cell"][data-date="2026-02-15"] .dl-event').first().waitFor();
      const xs = await monthSwitches(w.page, 'button[aria-label="Next"]', 'button[aria-label="Previous"]', BARE_DONE);
      results['month switch, bare FullCalendar 7 (same events)'] = stats(xs.slice(2));
      problems.push(...w.problems);
      await w.close();
    }
    firstMonth = await firstMonthBench(chromium.browser);
  } finally {
    await chromium.close();
    await pages.close();
    await web.stop();
    rmSync(profile, { recursive: true, force: true });
  }
  const width = Math.max(...Object.keys(results).map((k) => k.length));
  for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(width)}  ${fmt(v)}`);
  const month = results['month switch, app + engine (npm run web)']!;
  const keys = results['contacts: search keystroke until results painted']!;
  console.log(
    `targets: month switch < 200 ms: ${month.median < 200 ? 'met' : 'MISSED'} (median); search keystroke < 100 ms: ${keys.median < 100 ? 'met' : 'MISSED'} (median)`,
  );
  for (const line of firstMonth) console.log(line);
  if (problems.length) console.log(`page problems:\n${problems.join('\n')}`);
}

await main();
