// Test helpers: render with the client context, and a client built from the fake plus overrides.
import { render } from '@testing-library/react';
import type { RenderResult } from '@testing-library/react';
import { StrictMode } from 'react';
import type { ReactElement } from 'react';
import type { DavlensClient } from '../../shared/api.ts';
import { createFakeClient } from '../../renderer/dev/fakeClient.ts';
import type { FakeClient, FakeOptions } from '../../renderer/dev/fakeClient.ts';
import { ClientProvider } from '../../renderer/src/state/client.tsx';
import { ToastProvider } from '../../renderer/src/state/toasts.tsx';

export function renderWith(client: DavlensClient, ui: ReactElement): RenderResult & { rerenderWith(ui: ReactElement): void } {
  // StrictMode, as the app runs: effects mount, clean up and mount again in development.
  const wrap = (el: ReactElement): ReactElement => (
    <StrictMode>
      <ClientProvider client={client}>
        <ToastProvider>{el}</ToastProvider>
      </ClientProvider>
    </StrictMode>
  );
  const result = render(wrap(ui));
  return { ...result, rerenderWith: (el: ReactElement) => result.rerender(wrap(el)) };
}

/** jsdom lays nothing out: give elements with `className` a size so virtualised lists render rows. */
export function fakeLayout(className: string, width: number, height: number): () => void {
  const props = { clientHeight: height, clientWidth: width, offsetHeight: height, offsetWidth: width } as const;
  const saved = Object.keys(props).map(
    (k) => [k, Object.getOwnPropertyDescriptor(Element.prototype, k) ?? Object.getOwnPropertyDescriptor(HTMLElement.prototype, k)] as const,
  );
  for (const [k, v] of Object.entries(props)) {
    Object.defineProperty(HTMLElement.prototype, k, {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains(className) ? v : 0;
      },
    });
  }
  return () => {
    for (const [k, d] of saved) {
      delete (HTMLElement.prototype as unknown as Record<string, unknown>)[k];
      if (d && !Object.getOwnPropertyDescriptor(Element.prototype, k)) Object.defineProperty(HTMLElement.prototype, k, d);
    }
  };
}

export function fakeClient(opts: FakeOptions = {}, overrides: Partial<DavlensClient> = {}): FakeClient {
  return Object.assign(createFakeClient(opts), overrides);
}

/** A promise with its resolve function outside. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
