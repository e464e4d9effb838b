import type { Context } from 'hono';
import type { AppEnv } from '../context';

/**
 * The peer address from the Node socket. X-Forwarded-For is NOT trusted: behind a
 * reverse proxy all clients share the proxy's address for rate limiting (documented).
 * In-process tests (`app.request`) have no socket: 'local'.
 */
export function clientIp(c: Context<AppEnv>): string {
  return c.env?.incoming?.socket?.remoteAddress ?? 'local';
}
