// How commands print: one JSON object with --json (scripts depend on its shape), readable lines otherwise.
// Errors always also go to stderr as sentences, so a script that reads stdout still shows them to a person.
import type { DavlensError } from '../../shared/errors.ts';
import type { TraceEntry } from '../../shared/trace.ts';
import { traceEntryToCommand } from '../../shared/curl.ts';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printErrors(errors: DavlensError[]): void {
  for (const e of errors) process.stderr.write(`davlens: ${e.step}: ${e.message}\n`);
}

/** --trace: the walk-through as it happens, on stderr so stdout stays the answer. */
export function liveTracePrinter(enabled: boolean): ((e: TraceEntry) => void) | undefined {
  if (!enabled) return undefined;
  return (e) => process.stderr.write(`${traceEntryToCommand(e)}\n`);
}
