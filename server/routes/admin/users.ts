import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../../context';
import { recordAudit } from '../../db/repositories/audit';
import { createUser, listUsers, ROLES, UsernameTakenError } from '../../db/repositories/users';
import { can } from '../../lib/admin-auth';
import { conflict } from '../../lib/errors';
import { hashPassword } from '../../lib/secrets';
import { assertStrongPassword } from '../../lib/password-policy';
import { validate } from '../../lib/validate';

const createSchema = z
  .object({
    username: z.string().trim().min(2).max(64).regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only'),
    password: z.string().min(10, 'at least 10 characters').max(1000),
    role: z.enum(ROLES),
    displayName: z.string().trim().min(1).max(200),
  })
  .strict();

export function userRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/users', can('users:manage'), async (c) => {
      const users = await listUsers(deps.db);
      return c.json({ ok: true as const, items: users.map(({ id, username, role, displayName, createdAt }) => ({ id, username, role, displayName, createdAt })) });
    })
    .post('/users', can('users:manage'), validate('json', createSchema), async (c) => {
      const body = c.req.valid('json');
      assertStrongPassword(body.password, [body.username, body.displayName]);
      const now = deps.clock();
      try {
        const user = await createUser(deps.db, { ...body, passwordHash: await hashPassword(body.password), now });
        await recordAudit(deps.db, { actor: c.get('admin').user.username, action: 'user-create', target: `user ${user.username}`, detail: { role: user.role }, now });
        return c.json({ ok: true as const, user: { id: user.id, username: user.username, role: user.role, displayName: user.displayName } }, 201);
      } catch (error) {
        if (error instanceof UsernameTakenError) throw conflict(error.message, 'username-taken');
        throw error;
      }
    });
}
