/**
 * The outgoing-guard e2e server: one node:http handler on two 127.0.0.1 ports. Port A
 * serves the test pages; port B (another origin, not internal under the default policy)
 * is the sink. Every request either port receives is recorded with its body, so a test
 * checks what really reached the network, not what the page believed.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  body: string;
  port: number;
}

export interface OutgoingServer {
  pageOrigin: string;
  sinkOrigin: string;
  received: Received[];
  /** Requests whose path starts with `prefix` (preflights excluded). */
  hits(prefix: string): Received[];
  waitForHit(prefix: string, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': '*',
  'access-control-allow-methods': 'GET, POST, PUT',
};

/** A page with a form posting to the sink; `head` runs before anything else of the page. */
export function pageHtml(sinkOrigin: string, head = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>outgoing</title>
<script>window.SINK = ${JSON.stringify(sinkOrigin)};</script>${head}</head><body>
<form id="f" method="post" action="${sinkOrigin}/form">
  <input id="note" name="note" value="">
  <button id="go" name="act" value="send">Send</button>
</form>
</body></html>`;
}

/**
 * A hostile page: before any other page code, it plays the isolated world — dispatches
 * the bridge's secret event and posts a port message with its own port, answering
 * "allowed" to anything — and spies on messages and MessagePort.postMessage.
 */
export const HOSTILE_HEAD = `<script>
  window.hostile = { portRequests: 0, sawPortMessage: false, capturedPorts: 0, swappedPorts: 0, grabbedHandlers: 0, promisePatched: false };
  const secret = 'forged-secret-0123456789abcdef';
  const channel = new MessageChannel();
  channel.port1.onmessage = (e) => {
    window.hostile.portRequests++;
    channel.port1.postMessage({ kind: 'verdict', id: e.data && e.data.id, blocked: false });
  };
  // Its own forged message comes back to it, of course; any other port message would be ours.
  addEventListener('message', (e) => { if (e.data && e.data.type === 'baomi-guard:port' && e.data.secret !== secret) window.hostile.sawPortMessage = true; }, true);
  for (const name of ['baomi-guard:isolated-hello', 'baomi-guard:main-hello']) dispatchEvent(new CustomEvent(name));
  dispatchEvent(new CustomEvent('baomi-guard:secret', { detail: secret }));
  postMessage({ type: 'baomi-guard:port', secret }, '*', [channel.port2]);
  // A fake verdict on whatever port the hooks post to.
  const post = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (msg, ...rest) {
    if (msg && msg.kind === 'decide') {
      window.hostile.capturedPorts++;
      this.dispatchEvent(new MessageEvent('message', { data: { kind: 'verdict', id: msg.id, blocked: false } }));
    }
    return post.call(this, msg, ...rest);
  };
  // Swap the port of the real port message for one of ours as it is read.
  const portsGetter = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'ports').get;
  const spare = new MessageChannel();
  spare.port1.onmessage = channel.port1.onmessage;
  Object.defineProperty(MessageEvent.prototype, 'ports', {
    configurable: true,
    get() {
      const real = portsGetter.call(this);
      if (this.data && this.data.type === 'baomi-guard:port' && this.data.secret !== secret) {
        window.hostile.swappedPorts++;
        return [spare.port2];
      }
      return real;
    },
  });
  // Grab any handler someone installs on a port afterwards.
  const onmessage = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
  Object.defineProperty(MessagePort.prototype, 'onmessage', {
    configurable: true,
    get: onmessage.get,
    set(fn) {
      window.hostile.grabbedHandlers++;
      onmessage.set.call(this, fn);
    },
  });
  Reflect.apply = function () { throw new Error('tampered'); };
  // Blind the text extraction.
  TextDecoder.prototype.decode = () => '';
  window.decodeURIComponent = () => '';
  JSON.parse = () => ({});
  // Make every awaited "true" look "false" (blocked → allowed), if awaits could be steered.
  try {
    Object.defineProperty(Promise.prototype, 'constructor', { value: function FakePromise() {}, configurable: true, writable: true });
    window.hostile.promisePatched = true;
  } catch {}
  const then = Promise.prototype.then;
  Promise.prototype.then = function (onFulfilled, onRejected) {
    return then.call(this, typeof onFulfilled === 'function' ? (v) => onFulfilled(v === true ? false : v) : onFulfilled, onRejected);
  };
</script>`;

export async function startOutgoingServer(): Promise<OutgoingServer> {
  const received: Received[] = [];
  let sinkOrigin = '';

  const handler = async (req: IncomingMessage, res: import('node:http').ServerResponse, port: number) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '/';
    if (req.method !== 'OPTIONS') received.push({ method: req.method ?? '', path, body: Buffer.concat(chunks).toString('utf8'), port });
    if (path.startsWith('/page')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml(sinkOrigin));
    } else if (path.startsWith('/hostile')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pageHtml(sinkOrigin, HOSTILE_HEAD));
    } else {
      res.writeHead(200, { ...CORS, 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>sink</title>received');
    }
  };

  const listen = () =>
    new Promise<{ server: Server; port: number }>((resolve) => {
      let port = 0;
      const server = createServer((req, res) => void handler(req, res, port));
      server.on('upgrade', (req, socket) =>
        acceptWebSocket(req, socket, (text) => received.push({ method: 'WS', path: req.url ?? '/', body: text, port })),
      );
      server.listen(0, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve({ server, port });
      });
    });
  const a = await listen();
  const b = await listen();
  sinkOrigin = `http://127.0.0.1:${b.port}`;

  const hits = (prefix: string) => received.filter((r) => r.path.startsWith(prefix));
  return {
    pageOrigin: `http://127.0.0.1:${a.port}`,
    sinkOrigin,
    received,
    hits,
    async waitForHit(prefix, timeoutMs = 5_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const hit = hits(prefix)[0];
        if (hit) return hit;
        if (Date.now() > end) throw new Error(`the sink never received ${prefix}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () =>
      Promise.all(
        [a.server, b.server].map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      ).then(() => undefined),
  };
}

/** Just enough of RFC 6455 to record the text and binary frames a page sends (client frames are masked). */
function acceptWebSocket(req: IncomingMessage, socket: Duplex, onText: (text: string) => void): void {
  const key = String(req.headers['sec-websocket-key'] ?? '');
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      const opcode = buffer[0]! & 0x0f;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (buffer.length < offset + 4 + length) return;
      const mask = buffer.subarray(offset, offset + 4);
      const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length));
      for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      buffer = buffer.subarray(offset + 4 + length);
      if (opcode === 0x1 || opcode === 0x2) onText(payload.toString('utf8'));
      if (opcode === 0x8) {
        socket.end();
        return;
      }
    }
  });
  socket.on('error', () => undefined);
}
