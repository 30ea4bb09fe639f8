// The Davlens mark, inline (no file to fetch).
import type { ReactElement } from 'react';

export function Logo({ size = 22 }: { size?: number }): ReactElement {
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect x="4" y="8" width="56" height="52" rx="10" fill="#2f6fde" />
      <path d="M4 18a10 10 0 0 1 10-10h36a10 10 0 0 1 10 10v6H4z" fill="#1d4fa8" />
      <circle cx="30" cy="40" r="10" fill="none" stroke="#fff" strokeWidth="5" />
      <line x1="37.5" y1="47.5" x2="46" y2="56" stroke="#fff" strokeWidth="5" strokeLinecap="round" />
    </svg>
  );
}
