/**
 * Reads a request body into one Buffer before Hono sees it, up to a cap.
 *
 * Why: @hono/node-server otherwise hands the body over as Readable.toWeb(incoming), a
 * web stream pulled chunk by chunk; for the 40–100 KB event batches that is a large share
 * of the request's CPU. With `incoming.rawBody` set it wraps the Buffer directly.
 * Bodies over the cap get 413 here (route limits — 64 KB, 1 MB — still apply in the app).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export function preReadBody(listener: Listener, maxBytes: number): Listener {
  return (req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return listener(req, res);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBytes) return tooLarge(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        tooLarge(req, res);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      listener(req, res);
    });
    req.on('error', () => {
      failed = true;
      res.destroy();
    });
  };
}

function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  const body = JSON.stringify({ ok: false, error: { code: 'body-too-large', message: 'request body too large' } });
  res.writeHead(413, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body, () => req.destroy());
}
