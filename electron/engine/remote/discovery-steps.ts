// What each discovery step did for each service, as the report shows it: a step is recorded when it ends, a
// later record of the same step replaces an earlier one (the second SRV target answers after the first did
// not), and a step never recorded did not run. The wording of how an attempt ended lives here too, so the
// step records and the "not found" error say it the same way.
import type { DiscoveryStep, DiscoveryStepOutcome, DiscoveryStepRecord, ServiceKind } from '../../../shared/discovery.ts';
import { DISCOVERY_STEPS } from '../../../shared/discovery.ts';
import type { DavlensError } from '../../../shared/errors.ts';

export class StepLog {
  private readonly byService = new Map<ServiceKind, Map<DiscoveryStep, DiscoveryStepRecord>>();

  set(service: ServiceKind, step: DiscoveryStep, outcome: DiscoveryStepOutcome, detail: string): void {
    let steps = this.byService.get(service);
    if (!steps) this.byService.set(service, (steps = new Map()));
    steps.set(step, { step, service, outcome, detail });
  }

  outcome(service: ServiceKind, step: DiscoveryStep): DiscoveryStepOutcome | null {
    return this.byService.get(service)?.get(step)?.outcome ?? null;
  }

  /** Every step of these services in order; one that never ran is skipped, for the reason `whySkipped` gives. */
  records(services: readonly ServiceKind[], whySkipped: (step: DiscoveryStep) => string): DiscoveryStepRecord[] {
    return services.flatMap((service) =>
      DISCOVERY_STEPS.map((step) => this.byService.get(service)?.get(step) ?? { step, service, outcome: 'skipped' as const, detail: whySkipped(step) }),
    );
  }
}

/** How a request ended, as a clause without a final full stop: "the host name x does not resolve", "answered 404". */
export function attemptOutcome(e: DavlensError): string {
  switch (e.code) {
    case 'dns-failed': {
      const host = hostOf(e.url);
      return host ? `the host name ${host} does not resolve` : 'the host name does not resolve';
    }
    case 'http-status':
      return e.status === null ? withoutFullStop(e.message) : `answered ${e.status}`;
    case 'timeout':
      return 'no answer in time';
    case 'network': {
      const why = /\(([^()]+)\)\.?$/.exec(e.message)?.[1];
      return why ? `could not connect: ${why}` : 'could not connect';
    }
    case 'redirect-loop':
      return 'redirects in a loop';
    case 'tls-untrusted':
      return 'its certificate is not trusted';
    case 'tls-pin-mismatch':
      return 'its certificate does not match the trusted key';
    default:
      return withoutFullStop(e.message);
  }
}

/** How a DNS lookup of a SRV or TXT name ended, when it gave nothing to use. */
export function lookupOutcome(code: string | null): { outcome: 'not-found' | 'failed'; text: string } {
  if (code === null || code === 'ENOTFOUND' || code === 'ENODATA') return { outcome: 'not-found', text: 'no record' };
  return { outcome: 'failed', text: `the lookup failed (${code})` };
}

function withoutFullStop(s: string): string {
  return s.replace(/\.+$/, '');
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return null;
  }
}
