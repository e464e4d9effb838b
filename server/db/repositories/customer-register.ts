/**
 * The customer register: append-only versions (the latest holds the device structure),
 * and the current customers' keyed hashes. An import replaces the customers in the same
 * transaction that adds its version: a failed import leaves the last good register.
 */
import type { Kysely } from 'kysely';
import type { Level } from '../../../utils/detect/types';
import type { Database } from '../schema';

export interface RegisterInfo {
  version: number;
  /** True when this version is a clear (an IT administrator deleted the register). */
  cleared: boolean;
  importedAt: string;
  importedBy: string;
  source: string;
  customerCount: number;
  identifierCount: number;
  levelCounts: Partial<Record<Level, number>>;
}

/** `source` of a version that cleared the register. */
export const CLEARED_SOURCE = 'cleared';

export async function latestRegisterVersion(db: Kysely<Database>): Promise<number | null> {
  const row = await db.selectFrom('customer_register_versions').select('version').orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? Number(row.version) : null;
}

export async function currentRegisterInfo(db: Kysely<Database>): Promise<RegisterInfo | null> {
  const row = await db
    .selectFrom('customer_register_versions')
    .select(['version', 'imported_at', 'imported_by', 'source', 'customer_count', 'identifier_count', 'level_counts'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    version: Number(row.version),
    cleared: row.source === CLEARED_SOURCE,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
    source: row.source,
    customerCount: Number(row.customer_count),
    identifierCount: Number(row.identifier_count),
    levelCounts: JSON.parse(row.level_counts) as Partial<Record<Level, number>>,
  };
}

/** The stored (sealed) device structure of `version`; only the latest version keeps one. */
export async function storedRegisterPayloadAt(db: Kysely<Database>, version: number): Promise<string | null> {
  const row = await db.selectFrom('customer_register_versions').select('payload').where('version', '=', version).executeTakeFirst();
  return row?.payload ?? null;
}

/**
 * A version is saved the same way whether it imports customers or clears them all
 * (`source` CLEARED_SOURCE, no customers, an empty structure): older structures are
 * dropped, the customers replaced, in one transaction.
 */
export interface SaveRegisterInput {
  importedBy: string;
  source: string;
  identifierCount: number;
  customers: readonly { hash: string; level: Level }[];
  now: Date;
  /** Builds the device structure's stored form once the version number is known (inside the transaction). */
  build(version: number): Promise<string>;
}

const INSERT_CHUNK = 500;

export async function saveRegister(db: Kysely<Database>, input: SaveRegisterInput): Promise<RegisterInfo> {
  return db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('customer_register_versions')
      .select('version')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    const version = (last ? Number(last.version) : 0) + 1;
    const payload = await input.build(version);
    const levelCounts: Partial<Record<Level, number>> = {};
    for (const customer of input.customers) levelCounts[customer.level] = (levelCounts[customer.level] ?? 0) + 1;
    await trx.updateTable('customer_register_versions').set({ payload: null }).where('version', '<', version).execute();
    await trx
      .insertInto('customer_register_versions')
      .values({
        version,
        imported_at: input.now.toISOString(),
        imported_by: input.importedBy,
        source: input.source,
        customer_count: input.customers.length,
        identifier_count: input.identifierCount,
        level_counts: JSON.stringify(levelCounts),
        payload,
      })
      .execute();
    await trx.deleteFrom('customer_register_customers').execute();
    for (let i = 0; i < input.customers.length; i += INSERT_CHUNK) {
      const rows = input.customers.slice(i, i + INSERT_CHUNK).map((c) => ({ customer_hash: c.hash, level: c.level, version }));
      await trx.insertInto('customer_register_customers').values(rows).execute();
    }
    return {
      version,
      cleared: input.source === CLEARED_SOURCE,
      importedAt: input.now.toISOString(),
      importedBy: input.importedBy,
      source: input.source,
      customerCount: input.customers.length,
      identifierCount: input.identifierCount,
      levelCounts,
    };
  });
}
