// The browser-mode client: every call is POST /api/<method> with a JSON body and answers a Result; progress
// arrives as server-sent events read from a fetch stream (EventSource cannot send the X-Davlens header the
// server requires). The session cookie travels by itself (same origin). Written against what both the DOM
// and Node offer (fetch, streams, Blob), so tests run it on Node against a real server.
import type { ApiMethod, DavlensClient, ExportFile, ExportTarget, ProgressEvent, Result, SaveOutcome } from '../../../shared/api.ts';
import { apiOver, fail, ok } from '../../../shared/api.ts';
import type { DavlensError } from '../../../shared/errors.ts';
import type { HostEvent, HostEventSource } from '../../../shared/host-events.ts';

const API_HEADER = 'X-Davlens';
const RECONNECT_MS = 2_000;

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpClientOptions {
  /** '' (same origin, the browser) or e.g. http://127.0.0.1:PORT (tests). */
  baseUrl?: string;
  fetch?: FetchLike;
  /** How a saved export reaches the user; the default clicks a download link. */
  download?: (file: ExportFile) => boolean;
}

function clientError(code: DavlensError['code'], message: string): DavlensError {
  return { code, message, step: 'input', url: null, status: null };
}

export function createHttpClient(opts: HttpClientOptions = {}): DavlensClient & HostEventSource {
  const base = opts.baseUrl ?? '';
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const download = opts.download ?? downloadInPage;

  async function call(method: ApiMethod, arg?: unknown): Promise<Result<unknown>> {
    let res: Response;
    try {
      res = await doFetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [API_HEADER]: '1' },
        body: arg === undefined ? 'null' : JSON.stringify(arg),
        credentials: 'same-origin',
      });
    } catch (e) {
      return fail(
        clientError('network', `Davlens's local server did not answer (${e instanceof Error ? e.message : String(e)}). Is \`npm run web\` still running?`),
      );
    }
    if (res.status === 401 || res.status === 403) {
      return fail({ ...clientError('auth-failed', 'This page is not signed in to Davlens: open the link `npm run web` printed.'), status: res.status });
    }
    if (!res.ok) return fail({ ...clientError('http-status', `Davlens's local server answered ${res.status} to ${method}.`), status: res.status });
    try {
      return (await res.json()) as Result<unknown>;
    } catch {
      return fail(clientError('bad-response', `Davlens's local server answered ${method} with something that is not JSON.`));
    }
  }

  const progress = progressStream(base, doFetch);
  return {
    ...apiOver(call),
    // The server cannot open a dialog on the user's screen: the page downloads the content instead.
    saveExport: async (target: ExportTarget): Promise<Result<SaveOutcome>> => {
      const file = (await call('exportFile', target)) as Result<ExportFile>;
      if (!file.ok) return file;
      return ok({ saved: download(file.value), path: null });
    },
    onProgress: (listener: (event: ProgressEvent) => void) => progress.subscribe(listener),
    // No native menus in a browser: nothing ever arrives.
    onHostEvent: (_listener: (event: HostEvent) => void) => () => undefined,
  };
}

/** One event stream shared by every listener, open while anyone listens, reopened after a drop. */
function progressStream(base: string, doFetch: FetchLike) {
  const listeners = new Set<(event: ProgressEvent) => void>();
  let abort: AbortController | null = null;

  async function run(controller: AbortController): Promise<void> {
    while (!controller.signal.aborted) {
      try {
        const res = await doFetch(`${base}/api/events`, {
          headers: { Accept: 'text/event-stream', [API_HEADER]: '1' },
          credentials: 'same-origin',
          signal: controller.signal,
        });
        if (res.ok && res.body) await readEvents(res.body, (event) => listeners.forEach((l) => l(event)));
        // A refusal (401/403) will not change by retrying soon; a drop usually does.
        if (res.status === 401 || res.status === 403) return;
      } catch {
        // Aborted, or the server went away: retry below unless aborted.
      }
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  }

  return {
    subscribe(listener: (event: ProgressEvent) => void): () => void {
      listeners.add(listener);
      if (!abort) {
        abort = new AbortController();
        void run(abort);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && abort) {
          abort.abort();
          abort = null;
        }
      };
    },
  };
}

/** Reads `data:` lines of a text/event-stream; comments (": keep-alive") and other fields are skipped. */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: ProgressEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let data: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).replace(/\r$/, '');
      buffered = buffered.slice(newline + 1);
      if (line === '') {
        if (data.length > 0) {
          try {
            onEvent(JSON.parse(data.join('\n')) as ProgressEvent);
          } catch {
            // A malformed event is dropped; the stream goes on.
          }
        }
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
    }
  }
}

interface AnchorLike {
  href: string;
  download: string;
  rel: string;
  click(): void;
  remove(): void;
}
interface DocumentLike {
  createElement(tag: 'a'): AnchorLike;
  body: { appendChild(node: AnchorLike): unknown };
}

/** Saves through the browser's own download (the user picks the place if the browser asks). */
function downloadInPage(file: ExportFile): boolean {
  const doc = Reflect.get(globalThis, 'document') as DocumentLike | undefined;
  if (!doc) return false;
  const url = URL.createObjectURL(new Blob([file.content], { type: `${file.mediaType};charset=utf-8` }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.rel = 'noopener';
  doc.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return true;
}
