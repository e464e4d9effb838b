import type { Context } from 'hono';
import type { AppEnv } from '../context';
import type { ServerConfig } from '../config';
import { viaHttps } from './client-ip';

/**
 * The base URL staff machines reach this server at: BAOMI_PUBLIC_URL when set, else the
 * scheme and host of the request (the scheme from a trusted proxy's X-Forwarded-Proto).
 * Update manifests and policy files name it, so browsers come back to the same address.
 */
export function publicBaseUrl(c: Context<AppEnv>, config: Pick<ServerConfig, 'publicUrl' | 'trustedProxies'>): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  const url = new URL(c.req.url);
  return `${viaHttps(c, config.trustedProxies) ? 'https' : 'http'}://${url.host}`;
}
