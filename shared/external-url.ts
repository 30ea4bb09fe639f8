// Which links may leave Davlens for the operating system (the browser, the mail client, the phone app), and
// in what form. Both the renderer (which draws the link) and the Electron main process (which opens it) ask
// here, so a compromised page still cannot hand the OS more than this allows.

import { hasControlCharacters } from './inert.ts';

const SCHEMES = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/**
 * The URL to open, or null. A mailto: keeps only its addresses and a subject: its other header fields
 * (`attach=/etc/passwd`, `body=`, `cc=`, `bcc=`) come from server text and some mail clients honour them
 * (issue 13 item 9). Control characters and URLs that do not parse are refused.
 */
export function externalUrl(raw: string): string | null {
  const value = raw.trim();
  if (!value || hasControlCharacters(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (!SCHEMES.has(url.protocol)) return null;
  if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.hostname) return null;
  if (url.protocol === 'mailto:') {
    const to = url.pathname;
    if (!to) return null;
    const subject = url.searchParams.get('subject');
    return `mailto:${to}${subject ? `?subject=${encodeURIComponent(subject)}` : ''}`;
  }
  return url.href;
}
