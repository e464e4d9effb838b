/**
 * Short secrets the database keeps for the server (alert webhook URLs, signing secrets,
 * SMTP passwords): sealed with AES-256-GCM under a key derived from the server's private
 * signing key (a file in the data directory; unlike the hash key, no device ever holds it),
 * so a copy of the database alone does not open them. `purpose` is associated
 * data: a value sealed for one row or field does not open as another.
 *
 * Stored form: `sealed:v1:<iv base64url>:<ciphertext + tag base64url>`.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'sealed:v1:';

function sealingKey(rootSecret: string): Buffer {
  return createHmac('sha256', rootSecret).update('baomi-sealed-text/v1', 'utf8').digest();
}

export function sealText(rootSecret: string, purpose: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(rootSecret), iv);
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${iv.toString('base64url')}:${sealed.toString('base64url')}`;
}

export class SealedTextError extends Error {
  constructor(
    readonly purpose: string,
    options?: { cause?: unknown },
  ) {
    super(`a sealed value (${purpose}) does not open under this server's hash key`, options);
    this.name = 'SealedTextError';
  }
}

/** Opens what `sealText` sealed for `purpose`; throws SealedTextError for another key, purpose or an altered value. */
export function openText(rootSecret: string, purpose: string, stored: string): string {
  try {
    if (!stored.startsWith(PREFIX)) throw new Error('not sealed');
    const [ivText = '', sealedText = ''] = stored.slice(PREFIX.length).split(':');
    const sealed = Buffer.from(sealedText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(rootSecret), Buffer.from(ivText, 'base64url'));
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new SealedTextError(purpose, { cause });
  }
}
