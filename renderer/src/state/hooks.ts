// Small shared hooks.
import { useEffect, useRef, useState } from 'react';
import type { DavlensClient, Result } from '../../../shared/api.ts';
import { useClient } from './client.tsx';

/** 'dark' or 'light', following the system setting live. */
export function useColorScheme(): 'dark' | 'light' {
  const [dark, setDark] = useState(() => typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const query = matchMedia('(prefers-color-scheme: dark)');
    const on = (e: MediaQueryListEvent): void => setDark(e.matches);
    query.addEventListener('change', on);
    return () => query.removeEventListener('change', on);
  }, []);
  return dark ? 'dark' : 'light';
}

/** The value, settled for `ms` (for search-as-you-type). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (ms <= 0) {
      setSettled(value);
      return;
    }
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return settled;
}

/** Re-renders every `ms` (relative times like "5 minutes ago"). */
export function useTick(ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(id);
  }, [ms]);
  return n;
}

export interface Answer<T> {
  value: T | null;
  error: string | null;
  loading: boolean;
}

/**
 * One engine request's answer, asked again when `key` (what the request stands for) changes. Without a
 * request (null) there is nothing to show. An answer that comes after the next ask is dropped.
 */
export function useEngineAnswer<T>(ask: ((client: DavlensClient) => Promise<Result<T>>) | null, key: string): Answer<T> {
  const client = useClient();
  const [answer, setAnswer] = useState<Answer<T>>({ value: null, error: null, loading: ask !== null });
  // The latest request: a new function each render must not ask again, only a new key.
  const askRef = useRef(ask);
  askRef.current = ask;
  useEffect(() => {
    const current = askRef.current;
    if (!current) {
      setAnswer({ value: null, error: null, loading: false });
      return;
    }
    let live = true;
    setAnswer({ value: null, error: null, loading: true });
    void current(client).then((r) => {
      if (live) setAnswer(r.ok ? { value: r.value, error: null, loading: false } : { value: null, error: r.error.message, loading: false });
    });
    return () => {
      live = false;
    };
  }, [client, key]);
  return answer;
}
