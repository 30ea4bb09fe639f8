import { describe, expect, it } from 'vitest';
import { foldLine } from '../../electron/engine/formats/export/index.ts';

const octets = (s: string): number => Buffer.byteLength(s, 'utf8');
const unfold = (s: string): string => s.replace(/\r\n[ \t]/g, '');

/** Every property of a folded line the exporter promises, checked at once. */
function expectWellFolded(input: string): string[] {
  const folded = foldLine(input);
  const physical = folded.split('\r\n');
  for (const [i, line] of physical.entries()) {
    expect(octets(line)).toBeLessThanOrEqual(75);
    if (i > 0) expect(line.startsWith(' ')).toBe(true);
    // A split inside a UTF-8 sequence (or a surrogate pair) would not survive a UTF-8 round trip.
    expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
  }
  // No bare CR or LF: line breaks are CRLF only.
  expect(physical.every((l) => !l.includes('\n') && !l.includes('\r'))).toBe(true);
  expect(unfold(folded)).toBe(input);
  return physical;
}

describe('foldLine', () => {
  it('leaves a line of exactly 75 octets alone and folds one of 76', () => {
    const line75 = `DESCRIPTION:${'x'.repeat(75 - 12)}`;
    expect(octets(line75)).toBe(75);
    expect(foldLine(line75)).toBe(line75);
    const physical = expectWellFolded(`${line75}y`);
    expect(physical).toEqual([line75, ' y']);
  });

  it('fills ASCII lines to exactly 75 octets, continuations included', () => {
    const physical = expectWellFolded(`SUMMARY:${'a'.repeat(300)}`);
    expect(physical.length).toBe(5);
    for (const line of physical.slice(0, -1)) expect(octets(line)).toBe(75);
  });

  it.each([
    ['2-octet é', 'é'],
    ['3-octet 日', '日'],
    ['4-octet 🎉 (a surrogate pair)', '🎉'],
  ])('moves a %s that would cross octet 75 to the next line', (_label, ch) => {
    // 74 ASCII octets, then the multi-byte character straddles the 75-octet limit.
    const input = `X-NOTE:${'z'.repeat(74 - 7)}${ch}tail`;
    const physical = expectWellFolded(input);
    expect(octets(physical[0] as string)).toBe(74);
    expect(physical[1]?.startsWith(` ${ch}`)).toBe(true);
  });

  it('keeps a multi-byte character that ends exactly at octet 75 on the first line', () => {
    const input = `X-NOTE:${'z'.repeat(75 - 7 - 3)}日more`;
    const physical = expectWellFolded(input);
    expect(physical[0]?.endsWith('日')).toBe(true);
    expect(octets(physical[0] as string)).toBe(75);
  });

  it('folds long runs of multi-byte text of every width without breaking a character', () => {
    const alphabet = ['a', ';', 'ß', 'Ω', 'é', '日', '語', '€', '🎉', '𝄞', '👩‍💻'];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 200; run++) {
      let value = '';
      const length = random(400);
      for (let i = 0; i < length; i++) value += alphabet[random(alphabet.length)];
      expectWellFolded(`DESCRIPTION:${value}`);
    }
  });

  it('returns the empty line unchanged', () => {
    expect(foldLine('')).toBe('');
  });
});
