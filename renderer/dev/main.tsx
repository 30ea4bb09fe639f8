// The real app on the fake client: `?events=10000&months=5&start=2026-01&contacts=10000&empty=1&latency=0`.
// Used by the UI benchmark and for looking at screens without an engine. Not part of dist/renderer.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../src/App.tsx';
import { ClientProvider } from '../src/state/client.tsx';
import { ToastProvider } from '../src/state/toasts.tsx';
import '../src/styles/app.css';
import '../src/styles/discovery.css';
import '../src/styles/selection.css';
import '../src/styles/contrast.css';
import '../src/styles/layout.css';
import '../src/styles/search-and-files.css';
import '../src/styles/alignment.css';
import '../src/styles/calendar-essentials.css';
import { createFakeClient } from './fakeClient.ts';

const q = new URLSearchParams(location.search);
const num = (k: string, d: number): number => (q.has(k) ? Number(q.get(k)) : d);
const client = createFakeClient({
  events: num('events', 600),
  months: num('months', 3),
  startMonth: q.get('start') ?? undefined,
  contacts: num('contacts', 300),
  empty: q.get('empty') === '1',
  latency: num('latency', 0),
});
(window as unknown as { __fake: typeof client }).__fake = client;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ClientProvider client={client}>
      <ToastProvider>
        <App />
      </ToastProvider>
    </ClientProvider>
  </StrictMode>,
);
