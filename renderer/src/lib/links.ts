// Plain text with clickable links, built as data (never as HTML): the caller renders text nodes and <a>
// elements, so nothing a server sends can become markup. Only http, https, mailto and tel become links.

export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

import { externalUrl } from '../../../shared/external-url.ts';

/** The URL as it may leave the app (see shared/external-url.ts): http(s), tel, mailto with an address and subject only. */
export function safeHref(raw: string): string | null {
  return externalUrl(raw);
}

/** tel: URL for a phone number as people write it ("+49 (30) 123-45" -> "tel:+4930123-45"). */
export function telHref(phone: string): string | null {
  const cleaned = phone
    .trim()
    .replace(/^tel:/i, '')
    .replace(/[\s().]/g, '');
  if (!/^\+?[0-9*#][0-9*#-]*$/.test(cleaned)) return null;
  return `tel:${cleaned}`;
}

export function mailtoHref(email: string): string | null {
  const cleaned = email.trim().replace(/^mailto:/i, '');
  if (!/^[^\s@<>"]+@[^\s@<>"]+$/.test(cleaned)) return null;
  return externalUrl(`mailto:${cleaned}`);
}

// URLs with a scheme, www. hosts, and email addresses. Trailing punctuation is trimmed below.
const LINK_RE = /\b(?:https?:\/\/|mailto:|tel:)[^\s<>"]+|\bwww\.[^\s<>"]+\.[^\s<>"]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/gi;

function trimTrailing(s: string): string {
  let out = s;
  for (;;) {
    const last = out.at(-1);
    if (!last) return out;
    if ('.,;:!?\'"'.includes(last)) {
      out = out.slice(0, -1);
      continue;
    }
    // A closing bracket belongs to the URL only when the URL opened one.
    const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{', '>': '<' };
    const open = pairs[last];
    if (open && out.split(open).length <= out.split(last).length - 1) {
      out = out.slice(0, -1);
      continue;
    }
    return out;
  }
}

export function linkify(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let pos = 0;
  for (const m of text.matchAll(LINK_RE)) {
    const start = m.index;
    const raw = trimTrailing(m[0]);
    if (!raw) continue;
    let href: string | null;
    if (/^www\./i.test(raw)) href = safeHref(`https://${raw}`);
    else if (/^(https?:|mailto:|tel:)/i.test(raw)) href = safeHref(raw);
    else href = mailtoHref(raw);
    if (!href) continue;
    if (start > pos) out.push({ kind: 'text', text: text.slice(pos, start) });
    out.push({ kind: 'link', text: raw, href });
    pos = start + raw.length;
  }
  if (pos < text.length) out.push({ kind: 'text', text: text.slice(pos) });
  return out;
}

/**
 * Only images the UI may show: inline raster data URLs. Never SVG (it can carry script), never a remote URL
 * (loading it would tell that host who looks at the contact; the CSP refuses remote images too).
 */
export function safeImageSrc(src: string | null): string | null {
  if (!src) return null;
  return /^data:image\/(png|jpe?g|gif|webp|bmp);base64,[A-Za-z0-9+/=\s]+$/i.test(src) ? src : null;
}
