// Providers whose CalDAV/CardDAV refuse the normal account password: say so before the user types it.

export interface ProviderHint {
  provider: string;
  /** Google's CalDAV needs OAuth: an app password is not enough for calendars. */
  kind: 'app-password' | 'oauth';
}

const PROVIDERS: { provider: string; kind: ProviderHint['kind']; domains: string[] }[] = [
  { provider: 'iCloud', kind: 'app-password', domains: ['icloud.com', 'me.com', 'mac.com'] },
  { provider: 'Google', kind: 'oauth', domains: ['gmail.com', 'googlemail.com', 'google.com'] },
  {
    provider: 'Fastmail',
    kind: 'app-password',
    domains: [
      'fastmail.com',
      'fastmail.fm',
      'fastmail.cn',
      'fastmail.to',
      'fastmail.net',
      'fastmail.org',
      'fastmail.us',
      'fastmail.uk',
      'fastmail.de',
      'fastmail.in',
      'fastmail.jp',
      'fastmail.es',
      'fastmail.se',
      'fastmail.mx',
      'fastmail.co.uk',
      'fastmail.com.au',
      'messagingengine.com',
      'sent.com',
      'fmail.co.uk',
    ],
  },
  { provider: 'Yahoo', kind: 'app-password', domains: ['yahoo.com', 'ymail.com', 'rocketmail.com'] },
];

export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return null;
  return email
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
}

export function providerHint(email: string): ProviderHint | null {
  const domain = emailDomain(email);
  if (!domain) return null;
  for (const p of PROVIDERS) {
    if (p.domains.some((d) => domain === d || domain.endsWith(`.${d}`))) return { provider: p.provider, kind: p.kind };
  }
  return null;
}

export function isEmail(s: string): boolean {
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s.trim()) || /^[^@\s]+@[^@\s.]+$/.test(s.trim());
}
