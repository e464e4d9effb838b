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
}

/** The hashing key's fingerprint: a domain-separated digest, 16 hex (the key itself never leaves the data dir). */
export function fingerprintsOf(keys: ServerKeys): KeyFingerprints {
  return {
    signing: keys.keyId,
    hash: createHash('sha256').update('baomi-guard hash-key fingerprint\0').update(keys.hashKey).digest('hex').slice(0, 16),
  };
}

export class KeyMismatchError extends Error {
  constructor(
    readonly dataDir: string,
    readonly stored: KeyFingerprints,
    readonly mine: KeyFingerprints,
  ) {
    const which = [stored.signing !== mine.signing ? 'signing key' : null, stored.hash !== mine.hash ? 'hashing key' : null]
      .filter(Boolean)
      .join(' and ');
    super(
      [
        `This database belongs to server keys other than those in the data dir ${dataDir} (${which} differ).`,
        `  database: signing key id ${stored.signing}, hashing key fingerprint ${stored.hash}`,
        `  this data dir: signing key id ${mine.signing}, hashing key fingerprint ${mine.hash}`,
        'Every server process of one database must use the same keys: devices would refuse its policies and its finding hashes would not correlate.',
        'Fix: give this process the keys of the first one — copy signing-key.json and hash-key.txt from its BAOMI_DATA_DIR into this one (mode 0600), or point BAOMI_DATA_DIR at the same private directory (a shared mount).',
        '本数据库属于另一套服务器密钥。同一数据库的所有服务器进程必须使用相同的密钥：请把首个服务器 BAOMI_DATA_DIR 中的 signing-key.json 和 hash-key.txt 复制到本进程的数据目录，或让 BAOMI_DATA_DIR 指向同一目录。',
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
    ])
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const rows = await db.selectFrom('server_keys').select(['name', 'fingerprint']).execute();
  const stored: KeyFingerprints = {
    signing: rows.find((r) => r.name === 'signing')?.fingerprint ?? mine.signing,
    hash: rows.find((r) => r.name === 'hash')?.fingerprint ?? mine.hash,
  };
  if (stored.signing !== mine.signing || stored.hash !== mine.hash) throw new KeyMismatchError(dataDir, stored, mine);
}
