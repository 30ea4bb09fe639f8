import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { exportAddressBook } from '../../electron/engine/formats/export/index.ts';

const FIXTURES = new URL('../fixtures/export/own/', import.meta.url);
const load = (name: string): { href: string; data: string } => ({
  href: `/dav/addressbooks/me/contacts/${name}`,
  data: readFileSync(new URL(name, FIXTURES), 'utf8'),
});

describe('exportAddressBook', () => {
  it('concatenates cards as served, CRLF only, each ending in END:VCARD CRLF', () => {
    const cards = [load('card-v3.vcf'), load('card-v4.vcf')];
    expect(cards[1]?.data).not.toContain('\r\n'); // served with bare LF
    const { vcf, errors } = exportAddressBook(cards);
    expect(errors).toEqual([]);
    expect(/[^\r]\n|\r[^\n]/.test(vcf)).toBe(false);
    expect(vcf).toBe(cards.map((c) => c.data.replace(/\r?\n/g, '\r\n')).join(''));
    expect(vcf.split('END:VCARD\r\n')).toEqual([expect.stringMatching(/^BEGIN:VCARD/), expect.stringMatching(/^BEGIN:VCARD/), '']);
    // Folding as served is kept: the v4 NOTE stays folded.
    expect(vcf).toContain('damit\r\n  der Server');
  });

  it('parses back into the same cards', () => {
    const { vcf } = exportAddressBook([load('card-v3.vcf'), load('card-v4.vcf')]);
    const parsed = ICAL.parse(vcf) as unknown[];
    const cards = parsed.map((c) => new ICAL.Component(c as unknown[]));
    expect(cards.map((c) => [c.getFirstPropertyValue('version'), c.getFirstPropertyValue('fn'), c.getFirstPropertyValue('uid')])).toEqual([
      ['3.0', 'Chidi Okafor', '3b1f2a9c-card-v3@davlens.test'],
      ['4.0', 'Zoë Żółć-Ångström', 'urn:uuid:8c2f6f1e-card-v4'],
    ]);
    expect(cards[0]?.getFirstProperty('email')?.getParameter('group')).toBe('item1');
  });

  it('drops a BOM, blank lines and trailing whitespace lines so every card ends in END:VCARD CRLF', () => {
    const { vcf, errors } = exportAddressBook([
      { href: '/a.vcf', data: '\uFEFFBEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nEND:VCARD\r\n\r\n\r\n' },
      { href: '/b.vcf', data: 'BEGIN:VCARD\rVERSION:4.0\rFN:B\rEND:VCARD' },
    ]);
    expect(errors).toEqual([]);
    expect(vcf).toBe('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:B\r\nEND:VCARD\r\n');
  });

  it("mends a quoted parameter broken over raw lines (DAViCal's LABEL) and keeps the rest as served", () => {
    const data =
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jane\r\nADR;TYPE=work;LABEL="Example Corp.\r\nResearch Lab 2\r\nUSA":;;1 Science Way;;;;USA\r\nNOTE:folded \r\n as served\r\nEND:VCARD\r\n';
    const { vcf, errors } = exportAddressBook([{ href: '/davical/jane.vcf', data }]);
    expect(errors).toEqual([]);
    expect(vcf).toBe(
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jane\r\nADR;TYPE=work;LABEL="Example Corp.\\nResearch Lab 2\\nUSA":;;1 Science Way;;;;USA\r\nNOTE:folded \r\n as served\r\nEND:VCARD\r\n',
    );
  });

  it('reports a card that does not parse by href and exports the others', () => {
    const cards = [
      load('card-v3.vcf'),
      load('card-broken.vcf'),
      { href: '/dav/addressbooks/me/contacts/event.vcf', data: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n' },
      { href: '/dav/addressbooks/me/contacts/junk.vcf', data: 'not a card at all' },
      load('card-v4.vcf'),
    ];
    const { vcf, errors } = exportAddressBook(cards);
    expect(errors.map((e) => [e.code, e.step, e.href])).toEqual([
      ['item-unparsable', 'export', '/dav/addressbooks/me/contacts/card-broken.vcf'],
      ['item-unparsable', 'export', '/dav/addressbooks/me/contacts/event.vcf'],
      ['item-unparsable', 'export', '/dav/addressbooks/me/contacts/junk.vcf'],
    ]);
    expect(vcf.match(/^BEGIN:VCARD\r$/gm)).toHaveLength(2);
    expect(vcf).toContain('FN:Chidi Okafor\r\n');
    expect(vcf).not.toContain('Half a card');
  });

  it('writes nothing for an empty address book', () => {
    expect(exportAddressBook([])).toEqual({ vcf: '', errors: [] });
  });
});
