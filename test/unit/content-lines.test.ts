import { describe, expect, it } from 'vitest';
import {
  checkNesting,
  parseComponents,
  parseContentLine,
  physicalLines,
  props,
  readContentLine,
  subcomponents,
  textValue,
  unfold,
  unfoldText,
  type ContentLine,
} from '../../electron/engine/formats/content-lines.ts';

const texts = (lines: string[], folding?: Parameters<typeof unfold>[1]) => unfold(lines, folding).map((l) => l.text);

describe('physical lines', () => {
  it('drops a BOM and splits at CRLF, LF and bare CR', () => {
    expect(physicalLines('\uFEFFA:1\r\nB:2\nC:3\rD:4')).toEqual(['A:1', 'B:2', 'C:3', 'D:4']);
  });
});

describe('unfold', () => {
  it('joins a line break followed by one space or tab (RFC 5545 §3.1), any line ending accepted', () => {
    expect(unfoldText('DESCRIPTION:ab\r\n cd\n\t ef\rSUMMARY:x')).toEqual(['DESCRIPTION:abcd ef', 'SUMMARY:x']);
  });

  it('reads blank lines as ical.js does: an empty line begins a line of its own, white space continues one', () => {
    // The indented line after an empty one is a line of its own, as ical.js reads it, not part of A.
    expect(texts(['A:1', '', ' B:2', 'C:3'])).toEqual(['A:1', 'B:2', 'C:3']);
    expect(texts(['A:1', '', '', 'B:2'])).toEqual(['A:1', 'B:2']);
    // A folded run of spaces keeps them: they are the value's.
    expect(texts(['A:x', '   ', ' y'])).toEqual(['A:x  y']);
    // An indented first line has nothing to continue and stands as it is.
    expect(texts([' A:1', 'B:2'])).toEqual([' A:1', 'B:2']);
  });

  it('vCard: drops blank lines without ending a line, keeps fold space for 2.1, joins what a continuation says', () => {
    expect(texts(['NOTE:a', '  ', '', ' b'], { skipBlankLines: true })).toEqual(['NOTE:ab']);
    expect(texts(['NOTE:a', ' b'], { keepFoldSpace: true })).toEqual(['NOTE:a b']);
    const softBreaks = {
      continuation: (opening: string) =>
        opening.startsWith('QP') ? (open: string, next: string) => (open.endsWith('=') ? open.slice(0, -1) + next : null) : null,
    };
    expect(texts(['QP:a=', 'b=', '', 'X:1', 'Y:a=', 'Z:2'], softBreaks)).toEqual(['QP:ab', 'X:1', 'Y:a=', 'Z:2']);
  });

  it('records where each logical line starts', () => {
    expect(unfold(['A:1', ' x', '', 'B:2']).map((l) => l.index)).toEqual([0, 3]);
  });
});

describe('readContentLine', () => {
  function read(raw: string): ContentLine {
    const line = readContentLine(raw);
    if ('fault' in line) throw new Error(line.fault);
    return line;
  }

  it('splits name, parameters (quoted ones may hold ":" ";" ","), values and value, with their spans', () => {
    const raw = 'item1.ATTENDEE;cn="Doe; J: x";ROLE=REQ,OPT;RSVP:mailto:a@b';
    const line = read(raw);
    expect(line.name).toBe('ITEM1.ATTENDEE');
    expect(raw.slice(0, line.nameEnd)).toBe('item1.ATTENDEE');
    expect(line.params.map((p) => [p.name, p.values, p.quoted])).toEqual([
      ['CN', ['Doe; J: x'], true],
      ['ROLE', ['REQ', 'OPT'], false],
      ['RSVP', [], false],
    ]);
    expect(line.params.map((p) => [raw.slice(p.from, p.end), raw.slice(p.start, p.end)])).toEqual([
      ['cn="Doe; J: x"', '"Doe; J: x"'],
      ['ROLE=REQ,OPT', 'REQ,OPT'],
      ['RSVP', ''],
    ]);
    expect(raw.slice(line.valueStart)).toBe('mailto:a@b');
  });

  it('names what is wrong with a line that is not a content line', () => {
    expect(readContentLine('no separator')).toMatchObject({ fault: 'no-separator', name: 'NO SEPARATOR' });
    expect(readContentLine('X;P="open:value')).toMatchObject({ fault: 'unclosed-quote', name: 'X' });
    expect(readContentLine('X;P=a')).toMatchObject({ fault: 'no-colon', name: 'X', nameEnd: 1 });
    // RFC 5545 quotes a whole value: text after its closing quote ends nothing.
    expect(readContentLine('X;P="a"b:c')).toMatchObject({ fault: 'no-colon' });
  });

  it("with quoting 'anywhere' (the vCard pre-pass), every double quote opens or closes a quoted run", () => {
    const raw = 'EMAIL;X=a"b:c"d;TYPE=work:x@y';
    const line = readContentLine(raw, 'anywhere');
    if ('fault' in line) throw new Error(line.fault);
    expect(line.params.map((p) => [p.name, p.values])).toEqual([
      ['X', ['ab:cd']],
      ['TYPE', ['work']],
    ]);
    expect(raw.slice(line.valueStart)).toBe('x@y');
    expect(readContentLine('EMAIL;TYPE=w"ork:x', 'anywhere')).toMatchObject({ fault: 'unclosed-quote' });
    // The same line read the RFC way: the quote does not open a quoted value in the middle of one.
    expect(readContentLine('EMAIL;TYPE=w"ork:x')).toMatchObject({ params: [{ values: ['w"ork'] }] });
  });

  it('parseContentLine throws the reason as a sentence', () => {
    expect(() => parseContentLine(':value')).toThrow('not a content line: ":value"');
    expect(() => parseContentLine('X;P="a')).toThrow('unterminated quoted parameter in "X;P="a"');
    expect(() => parseContentLine('X;P=a')).toThrow('no ":" after the parameters in "X;P=a"');
    expect(() => parseContentLine('X'.repeat(70))).toThrow(`not a content line: "${'X'.repeat(60)}…"`);
  });

  it('textValue undoes TEXT escapes', () => {
    expect(textValue(read('UID:a\\,b\\;c\\\\d\\ne'))).toBe('a,b;c\\d\ne');
  });
});

describe('components', () => {
  const nested = (depth: number) =>
    [...Array.from({ length: depth }, (_, i) => `BEGIN:X${i}`), ...Array.from({ length: depth }, (_, i) => `END:X${depth - 1 - i}`)].join('\r\n');

  it('reads the tree: properties and subcomponents in served order, BEGIN/END lines as served', () => {
    const [cal] = parseComponents(
      'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:1\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nend:vcalendar\r\n',
    );
    expect(cal!.name).toBe('VCALENDAR');
    expect(cal!.end).toBe('end:vcalendar');
    expect(props(cal!).map((p) => p.name)).toEqual(['VERSION']);
    const [event] = subcomponents(cal!);
    expect(props(event!).map((p) => p.raw)).toEqual(['UID:1']);
    expect(subcomponents(event!).map((c) => c.name)).toEqual(['VALARM']);
  });

  it('says why BEGIN and END do not nest', () => {
    expect(() => parseComponents('END:VEVENT')).toThrow('END:VEVENT without a matching BEGIN');
    expect(() => parseComponents('BEGIN:VEVENT\r\nEND:VTODO')).toThrow('END:VTODO closes BEGIN:VEVENT');
    expect(() => parseComponents('BEGIN:VEVENT\r\nUID:1')).toThrow('BEGIN:VEVENT is never closed (truncated?)');
    expect(() => parseComponents('UID:1')).toThrow('property UID outside any component');
  });

  it('refuses components nested more than 8 deep, in the linear pre-pass and in the tree', () => {
    expect(() => checkNesting(nested(8))).not.toThrow();
    expect(parseComponents(nested(8))).toHaveLength(1);
    expect(() => checkNesting(nested(9))).toThrow('its components nest more than 8 levels deep');
    expect(() => parseComponents(nested(9))).toThrow('its components nest more than 8 levels deep');
    // 20,000 levels are refused at once, before any recursive reader sees them.
    expect(() => checkNesting(nested(20_000))).toThrow('nest more than 8');
  });
});
