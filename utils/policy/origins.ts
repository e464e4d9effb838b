/**
 * Origin patterns of the policy's internal list:
 *   https://crm.example.com        exactly that origin (default port)
 *   https://*.corp.example.com     any subdomain of corp.example.com (not corp.example.com itself)
 *   http://127.0.0.1:*             any port
 */

interface ParsedOrigin {
  scheme: string;
  host: string;
  port: string;
}

function parseOrigin(origin: string): ParsedOrigin | null {
  try {
    const url = new URL(origin);
    const defaultPort = url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '';
    return { scheme: url.protocol.slice(0, -1), host: url.hostname.toLowerCase(), port: url.port || defaultPort };
  } catch {
    return null;
  }
}

export function originMatchesPattern(origin: string, pattern: string): boolean {
  const target = parseOrigin(origin);
  const match = /^(https?):\/\/(\*\.)?([^:/]+)(?::(\d{1,5}|\*))?$/i.exec(pattern.trim());
  if (!target || !match) return false;
  const [, scheme, wildcard, rawHost, rawPort] = match;
  if (target.scheme !== scheme!.toLowerCase()) return false;
  const host = rawHost!.toLowerCase();
  if (wildcard ? !target.host.endsWith(`.${host}`) : target.host !== host) return false;
  if (rawPort === '*') return true;
  const port = rawPort ?? (target.scheme === 'https' ? '443' : '80');
  return target.port === port;
}

export function isInternalOrigin(origin: string | null | undefined, internalOrigins: readonly string[]): boolean {
  if (!origin) return false;
  return internalOrigins.some((pattern) => originMatchesPattern(origin, pattern));
}
