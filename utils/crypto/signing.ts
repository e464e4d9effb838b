/**
 * Ed25519 signatures over canonical JSON, with WebCrypto only (Chromium ≥ 137,
 * Firefox ≥ 129, Node ≥ 20), so the server signs and the extension verifies with
 * one implementation. Each purpose has its own prefix: a signed grant can never be
 * replayed as a policy or the other way round.
 */
import { canonicalJson } from './canonical-json';
import { base64ToBytes, bytesToBase64, bytesToHex } from './base64';
import { verifyEd25519 } from './ed25519-verify';

export type SignaturePurpose = 'policy' | 'grant' | 'revocation' | 'register';

const ED25519 = { name: 'Ed25519' } as const;

function signedBytes(purpose: SignaturePurpose, payload: unknown): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`baomi-${purpose}-v1\n${canonicalJson(payload)}`);
}

export interface SignedEnvelope<T> {
  payload: T;
  /** base64 Ed25519 signature */
  signature: string;
  /** identifies the server key: first 16 hex digits of SHA-256(raw public key) */
  keyId: string;
}

export async function keyIdOf(publicKeyBase64: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', base64ToBytes(publicKeyBase64) as Uint8Array<ArrayBuffer>);
  return bytesToHex(new Uint8Array(digest)).slice(0, 16);
}

export interface SigningKeyPair {
  /** base64 of the 32-byte raw public key */
  publicKey: string;
  /** base64 PKCS#8 private key; stays on the server */
  privateKey: string;
}

export async function generateSigningKeyPair(): Promise<SigningKeyPair> {
  const pair = (await crypto.subtle.generateKey(ED25519, true, ['sign', 'verify'])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const privateKey = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  return { publicKey: bytesToBase64(publicKey), privateKey: bytesToBase64(privateKey) };
}

export async function signPayload<T>(purpose: SignaturePurpose, payload: T, keys: SigningKeyPair): Promise<SignedEnvelope<T>> {
  const privateKey = await crypto.subtle.importKey('pkcs8', base64ToBytes(keys.privateKey) as Uint8Array<ArrayBuffer>, ED25519, false, [
    'sign',
  ]);
  const signature = await crypto.subtle.sign(ED25519, privateKey, signedBytes(purpose, payload));
  return { payload, signature: bytesToBase64(new Uint8Array(signature)), keyId: await keyIdOf(keys.publicKey) };
}

/** True only when `signature` is a valid signature of `payload` for `purpose` by `publicKeyBase64`. */
export async function verifyPayload(
  purpose: SignaturePurpose,
  payload: unknown,
  signatureBase64: string,
  publicKeyBase64: string,
): Promise<boolean> {
  try {
    // No WebCrypto outside secure contexts: the content script on a plain-http page.
    if (!globalThis.crypto?.subtle) {
      return verifyEd25519(base64ToBytes(publicKeyBase64), base64ToBytes(signatureBase64), signedBytes(purpose, payload));
    }
    const publicKey = await crypto.subtle.importKey('raw', base64ToBytes(publicKeyBase64) as Uint8Array<ArrayBuffer>, ED25519, false, [
      'verify',
    ]);
    return await crypto.subtle.verify(
      ED25519,
      publicKey,
      base64ToBytes(signatureBase64) as Uint8Array<ArrayBuffer>,
      signedBytes(purpose, payload),
    );
  } catch {
    // Malformed key or signature (bad base64, wrong length): not a valid signature.
    return false;
  }
}
