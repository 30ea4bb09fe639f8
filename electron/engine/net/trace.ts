// Collects the trace of one operation (discovery, listing, sync) in the order things happened.
import type { ServiceKind } from '../../../shared/discovery.ts';
import type { Step } from '../../../shared/errors.ts';
import type { TraceEntry } from '../../../shared/trace.ts';

export class Trace {
  readonly entries: TraceEntry[] = [];
  private readonly listener: ((e: TraceEntry) => void) | undefined;

  /** `listener` sees each entry as it is recorded (live progress in the UI and on a terminal). */
  constructor(listener?: (e: TraceEntry) => void) {
    this.listener = listener;
  }

  add(entry: TraceEntry): void {
    this.entries.push(entry);
    this.listener?.(entry);
  }

  note(step: Step, service: ServiceKind | null, message: string): void {
    this.add({ kind: 'note', step, service, message });
  }

  count(kind: TraceEntry['kind']): number {
    return this.entries.filter((e) => e.kind === kind).length;
  }
}
