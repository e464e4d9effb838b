/**
 * Customer register import (issue 15). The body is the file itself (CSV as text/csv,
 * XLSX as its bytes); the console sends a column mapping in `?mapping=`, a scripted sync
 * relies on the header names. Preview answers the header, the first rows and a
 * suggested mapping so the IT administrator can choose columns; nothing is stored.
 * DELETE clears the register (a new, empty version: register-service.ts clearRegister).
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import { REGISTER_MAX_BODY_BYTES, type AppDeps, type AppEnv } from '../../context';
import { currentRegisterInfo } from '../../db/repositories/customer-register';
import { can } from '../../lib/admin-auth';
import { ApiFailure, badRequest, issuesOf } from '../../lib/errors';
import { clearRegister, importRegister, previewRegister } from '../../lib/register-service';
import { REGISTER_FIELDS } from '../../lib/register-import';

const column = z.number().int().min(-1).max(49);
const mappingSchema = z.object(Object.fromEntries(REGISTER_FIELDS.map((field) => [field, column.optional()]))).strict();

function parseMapping(raw: string | undefined) {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badRequest('mapping is not JSON');
  }
  const parsed = mappingSchema.safeParse(value);
  if (!parsed.success) throw badRequest('mapping is invalid', issuesOf(parsed.error));
  return parsed.data as Partial<Record<(typeof REGISTER_FIELDS)[number], number>>;
}

async function fileBytes(request: Request): Promise<Uint8Array> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length === 0) throw new ApiFailure(400, 'register-empty', 'the request body (the file) is empty');
  return bytes;
}

export function customerRegisterRoutes(deps: AppDeps) {
  const limit = bodyLimit({ maxSize: REGISTER_MAX_BODY_BYTES });
  return (
    new Hono<AppEnv>()
      .get('/customer-register', can('register:read'), async (c) =>
        c.json({ ok: true as const, current: await currentRegisterInfo(deps.db) }),
      )
      .post('/customer-register/preview', can('register:import'), limit, async (c) => {
        return c.json({ ok: true as const, ...previewRegister(await fileBytes(c.req.raw)) });
      })
      .post('/customer-register', can('register:import'), limit, async (c) => {
        const mapping = parseMapping(c.req.query('mapping'));
        const info = await importRegister(deps, await fileBytes(c.req.raw), mapping, c.get('admin').user.username);
        return c.json({ ok: true as const, register: info });
      })
      // Delete (clear) the register: the IT administrator only, like the import; audited.
      .delete('/customer-register', can('register:import'), async (c) => {
        const info = await clearRegister(deps, c.get('admin').user.username);
        return c.json({ ok: true as const, register: info });
      })
  );
}
