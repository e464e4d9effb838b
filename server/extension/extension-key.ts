/**
 * The company's extension key and the id Chromium derives from it. Chromium names an
 * extension by its public key: the SHA-256 of the SubjectPublicKeyInfo (DER), its first 16
 * bytes written as 32 letters a–p. A CRX signed with this key installs under that id, so
 * every policy file and every later version name the same extension.
 */
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';

export interface ExtensionKey {
  /** PKCS#8 PEM; it signs CRX packages and never leaves the data dir. */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo, DER, base64: what a CRX carries and what the id is made from. */
  publicKeyBase64: string;
  /** The Chromium extension id (32 letters a–p). */
  id: string;
}

export function extensionIdOfPublicKey(spkiDer: Uint8Array): string {
  const hex = createHash('sha256').update(spkiDer).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

/** Reads a PEM private key (RSA); throws when it is not one. */
export function extensionKeyFromPem(pem: string): ExtensionKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error(`extension key must be RSA, not ${privateKey.asymmetricKeyType}`);
  const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { privateKeyPem: pem, publicKeyBase64: der.toString('base64'), id: extensionIdOfPublicKey(der) };
}
