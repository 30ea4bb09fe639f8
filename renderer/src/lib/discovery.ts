// Turning discovery into what a person reads: the steps with their state (live from the trace while it runs,
// then as the engine recorded them), one line per trace entry, and for "service not found" the list of places
// that were tried.
import { DISCOVERY_STEPS } from '../../../shared/discovery.ts';
import type { DiscoveryStep, DiscoveryStepOutcome, DiscoveryStepRecord, ServiceKind } from '../../../shared/discovery.ts';
import type { TraceEntry } from '../../../shared/trace.ts';
import { t } from '../i18n/messages.ts';

export type StepState = 'pending' | 'active' | DiscoveryStepOutcome;

export interface StepView {
  step: DiscoveryStep;
  state: StepState;
  /** What the step did for each service, once discovery has ended (one line when both say the same). */
  details: { service: ServiceKind | null; text: string }[];
}

/** The checklist's steps: the server URL's only when one was given (it replaces the DNS and well-known steps). */
function shownSteps(manual: boolean): DiscoveryStep[] {
  return DISCOVERY_STEPS.filter((s) => manual || s !== 'server-url');
}

/** Which checklist step a live trace entry belongs to: the request to the context URL is the server URL's when one was given. */
function stepOf(e: TraceEntry, manual: boolean): DiscoveryStep | null {
  if (e.step === 'context-path') return manual ? 'server-url' : 'well-known';
  return (DISCOVERY_STEPS as readonly string[]).includes(e.step) ? (e.step as DiscoveryStep) : null;
}

/** How a live entry ended: a DNS name with no record is "not found", not done. */
function entryState(e: TraceEntry): StepState {
  if (e.kind === 'dns') {
    if (e.error === 'ENODATA' || e.error === 'ENOTFOUND' || (e.error === null && e.answers.length === 0)) return 'not-found';
    return e.error === null ? 'done' : 'failed';
  }
  if (e.kind === 'http') return e.status === null || e.status === 401 || e.status >= 500 ? 'failed' : 'done';
  return 'done';
}

/**
 * The steps while discovery runs (or when it ended without a result): a step seen ends as its last entry did,
 * the latest one is active while running; steps never reached are pending while running and skipped after.
 */
export function liveSteps(trace: TraceEntry[], running: boolean, manual: boolean): StepView[] {
  const steps = shownSteps(manual);
  const states = new Map<DiscoveryStep, StepState>(steps.map((s) => [s, running ? 'pending' : 'skipped']));
  let lastStep: DiscoveryStep | null = null;
  for (const e of trace) {
    const s = stepOf(e, manual);
    if (!s || !states.has(s)) continue;
    lastStep = s;
    // A note says what a step decided, not how its lookup or request ended.
    if (e.kind !== 'note' || states.get(s) === 'pending' || states.get(s) === 'skipped') states.set(s, entryState(e));
  }
  if (running) states.set(lastStep ?? steps[0]!, 'active');
  return steps.map((step) => ({ step, state: states.get(step)!, details: [] }));
}

// When the services' steps ended differently, the step shows the outcome that took discovery furthest.
const OUTCOME_ORDER: readonly DiscoveryStepOutcome[] = ['done', 'waiting', 'failed', 'not-found', 'skipped'];

/** The steps as the engine recorded them, both services' in one checklist. */
export function recordedSteps(records: DiscoveryStepRecord[]): StepView[] {
  const manual = records.some((r) => r.step === 'server-url' && r.outcome !== 'skipped');
  return shownSteps(manual).map((step) => {
    const mine = records.filter((r) => r.step === step);
    const state = OUTCOME_ORDER.find((o) => mine.some((r) => r.outcome === o)) ?? 'skipped';
    const texts = new Set(mine.map((r) => r.detail));
    const details = texts.size === 1 ? [{ service: null, text: mine[0]!.detail }] : mine.map((r) => ({ service: r.service, text: r.detail }));
    return { step, state, details };
  });
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
