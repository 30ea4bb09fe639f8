// How an event's text fits its block in the week and day views: whole lines only. The block's height comes
// from the event's duration, so the number of lines is counted from it and the text is clamped to that
// number (with an ellipsis) instead of being cut through a line by the block's edge.

export interface TextFit {
  /** Lines of text the block shows, at least one (the block is never shorter than a line). */
  lines: number;
  /** The time gets the last line to itself; otherwise title and time share the lines, title first. */
  stacked: boolean;
  /** Lines the title (and, when not stacked, the time after it) is clamped to. */
  textLines: number;
}

/** Lines from this many up give the time a line of its own, below the title. */
const STACK_FROM_LINES = 3;
/** Sub-pixel heights (zoom, fractional slot heights) must not lose a line that does fit. */
const EPSILON_PX = 0.05;

export function fitEventText(contentHeight: number, lineHeight: number): TextFit {
  if (!(lineHeight > 0) || !(contentHeight > 0)) return { lines: 1, stacked: false, textLines: 1 };
  const lines = Math.max(1, Math.floor((contentHeight + EPSILON_PX) / lineHeight));
  const stacked = lines >= STACK_FROM_LINES;
  return { lines, stacked, textLines: stacked ? lines - 1 : lines };
}
