// jsdom lacks a few browser APIs the UI and its libraries touch; give them harmless stand-ins, and
// unmount after each test.
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

afterEach(() => cleanup());

class NoopResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

const g = globalThis as unknown as Record<string, unknown>;
g.ResizeObserver ??= NoopResizeObserver;
g.IS_REACT_ACT_ENVIRONMENT = true;
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener() {},
      removeEventListener() {},
      addListener() {},
      removeListener() {},
      dispatchEvent: () => false,
    }) as unknown as MediaQueryList;
}
Element.prototype.scrollTo ??= function scrollTo() {};
Element.prototype.scrollIntoView ??= function scrollIntoView() {};
if (!URL.createObjectURL) URL.createObjectURL = vi.fn(() => 'blob:test');
if (!URL.revokeObjectURL) URL.revokeObjectURL = vi.fn();
