/**
 * Test support for PostgreSQL: each test file gets a fresh schema in the database named by
 * BAOMI_TEST_DATABASE_URL (e.g. postgres://baomi:baomi@127.0.0.1:5432/postgres), used
 * through search_path and dropped afterwards. Tests skip PostgreSQL when the variable is unset;
 * `npm test`'s preflight refuses to start then, unless BAOMI_SKIP_POSTGRES=1 (reported as not run).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL: string | undefined = process.env.BAOMI_TEST_DATABASE_URL || undefined;

export interface PgTestSchema {
  databaseUrl: string;
  schema: string;
  drop(): Promise<void>;
}

export async function createPgTestSchema(databaseUrl: string, prefix = 'baomi_test'): Promise<PgTestSchema> {
  const schema = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z0-9_]+$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await client.end();
  }
  return {
    databaseUrl,
    schema,
    drop: async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
