// Content lines written back: the exporter's output is the lines as served (read by ../content-lines.ts),
// refolded to RFC 5545's 75 octets.
import type { ComponentNode } from '../content-lines.ts';

/** The unfolded lines of a component as served, BEGIN and END included. */
export function componentLines(node: ComponentNode): string[] {
  const out = [node.begin];
  for (const item of node.items) {
    if (item.kind === 'prop') out.push(item.line.raw);
    else for (const l of componentLines(item.node)) out.push(l);
  }
  out.push(node.end);
  return out;
}

/**
 * Folds one content line to at most 75 octets per physical line (RFC 5545 §3.1), continuation lines starting
 * with one space that counts towards the 75. Splits only between code points, never inside a UTF-8 sequence.
 * Lines are joined with CRLF; no CRLF is added at the end.
 */
export function foldLine(line: string): string {
  // Most lines are short and ASCII: 75 characters are 75 octets.
  if (line.length <= 75 && ASCII.test(line)) return line;
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = utf8Length(ch.codePointAt(0) ?? 0);
    if (octets + size > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

const ASCII = /^[\x00-\x7f]*$/;

function utf8Length(cp: number): number {
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  // A lone surrogate is written as U+FFFD, which is 3 octets too.
  if (cp < 0x10000) return 3;
  return 4;
}
