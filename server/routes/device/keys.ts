import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../context';

/** GET /keys: the public key(s) devices use to verify policies and grants. */
export function keysRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/keys', (c) =>
    c.json({
      ok: true as const,
      keys: [{ keyId: deps.keys.keyId, publicKey: deps.keys.signing.publicKey, algorithm: 'Ed25519' as const }],
    }),
  );
}
