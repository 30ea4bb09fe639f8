// Where credentials may go (RFC 6764 §8): without DNSSEC, an SRV target or redirect outside the user's
// domain could be an attacker's, so such a host gets the password only after the user approves it.

/** A host is inside the user's domain when it equals the email domain or ends with "." + that domain. */
export function isInsideDomain(host: string, domain: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const d = domain.toLowerCase().replace(/\.$/, '');
  return h === d || h.endsWith(`.${d}`);
}

export function splitEmail(email: string): { local: string; domain: string } | null {
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return null;
  const domain = email.slice(at + 1).toLowerCase();
  if (!/^[a-z0-9.-]+$/i.test(domain) || domain.startsWith('.') || domain.includes('..')) return null;
  return { local: email.slice(0, at), domain };
}
