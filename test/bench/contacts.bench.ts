// npm run bench:contacts — the Birthdays calendar and contact groups on a profile of 5,000 stored cards, beside
// what the contacts pane already costs on the same profile (listing every person, sorted), in one run:
// 1. baseline: all 5,000 people read from the store as before groups existed; then the same with each person's
//    groups (`contacts --json`) and the contacts pane's first page of 100;
// 2. one month of the Birthdays calendar (the month view) and one year of it (the year's list);
// 3. the groups of the address book (the sidebar's filter) and one group's members (`contacts --group`).
// Cards: 60% with a birthday (a fifth yearless, Apple's 1604 form), 20% with an anniversary, 20 group cards of 50
// members each (half vCard 4, half Apple), 30 categories. Medians of repeated runs, after one warm-up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../electron/engine/app/engine.ts';
import { prng } from '../support/prng.ts';
import { storedAccount, storedAddressBook } from '../support/stored.ts';

const PEOPLE = 5_000;
const GROUPS = 20;
const RUNS = 9;
const ACCOUNT = 'bench@example.test';
const BOOK = 'https://dav.test/book/';

const pad = (n: number) => String(n).padStart(2, '0');

function person(i: number, rand: () => number): string {
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  const year = 1940 + Math.floor(rand() * 65);
  const r = rand();
  const bday = r < 0.12 ? `BDAY;X-APPLE-OMIT-YEAR=1604:1604-${pad(month)}-${pad(day)}` : r < 0.6 ? `BDAY:${year}-${pad(month)}-${pad(day)}` : null;
  const anniversary = rand() < 0.2 ? `ANNIVERSARY:${year + 25}${pad(month)}${pad(day)}` : null;
  return [
    'BEGIN:VCARD',
    'VERSION:4.0',
    `UID:urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    `FN:Person ${i}`,
    `N:Person;${i};;;`,
    `EMAIL:person${i}@example.test`,
    `CATEGORIES:Category ${i % 30}`,
    bday,
    anniversary,
    'END:VCARD',
    '',
  ]
    .filter((l): l is string => l !== null)
    .join('\r\n');
}

function groupCard(g: number, rand: () => number): string {
  const members = Array.from({ length: 50 }, () => Math.floor(rand() * PEOPLE));
  const member = (i: number) => `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const apple = g % 2 === 1;
  return [
    'BEGIN:VCARD',
    apple ? 'VERSION:3.0' : 'VERSION:4.0',
    `UID:group-${g}`,
    `FN:Group ${g}`,
    apple ? 'X-ADDRESSBOOKSERVER-KIND:group' : 'KIND:group',
    ...members.map((i) => (apple ? `X-ADDRESSBOOKSERVER-MEMBER:${member(i)}` : `MEMBER:${member(i)}`)),
    'END:VCARD',
    '',
  ].join('\r\n');
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

function measure<T>(fn: () => T): { ms: number; value: T } {
  let value = fn();
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    value = fn();
    runs.push(performance.now() - t);
  }
  return { ms: median(runs), value };
}

const dir = mkdtempSync(join(tmpdir(), 'davlens-bench-contacts-'));
const engine = Engine.open(dir);
try {
  engine.store.saveAccount(storedAccount(ACCOUNT));
  const rand = prng(17);
  const texts = [...Array.from({ length: PEOPLE }, (_, i) => person(i, rand)), ...Array.from({ length: GROUPS }, (_, g) => groupCard(g, rand))];
  const book = storedAddressBook(engine.store, ACCOUNT, BOOK, texts);
  const books = [book];

  const stored = measure(() => engine.store.contacts([book.id], undefined));
  const listed = measure(() => engine.contacts(books));
  const page = measure(() => engine.contacts(books, undefined, 0, 100));
  const month = measure(() => engine.occurrences([], { from: '2026-12-01', to: '2027-01-01', tz: 'UTC' }, [ACCOUNT]));
  const year = measure(() => engine.occurrences([], { from: '2026-01-01', to: '2027-01-01', tz: 'UTC' }, [ACCOUNT]));
  const groups = measure(() => engine.groups(books));
  const members = measure(() => engine.contacts(books, undefined, 0, 100, 'Group 3'));

  const rowsOut: [string, number, string][] = [
    [`baseline: all ${stored.value.total} people from the store, no groups`, stored.ms, ''],
    ['all people with their groups (contacts --json)', listed.ms, `${listed.value.contacts.filter((c) => c.groups.length > 0).length} in a group`],
    ['first page of 100 with their groups (contacts pane)', page.ms, ''],
    ['Birthdays calendar, December 2026 (month view)', month.ms, `${month.value.events.length} occurrences`],
    ['Birthdays calendar, all of 2026', year.ms, `${year.value.events.length} occurrences`],
    ['groups of the address book (sidebar filter)', groups.ms, `${groups.value.groups.length} groups`],
    ['one group\'s members (contacts --group "Group 3")', members.ms, `${members.value.total} people`],
  ];
  console.log(`Davlens contacts benchmark (Node ${process.version}; ${PEOPLE} people + ${GROUPS} group cards; median of ${RUNS})\n`);
  for (const [label, ms, note] of rowsOut) {
    const ratio = label.startsWith('baseline') ? '' : ` (${(ms / stored.ms).toFixed(2)}x the baseline)`;
    console.log(`${label.padEnd(56)} ${ms.toFixed(1).padStart(8)} ms  ${note}${ratio}`);
  }
} finally {
  engine.close();
  rmSync(dir, { recursive: true, force: true });
}
