/**
 * The token in the extension's uninstall URL (runtime.setUninstallURL): it names the device
 * and proves the device made it, without the device secret. The device's bearer token never
 * appears in a URL (browser history, proxy logs); the server stores only its SHA-256, so the
 * token is an HMAC keyed with that digest: the device can make it, the server can check it,
 * and someone who knows a device id cannot forge a removal. WebCrypto only: the service
 * worker and the server run the same code.
 */
const encoder = new TextEncoder();
const PURPOSE = 'baomi-uninstall/v1';

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function base64url(bytes: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** SHA-256 hex of the device token: what the server keeps (server/lib/secrets.ts sha256Hex). */
export async function deviceTokenDigest(deviceToken: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(deviceToken)));
}

/** `<deviceId>.<128-bit MAC>`, from the digest of the device token. */
export async function uninstallTokenFromDigest(deviceId: string, tokenDigest: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(tokenDigest), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${PURPOSE}|${deviceId}`));
  return `${deviceId}.${base64url(mac.slice(0, 16))}`;
}

export async function uninstallToken(deviceId: string, deviceToken: string): Promise<string> {
  return uninstallTokenFromDigest(deviceId, await deviceTokenDigest(deviceToken));
}

/** The device id a token names, or null when it is not shaped like one. */
export function deviceIdOfToken(token: string): string | null {
  const match = /^([0-9a-f-]{36})\.[A-Za-z0-9_-]{22}$/.exec(token);
  return match ? match[1]! : null;
}
