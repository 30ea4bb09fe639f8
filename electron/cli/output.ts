// How commands print: one JSON object with --json (scripts depend on its shape), readable lines otherwise.
// Errors always also go to stderr as sentences, so a script that reads stdout still shows them to a person.
// Everything printed here passes through inert.ts: a SUMMARY, an FN or an error sentence carrying server text
// never reaches the terminal as a control sequence. Only `export` writes its file's bytes unchanged (printRaw).
import type { DavlensError } from '../../shared/errors.ts';
import { escapeControls, inertJson } from '../../shared/inert.ts';
import type { TraceEntry } from '../../shared/trace.ts';
import { traceEntryToCommand } from '../../shared/curl.ts';

export function printJson(value: unknown): void {
  process.stdout.write(`${inertJson(value, 2)}\n`);
}

/** Readable output, one element per line: a control character inside an element is shown escaped. */
export function printLines(lines: readonly string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.map(escapeControls).join('\n')}\n`);
}

/** What a file holds (an export to stdout): bytes unchanged, as `> file` expects. */
export function printRaw(text: string): void {
  process.stdout.write(text);
}

/** One sentence for a person on stderr, prefixed "davlens: ". */
export function warn(sentence: string): void {
  process.stderr.write(`davlens: ${escapeControls(sentence)}\n`);
}

export function printErrors(errors: DavlensError[]): void {
  for (const e of errors) warn(`${e.step}: ${e.message}`);
}

/** --trace: the walk-through as it happens, on stderr so stdout stays the answer (curl.ts makes it inert). */
export function liveTracePrinter(enabled: boolean): ((e: TraceEntry) => void) | undefined {
  if (!enabled) return undefined;
  return (e) => process.stderr.write(`${traceEntryToCommand(e)}\n`);
}
