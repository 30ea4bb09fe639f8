// Server text shown as text, with http(s)/mailto/tel links made clickable. Built from text nodes and <a>
// elements only: markup in the text stays visible as characters, never becomes HTML.
import { useMemo } from 'react';
import type { ReactElement } from 'react';
import { linkify, safeHref } from '../lib/links.ts';

export function ExternalLink({ href, children }: { href: string; children: string }): ReactElement | null {
  const safe = safeHref(href);
  if (!safe) return <>{children}</>;
  const external = safe.startsWith('http');
  return (
    <a href={safe} {...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
      {children}
    </a>
  );
}

export function LinkifiedText({ text, className }: { text: string; className?: string }): ReactElement {
  const segments = useMemo(() => linkify(text), [text]);
  return (
    <div className={className ? `dl-plaintext ${className}` : 'dl-plaintext'}>
      {segments.map((s, i) =>
        s.kind === 'text' ? (
          <span key={i}>{s.text}</span>
        ) : (
          <ExternalLink key={i} href={s.href}>
            {s.text}
          </ExternalLink>
        ),
      )}
    </div>
  );
}
