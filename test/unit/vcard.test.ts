import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseContactResource, parseVcfFile, uidFromHref } from '../../electron/engine/formats/vcard/index.ts';
import type { Contact } from '../../shared/models.ts';
import { blankContact } from '../support/models.ts';

const KHARD = new URL('../fixtures/vcf/khard/', import.meta.url);
const OWN = new URL('../fixtures/vcf/', import.meta.url);
const read = (dir: URL, name: string): string => readFileSync(new URL(name, dir), 'utf8');
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAsAAAALCAQAAAADpb+tAAAAQklEQVQI122PQQ4AMAjCKv//Mzs4M0zmRYKkamEwWQVoRJogk4PuRoOoMC/EK8nYb+l08WGvSxKlNHO5kxnp/WXrAzsSERN1N6q5AAAAAElFTkSuQmCC';

/** Parses one khard fixture as a CardDAV resource and insists it parsed cleanly. */
function khard(name: string): Contact {
  const r = parseContactResource(`/dav/book/${name}`, read(KHARD, name), 'Contacts');
  expect(r.errors).toEqual([]);
  if (!r.contact) throw new Error(`${name} gave no contact`);
  return r.contact;
}

function file(name: string): { contacts: Contact[]; errors: ReturnType<typeof parseVcfFile>['errors'] } {
  return parseVcfFile(read(OWN, name), 'Local', name);
}

function byUid(contacts: Contact[], uid: string): Contact {
  const c = contacts.find((x) => x.uid === uid);
  if (!c) throw new Error(`no contact ${uid}`);
  return c;
}

const card = (...lines: string[]): string => ['BEGIN:VCARD', ...lines, 'END:VCARD', ''].join('\r\n');

describe('khard corpus (lucc/khard test/fixture/vcards)', () => {
  it('altid.vcf: takes the first of two ALTID N representations and unfolds NOTE', () => {
    const c = khard('altid.vcf');
    expect(c.uid).toBe('altid');
    expect(c.fn).toBe('altid');
    expect(c.n).toEqual({ family: 'representation', given: 'one', additional: '', prefix: '', suffix: '' });
    expect(c.note).toBe(
      'RFC6350 requires N to have cardinality <=1 but allows alternative representations to be included if they are linked by the ALTID parameter.',
    );
  });

  it('category.vcf: CATEGORIES and an untyped EMAIL', () => {
    const c = khard('category.vcf');
    expect(c).toMatchObject({ uid: 'cat1', fn: 'contact with category', categories: ['bar'] });
    expect(c.emails).toEqual([{ value: 'foo@example.org', types: [], pref: null }]);
  });

  it('contact1.vcf: basic-format BDAY, typed EMAIL, 4.0 TEL as text', () => {
    const c = khard('contact1.vcf');
    expect(c).toMatchObject({ uid: 'testuid1', fn: 'second contact', bday: '2018-01-20' });
    expect(c.emails).toEqual([{ value: 'user@example.com', types: ['home'], pref: null }]);
    expect(c.phones).toEqual([{ value: '0123456789', types: [], pref: null }]);
  });

  it('contact2.vcf: FN and UID only, everything else empty', () => {
    const c = khard('contact2.vcf');
    expect(c).toEqual(blankContact({ uid: 'testuid2', href: '/dav/book/contact2.vcf', fn: 'third contact', addressbook: 'Contacts' }));
  });

  it('individual.vcf: N components and ORG with an empty unit', () => {
    const c = khard('individual.vcf');
    expect(c.uid).toBe('18F098B5-7383-4FD6-B482-48F2181D73AA');
    expect(c.n).toEqual({ family: 'Coyote', given: 'Wile', additional: 'E.', prefix: '', suffix: '' });
    expect(c.fn).toBe('Wile E. Coyote');
    expect(c.org).toBe('ACME Inc.');
    expect(c.kind).toBe('individual');
  });

  it('issue249.vcf: a 3.0 card with FN only', () => {
    expect(khard('issue249.vcf')).toMatchObject({ uid: 'issue249', fn: 'Foo Bar' });
  });

  it('joe.vcf: TYPE=pref in a 4.0 card is pref 1 and not a type', () => {
    const c = khard('joe.vcf');
    expect(c.fn).toBe('Joe Citizen');
    expect(c.emails).toEqual([{ value: 'jcitizen@foo.com', types: [], pref: 1 }]);
  });

  it('korean-c.vcf / korean-j.vcf: LF line endings, Hangul FN, uid from the href', () => {
    const c = khard('korean-c.vcf');
    expect(c.fn).toBe('최유림');
    expect(c.uid).toBe('korean-c');
    const j = khard('korean-j.vcf');
    expect(j.fn).toBe('전도훈');
    expect(j.uid).toBe('korean-j');
  });

  it('labels.vcf: a grouped ORG (item1.ORG) is read', () => {
    const c = khard('labels.vcf');
    expect(c.org).toBe('Test Inc');
    expect(c.fn).toBe('labeled guy');
  });

  it('minimal.vcf: no UID, so the uid comes from the href', () => {
    const c = khard('minimal.vcf');
    expect(c.fn).toBe('minimal contact');
    expect(c.uid).toBe('minimal');
    expect(c.href).toBe('/dav/book/minimal.vcf');
  });

  it('nickname.vcf / no-nickname.vcf: no FN, so FN comes from N; 3.0 TYPE=pref is pref 1', () => {
    const a = khard('nickname.vcf');
    expect(a.fn).toBe('Michael Smith');
    expect(a.emails).toEqual([{ value: 'ms@example.org', types: [], pref: 1 }]);
    const b = khard('no-nickname.vcf');
    expect(b.fn).toBe('Mike Jones');
    expect(b.uid).toBe('issue251part2');
  });

  it('org.vcf: KIND:org', () => {
    const c = khard('org.vcf');
    expect(c.kind).toBe('org');
    expect(c.org).toBe('ACME Inc.');
  });

  it('photov3.vcf: inline base64 PHOTO (ENCODING=b, TYPE=PNG) folded over lines', () => {
    const r = parseContactResource('/dav/book/photov3.vcf', read(KHARD, 'photov3.vcf'), 'Contacts');
    expect(r.errors).toEqual([]);
    expect(r.contact?.hasPhoto).toBe(true);
    expect(r.photo).toEqual({ mediaType: 'image/png', data: PNG });
    // The escaped commas in NOTE come back as commas.
    expect(r.contact?.note).toContain('encodeddata), TYPE may be present, but');
  });

  it('photov4.vcf: data: URI PHOTO with an escaped comma', () => {
    const r = parseContactResource('/dav/book/photov4.vcf', read(KHARD, 'photov4.vcf'), 'Contacts');
    expect(r.errors).toEqual([]);
    expect(r.photo).toEqual({ mediaType: 'image/png', data: PNG });
    expect(Buffer.from(PNG, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('post.vcf: the seven ADR components in order', () => {
    const c = khard('post.vcf');
    expect(c.addresses).toEqual([
      {
        types: ['home'],
        pref: null,
        poBox: 'PostBox',
        extended: 'Ext',
        street: 'Main Street 1',
        locality: 'The City',
        region: 'SomeState',
        postalCode: '00000',
        country: 'HomeCountry',
        label: null,
      },
    ]);
  });

  it('tel-value-uri.vcf: TEL;VALUE=URI without a tel: scheme keeps the number', () => {
    expect(khard('tel-value-uri.vcf').phones).toEqual([{ value: '67545678', types: ['cell'], pref: null }]);
  });

  it('text-bday.vcf: BDAY;VALUE=text is kept as text', () => {
    expect(khard('text-bday.vcf').bday).toBe('circa 1800');
  });

  it('unparsable.vcf: no END:VCARD gives contact null and an error naming the href', () => {
    const r = parseContactResource('/dav/book/unparsable.vcf', read(KHARD, 'unparsable.vcf'), 'Contacts');
    expect(r.contact).toBeNull();
    expect(r.photo).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ code: 'item-unparsable', step: 'parse', href: '/dav/book/unparsable.vcf' });
    expect(r.errors[0]?.message).toMatch(/^Contact \/dav\/book\/unparsable\.vcf could not be read: it has no END:VCARD/);
  });
});

describe('vCard 2.1', () => {
  it('Android export: UTF-8 quoted-printable with a soft line break, bare TYPE params, BASE64 photo', () => {
    const text = read(OWN, 'v21-android.vcf');
    const r = parseContactResource('/dav/book/ayse.vcf', text, 'Contacts');
    expect(r.errors).toEqual([]);
    const c = r.contact;
    expect(c?.fn).toBe('Ayşe Öztürk');
    expect(c?.n).toEqual({ family: 'Öztürk', given: 'Ayşe', additional: '', prefix: '', suffix: '' });
    expect(c?.org).toBe('Örnek A.Ş., Ar-Ge');
    expect(c?.phones).toEqual([
      { value: '+90 555 123 4567', types: ['cell'], pref: null },
      { value: '+90 212 555 0000', types: ['work', 'voice'], pref: null },
      { value: '+90 216 555 1111', types: ['home', 'voice'], pref: 1 },
    ]);
    expect(c?.emails).toEqual([{ value: 'ayse@example.com', types: ['internet', 'home'], pref: null }]);
    expect(c?.addresses[0]).toMatchObject({ types: ['home'], street: 'Bahçe Sok. 5', locality: 'İstanbul', postalCode: '34000', country: 'Türkiye' });
    expect(c?.note).toBe('First line\nSecond line is long enough to be wrapped by a soft line break, and ends here.');
    expect(c?.bday).toBe('1985-05-06');
    expect(c?.uid).toBe('ayse');
    expect(r.photo).toEqual({ mediaType: 'image/png', data: PNG });
  });

  it('Outlook export: ISO-8859-1 quoted-printable, LABEL tied to its ADR, unindented base64 lines', () => {
    const r = parseContactResource('/dav/book/zoe.vcf', read(OWN, 'v21-outlook.vcf'), 'Contacts');
    expect(r.errors).toEqual([]);
    const c = r.contact;
    expect(c?.fn).toBe('Zoë Müller');
    expect(c?.n.family).toBe('Müller');
    expect(c?.org).toBe('Café GmbH');
    expect(c?.title).toBe('Geschäftsführerin');
    expect(c?.addresses).toEqual([
      {
        types: ['work'],
        pref: 1,
        poBox: '',
        extended: '',
        street: 'Straße 5',
        locality: 'München',
        region: 'BY',
        postalCode: '80331',
        country: 'Deutschland',
        label: 'Straße 5\n80331 München\nDeutschland',
      },
    ]);
    expect(c?.phones.map((p) => p.types)).toEqual([
      ['work', 'voice'],
      ['home', 'fax'],
    ]);
    expect(c?.emails).toEqual([{ value: 'zoe@example.de', types: ['internet'], pref: 1 }]);
    expect(c?.urls).toEqual(['http://www.example.de/']);
    expect(r.photo).toEqual({ mediaType: 'image/png', data: PNG });
  });

  it('Shift_JIS quoted-printable (Japanese phones) is decoded with its CHARSET', () => {
    const { contacts } = file('cjk.vcf');
    const c = byUid(contacts, 'cjk-ja-2');
    expect(c.fn).toBe('山田 太郎');
    expect(c.n.family).toBe('山田');
    expect(c.n.given).toBe('太郎');
    expect(c.addresses[0]?.street).toBe('東京都千代田区');
  });

  it('VALUE=URL photo becomes a URI reference', () => {
    const r = parseContactResource('/x.vcf', card('VERSION:2.1', 'FN:X', 'PHOTO;VALUE=URL;TYPE=JPEG:http://example.com/x.jpg'), 'b');
    expect(r.photo).toEqual({ uri: 'http://example.com/x.jpg' });
  });
});

describe('vCard 3.0 as Apple writes it', () => {
  const { contacts, errors } = file('apple-v3.vcf');

  it('parses every card', () => {
    expect(errors).toEqual([]);
    expect(contacts.map((c) => c.fn)).toEqual(['Johnny Appleseed', 'Ann Jones', 'Family']);
  });

  it('reads itemN. grouped EMAIL/ADR/URL and adds the X-ABLabel to the types', () => {
    const c = byUid(contacts, 'A1B2C3D4-1111-2222-3333-444455556666');
    expect(c.emails).toEqual([
      { value: 'johnny@example.com', types: ['internet', 'other'], pref: 1 },
      { value: 'jappleseed@example.org', types: ['internet', 'gym'], pref: null },
    ]);
    expect(c.addresses[0]).toMatchObject({
      types: ['home'],
      pref: 1,
      street: '1 Infinite Loop',
      locality: 'Cupertino',
      region: 'CA',
      postalCode: '95014',
      country: 'United States',
    });
    expect(c.urls).toEqual(['https://www.example.com/johnny']);
  });

  it('turns X-APPLE-OMIT-YEAR=1604 into --MM-DD, and keeps a real year', () => {
    expect(byUid(contacts, 'A1B2C3D4-1111-2222-3333-444455556666').bday).toBe('--05-06');
    expect(byUid(contacts, 'A1B2C3D4-7777-8888-9999-000011112222').bday).toBe('1990-12-24');
  });

  it('reads TYPE=pref among other types, ORG units, NOTE escapes, CATEGORIES, photo', () => {
    const c = byUid(contacts, 'A1B2C3D4-1111-2222-3333-444455556666');
    expect(c.phones).toEqual([
      { value: '(408) 555-0100', types: ['cell', 'voice'], pref: 1 },
      { value: '(408) 555-0199', types: ['work', 'voice'], pref: null },
    ]);
    expect(c.org).toBe('Apple Inc., Engineering');
    expect(c.title).toBe('Engineer');
    expect(c.note).toBe('Met at WWDC, 2019.\nLikes apples; and pears.');
    expect(c.categories).toEqual(['friends', 'work']);
    expect(c.hasPhoto).toBe(true);
    expect(c.kind).toBe('individual');
  });

  it('X-ADDRESSBOOKSERVER-KIND:group makes kind "group"', () => {
    expect(byUid(contacts, 'F00DF00D-0000-0000-0000-000000000001').kind).toBe('group');
  });
});

describe('vCard 4.0', () => {
  const { contacts, errors } = file('v4.vcf');
  const jane = (): Contact => byUid(contacts, 'urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1');

  it('parses every card, also one whose VERSION is not the first property', () => {
    expect(errors).toEqual([]);
    expect(contacts.map((c) => c.fn)).toEqual(['Jane Q. Doe', 'Book club', 'Remote Photo']);
  });

  it('PREF=n as an integer, TYPE lists in quotes, tel: URIs without the scheme', () => {
    expect(jane().emails).toEqual([
      { value: 'jane@work.example', types: ['work'], pref: 2 },
      { value: 'jane@home.example', types: ['home'], pref: 1 },
    ]);
    expect(jane().phones).toEqual([
      { value: '+1-555-555-0101', types: ['voice', 'cell'], pref: 1 },
      { value: '+1-555-555-0102;ext=7', types: ['work'], pref: null },
    ]);
  });

  it('BDAY:--0506 is a birthday without a year', () => {
    expect(jane().bday).toBe('--05-06');
  });

  it('a BDAY with a time keeps its date', () => {
    expect(byUid(contacts, 'photo-uri').bday).toBe('1979-02-28');
  });

  it('N with multi-valued suffix, ORG with two units, ADR with a LABEL parameter', () => {
    expect(jane().n).toEqual({ family: 'Doe', given: 'Jane', additional: 'Quinn', prefix: 'Dr.', suffix: 'PhD, MD' });
    expect(jane().org).toBe('Example Corp., Research, Lab 2');
    expect(jane().addresses).toEqual([
      {
        types: ['work'],
        pref: null,
        poBox: '',
        extended: 'Lab 2',
        street: '1 Science Way',
        locality: 'Springfield',
        region: 'IL',
        postalCode: '62701',
        country: 'USA',
        label: 'Example Corp.\nResearch Lab 2\n1 Science Way\nSpringfield, IL 62701\nUSA',
      },
    ]);
  });

  it('CATEGORIES from several properties, deduplicated; folded NOTE; URL', () => {
    expect(jane().categories).toEqual(['science', 'friends', 'books']);
    expect(jane().note).toBe('A long note that is folded over two lines by the writer, as RFC 6350 allows.');
    expect(jane().urls).toEqual(['https://jane.example/']);
  });

  it('KIND:group with MEMBER', () => {
    const g = byUid(contacts, 'urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af');
    expect(g.kind).toBe('group');
    expect(g.fn).toBe('Book club');
  });

  it('data: URI photo (folded) and a URI photo reference', () => {
    const text = read(OWN, 'v4.vcf');
    const [first, , third] = text.split(/(?<=END:VCARD\r\n)/);
    const a = parseContactResource('/dav/book/jane.vcf', first ?? '', 'Contacts');
    expect(a.photo).toEqual({ mediaType: 'image/png', data: PNG });
    const b = parseContactResource('/dav/book/remote.vcf', third ?? '', 'Contacts');
    expect(b.errors).toEqual([]);
    expect(b.photo).toEqual({ uri: 'https://photos.example/remote.jpg' });
    expect(b.contact?.hasPhoto).toBe(true);
    expect(b.contact?.emails).toEqual([{ value: 'remote@example.com', types: [], pref: null }]);
  });

  it('a percent-encoded data: URI is returned as base64', () => {
    const r = parseContactResource('/x.vcf', card('VERSION:4.0', 'FN:X', 'PHOTO:data:image/svg+xml,%3Csvg%2F%3E'), 'b');
    expect(r.photo).toEqual({ mediaType: 'image/svg+xml', data: Buffer.from('<svg/>').toString('base64') });
  });
});

describe('Chinese, Japanese and Korean names', () => {
  const { contacts, errors } = file('cjk.vcf');

  it('derives FN from N family name first, without a space', () => {
    expect(errors).toEqual([]);
    expect(byUid(contacts, 'cjk-ja-1').fn).toBe('山田太郎');
    expect(byUid(contacts, 'cjk-ja-1').org).toBe('株式会社サンプル');
    expect(byUid(contacts, 'cjk-ko-1').fn).toBe('김민준');
    expect(byUid(contacts, 'cjk-ko-1').n).toEqual({ family: '김', given: '민준', additional: '', prefix: '', suffix: '' });
  });

  it('comma-separated TYPE in 3.0 is split', () => {
    expect(byUid(contacts, 'cjk-ja-1').emails).toEqual([{ value: 'taro@example.jp', types: ['internet', 'work'], pref: null }]);
  });
});

describe('malformed cards', () => {
  const { contacts, errors } = file('mixed-malformed.vcf');

  it('keeps the good cards around the broken ones', () => {
    expect(contacts.map((c) => c.fn)).toEqual(['Good One', 'Good Two', 'Good Three', 'Good Four']);
  });

  it('reports each broken card with its number, line and reason, in line order', () => {
    expect(errors.map((e) => e.message)).toEqual([
      'Card 2 (line 6) could not be read: line 9 ("this line has no colon") is not a vCard property: it has no ":" before a value.',
      'Card 4 (line 17) could not be read: it has no END:VCARD (another BEGIN:VCARD or the end of the text came first).',
      'Line 27 has END:VCARD with no BEGIN:VCARD to match it; the lines before it that belong to no card were skipped.',
      'Card 6 (line 28) could not be read: line 31 ("EMAIL;TYPE=\\"work:bad@example.com") has a parameter with an unclosed double quote.',
    ]);
    expect(errors.every((e) => e.code === 'item-unparsable' && e.step === 'parse')).toBe(true);
    expect(errors.map((e) => e.href)).toEqual(['mixed-malformed.vcf#2', 'mixed-malformed.vcf#4', 'mixed-malformed.vcf', 'mixed-malformed.vcf#6']);
  });

  it('a card without UID in a file gets a uid from its content, the same on every read', () => {
    const again = file('mixed-malformed.vcf').contacts;
    const four = contacts[3];
    expect(four?.uid).toMatch(/^vcf-[0-9a-f]{32}$/);
    expect(again[3]?.uid).toBe(four?.uid);
    expect(four?.href).toBe('mixed-malformed.vcf#7');
  });

  it('a resource with a broken line: contact null, error naming the href and the line', () => {
    const r = parseContactResource('/dav/book/bad.vcf', card('VERSION:3.0', 'FN:X', 'garbage'), 'b');
    expect(r).toEqual({
      contact: null,
      photo: null,
      extras: null,
      errors: [
        {
          code: 'item-unparsable',
          message: 'Contact /dav/book/bad.vcf could not be read: line 4 ("garbage") is not a vCard property: it has no ":" before a value.',
          step: 'parse',
          url: null,
          status: null,
          href: '/dav/book/bad.vcf',
        },
      ],
    });
  });

  it('empty, non-vCard and calendar resources are errors, never exceptions', () => {
    for (const [text, reason] of [
      ['', 'the resource is empty'],
      ['hello', 'it holds no vCard (no BEGIN:VCARD line)'],
      ['BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', 'it holds no vCard (no BEGIN:VCARD line)'],
    ] as const) {
      const r = parseContactResource('/a.vcf', text, 'b');
      expect(r.contact).toBeNull();
      expect(r.errors.map((e) => e.message)).toEqual([`Contact /a.vcf could not be read: ${reason}.`]);
    }
  });

  it('a stray END of another component inside the card is reported with its line', () => {
    const r = parseContactResource('/a.vcf', card('VERSION:3.0', 'FN:X', 'END:VCALENDAR', 'EMAIL:a@b'), 'b');
    expect(r.contact).toBeNull();
    expect(r.errors[0]?.message).toBe('Contact /a.vcf could not be read: line 4 ("END:VCALENDAR") opens or closes another component inside the card.');
  });

  it('a line ical.js rejects is reported with its reason', () => {
    const r = parseContactResource('/a.vcf', card('VERSION:3.0', 'FN:X', 'EMAIL;=x:a@b'), 'b');
    expect(r.contact).toBeNull();
    expect(r.errors[0]?.message).toBe("Contact /a.vcf could not be read: it is not valid vCard (Empty parameter name in ';=x:a@b').");
  });

  it('an empty .vcf file is reported', () => {
    expect(parseVcfFile('', 'b')).toEqual({ contacts: [], errors: [expect.objectContaining({ message: 'The file is empty.' })] });
  });
});

describe('resources', () => {
  it('a resource with several cards gives the first and an error naming the href', () => {
    const text = card('VERSION:3.0', 'FN:First', 'UID:1') + card('VERSION:3.0', 'FN:Second', 'UID:2') + card('VERSION:3.0', 'FN:Third', 'UID:3');
    const r = parseContactResource('/dav/book/multi.vcf', text, 'b');
    expect(r.contact?.fn).toBe('First');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ code: 'item-unparsable', href: '/dav/book/multi.vcf' });
    expect(r.errors[0]?.message).toBe('Contact /dav/book/multi.vcf holds 3 vCards; only the first was read and the other 2 were ignored.');
  });

  it('missing FN falls back to N, then ORG, then the first email', () => {
    const fn = (...lines: string[]): string | undefined => parseContactResource('/a.vcf', card('VERSION:3.0', ...lines), 'b').contact?.fn;
    expect(fn('N:Doe;John;Paul;Dr.;Jr.')).toBe('Dr. John Paul Doe Jr.');
    expect(fn('N:;;;;', 'ORG:Acme;Sales')).toBe('Acme, Sales');
    expect(fn('FN: ', 'EMAIL:only@example.com', 'TEL:123')).toBe('only@example.com');
    expect(fn('TEL:123')).toBe('123');
    expect(fn('NOTE:nothing else')).toBe('');
  });

  it('uid from the href: last segment, percent-decoded, without .vcf', () => {
    expect(uidFromHref('/dav/addressbooks/me/default/abc-123.vcf')).toBe('abc-123');
    expect(uidFromHref('https://dav.example.com/book/J%C3%BCrgen%20X.VCF?x=1')).toBe('Jürgen X');
    expect(uidFromHref('/book/item/')).toBe('item');
    const r = parseContactResource('/dav/book/e3b0c442.vcf', card('VERSION:4.0', 'FN:No UID'), 'b');
    expect(r.contact?.uid).toBe('e3b0c442');
  });

  it('LF, CRLF and CR line endings, folding with a tab, BOM', () => {
    const lines = ['BEGIN:VCARD', 'VERSION:3.0', 'FN:Long', '\tName', 'UID:x', 'END:VCARD'];
    for (const eol of ['\n', '\r\n', '\r']) {
      const r = parseContactResource('/a.vcf', '\uFEFF' + lines.join(eol) + eol, 'b');
      expect(r.errors).toEqual([]);
      expect(r.contact?.fn).toBe('LongName');
    }
  });

  it('3.0 PHOTO as a URI, and base64 with TYPE given as a media type', () => {
    const uri = parseContactResource('/a.vcf', card('VERSION:3.0', 'FN:X', 'PHOTO;VALUE=uri:https://example.com/p.jpg'), 'b');
    expect(uri.photo).toEqual({ uri: 'https://example.com/p.jpg' });
    const jpeg = parseContactResource('/a.vcf', card('VERSION:3.0', 'FN:X', 'PHOTO;ENCODING=b;TYPE=image/jpeg:/9j/4AAQ'), 'b');
    expect(jpeg.photo).toEqual({ mediaType: 'image/jpeg', data: '/9j/4AAQ' });
    const sniffed = parseContactResource('/a.vcf', card('VERSION:3.0', 'FN:X', 'PHOTO;ENCODING=b:/9j/4AAQ'), 'b');
    expect(sniffed.photo).toEqual({ mediaType: 'image/jpeg', data: '/9j/4AAQ' });
    const none = parseContactResource('/a.vcf', card('VERSION:3.0', 'FN:X', 'PHOTO;ENCODING=b;TYPE=JPEG:'), 'b');
    expect(none.photo).toBeNull();
    expect(none.contact?.hasPhoto).toBe(false);
  });

  it('types are lower-case and deduplicated; PREF param wins over TYPE=pref', () => {
    const r = parseContactResource(
      '/a.vcf',
      card('VERSION:4.0', 'FN:X', 'TEL;TYPE=WORK,work;TYPE=Voice;TYPE=pref;PREF=3:+1', 'EMAIL;TYPE=home,"Other":a@b'),
      'b',
    );
    expect(r.contact?.phones).toEqual([{ value: '+1', types: ['work', 'voice'], pref: 3 }]);
    expect(r.contact?.emails).toEqual([{ value: 'a@b', types: ['home', 'other'], pref: null }]);
  });

  it('3.0 NOTE with unescaped commas is kept whole; 3.0 ADR with a comma in the street', () => {
    const r = parseContactResource('/a.vcf', card('VERSION:3.0', 'FN:X', 'NOTE:one, two, three', 'ADR:;;1 Main St, Apt 2;Town;;;'), 'b');
    expect(r.contact?.note).toBe('one, two, three');
    expect(r.contact?.addresses[0]?.street).toBe('1 Main St, Apt 2');
  });

  it('3.0 LABEL properties join their ADR by group, then by TYPE set, then a lone ADR takes a lone LABEL', () => {
    const labels = (...lines: string[]): (string | null)[] | undefined =>
      parseContactResource('/a.vcf', card('VERSION:3.0', 'FN:X', ...lines), 'b').contact?.addresses.map((a) => a.label);
    expect(labels('item1.ADR;TYPE=home:;;1 Home St;;;;', 'ADR;TYPE=work:;;2 Work St;;;;', 'LABEL;TYPE=work:Work label', 'item1.LABEL:Home label')).toEqual([
      'Home label',
      'Work label',
    ]);
    expect(labels('ADR;TYPE=home:;;1 Home St;;;;', 'LABEL;TYPE=postal:Only label')).toEqual(['Only label']);
    expect(labels('ADR;TYPE=home:;;1 Home St;;;;', 'ADR;TYPE=work:;;2 Work St;;;;', 'LABEL;TYPE=postal:Unmatched')).toEqual([null, null, 'Unmatched']);
  });

  it('3.0 LABEL property without ADR becomes an address with only a label', () => {
    const r = parseContactResource('/a.vcf', card('VERSION:3.0', 'FN:X', 'LABEL;TYPE=home:1 Main St\\nTown'), 'b');
    expect(r.contact?.addresses).toEqual([
      { types: ['home'], pref: null, poBox: '', extended: '', street: '', locality: '', region: '', postalCode: '', country: '', label: '1 Main St\nTown' },
    ]);
  });

  it('BDAY forms: basic, extended, date-time, text and impossible dates', () => {
    const bday = (version: string, line: string): string | null | undefined =>
      parseContactResource('/a.vcf', card(`VERSION:${version}`, 'FN:X', line), 'b').contact?.bday;
    expect(bday('3.0', 'BDAY:19850506')).toBe('1985-05-06');
    expect(bday('3.0', 'BDAY:1985-05-06T00:00:00Z')).toBe('1985-05-06');
    expect(bday('3.0', 'BDAY;X-APPLE-OMIT-YEAR=1604:1985-05-06')).toBe('1985-05-06');
    expect(bday('3.0', 'BDAY:--05-06')).toBe('--05-06');
    expect(bday('3.0', 'BDAY:sometime in May')).toBe('sometime in May');
    expect(bday('4.0', 'BDAY:1985-13-40')).toBe('1985-13-40');
    expect(bday('4.0', 'BDAY:19850506')).toBe('1985-05-06');
    expect(bday('4.0', 'BDAY:')).toBeNull();
  });

  it('kind is lower-case, individual by default', () => {
    const kind = (...lines: string[]): string | undefined => parseContactResource('/a.vcf', card(...lines), 'b').contact?.kind;
    expect(kind('VERSION:4.0', 'FN:X', 'KIND:Group')).toBe('group');
    expect(kind('VERSION:3.0', 'FN:X', 'X-ADDRESSBOOKSERVER-KIND:GROUP')).toBe('group');
    expect(kind('VERSION:4.0', 'FN:X')).toBe('individual');
  });

  it('a nested 2.1 AGENT card does not end the outer card', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:2.1',
      'FN:Boss',
      'AGENT:',
      'BEGIN:VCARD',
      'VERSION:2.1',
      'FN:Assistant',
      'END:VCARD',
      'TEL;WORK:123',
      'END:VCARD',
      '',
    ].join('\r\n');
    const r = parseContactResource('/a.vcf', text, 'b');
    expect(r.errors).toEqual([]);
    expect(r.contact?.fn).toBe('Boss');
    expect(r.contact?.phones).toEqual([{ value: '123', types: ['work'], pref: null }]);
  });
});

describe('speed', () => {
  it('parses 5,000 contacts', () => {
    const cards: string[] = [];
    for (let i = 0; i < 5000; i++) {
      cards.push(
        card(
          i % 2 === 0 ? 'VERSION:3.0' : 'VERSION:4.0',
          `UID:perf-${i}`,
          `FN:Person ${i}`,
          `N:Person;${i};;;`,
          'ORG:Example Corp.;Sales',
          `EMAIL;TYPE=work:p${i}@example.com`,
          `TEL;TYPE=cell:+1 555 ${String(i).padStart(4, '0')}`,
          'ADR;TYPE=home:;;1 Main St;Springfield;IL;62701;USA',
          'BDAY:1980-01-02',
          'NOTE:A note that is long enough to be folded by a writer that folds at seventy-five octets',
          ' and continues here.',
          'CATEGORIES:a,b',
        ),
      );
    }
    const text = cards.join('');
    const t = performance.now();
    const { contacts, errors } = parseVcfFile(text, 'Perf');
    const ms = performance.now() - t;
    console.log(`vcard: parsed ${contacts.length} contacts in ${ms.toFixed(0)} ms`);
    expect(errors).toEqual([]);
    expect(contacts).toHaveLength(5000);
    expect(contacts[4999]).toMatchObject({ uid: 'perf-4999', fn: 'Person 4999', bday: '1980-01-02' });
    expect(contacts[4999]?.note).toBe('A note that is long enough to be folded by a writer that folds at seventy-five octetsand continues here.');
  });
});
