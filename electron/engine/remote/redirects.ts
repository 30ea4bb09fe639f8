// Redirects as discovery and feeds follow them: the caller loops (at most so many hops, no loop) and decides what
// a target host may receive; here the target is read, and never a downgrade from https.
import type { Step } from '../../../shared/errors.ts';
import { DavlensFailure, davlensError } from '../../../shared/errors.ts';
import type { HttpResponse } from '../net/http.ts';

/** Hops a chain of redirects may take, for discovery and feeds alike (browsers allow about 20; servers need 1-3). */
export const MAX_REDIRECTS = 10;

export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** The redirect's absolute target; refused without a usable Location, and from https to anything else. */
export function redirectTarget(from: string, res: HttpResponse, step: Step): URL {
  const location = res.headers.location;
  if (!location)
    throw new DavlensFailure(
      davlensError('bad-redirect', `${new URL(from).host} answered ${res.status} without a Location header (${from}).`, step, {
        url: from,
        status: res.status,
      }),
    );
  let target: URL;
  try {
    target = new URL(location, from);
  } catch {
    throw new DavlensFailure(
      davlensError('bad-redirect', `${new URL(from).host} redirected to an invalid Location "${location}".`, step, { url: from, status: res.status }),
    );
  }
  if (new URL(from).protocol === 'https:' && target.protocol !== 'https:') {
    throw new DavlensFailure(
      davlensError(
        'insecure-refused',
        `${new URL(from).host} redirected from https to ${target.protocol.replace(':', '')} (${target.href}); Davlens never follows a downgrade.`,
        step,
        { url: from, status: res.status },
      ),
    );
  }
  return target;
}
