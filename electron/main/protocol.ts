// The renderer is served from app://davlens/ (a privileged standard scheme), not file://: it gets a real
// origin for 'self' in the CSP, and every response carries the same headers as the browser host's.
import { protocol } from 'electron';
import type { Session } from 'electron';
import { readStaticFile, SECURITY_HEADERS } from '../web/static-files.ts';

const APP_SCHEME = 'app';
const APP_ORIGIN = 'app://davlens';
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** Whether a URL is one of the app's own pages: the test for navigation (window.ts) and for IPC senders (ipc.ts). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export async function appResponse(rendererDir: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl);
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN) {
    return new Response('Not found.\n', { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const file = await readStaticFile(rendererDir, url.pathname);
  return new Response(new Uint8Array(file.body), { status: file.status, headers: { ...SECURITY_HEADERS, 'Content-Type': file.contentType } });
}

export function serveRenderer(rendererDir: string, session: Session): void {
  session.protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request.url));
  // Anything else the session loads (there should be nothing) gets the same policy.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [SECURITY_HEADERS['Content-Security-Policy']!] } });
  });
}
