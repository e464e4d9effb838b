/** Admin console users, their lifecycle (password, role, disabled) and their sessions. */
import type { Kysely, Transaction } from 'kysely';
import { uuidv7 } from '../../../utils/events/uuid-v7';
import { ADMIN_ROLE, ROLES, type Role } from '../../../utils/api/permissions';
import type { Database } from '../schema';

export { ROLES, type Role };

export interface User {
  id: string;
  username: string;
  role: Role;
  displayName: string;
  createdAt: string;
  /** Set after an admin reset or a generated first password: nothing else works until changed. */
  mustChangePassword: boolean;
  disabledAt: string | null;
  passwordChangedAt: string | null;
}

type UserRow = Database['users'];
type UserColumns = Pick<UserRow, 'id' | 'username' | 'role' | 'display_name' | 'created_at' | 'disabled_at' | 'password_changed_at'> & {
  must_change_password: number | string | boolean;
};
const USER_COLUMNS = [
  'users.id',
  'users.username',
  'users.role',
  'users.display_name',
  'users.created_at',
  'users.must_change_password',
  'users.disabled_at',
  'users.password_changed_at',
] as const;

const toUser = (row: UserColumns): User => ({
  id: row.id,
  username: row.username,
  role: row.role as Role,
  displayName: row.display_name,
  createdAt: row.created_at,
  mustChangePassword: Number(row.must_change_password) === 1,
  disabledAt: row.disabled_at,
  passwordChangedAt: row.password_changed_at,
});

export async function findUserForLogin(db: Kysely<Database>, username: string) {
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
}

export async function findUserById(db: Kysely<Database>, id: string) {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
}

export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  const rows = await db.selectFrom('users').select(USER_COLUMNS).orderBy('username').execute();
  return rows.map(toUser);
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export class UsernameTakenError extends Error {
  constructor(
    readonly username: string,
    options?: { cause?: unknown },
  ) {
    super(`username "${username}" is taken`, options);
    this.name = 'UsernameTakenError';
  }
}

export async function createUser(
  db: Kysely<Database>,
  input: { username: string; passwordHash: string; role: Role; displayName: string; now: Date; mustChangePassword?: boolean },
): Promise<User> {
  const row = {
    id: uuidv7(input.now.getTime()),
    username: input.username,
    password_hash: input.passwordHash,
    role: input.role,
    display_name: input.displayName,
    created_at: input.now.toISOString(),
    must_change_password: input.mustChangePassword ? 1 : 0,
    disabled_at: null,
    password_changed_at: null,
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

/** The password hash of an account that signs in through the identity provider: not `scrypt$…`, so no password ever verifies. */
export const SSO_PASSWORD_HASH = 'sso';

/**
 * The console account of a person who signed in through the identity provider, found by their
 * OIDC subject (never by user name: a directory user called `admin` must not become the local
 * break-glass admin). Its role follows the directory groups at every login; a new account takes
 * the directory's user name unless a local account has it.
 */
export async function upsertSsoUser(
  db: Kysely<Database>,
  input: { subject: string; username: string; displayName: string; role: Role; now: Date },
): Promise<User> {
  const existing = await db.selectFrom('users').select(USER_COLUMNS).where('sso_subject', '=', input.subject).executeTakeFirst();
  if (existing) {
    await db.updateTable('users').set({ role: input.role, display_name: input.displayName }).where('id', '=', existing.id).execute();
    return toUser({ ...existing, role: input.role, display_name: input.displayName });
  }
  const taken = await db.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst();
  const username = taken ? `${input.username}@sso` : input.username;
  const row = {
    id: uuidv7(input.now.getTime()),
    username,
    password_hash: SSO_PASSWORD_HASH,
    role: input.role,
    display_name: input.displayName,
    created_at: input.now.toISOString(),
    must_change_password: 0,
    disabled_at: null,
    password_changed_at: null,
    sso_subject: input.subject,
  };
  await db.insertInto('users').values(row).execute();
  return toUser(row);
}

/**
 * Sets a new password hash. `mustChange` true: a one-time password (admin reset), the user
 * must choose their own at the next login. Returns false when there is no such user.
 */
export async function setPassword(
  db: Kysely<Database>,
  input: { userId: string; passwordHash: string; mustChange: boolean; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({
      password_hash: input.passwordHash,
      must_change_password: input.mustChange ? 1 : 0,
      password_changed_at: input.now.toISOString(),
    })
    .where('id', '=', input.userId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends the user's sessions, all of them or all but `keepSessionHash` (the one changing the password). */
export async function endSessionsOfUser(
  db: Kysely<Database> | Transaction<Database>,
  userId: string,
  keepSessionHash?: string,
): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepSessionHash) query = query.where('id_hash', '<>', keepSessionHash);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Refused because it would leave no active account able to manage users. */
export class LastAdminError extends Error {
  constructor() {
    super('the last active IT administrator cannot be disabled, demoted or deleted');
    this.name = 'LastAdminError';
  }
}

export type UserChange = { kind: 'role'; role: Role } | { kind: 'disable'; now: Date } | { kind: 'enable' } | { kind: 'delete' };

const isActiveAdmin = (user: Pick<User, 'role' | 'disabledAt'>) => user.role === ADMIN_ROLE && user.disabledAt === null;

/**
 * Applies a role change, disable, enable or delete, keeping at least one active IT
 * administrator. One transaction, SERIALIZABLE on PostgreSQL: two admins demoting each
 * other at the same moment cannot both win (the loser gets a serialization failure,
 * retried once more here, then sees the rule). A disabled or deleted user's sessions end
 * in the same transaction. Returns the user as it was before, or null if unknown.
 */
export async function changeUser(db: Kysely<Database>, userId: string, change: UserChange): Promise<User | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db
        .transaction()
        .setIsolationLevel('serializable')
        .execute(async (tx) => {
          const row = await tx.selectFrom('users').select(USER_COLUMNS).where('id', '=', userId).executeTakeFirst();
          if (!row) return null;
          const before = toUser(row);
          const after =
            change.kind === 'role'
              ? { role: change.role, disabledAt: before.disabledAt }
              : change.kind === 'disable'
                ? { role: before.role, disabledAt: before.disabledAt ?? change.now.toISOString() }
                : change.kind === 'enable'
                  ? { role: before.role, disabledAt: null }
                  : null;
          if (isActiveAdmin(before) && (after === null || !isActiveAdmin(after))) {
            const others = await tx
              .selectFrom('users')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('role', '=', ADMIN_ROLE)
              .where('disabled_at', 'is', null)
              .where('id', '<>', userId)
              .executeTakeFirst();
            if (Number(others?.n ?? 0) === 0) throw new LastAdminError();
          }
          if (after === null) {
            await tx.deleteFrom('users').where('id', '=', userId).execute();
          } else {
            await tx.updateTable('users').set({ role: after.role, disabled_at: after.disabledAt }).where('id', '=', userId).execute();
          }
          if (change.kind === 'disable' || change.kind === 'delete') await endSessionsOfUser(tx, userId);
          return before;
        });
    } catch (error) {
      // PostgreSQL serialization_failure: another change to the admins ran at the same time.
      if (attempt < 3 && (error as { code?: string }).code === '40001') continue;
      throw error;
    }
  }
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

/** The session's user, or null when the session is unknown, expired or its user disabled. */
export async function findSession(db: Kysely<Database>, idHash: string, now: Date) {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([...USER_COLUMNS, 'sessions.csrf_token'])
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', now.toISOString())
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? { user: toUser(row), csrfToken: row.csrf_token } : null;
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}
