/** Published policy versions: append-only; the highest version is the current policy. */
import type { Kysely } from 'kysely';
import { DEFAULT_POLICY, type Policy } from '../../../utils/policy';
import type { Database } from '../schema';

export interface PolicyRecord {
  version: number;
  policy: Policy;
  publishedAt: string;
  publishedBy: string;
  note: string | null;
}

type Row = Database['policy_versions'];

function toRecord(row: Row): PolicyRecord {
  return {
    version: Number(row.version),
    policy: JSON.parse(row.policy) as Policy,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
    note: row.note,
  };
}

export async function latestPolicyVersion(db: Kysely<Database>): Promise<number | null> {
  const row = await db.selectFrom('policy_versions').select('version').orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? Number(row.version) : null;
}

export async function currentPolicy(db: Kysely<Database>): Promise<PolicyRecord | null> {
  const row = await db.selectFrom('policy_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? toRecord(row) : null;
}

export async function policyAtVersion(db: Kysely<Database>, version: number): Promise<PolicyRecord | null> {
  const row = await db.selectFrom('policy_versions').selectAll().where('version', '=', version).executeTakeFirst();
  return row ? toRecord(row) : null;
}

export interface PolicyHistoryItem {
  version: number;
  name: string;
  publishedAt: string;
  publishedBy: string;
  note: string | null;
}

export async function policyHistory(db: Kysely<Database>, limit = 500): Promise<PolicyHistoryItem[]> {
  const rows = await db.selectFrom('policy_versions').selectAll().orderBy('version', 'desc').limit(limit).execute();
  return rows.map((row) => {
    const record = toRecord(row);
    return {
      version: record.version,
      name: record.policy.name,
      publishedAt: record.publishedAt,
      publishedBy: record.publishedBy,
      note: record.note,
    };
  });
}

export class PublishConflictError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('another policy was published at the same time; retry', options);
    this.name = 'PublishConflictError';
  }
}

/** Stores `policy` as version last+1 (the server assigns version and publishedAt). */
export async function publishPolicy(
  db: Kysely<Database>,
  input: { policy: Policy; publishedBy: string; note: string | null; now: Date },
): Promise<PolicyRecord> {
  try {
    return await db.transaction().execute(async (trx) => {
      const last = (await latestPolicyVersion(trx)) ?? 0;
      const version = last + 1;
      const publishedAt = input.now.toISOString();
      const policy: Policy = { ...input.policy, version, publishedAt };
      await trx
        .insertInto('policy_versions')
        .values({ version, policy: JSON.stringify(policy), published_at: publishedAt, published_by: input.publishedBy, note: input.note })
        .execute();
      return { version, policy, publishedAt, publishedBy: input.publishedBy, note: input.note };
    });
  } catch (cause) {
    // Two processes publishing at once both computed last+1: the primary key refuses one.
    if (/unique|duplicate|constraint/i.test(String((cause as Error)?.message))) throw new PublishConflictError({ cause });
    throw cause;
  }
}

/** First start: the built-in default becomes version 1, published by 'system'. */
export async function ensureInitialPolicy(db: Kysely<Database>, now: Date): Promise<void> {
  const publishedAt = now.toISOString();
  const policy: Policy = { ...DEFAULT_POLICY, version: 1, publishedAt };
  await db
    .insertInto('policy_versions')
    .values({
      version: 1,
      policy: JSON.stringify(policy),
      published_at: publishedAt,
      published_by: 'system',
      note: 'initial default policy',
    })
    .onConflict((oc) => oc.column('version').doNothing())
    .execute();
}
