/**
 * Request signing of the robots, as their documentation gives it, and of our own webhook.
 * - 钉钉 custom robot (加签): string to sign `timestamp + "\n" + secret` (timestamp in ms),
 *   HMAC-SHA256 keyed by the secret, Base64, then URL-encoded; sent as `&timestamp=…&sign=…`.
 * - 飞书 custom bot (签名校验): string to sign `timestamp + "\n" + secret` (timestamp in s)
 *   is the HMAC-SHA256 *key*, the message is empty; Base64; sent as `timestamp` and `sign`
 *   in the JSON body.
 * - Generic webhook: `X-Baomi-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`
 *   with `X-Baomi-Timestamp` (s), so a receiver can refuse replays and forgeries.
 */
import { createHmac } from 'node:crypto';

/** 钉钉: the `sign` query value (already URL-encoded) for `timestampMs`. */
export function dingtalkSign(secret: string, timestampMs: number): string {
  const digest = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  return encodeURIComponent(digest);
}

/** 飞书: the body's `sign` for `timestampSeconds`. */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** Our webhook: the `X-Baomi-Signature` value for this body and timestamp (s). */
export function webhookSignature(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex')}`;
}
