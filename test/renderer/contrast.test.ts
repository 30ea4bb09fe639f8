// Text on calendar and avatar colours: WCAG 2 contrast ratios, and a fill/text pair that reaches AA
// (4.5:1) for every colour a server or the app may use, changing the colour only when it must.
import { describe, expect, it } from 'vitest';
import { AA_NORMAL, contrastRatio, readableColors } from '../../renderer/src/lib/contrast.ts';
import { avatarColors } from '../../renderer/src/lib/contacts.ts';
import { DEFAULT_CALENDAR_COLOR, toEventInput } from '../../renderer/src/lib/events.ts';
import type { Occurrence } from '../../shared/models.ts';

// GNOME's calendar palette, Apple's default calendar colours, the demo's, and the app's default.
const CALENDAR_COLORS = [
  '#3584e4', // GNOME blue, the demo's Work
  '#2ec27e', // GNOME green, the demo's Family
  '#9141ac', // GNOME purple, the demo's Important Dates
  '#e66100', // GNOME orange
  '#33d17a',
  '#f6d32d',
  '#ff7800',
  '#e01b24',
  '#986a44',
  '#3d3846',
  '#1badf8', // Apple
  '#63da38',
  '#cc73e1',
  '#ff2968',
  '#ffcc00',
  '#a2845e',
  '#f7a32b',
  '#c061cb', // the e2e account's calendar
  DEFAULT_CALENDAR_COLOR,
  '#ffffff',
  '#000000',
  '#808080',
];

describe('contrast ratio', () => {
  it('computes WCAG ratios (the issue’s numbers: white on green 2.30, on orange 3.46)', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
    expect(contrastRatio('#ffffff', '#2ec27e')).toBeCloseTo(2.3, 2);
    expect(contrastRatio('#e66100', '#ffffff')).toBeCloseTo(3.46, 2);
  });
});

describe('readable colours', () => {
  it('reaches AA on every calendar colour of the common palettes', () => {
    for (const color of CALENDAR_COLORS) {
      const { fill, text } = readableColors(color);
      expect(['#ffffff', '#111827'], color).toContain(text);
      expect(contrastRatio(fill, text), `${color} → ${text} on ${fill}`).toBeGreaterThanOrEqual(AA_NORMAL);
    }
  });

  it('reaches AA on any colour (a sweep of the RGB cube)', () => {
    for (let r = 0; r <= 255; r += 17) {
      for (let g = 0; g <= 255; g += 17) {
        for (let b = 0; b <= 255; b += 17) {
          const color = `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
          const { fill, text } = readableColors(color);
          expect(contrastRatio(fill, text), color).toBeGreaterThanOrEqual(AA_NORMAL);
        }
      }
    }
  });

  it('keeps green and orange as they are, with dark text', () => {
    expect(readableColors('#2ec27e')).toEqual({ fill: '#2ec27e', text: '#111827' });
    expect(contrastRatio('#2ec27e', '#111827')).toBeGreaterThan(7);
    expect(readableColors('#e66100')).toEqual({ fill: '#e66100', text: '#111827' });
    expect(contrastRatio('#e66100', '#111827')).toBeGreaterThan(5);
  });

  it('keeps a colour that already reads with white text', () => {
    expect(readableColors('#9141ac')).toEqual({ fill: '#9141ac', text: '#ffffff' });
    expect(readableColors('#000000')).toEqual({ fill: '#000000', text: '#ffffff' });
    expect(readableColors('#FFFFFF')).toEqual({ fill: '#ffffff', text: '#111827' });
  });

  it('darkens GNOME’s blue slightly for white text, keeping its hue', () => {
    const { fill, text } = readableColors('#3584e4');
    expect(text).toBe('#ffffff');
    expect(fill).not.toBe('#3584e4');
    expect(contrastRatio(fill, text)).toBeGreaterThanOrEqual(AA_NORMAL);
    expect(contrastRatio(fill, text)).toBeLessThan(5);
    // Darkened by mixing with black: each channel scaled by the same factor (within rounding).
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(fill.slice(i, i + 2), 16));
    expect(r! / 0x35).toBeCloseTo(b! / 0xe4, 1);
    expect(g! / 0x84).toBeCloseTo(b! / 0xe4, 1);
    expect(b! / 0xe4).toBeGreaterThan(0.87);
  });

  it('gives events and avatars their readable pair', () => {
    const occ = { calendarUrl: 'https://dav/family/', summary: 'Swimming', start: '2026-03-02', allDay: true, href: 'a.ics' } as Occurrence;
    const input = toEventInput(occ, new Map([['https://dav/family/', '#2ec27e']]));
    expect(input.color).toBe('#2ec27e');
    expect(contrastRatio(String(input.color), String(input.contrastColor))).toBeGreaterThanOrEqual(AA_NORMAL);
    for (const name of ['Anna Schmidt', 'Jonas Weber', 'Yuki Tanaka', 'Lea Fischer', 'Emily Johnson', 'Mia', 'X', '']) {
      const { fill, text } = avatarColors(name);
      expect(contrastRatio(fill, text), name).toBeGreaterThanOrEqual(AA_NORMAL);
    }
  });
});
