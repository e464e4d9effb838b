/**
 * Console users and their lifecycle: create, change role, disable / enable, reset the
 * password (a one-time password, shown once, to be changed at the next login), delete.
 * At least one active IT administrator always remains (db/repositories/users.ts
 * changeUser); nobody disables, demotes or deletes themselves.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import {
  changeUser,
  createUser,
  endSessionsOfUser,
  findUserById,
  LastAdminError,
  listUsers,
  ROLES,
  setPassword,
  UsernameTakenError,
  type User,
  type UserChange,
} from '../../db/repositories/users';
import { can } from '../../lib/admin-auth';
import { conflict, notFound } from '../../lib/errors';
import { oneTimePassword } from '../../lib/one-time-password';
import { hashPassword } from '../../lib/secrets';
import { assertStrongPassword } from '../../lib/password-policy';
import { validate } from '../../lib/validate';

const createSchema = z
  .object({
    username: z
      .string()
      .trim()
      .min(2)
      .max(64)
      .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only'),
    password: z.string().min(10, 'at least 10 characters').max(1000),
    role: z.enum(ROLES),
    displayName: z.string().trim().min(1).max(200),
  })
  .strict();
const idParam = z.object({ id: z.string().min(1).max(64) });
const roleSchema = z.object({ role: z.enum(ROLES) }).strict();

const listed = ({ id, username, role, displayName, createdAt, disabledAt, mustChangePassword, passwordChangedAt }: User) => ({
  id,
  username,
  role,
  displayName,
  createdAt,
  disabledAt,
  mustChangePassword,
  passwordChangedAt,
});

export function userRoutes(deps: AppDeps) {
  /** Applies `change` to user `id` unless it is the acting user; audits it by user name. */
  async function change(actor: User, id: string, kind: UserChange, action: string, detail?: Record<string, unknown>) {
    if (id === actor.id) {
      const code =
        kind.kind === 'disable' ? 'cannot-disable-self' : kind.kind === 'delete' ? 'cannot-delete-self' : 'cannot-change-own-role';
      throw conflict('you cannot do this to your own account; ask another administrator', code);
    }
    let before: User | null;
    try {
      before = await changeUser(deps.db, id, kind);
    } catch (error) {
      if (error instanceof LastAdminError) throw conflict(error.message, 'last-admin');
      throw error;
    }
    if (!before) throw notFound('no such user');
    await recordAudit(deps.db, { actor: actor.username, action, target: `user ${before.username}`, detail, now: deps.clock() });
    return before;
  }

  return new Hono<AppEnv>()
    .get('/users', can('users:manage'), async (c) => {
      const users = await listUsers(deps.db);
      return c.json({ ok: true as const, items: users.map(listed) });
    })
    .post('/users', can('users:manage'), validate('json', createSchema), async (c) => {
      const body = c.req.valid('json');
      assertStrongPassword(body.password, [body.username, body.displayName]);
      const now = deps.clock();
      try {
        const user = await createUser(deps.db, { ...body, passwordHash: await hashPassword(body.password), now });
        await recordAudit(deps.db, {
          actor: c.get('admin').user.username,
          action: 'user-create',
          target: `user ${user.username}`,
          detail: { role: user.role },
          now,
        });
        return c.json(
          { ok: true as const, user: { id: user.id, username: user.username, role: user.role, displayName: user.displayName } },
          201,
        );
      } catch (error) {
        if (error instanceof UsernameTakenError) throw conflict(error.message, 'username-taken');
        throw error;
      }
    })
    .post('/users/:id/role', can('users:manage'), validate('param', idParam), validate('json', roleSchema), async (c) => {
      const { role } = c.req.valid('json');
      const before = await change(c.get('admin').user, c.req.valid('param').id, { kind: 'role', role }, 'user-role-change', { role });
      return c.json({ ok: true as const, previousRole: before.role, role });
    })
    .post('/users/:id/disable', can('users:manage'), validate('param', idParam), async (c) => {
      await change(c.get('admin').user, c.req.valid('param').id, { kind: 'disable', now: deps.clock() }, 'user-disable');
      return c.json({ ok: true as const });
    })
    .post('/users/:id/enable', can('users:manage'), validate('param', idParam), async (c) => {
      await change(c.get('admin').user, c.req.valid('param').id, { kind: 'enable' }, 'user-enable');
      return c.json({ ok: true as const });
    })
    .delete('/users/:id', can('users:manage'), validate('param', idParam), async (c) => {
      await change(c.get('admin').user, c.req.valid('param').id, { kind: 'delete' }, 'user-delete');
      return c.json({ ok: true as const });
    })
    .post('/users/:id/reset-password', can('users:manage'), validate('param', idParam), async (c) => {
      const actor = c.get('admin').user;
      const { id } = c.req.valid('param');
      // Your own password you change yourself (current password required), not by reset.
      if (id === actor.id) throw conflict('change your own password on the password page', 'cannot-reset-self');
      const target = (await findUserById(deps.db, id))?.user;
      if (!target) throw notFound('no such user');
      const password = oneTimePassword();
      const now = deps.clock();
      if (!(await setPassword(deps.db, { userId: id, passwordHash: await hashPassword(password), mustChange: true, now })))
        throw notFound('no such user');
      // Whoever was signed in as this user (perhaps who made the reset necessary) is out.
      await endSessionsOfUser(deps.db, id);
      await recordAudit(deps.db, { actor: actor.username, action: 'user-password-reset', target: `user ${target.username}`, now });
      // Shown once, like an enrollment code; only its hash is kept.
      return c.json({ ok: true as const, username: target.username, password });
    });
}
