// The one spelling of a URL that Davlens stores and compares (dav/multistatus.ts resolves every href a server sends
// through it; the store's migration 2 brought earlier rows to it).

// What a path segment keeps as it is: RFC 3986 unreserved characters. Everything else is percent-encoded
// (UTF-8, upper-case hex), as Python's urllib.parse.quote spells paths (Radicale, Xandikos): their URLs read
// as before, and '@' in a principal stays %40.
const SEGMENT_KEEPS = /^[A-Za-z0-9\-._~]$/;
/** A path already in that spelling (the usual case: checked without decoding anything). */
const CANONICAL_PATH = /^[A-Za-z0-9\-._~/]*$/;

function canonicalSegment(segment: string): string {
  try {
    let out = '';
    for (const ch of decodeURIComponent(segment))
      out += SEGMENT_KEEPS.test(ch) ? ch : encodeURIComponent(ch).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    return out;
  } catch {
    // Malformed escapes (or a lone surrogate) cannot be compared any better than as they are.
    return segment;
  }
}

/**
 * One spelling for every URL a server names: each path segment decoded and encoded again the same way.
 * Servers spell one resource differently from answer to answer (`a%40b.ics` in a REPORT, `a@b.ics` in a
 * PROPFIND; vdirsyncer normalises hrefs for the same reason); compared as sent, the one item would be both
 * changed and deleted. An encoded '/' stays encoded: it is part of a segment. Idempotent.
 */
export function canonicalUrl(url: string | URL): string {
  let u: URL;
  try {
    // A URL object is used, and changed, as it is (dav/multistatus.ts has just parsed it): one parse per href on the hot path.
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return String(url);
  }
  if (!CANONICAL_PATH.test(u.pathname)) u.pathname = u.pathname.split('/').map(canonicalSegment).join('/');
  return u.href;
}

/** Whether a command's first argument names a subscribed feed (a URL) rather than an account (an email address). */
export function isFeedUrl(arg: string): boolean {
  return /^(https?|webcals?):\/\//i.test(arg.trim());
}
