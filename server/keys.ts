/**
 * Server secrets kept as files in the data directory (mode 0600), never in the
 * database: the Ed25519 signing pair, the organisation's hashing key and the RSA key that
 * signs the company's own extension packages (its extension id). A database dump alone can
 * then neither forge policies, brute-force finding hashes nor ship an extension update.
 */
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { generateKeyPair, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensurePrivateDir } from './data-dir';
import { extensionKeyFromPem, type ExtensionKey } from './extension/extension-key';
import { generateSigningKeyPair, keyIdOf, type SigningKeyPair } from '../utils/crypto/signing';

export interface ServerKeys {
  signing: SigningKeyPair;
  keyId: string;
  /** Organisation hashing key (utils/events/keyed-hash.ts), handed to enrolled devices. */
  hashKey: string;
  /** Signs the CRX packages the server hosts; its public key is the extension id (server/extension/). */
  extension: ExtensionKey;
}

export const SIGNING_KEY_FILE = 'signing-key.json';
export const HASH_KEY_FILE = 'hash-key.txt';
export const EXTENSION_KEY_FILE = 'extension-key.pem';

export class KeyFileError extends Error {
  constructor(
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot read key file ${file}: it exists but is not valid`, options);
    this.name = 'KeyFileError';
  }
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Write a new secret file; 'wx' fails if another process created it first, then we read theirs. */
function writeSecret(path: string, content: string): string {
  try {
    writeFileSync(path, content, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600); // the umask may have narrowed the mode; make it exact
    return content;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8');
    throw error;
  }
}

export async function loadOrCreateKeys(dataDir: string): Promise<ServerKeys> {
  ensurePrivateDir(dataDir);
  const signingPath = join(dataDir, SIGNING_KEY_FILE);
  let signingText = readIfExists(signingPath);
  if (signingText === null) {
    signingText = writeSecret(signingPath, JSON.stringify(await generateSigningKeyPair(), null, 2) + '\n');
  }
  let signing: SigningKeyPair;
  try {
    const parsed = JSON.parse(signingText) as Partial<SigningKeyPair>;
    if (typeof parsed.publicKey !== 'string' || typeof parsed.privateKey !== 'string') throw new Error('missing fields');
    signing = { publicKey: parsed.publicKey, privateKey: parsed.privateKey };
  } catch (cause) {
    throw new KeyFileError(signingPath, { cause });
  }

  const hashPath = join(dataDir, HASH_KEY_FILE);
  let hashKey = readIfExists(hashPath);
  if (hashKey === null) hashKey = writeSecret(hashPath, randomBytes(32).toString('base64url') + '\n');
  hashKey = hashKey.trim();
  if (hashKey.length < 32) throw new KeyFileError(hashPath);

  return { signing, keyId: await keyIdOf(signing.publicKey), hashKey, extension: await loadOrCreateExtensionKey(dataDir) };
}

/**
 * The company's extension key: RSA 2048 (what Chromium's own packer makes), PKCS#8 PEM.
 * Made once, at first start; the extension id every policy file names follows from it, so
 * losing it means a new id on every machine (it is in the backup with the other keys).
 * Generated off the event loop: RSA key generation takes ~0.1–1 s.
 */
export async function loadOrCreateExtensionKey(dataDir: string): Promise<ExtensionKey> {
  ensurePrivateDir(dataDir);
  const path = join(dataDir, EXTENSION_KEY_FILE);
  let pem = readIfExists(path);
  if (pem === null) {
    const { privateKey } = await promisify(generateKeyPair)('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    pem = writeSecret(path, privateKey);
  }
  try {
    return extensionKeyFromPem(pem);
  } catch (cause) {
    throw new KeyFileError(path, { cause });
  }
}
