// Where contacts are filed: by N's family name, then given name (honorifics never decide), in the store's order and
// in a profile whose contacts an older version sorted by their formatted name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Contact } from '../../shared/models.ts';
import { contactSortKey } from '../../shared/contact-sort.ts';
import { upgradeStoredContacts } from '../../electron/engine/app/contact-model.ts';
import { Store } from '../../electron/engine/store/store.ts';
import { storedAccount, storedAddressBook } from '../support/stored.ts';

const EMPTY_N = { family: '', given: '', additional: '', prefix: '', suffix: '' };
const person = (fn: string, n: Partial<Contact['n']> = {}, rest: Partial<Pick<Contact, 'org' | 'emails'>> = {}) => ({
  fn,
  n: { ...EMPTY_N, ...n },
  org: rest.org ?? null,
  emails: rest.emails ?? [],
});

describe('contactSortKey', () => {
  it('files by family name, then given name, whatever the formatted name starts with', () => {
    expect(contactSortKey(person('Dr. Helga Wagner', { family: 'Wagner', given: 'Helga', prefix: 'Dr.' }))).toBe('wagner\u0001helga');
    expect(contactSortKey(person('Prof. Dr. Émile Zola', { family: 'Zola', given: 'Émile' }))).toBe('zola\u0001emile');
    // Only a given name (a mononym), or only a family name.
    expect(contactSortKey(person('Madonna', { given: 'Madonna' }))).toBe('madonna');
    expect(contactSortKey(person('Smith', { family: 'Smith' }))).toBe('smith');
  });

  it('falls back to the formatted name without its titles, then the organisation, then the email', () => {
    expect(contactSortKey(person('Dr. med. Ahmed Hassan'))).toBe('ahmed hassan');
    expect(contactSortKey(person('Mrs Jane Doe'))).toBe('jane doe');
    // "Ing" and "Hon" are names too: without their dot they are kept.
    expect(contactSortKey(person('Ing Chen'))).toBe('ing chen');
    expect(contactSortKey(person('Ing. Karel Novák'))).toBe('karel novak');
    // N holding only a title is no name.
    expect(contactSortKey(person('', { prefix: 'Dr.' }, { org: 'Acme Ltd' }))).toBe('acme ltd');
    expect(contactSortKey(person('', {}, { emails: [{ value: 'x@example.test', types: [], pref: null }] }))).toBe('x@example.test');
  });

  it('orders a family name before a longer one that starts with it, and accented names with their letter', () => {
    const names = [
      person('Anna Bergman', { family: 'Bergman', given: 'Anna' }),
      person('Nora Berg', { family: 'Berg', given: 'Nora' }),
      person('Zoë Égal', { family: 'Égal', given: 'Zoë' }),
      person('Eve Fox', { family: 'Fox', given: 'Eve' }),
      person('Ada Berg', { family: 'Berg', given: 'Ada' }),
    ];
    // Byte order, as SQLite compares the stored keys.
    const sorted = names.map((c) => [contactSortKey(c), c.fn] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    expect(sorted.map(([, fn]) => fn)).toEqual(['Ada Berg', 'Nora Berg', 'Anna Bergman', 'Zoë Égal', 'Eve Fox']);
  });
});

describe('stored contacts', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are listed by family name, and a profile sorted by an older version is sorted again once', () => {
    dir = mkdtempSync(join(tmpdir(), 'davlens-sort-'));
    const store = Store.open(dir);
    try {
      store.saveAccount(storedAccount('a'));
      const cards = [
        ['Dr. Helga Wagner', 'Wagner;Helga;;Dr.;'],
        ['Anna Zimmer', 'Zimmer;Anna;;;'],
        ['Prof. Bo Adler', 'Adler;Bo;;Prof.;'],
        ['Carl Mayer', 'Mayer;Carl;;;'],
      ];
      const book = storedAddressBook(
        store,
        'a',
        'https://dav.test/book/',
        cards.map(([fn, n], i) => `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:u${i}\r\nFN:${fn}\r\nN:${n}\r\nEND:VCARD\r\n`),
      );
      const listed = () => store.contacts([book.id], undefined).contacts.map((c) => c.fn);
      expect(listed()).toEqual(['Prof. Bo Adler', 'Carl Mayer', 'Dr. Helga Wagner', 'Anna Zimmer']);
      // Run once for the new profile: nothing stored yet was sorted by an older version.
      store.setSetting('contactModel', 3);
      expect(upgradeStoredContacts(store)).toBe(0);

      // As version 2 stored them: keyed by the formatted name, so "Dr." and "Prof." decided the letter.
      store.db.prepare('UPDATE contacts SET sort_name = lower(json_extract(json, ?))').run('$.fn');
      store.setSetting('contactModel', 2);
      expect(listed()).toEqual(['Anna Zimmer', 'Carl Mayer', 'Dr. Helga Wagner', 'Prof. Bo Adler']);
      expect(upgradeStoredContacts(store)).toBe(4);
      expect(listed()).toEqual(['Prof. Bo Adler', 'Carl Mayer', 'Dr. Helga Wagner', 'Anna Zimmer']);
      expect(upgradeStoredContacts(store)).toBe(0);
    } finally {
      store.close();
    }
  });
});
