// An event's text in the week and day views: whole lines only. One ResizeObserver for all blocks measures each
// block (its height follows the event's duration and the grid's slot height) and clamps the text to the lines
// that fit, with an ellipsis. The title comes first (a narrow block keeps what tells events apart); a short
// block puts the time after it on the same line, a tall one gives the time the last line. The clamp is written
// straight to the element (a CSS variable), so a resize never re-renders FullCalendar's events.
import { useLayoutEffect, useRef } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { fitEventText } from '../lib/lineClamp.ts';

const fitters = new WeakMap<Element, () => void>();
let observer: ResizeObserver | null = null;

function observe(el: Element, fit: () => void): () => void {
  if (typeof ResizeObserver === 'undefined') return () => undefined;
  observer ??= new ResizeObserver((entries) => {
    for (const entry of entries) fitters.get(entry.target)?.();
  });
  fitters.set(el, fit);
  observer.observe(el);
  return () => {
    observer?.unobserve(el);
    fitters.delete(el);
  };
}

/** Clamps the block's text to the lines its height holds. */
function fit(root: HTMLElement, text: HTMLElement): void {
  const box = getComputedStyle(root);
  const content = root.clientHeight - parseFloat(box.paddingTop) - parseFloat(box.paddingBottom);
  const { stacked, textLines } = fitEventText(content, parseFloat(getComputedStyle(text).lineHeight));
  text.style.setProperty('--dl-lines', String(textLines));
  root.classList.toggle('dl-ev-stacked', stacked);
  root.classList.toggle('dl-ev-one-line', textLines === 1);
}

export interface TimedEventTextProps {
  /** Marks before the title: the to-do box, a birthday's icon. */
  marks?: ReactNode;
  time: string;
  /** The repeat mark, after the time. */
  repeat?: ReactNode;
  title: string;
  /** Words for screen readers only (to-do, cancelled…). */
  hidden?: ReactNode;
}

export function TimedEventText(p: TimedEventTextProps): ReactElement {
  const rootRef = useRef<HTMLSpanElement>(null);
  const textRef = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const root = rootRef.current;
    const text = textRef.current;
    if (!root || !text) return;
    return observe(root, () => fit(root, text));
  }, []);
  // The time is written twice, after the title and on a line of its own; CSS shows the one the layout uses.
  const when = (className: string): ReactElement => (
    <span className={className}>
      {p.time ? <span className="dl-ev-time">{p.time}</span> : null}
      {p.repeat}
    </span>
  );
  return (
    <span className="dl-ev dl-ev-timed" ref={rootRef}>
      <span className="dl-ev-text" ref={textRef}>
        {p.marks}
        <span className="dl-ev-title">{p.title}</span> {when('dl-ev-when dl-ev-when-inline')}
      </span>
      {when('dl-ev-when dl-ev-when-own')}
      {p.hidden}
    </span>
  );
}
