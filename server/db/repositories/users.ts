/** Admin console users and their sessions. */
import type { Kysely } from 'kysely';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import type { Database } from '../schema';

import { ROLES, type Role } from '../../../utils/api/permissions';

export { ROLES, type Role };

export interface User {
  id: string;
  username: string;
  role: Role;
  displayName: string;
  createdAt: string;
}

type UserRow = Database['users'];
const toUser = (row: Pick<UserRow, 'id' | 'username' | 'role' | 'display_name' | 'created_at'>): User => ({
  id: row.id,
  username: row.username,
  role: row.role as Role,
  displayName: row.display_name,
  createdAt: row.created_at,
});

export async function findUserForLogin(db: Kysely<Database>, username: string) {
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
}

export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
  return rows.map(toUser);
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export class UsernameTakenError extends Error {
  constructor(readonly username: string, options?: { cause?: unknown }) {
    super(`username "${username}" is taken`, options);
    this.name = 'UsernameTakenError';
  }
}

export async function createUser(
  db: Kysely<Database>,
  input: { username: string; passwordHash: string; role: Role; displayName: string; now: Date },
): Promise<User> {
  const row = {
    id: uuidv7(input.now.getTime()),
    username: input.username,
    password_hash: input.passwordHash,
    role: input.role,
    display_name: input.displayName,
    created_at: input.now.toISOString(),
  };
  const inserted = await db
    .insertInto('users')
    .values(row)
    .onConflict((oc) => oc.column('username').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new UsernameTakenError(input.username);
  return toUser(row);
}

export async function createSession(
  db: Kysely<Database>,
  input: { idHash: string; userId: string; csrfToken: string; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: input.idHash,
      user_id: input.userId,
      csrf_token: input.csrfToken,
      created_at: input.now.toISOString(),
      expires_at: input.expiresAt.toISOString(),
    })
    .execute();
  // Housekeeping: expired sessions are useless; drop them as we go.
  await db.deleteFrom('sessions').where('expires_at', '<=', input.now.toISOString()).execute();
}

export async function findSession(db: Kysely<Database>, idHash: string, now: Date) {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.username', 'users.role', 'users.display_name', 'users.created_at', 'sessions.csrf_token'])
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row ? { user: toUser(row), csrfToken: row.csrf_token } : null;
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}
