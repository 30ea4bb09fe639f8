// The built renderer (dist/renderer) as both hosts serve it: the browser host over HTTP, the desktop host
// through its app:// protocol. One Content-Security-Policy for both: no remote and no inline scripts;
// inline styles are allowed because FullCalendar injects <style> at run time. Electron-free (see dispatch.ts).
import { readFile, realpath } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // Contact photos are data: URLs or https URLs on the user's server (ContactDetails.photo).
  // No remote images: a photo URL in a vCard would tell its host who looks at the contact, and when.
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response of either host carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Where `npm run build:renderer` puts the UI (the browser host runs from source: electron/web -> dist/renderer). */
export function defaultRendererDir(): string {
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'dist', 'renderer');
}

export interface StaticFile {
  status: number;
  contentType: string;
  body: Buffer;
}

/**
 * The file for a URL path under `root`, or a 404 that never reveals what is outside it: the path is decoded,
 * resolved and must stay under the root's real path (no "..", no symlink escape). "/" is index.html.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile> {
  const notFound: StaticFile = { status: 404, contentType: TYPES['.txt']!, body: Buffer.from('Not found.\n') };
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return notFound;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return notFound;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  try {
    const realRoot = await realpath(root);
    const file = await realpath(join(realRoot, relative));
    if (file !== realRoot && !file.startsWith(realRoot + sep)) return notFound;
    const body = await readFile(file);
    return { status: 200, contentType: TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', body };
  } catch {
    return notFound;
  }
}
