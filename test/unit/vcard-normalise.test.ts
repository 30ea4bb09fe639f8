import { describe, expect, it } from 'vitest';
import { normaliseCard, tokenise, unfoldCard } from '../../electron/engine/formats/vcard/normalise.ts';
import { decodeBytes, decodeQuotedPrintable } from '../../electron/engine/formats/vcard/quoted-printable.ts';
import { splitCards } from '../../electron/engine/formats/vcard/split.ts';

/** The normalised text's lines between the header (BEGIN, VERSION) and END:VCARD. */
function body(lines: string[]): string[] {
  const r = normaliseCard(lines);
  if (!r.ok) throw new Error(r.reason);
  const out = r.text.split('\r\n');
  expect(out.slice(0, 1)).toEqual(['BEGIN:VCARD']);
  expect(out.slice(-2)).toEqual(['END:VCARD', '']);
  return out.slice(2, -2);
}

describe('decodeQuotedPrintable', () => {
  it('decodes UTF-8 escapes, keeps plain ASCII and a literal = that is not an escape', () => {
    expect(decodeQuotedPrintable('Ay=C5=9Fe =C3=96zt=C3=BCrk', 'UTF-8')).toBe('Ayşe Öztürk');
    expect(decodeQuotedPrintable('a=3Db =XY', 'utf-8')).toBe('a=b =XY');
    expect(decodeQuotedPrintable('=0D=0A', null)).toBe('\r\n');
  });

  it('decodes ISO-8859-1, Windows-1252 and Shift_JIS bytes', () => {
    expect(decodeQuotedPrintable('M=FCnchen', 'ISO-8859-1')).toBe('München');
    expect(decodeQuotedPrintable('=80 5', 'windows-1252')).toBe('€ 5');
    // Shift_JIS mixes escaped bytes and plain ASCII bytes inside one character (=8ER is 山).
    expect(decodeQuotedPrintable('=8ER=93c', 'SHIFT_JIS')).toBe('山田');
  });

  it('without a charset tries UTF-8, then Windows-1252; an unknown charset does the same', () => {
    expect(decodeQuotedPrintable('Caf=C3=A9', null)).toBe('Café');
    expect(decodeQuotedPrintable('Caf=E9', null)).toBe('Café');
    expect(decodeQuotedPrintable('Caf=E9', 'x-no-such-charset')).toBe('Café');
  });

  it('keeps characters that are already non-ASCII', () => {
    expect(decodeQuotedPrintable('Zoë =C3=A9', 'utf-8')).toBe('Zoë é');
  });

  it('decodeBytes honours the charset label', () => {
    expect(decodeBytes(Uint8Array.from([0xe9]), 'latin1')).toBe('é');
  });
});

describe('tokenise', () => {
  it('splits name, bare and named parameters, and value (with ":" in quotes and in the value)', () => {
    expect(tokenise('item1.TEL;WORK;X-A="a:b;c";TYPE=cell:tel:+1')).toEqual({
      name: 'item1.TEL',
      params: [
        { name: 'WORK', value: null, raw: 'WORK' },
        { name: 'X-A', value: '"a:b;c"', raw: 'X-A="a:b;c"' },
        { name: 'TYPE', value: 'cell', raw: 'TYPE=cell' },
      ],
      value: 'tel:+1',
    });
  });

  it('says what is wrong with a broken line', () => {
    expect(tokenise('no colon here')).toMatch(/no ":"/);
    expect(tokenise('EMAIL;TYPE="work:x')).toMatch(/unclosed double quote/);
    expect(tokenise(':value')).toMatch(/no valid property name/);
    expect(tokenise('BAD NAME:value')).toMatch(/no valid property name/);
  });
});

describe('unfoldCard', () => {
  it('3.0/4.0: drops the line break and one white-space character', () => {
    expect(unfoldCard(['NOTE:ab', ' cd', '\t ef'], 1, false).map((l) => l.text)).toEqual(['NOTE:abcd ef']);
  });

  it('2.1: keeps the white space (RFC 822 folding)', () => {
    expect(unfoldCard(['NOTE:ab', ' cd'], 1, true).map((l) => l.text)).toEqual(['NOTE:ab cd']);
  });

  it('joins quoted-printable soft line breaks whatever the next line starts with', () => {
    const lines = ['NOTE;ENCODING=QUOTED-PRINTABLE:one=', 'TEL:not a property=', ' two', 'TEL:1'];
    expect(unfoldCard(lines, 1, true).map((l) => l.text)).toEqual(['NOTE;ENCODING=QUOTED-PRINTABLE:oneTEL:not a property two', 'TEL:1']);
    expect(unfoldCard(['NOTE;QUOTED-PRINTABLE:a=', 'b'], 1, true).map((l) => l.text)).toEqual(['NOTE;QUOTED-PRINTABLE:ab']);
  });

  it('does not join after a trailing = on a line that is not quoted-printable', () => {
    expect(unfoldCard(['NOTE:a=', 'TEL:1'], 1, true).map((l) => l.text)).toEqual(['NOTE:a=', 'TEL:1']);
  });

  it('joins unindented base64 continuation lines and drops blank lines', () => {
    const lines = ['PHOTO;ENCODING=BASE64;JPEG:AAAA', 'BBBB', 'CC==', '', 'TEL:1'];
    expect(unfoldCard(lines, 1, true).map((l) => l.text)).toEqual(['PHOTO;ENCODING=BASE64;JPEG:AAAABBBBCC==', 'TEL:1']);
  });

  it("a quoted parameter value broken over raw lines (DAViCal's LABEL) goes on with the break as \\n", () => {
    // As DAViCal 1.1 stores `ADR;LABEL="Example Corp.\nResearch Lab 2":...` after rewriting the card.
    const lines = ['ADR;TYPE=work;LABEL="Example Corp.', 'Research Lab 2', '', 'USA":;Lab 2;1 Science Way', ' ;Springfield', 'TEL:1'];
    expect(unfoldCard(lines, 1, false).map((l) => l.text)).toEqual([
      'ADR;TYPE=work;LABEL="Example Corp.\\nResearch Lab 2\\n\\nUSA":;Lab 2;1 Science Way;Springfield',
      'TEL:1',
    ]);
    // A colon inside the quotes does not end the parameters; one in the value after them is the value's.
    expect(unfoldCard(['X-A;P="a:b', 'c":d"e', 'X-B:1'], 1, false).map((l) => l.text)).toEqual(['X-A;P="a:b\\nc":d"e', 'X-B:1']);
    // A quoted-printable continuation with a stray quote is value, not parameters: nothing is joined to it.
    expect(unfoldCard(['NOTE;ENCODING=QUOTED-PRINTABLE:He said =', '"hello and left', 'TEL:1'], 1, true).map((l) => l.text)).toEqual([
      'NOTE;ENCODING=QUOTED-PRINTABLE:He said "hello and left',
      'TEL:1',
    ]);
    // A quote that never closes still makes the card unreadable, as before, with the line that opened it.
    const r = normaliseCard(['FN:x', 'EMAIL;TYPE="work:x', 'TEL:1']);
    expect(r).toMatchObject({ ok: false, line: 2, reason: expect.stringMatching(/unclosed double quote/) });
  });

  it('reads a line\'s parameters once, not its value: 200,000 folded lines of a value without ":" stay linear', () => {
    const lines = ['X-LONG;A=b', ...Array.from({ length: 200_000 }, () => ' "xxxxxxxx')];
    const started = performance.now();
    expect(unfoldCard(lines, 1, false)).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('records the input line where each logical line starts', () => {
    expect(unfoldCard(['A:1', ' x', '', 'B:2'], 10, false).map((l) => l.line)).toEqual([10, 13]);
  });
});

describe('normaliseCard', () => {
  it('turns bare 2.1 parameters into TYPE parameters and 2.1 into 3.0', () => {
    const r = normaliseCard(['VERSION:2.1', 'TEL;WORK;VOICE:123', 'EMAIL;PREF;INTERNET:a@b']);
    expect(r).toEqual({
      ok: true,
      version: '2.1',
      text: 'BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;TYPE=WORK;TYPE=VOICE:123\r\nEMAIL;TYPE=PREF;TYPE=INTERNET:a@b\r\nEND:VCARD\r\n',
    });
  });

  it('decodes quoted-printable, drops ENCODING and CHARSET, escapes line breaks', () => {
    expect(body(['VERSION:2.1', 'NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:L=C3=A9a=0D=0Anext=', 'line'])).toEqual(['NOTE:Léa\\nnextline']);
    expect(body(['VERSION:2.1', 'ADR;HOME;QUOTED-PRINTABLE;CHARSET=ISO-8859-1:;;Stra=DFe 1;;;;'])).toEqual(['ADR;TYPE=HOME:;;Straße 1;;;;']);
  });

  it('rewrites 2.1 BASE64 to ENCODING=b and joins the data; VALUE=URL to VALUE=uri', () => {
    expect(body(['VERSION:2.1', 'PHOTO;ENCODING=BASE64;JPEG:/9j/', '  4AAQ', ''])).toEqual(['PHOTO;TYPE=JPEG;ENCODING=b:/9j/4AAQ']);
    expect(body(['VERSION:2.1', 'PHOTO;VALUE=URL:http://x/y.jpg'])).toEqual(['PHOTO;VALUE=uri:http://x/y.jpg']);
    expect(body(['VERSION:2.1', 'NOTE;ENCODING=8BIT:plain'])).toEqual(['NOTE:plain']);
  });

  it('passes valid 3.0/4.0 lines through untouched, parameters and escapes included', () => {
    const lines = ['N:Doe;John;;;', 'item1.EMAIL;type=INTERNET;type=pref:a@b', 'PHOTO;ENCODING=b;TYPE=JPEG:AAAA', 'ADR;LABEL="a\\nb":;;x;;;;', 'NOTE:x\\, y'];
    expect(body(['VERSION:3.0', ...lines])).toEqual(lines);
  });

  it('moves VERSION to the top (ical.js uses 4.0 rules only then)', () => {
    const r = normaliseCard(['UID:1', 'FN:x', 'VERSION:4.0']);
    expect(r.ok && r.text).toBe('BEGIN:VCARD\r\nVERSION:4.0\r\nUID:1\r\nFN:x\r\nEND:VCARD\r\n');
  });

  it('treats a card without VERSION as 3.0', () => {
    const r = normaliseCard(['FN:x']);
    expect(r).toEqual({ ok: true, version: '', text: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nEND:VCARD\r\n' });
  });

  it('reports a broken line with its input line number', () => {
    expect(normaliseCard(['VERSION:3.0', 'FN:x', 'broken'], 2)).toEqual({
      ok: false,
      line: 4,
      reason: 'line 4 ("broken") is not a vCard property: it has no ":" before a value',
    });
  });
});

describe('splitCards', () => {
  it('splits cards, with line numbers, and keeps nested AGENT cards inside their card', () => {
    const text = ['junk', 'BEGIN:VCARD', 'FN:a', 'AGENT:', 'BEGIN:VCARD', 'FN:agent', 'END:VCARD', 'END:VCARD', 'begin:vcard', 'FN:b', 'end:vcard'].join('\n');
    const r = splitCards(text);
    expect(r.strayEnds).toEqual([]);
    expect(r.cards).toEqual([
      { lines: ['FN:a', 'AGENT:'], beginLine: 2, complete: true },
      { lines: ['FN:b'], beginLine: 9, complete: true },
    ]);
  });

  it('a BEGIN inside an open card closes it as incomplete; stray ENDs are listed', () => {
    const r = splitCards('END:VCARD\r\nBEGIN:VCARD\r\nFN:a\r\nBEGIN:VCARD\r\nFN:b\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:c');
    expect(r.strayEnds).toEqual([1]);
    expect(r.cards.map((c) => [c.lines, c.complete])).toEqual([
      [['FN:a'], false],
      [['FN:b'], true],
      [['FN:c'], false],
    ]);
  });
});
