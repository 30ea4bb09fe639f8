// Entry point: the client from the host's transport (IPC on desktop, HTTP + SSE in the browser) and the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { ClientProvider } from './state/client.tsx';
import { ToastProvider } from './state/toasts.tsx';
import { createClient } from './transport/index.ts';
import './styles/app.css';
import './styles/discovery.css';
import './styles/selection.css';
import './styles/contrast.css';
import './styles/layout.css';
import './styles/search-and-files.css';
import './styles/alignment.css';
import './styles/calendar-essentials.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ClientProvider client={createClient()}>
        <ToastProvider>
          <App />
        </ToastProvider>
      </ClientProvider>
    </StrictMode>,
  );
}
