/**
 * The register's device structure as the database keeps it: sealed (AES-256-GCM) under a
 * key derived from the organisation's hash key, which lives in the data directory, not
 * in the database. The structure's prefilter is keyed by a 32-bit seed that can be found
 * by trying them all against a few known customer numbers; sealed, a copy of the
 * database alone no longer lets anyone test a guessed number against it.
 *
 * Stored form: `sealed:v1:<iv base64url>:<ciphertext + tag base64url>`, the version number
 * as associated data (a sealed structure moved to another version's row does not open).
 * Rows written before sealing (plain JSON) still open.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { RegisterPayload } from '../../utils/register/structure';

const PREFIX = 'sealed:v1:';

function sealingKey(hashKey: string): Buffer {
  return createHmac('sha256', hashKey).update('baomi-register-at-rest/v1', 'utf8').digest();
}

const associated = (version: number) => Buffer.from(`baomi-register|${version}`, 'utf8');

export function sealRegisterPayload(hashKey: string, payload: RegisterPayload): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(hashKey), iv);
  cipher.setAAD(associated(payload.version));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${iv.toString('base64url')}:${sealed.toString('base64url')}`;
}

/** The structure stored for `version`; throws when it was sealed under another key or altered. */
export function openRegisterPayload(hashKey: string, version: number, stored: string): RegisterPayload {
  if (!stored.startsWith(PREFIX)) return JSON.parse(stored) as RegisterPayload;
  const [ivText = '', sealedText = ''] = stored.slice(PREFIX.length).split(':');
  const sealed = Buffer.from(sealedText, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(hashKey), Buffer.from(ivText, 'base64url'));
  decipher.setAAD(associated(version));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  const plain = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as RegisterPayload;
}
