import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../context';
import { latestPolicyVersion } from '../../db/repositories/policies';
import { notFound } from '../../lib/errors';
import { etagMatches, policyEtag, type SignedPolicyCache } from '../../lib/signed-policy';

/** GET /policy: the current policy, signed; 304 when the device already has it. */
export function policyRoutes(deps: AppDeps, signedPolicies: SignedPolicyCache) {
  return new Hono<AppEnv>().get('/policy', async (c) => {
    const version = await latestPolicyVersion(deps.db);
    if (version === null) throw notFound('no policy published');
    const etag = policyEtag(version, deps.keys.keyId);
    c.header('ETag', etag);
    c.header('Cache-Control', 'no-cache');
    if (etagMatches(c.req.header('If-None-Match'), etag)) return c.body(null, 304);
    const signed = await signedPolicies.get(version);
    return c.json({ ok: true as const, signed });
  });
}
