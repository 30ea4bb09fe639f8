// A small scripted HTTP server on loopback for what no real DAV server produces on purpose: XXE, entity
// bombs, truncated or huge bodies, HTML instead of XML, 5xx, silence. Each test gives the handler.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedServer {
  url: string;
  requests: { method: string; url: string; authorization: string | null }[];
  close(): Promise<void>;
}

/** With `captureBody`, the request body is read first and set as `req.body` (a string). */
export async function startScriptedServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  opts: { captureBody?: boolean } = {},
): Promise<ScriptedServer> {
  const requests: ScriptedServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization ?? null });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      if (opts.captureBody) chunks.push(c);
    });
    req.on('end', () => {
      if (opts.captureBody) (req as IncomingMessage & { body?: string }).body = Buffer.concat(chunks).toString('utf8');
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const MULTISTATUS_PRINCIPAL = (principal: string) => `<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:"><d:response><d:href>/</d:href><d:propstat><d:prop>
<d:current-user-principal><d:href>${principal}</d:href></d:current-user-principal></d:prop>
<d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`;
