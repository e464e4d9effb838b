/** Browsers that logged in as a user before (login throttle: server/lib/login-throttle.ts). */
import type { Kysely } from 'kysely';
import type { Database } from '../schema';

/** The token's hash when it names a live known browser of `username`, else null. */
export async function findKnownLogin(db: Kysely<Database>, tokenHash: string, username: string, now: Date): Promise<string | null> {
  const row = await db
    .selectFrom('known_logins')
    .innerJoin('users', 'users.id', 'known_logins.user_id')
    .select('known_logins.token_hash')
    .where('known_logins.token_hash', '=', tokenHash)
    .where('users.username', '=', username)
    .where('known_logins.expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row?.token_hash ?? null;
}

export async function rememberLogin(
  db: Kysely<Database>,
  input: { tokenHash: string; userId: string; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('known_logins')
    .values({
      token_hash: input.tokenHash,
      user_id: input.userId,
      created_at: input.now.toISOString(),
      expires_at: input.expiresAt.toISOString(),
    })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .execute();
  await db.deleteFrom('known_logins').where('expires_at', '<=', input.now.toISOString()).execute();
}
