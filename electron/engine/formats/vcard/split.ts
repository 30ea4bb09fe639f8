// Splits a text into the vCards it holds, line by line, before any parser sees it: a broken card then
// costs only itself, and a .vcf file with one bad card still yields its neighbours.
import { physicalLines } from '../content-lines.ts';

export interface CardChunk {
  /** Physical lines strictly between BEGIN:VCARD and END:VCARD (nested AGENT cards removed). */
  lines: string[];
  /** 1-based line number of the BEGIN:VCARD line in the input. */
  beginLine: number;
  /** False when the input ended, or another card began, before END:VCARD. */
  complete: boolean;
}

export interface SplitResult {
  cards: CardChunk[];
  /** 1-based line numbers of END:VCARD lines that close no card. */
  strayEnds: number[];
}

const BEGIN = /^begin:vcard[ \t]*$/i;
const END = /^end:vcard[ \t]*$/i;
// vCard 2.1 may nest a card as the value of AGENT: "AGENT:" followed by BEGIN:VCARD on the next line.
const AGENT_OPEN = /^([a-z0-9-]+\.)?agent(;[^:]*)?:[ \t]*$/i;

export function splitCards(text: string): SplitResult {
  // Physical lines, not unfolded: a broken card is found, and named by its line, before any folding is undone.
  const lines = physicalLines(text);
  const cards: CardChunk[] = [];
  const strayEnds: number[] = [];
  let current: CardChunk | null = null;
  let nested = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (current === null) {
      if (BEGIN.test(line)) current = { lines: [], beginLine: i + 1, complete: false };
      else if (END.test(line)) strayEnds.push(i + 1);
      continue;
    }
    if (nested > 0) {
      if (BEGIN.test(line)) nested++;
      else if (END.test(line)) nested--;
      continue;
    }
    if (BEGIN.test(line)) {
      const prev = current.lines[current.lines.length - 1];
      if (prev !== undefined && AGENT_OPEN.test(prev)) {
        nested = 1;
        continue;
      }
      // A BEGIN inside an open card means the open card lost its END: keep the new card rather than
      // swallowing it.
      cards.push(current);
      current = { lines: [], beginLine: i + 1, complete: false };
      continue;
    }
    if (END.test(line)) {
      current.complete = true;
      cards.push(current);
      current = null;
      continue;
    }
    current.lines.push(line);
  }
  if (current !== null) cards.push(current);
  return { cards, strayEnds };
}
