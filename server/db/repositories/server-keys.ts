/**
 * Every server process of one database must sign with the same key and hash with the same
 * key: a device pins the signing key at enrollment (a policy signed by another key fails on
 * it) and finding hashes only correlate under one hashing key. The first process records
 * the fingerprints; a process with other keys refuses to start.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import type { ServerKeys } from '../../keys';

export interface KeyFingerprints {
  signing: string;
  hash: string;
  /** The extension id: the extension key's public fingerprint. */
  extension: string;
}

const KEY_NAMES: Record<keyof KeyFingerprints, string> = { signing: 'signing key', hash: 'hashing key', extension: 'extension key' };

/** The hashing key's fingerprint: a domain-separated digest, 16 hex (the key itself never leaves the data dir). */
export function fingerprintsOf(keys: ServerKeys): KeyFingerprints {
  return {
    signing: keys.keyId,
    hash: createHash('sha256').update('baomi-guard hash-key fingerprint\0').update(keys.hashKey).digest('hex').slice(0, 16),
    extension: keys.extension.id,
  };
}

export class KeyMismatchError extends Error {
  constructor(
    readonly dataDir: string,
    readonly stored: KeyFingerprints,
    readonly mine: KeyFingerprints,
  ) {
    const names = (Object.keys(KEY_NAMES) as (keyof KeyFingerprints)[])
      .filter((name) => stored[name] !== mine[name])
      .map((name) => KEY_NAMES[name]);
    const which = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
    super(
      [
        `This database belongs to server keys other than those in the data dir ${dataDir} (${which} differ).`,
        `  database: signing key id ${stored.signing}, hashing key fingerprint ${stored.hash}, extension id ${stored.extension}`,
        `  this data dir: signing key id ${mine.signing}, hashing key fingerprint ${mine.hash}, extension id ${mine.extension}`,
        'Every server process of one database must use the same keys: devices would refuse its policies, its finding hashes would not correlate and the extension it hosts would carry another id.',
        'Fix: give this process the keys of the first one — copy signing-key.json, hash-key.txt and extension-key.pem from its BAOMI_DATA_DIR into this one (mode 0600), or point BAOMI_DATA_DIR at the same private directory (a shared mount).',
        '本数据库属于另一套服务器密钥。同一数据库的所有服务器进程必须使用相同的密钥：请把首个服务器 BAOMI_DATA_DIR 中的 signing-key.json、hash-key.txt 和 extension-key.pem 复制到本进程的数据目录，或让 BAOMI_DATA_DIR 指向同一目录。',
      ].join('\n'),
    );
    this.name = 'KeyMismatchError';
  }
}

/** Records the fingerprints on first start; throws KeyMismatchError when the database holds others. */
export async function checkKeyFingerprints(db: Kysely<Database>, keys: ServerKeys, dataDir: string, now: Date): Promise<void> {
  const mine = fingerprintsOf(keys);
  await db
    .insertInto('server_keys')
    .values([
      { name: 'signing', fingerprint: mine.signing, created_at: now.toISOString() },
      { name: 'hash', fingerprint: mine.hash, created_at: now.toISOString() },
      // A database from before the extension key gets its row at the next start.
      { name: 'extension', fingerprint: mine.extension, created_at: now.toISOString() },
    ])
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const rows = await db.selectFrom('server_keys').select(['name', 'fingerprint']).execute();
  const stored: KeyFingerprints = {
    signing: rows.find((r) => r.name === 'signing')?.fingerprint ?? mine.signing,
    hash: rows.find((r) => r.name === 'hash')?.fingerprint ?? mine.hash,
    extension: rows.find((r) => r.name === 'extension')?.fingerprint ?? mine.extension,
  };
  if (stored.signing !== mine.signing || stored.hash !== mine.hash || stored.extension !== mine.extension)
    throw new KeyMismatchError(dataDir, stored, mine);
}
