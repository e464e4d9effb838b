import { isIP } from 'node:net';
import type { Context } from 'hono';
import type { AppEnv } from '../context';

/** '::ffff:10.0.0.1' (an IPv4 peer on a dual-stack socket) → '10.0.0.1'. */
function plain(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/** The socket peer; in-process tests (`app.request` without a socket) are 'local'. */
export function peerIp(c: Context<AppEnv>): string {
  const remote = c.env?.incoming?.socket?.remoteAddress;
  return remote ? plain(remote) : 'local';
}

/**
 * The client's address. X-Forwarded-For is believed only when the peer is one of the
 * configured trusted proxies (BAOMI_TRUSTED_PROXIES); then the client is the right-most
 * address that is not itself a trusted proxy (entries left of it could be forged by the
 * client). Without the setting, every client behind a proxy shares the proxy's address.
 */
export function clientIp(c: Context<AppEnv>, trustedProxies: readonly string[] = []): string {
  const peer = peerIp(c);
  if (trustedProxies.length === 0 || !trustedProxies.includes(peer)) return peer;
  const forwarded = (c.req.header('X-Forwarded-For') ?? '').split(',').map((part) => plain(part.trim()));
  for (let i = forwarded.length - 1; i >= 0; i--) {
    const ip = forwarded[i]!;
    if (isIP(ip) === 0) return peer; // garbage: believe nothing
    if (!trustedProxies.includes(ip)) return ip;
  }
  return peer;
}

/** True when the request reached us over HTTPS: our own TLS, or a trusted proxy's X-Forwarded-Proto. */
export function viaHttps(c: Context<AppEnv>, trustedProxies: readonly string[] = []): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!trustedProxies.includes(peerIp(c))) return false;
  const proto = (c.req.header('X-Forwarded-Proto') ?? '').split(',')[0]!.trim().toLowerCase();
  return proto === 'https';
}
