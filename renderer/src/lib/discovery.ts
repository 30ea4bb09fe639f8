// Turning the discovery trace into what a person reads: the steps with their state, one line per entry,
// and for "service not found" the list of places that were tried.
import type { Step } from '../../../shared/errors.ts';
import type { TraceEntry } from '../../../shared/trace.ts';
import { t } from '../i18n/messages.ts';

/** The steps shown as a checklist while discovery runs, in order. */
export const DISCOVERY_STEPS = ['srv', 'txt', 'well-known', 'principal', 'home-sets'] as const satisfies readonly Step[];
export type DiscoveryStep = (typeof DISCOVERY_STEPS)[number];
export type StepState = 'pending' | 'active' | 'done' | 'failed' | 'skipped';

/** Which checklist step a trace entry belongs to (context-path counts as well-known). */
function stepOf(e: TraceEntry): DiscoveryStep | null {
  const s = e.step === 'context-path' ? 'well-known' : e.step;
  return (DISCOVERY_STEPS as readonly string[]).includes(s) ? (s as DiscoveryStep) : null;
}

function entryFailed(e: TraceEntry): boolean {
  if (e.kind === 'dns') return e.error !== null && e.error !== 'ENODATA' && e.error !== 'ENOTFOUND';
  if (e.kind === 'http') return e.status === null || e.status === 401 || e.status >= 500;
  return false;
}

/**
 * State of each step: steps seen are done (or failed when their last entry failed), the latest one is
 * active while running; steps never reached are pending while running and skipped at the end.
 */
export function stepStates(trace: TraceEntry[], running: boolean): Record<DiscoveryStep, StepState> {
  const states = Object.fromEntries(DISCOVERY_STEPS.map((s) => [s, running ? 'pending' : 'skipped'])) as Record<DiscoveryStep, StepState>;
  let lastStep: DiscoveryStep | null = null;
  const lastEntry = new Map<DiscoveryStep, TraceEntry>();
  for (const e of trace) {
    const s = stepOf(e);
    if (!s) continue;
    lastStep = s;
    lastEntry.set(s, e);
    states[s] = 'done';
  }
  for (const [s, e] of lastEntry) if (entryFailed(e)) states[s] = 'failed';
  if (running && lastStep) states[lastStep] = 'active';
  if (running && !lastStep) states.srv = 'active';
  return states;
}

/** One readable line per trace entry. */
export function entryLine(e: TraceEntry): string {
  if (e.kind === 'note') return e.message;
  if (e.kind === 'dns') {
    const answer = e.error ? e.error : e.answers.length ? e.answers.join(', ') : t('discovery.dnsNone');
    return t('discovery.dnsAnswer', { type: e.type, name: e.name, answer });
  }
  const outcome =
    e.status !== null
      ? `${e.status}${e.responseHeaders.location ? ` → ${e.responseHeaders.location}` : ''}`
      : t('discovery.httpFailed', { error: e.error ?? '?' });
  return `${e.method} ${e.url} → ${outcome} (${e.ms} ms)`;
}

/** The places discovery looked at: DNS names asked and URLs requested, each once, in order. */
export function triedPlaces(trace: TraceEntry[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of trace) {
    let line: string | null = null;
    if (e.kind === 'dns' && (e.type === 'SRV' || e.type === 'TXT')) line = entryLine(e);
    else if (e.kind === 'http') line = entryLine(e).replace(/ \(\d+ ms\)$/, '');
    if (line && !seen.has(line)) {
      seen.add(line);
      out.push(line);
    }
  }
  return out;
}

export function hostOf(url: string | null | undefined): string {
  if (!url) return '';
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
