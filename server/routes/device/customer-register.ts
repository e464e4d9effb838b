/**
 * GET /customer-register: the register's device structure, signed (purpose `register`)
 * and cached per version like the policy; ETag/304 so devices download it once per
 * import. 404 `no-register` until the first import. Gzipped once per version for the
 * clients that accept it (every browser): gzip takes ~40 % off the base64 of hashes
 * (sorted keys share their high bytes, the bitmaps are sparse; 6.05 → 3.56 MiB for
 * 100,000 customers, bench:register), and compressing once beats a compress
 * middleware's work per device.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../context';
import { latestRegisterVersion } from '../../db/repositories/customer-register';
import { registerPayloadAt } from '../../lib/register-service';
import { ApiFailure } from '../../lib/errors';
import { etagMatches } from '../../lib/signed-policy';
import { signPayload, type SignedEnvelope } from '../../../utils/crypto/signing';
import type { RegisterPayload } from '../../../utils/register/structure';

export const registerEtag = (version: number, keyId: string) => `"r${version}-${keyId}"`;

const gzipAsync = promisify(gzip);

/** Whether an Accept-Encoding header accepts gzip: listed with a q above 0, or not listed and `*` is. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(',')) {
    const [token = '', ...params] = part
      .toLowerCase()
      .split(';')
      .map((p) => p.trim());
    if (token !== 'gzip' && token !== '*') continue;
    const q = params.find((p) => p.startsWith('q='));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (token === 'gzip') return accepted;
    star = accepted;
  }
  return star;
}

interface RegisterBody {
  json: string;
  gzipped: Uint8Array<ArrayBuffer>;
}

export function deviceRegisterRoutes(deps: AppDeps) {
  const signed = new Map<number, Promise<RegisterBody>>();
  /** The answer's JSON and its gzip, signed once per version (the structure is megabytes: sign, serialize and compress once). */
  const body = (version: number) => {
    let cached = signed.get(version);
    if (!cached) {
      cached = (async () => {
        const payload = await registerPayloadAt(deps, version);
        if (!payload) throw new ApiFailure(404, 'no-register', 'register version vanished');
        const envelope: SignedEnvelope<RegisterPayload> = await signPayload('register', payload, deps.keys.signing);
        const json = JSON.stringify({ ok: true, signed: envelope });
        const zipped = await gzipAsync(json);
        const gzipped = new Uint8Array(zipped.byteLength);
        gzipped.set(zipped);
        return { json, gzipped };
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
    c.header('Vary', 'Accept-Encoding');
    if (etagMatches(c.req.header('If-None-Match'), etag)) return c.body(null, 304);
    c.header('Content-Type', 'application/json; charset=utf-8');
    const { json, gzipped } = await body(version);
    if (!acceptsGzip(c.req.header('Accept-Encoding'))) return c.body(json);
    c.header('Content-Encoding', 'gzip');
    return c.body(gzipped);
  });
}
