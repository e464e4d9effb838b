/**
 * Reads a request body into one Buffer before Hono sees it, up to a cap.
 *
 * Why: @hono/node-server otherwise hands the body over as Readable.toWeb(incoming), a
 * web stream pulled chunk by chunk; for the 40–100 KB event batches that is a large share
 * of the request's CPU. With `incoming.rawBody` set it wraps the Buffer directly.
 * Bodies over the cap get 413 here (route limits — 64 KB, 1 MB, 32 MB for the register
 * import — still apply in the app).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** `maxBytesFor(url)`: the cap for a request's path (a register import carries a whole file). */
export function preReadBody(listener: Listener, maxBytesFor: (url: string) => number): Listener {
  return (req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return listener(req, res);
    const maxBytes = maxBytesFor(req.url ?? '/');
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
        chunks.length = 0;
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

/** After a 413, the rest of the body is read and dropped up to this many bytes, for at most DRAIN_MS. */
export const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
const DRAIN_MS = 30_000;

/**
 * Answers 413 so that the client can read it. Closing the socket while the client is still
 * sending makes the kernel reset the connection, and Node's fetch and node:http then report
 * ECONNRESET instead of the answer. So the answer is written at once (complete, with its
 * Content-Length) but the response is ended only once the rest of the body has been read
 * and dropped — up to DRAIN_MAX_BYTES or DRAIN_MS, past which the socket is closed anyway
 * (a client sending without end gets no more of our time).
 */
function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  const body = JSON.stringify({ ok: false, error: { code: 'body-too-large', message: 'request body too large' } });
  res.writeHead(413, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.write(body);
  let drained = 0;
  let done = false;
  const finish = (destroy: boolean) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    req.removeListener('data', onData);
    if (destroy) res.end(() => req.destroy());
    else res.end();
  };
  const onData = (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_MAX_BYTES) finish(true);
  };
  const timer = setTimeout(() => finish(true), DRAIN_MS);
  timer.unref();
  req.on('data', onData);
  req.once('end', () => finish(false));
  req.once('error', () => finish(true));
  req.resume();
}
