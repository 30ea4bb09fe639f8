// A stand-in for the engine service in host tests: every API method answers ok({ method, arg }) and is a
// vi.fn, so a test can check what reached the service (and that refused requests reached nothing).
import { vi } from 'vitest';
import { API_METHODS, ok, type ApiMethod, type ProgressEvent, type Result } from '../../shared/api.ts';
import type { DavlensService } from '../../electron/engine/app/types.ts';

/** `overrides` replace the default answer of some methods (each is wrapped in a vi.fn). */
export function fakeService(overrides: Partial<Record<ApiMethod, (arg: unknown) => Promise<Result<unknown>>>> = {}) {
  const listeners = new Set<(e: ProgressEvent) => void>();
  const methods = Object.fromEntries(
    API_METHODS.map((m) => [m, vi.fn(overrides[m] ?? (async (arg: unknown): Promise<Result<unknown>> => ok({ method: m, arg })))]),
  );
  const service = {
    ...methods,
    onProgress: (l: (e: ProgressEvent) => void) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    close: vi.fn(async () => undefined),
  } as unknown as DavlensService;
  const totalCalls = () => Object.values(methods).reduce((n, fn) => n + fn.mock.calls.length, 0);
  return { service, methods, totalCalls, emit: (e: ProgressEvent) => listeners.forEach((l) => l(e)), listenerCount: () => listeners.size };
}
