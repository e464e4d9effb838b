/**
 * A loopback HTTP proxy between the extension and the real server, so tests can
 * hold an upload in flight (to kill the service worker mid-request) or tamper with
 * a signed policy on its way (a server in the middle).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyControls {
  url: string;
  /** Set to a number of ms to hold POST /events before forwarding it. */
  holdEventsMs: number;
  /** Rewrites the JSON body of GET /policy responses (200 only). */
  tamperPolicy: ((body: { ok: boolean; signed: { payload: Record<string, unknown>; signature: string } }) => unknown) | null;
  /** POST /events requests seen (forwarded or not). */
  eventPosts: number;
  /** Resolves when the next POST /events arrives (before it is forwarded). */
  nextEventPost(): Promise<void>;
  close(): Promise<void>;
}

export async function startProxy(targetUrl: () => string): Promise<ProxyControls> {
  let waiters: (() => void)[] = [];
  const controls: ProxyControls = {
    url: '',
    holdEventsMs: 0,
    tamperPolicy: null,
    eventPosts: 0,
    nextEventPost: () => new Promise<void>((resolve) => waiters.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function forward(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const target = new URL(req.url ?? '/', targetUrl());
    const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (upstreamRes) => {
      const chunks: Buffer[] = [];
      upstreamRes.on('data', (chunk: Buffer) => chunks.push(chunk));
      upstreamRes.on('end', () => {
        let data = Buffer.concat(chunks);
        const headers = { ...upstreamRes.headers };
        if (controls.tamperPolicy && req.method === 'GET' && target.pathname === '/api/v1/policy' && upstreamRes.statusCode === 200) {
          data = Buffer.from(JSON.stringify(controls.tamperPolicy(JSON.parse(data.toString('utf8')))));
          delete headers['content-length'];
        }
        res.writeHead(upstreamRes.statusCode ?? 502, headers);
        res.end(data);
      });
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: { code: 'bad_gateway', message: 'server down' } }));
    });
    upstream.end(body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && req.url?.startsWith('/api/v1/events')) {
        controls.eventPosts += 1;
        const current = waiters;
        waiters = [];
        current.forEach((resolve) => resolve());
        if (controls.holdEventsMs > 0) {
          setTimeout(() => void forward(req, res, body), controls.holdEventsMs);
          return;
        }
      }
      void forward(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  controls.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return controls;
}
