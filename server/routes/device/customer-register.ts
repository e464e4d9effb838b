/**
 * GET /customer-register: the register's device structure, signed (purpose `register`)
 * and cached per version like the policy; ETag/304 so devices download it once per
 * import. 404 `no-register` until the first import.
 */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../context';
import { latestRegisterVersion, registerPayloadAt } from '../../db/repositories/customer-register';
import { ApiFailure } from '../../lib/errors';
import { etagMatches } from '../../lib/signed-policy';
import { signPayload, type SignedEnvelope } from '../../../utils/crypto/signing';
import type { RegisterPayload } from '../../../utils/register/structure';

export const registerEtag = (version: number, keyId: string) => `"r${version}-${keyId}"`;

export function deviceRegisterRoutes(deps: AppDeps) {
  const signed = new Map<number, Promise<string>>();
  /** The answer's JSON, signed once per version (the structure is megabytes: sign and serialize once). */
  const body = (version: number) => {
    let cached = signed.get(version);
    if (!cached) {
      cached = (async () => {
        const payload = await registerPayloadAt(deps.db, version);
        if (!payload) throw new ApiFailure(404, 'no-register', 'register version vanished');
        const envelope: SignedEnvelope<RegisterPayload> = await signPayload('register', payload, deps.keys.signing);
        return JSON.stringify({ ok: true, signed: envelope });
      })();
      cached.catch(() => signed.delete(version));
      signed.clear();
      signed.set(version, cached);
    }
    return cached;
  };
  return new Hono<AppEnv>().get('/customer-register', async (c) => {
    const version = await latestRegisterVersion(deps.db);
    if (version === null) throw new ApiFailure(404, 'no-register', 'no customer register imported');
    const etag = registerEtag(version, deps.keys.keyId);
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    if (etagMatches(c.req.header('If-None-Match'), etag)) return c.body(null, 304);
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(await body(version));
  });
}
