import { describe, expect, it } from 'vitest';
import { fitEventText } from '../../renderer/src/lib/lineClamp.ts';

describe('fitEventText', () => {
  it('counts only whole lines of the block', () => {
    // 15 px lines: 35 px hold two, never two and a third.
    expect(fitEventText(35, 15)).toEqual({ lines: 2, stacked: false, textLines: 2 });
    expect(fitEventText(44.9, 15).lines).toBe(2);
    expect(fitEventText(45, 15).lines).toBe(3);
  });

  it('keeps a line that fits but for a sub-pixel', () => {
    expect(fitEventText(29.98, 15).lines).toBe(2);
  });

  it('shows one line in a block shorter than a line, and when nothing is measured', () => {
    expect(fitEventText(10, 15)).toEqual({ lines: 1, stacked: false, textLines: 1 });
    expect(fitEventText(0, 15)).toEqual({ lines: 1, stacked: false, textLines: 1 });
    expect(fitEventText(40, Number.NaN)).toEqual({ lines: 1, stacked: false, textLines: 1 });
  });

  it('shares a line between title and time up to two lines, gives the time its own line from three', () => {
    expect(fitEventText(30, 15).stacked).toBe(false);
    expect(fitEventText(46, 15)).toEqual({ lines: 3, stacked: true, textLines: 2 });
    expect(fitEventText(150, 15)).toEqual({ lines: 10, stacked: true, textLines: 9 });
  });
});
