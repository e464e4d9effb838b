/**
 * The current policy, signed once per version and cached (signing per request would
 * waste CPU on the hottest route). Versions are immutable, so the cache never goes stale;
 * the latest version number is read from the DB each time (another process may publish).
 */
import type { Kysely } from 'kysely';
import { signPayload, type SignedEnvelope } from '../../utils/crypto/signing';
import type { Policy } from '../../utils/policy';
import type { Database } from '../db/schema';
import { policyAtVersion } from '../db/repositories/policies';
import type { ServerKeys } from '../keys';

export function policyEtag(version: number, keyId: string): string {
  return `"v${version}-${keyId}"`;
}

/** True when an If-None-Match header names `etag` (lists and weak validators allowed). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '');
    return t === etag || t === '*';
  });
}

export function createSignedPolicyCache(db: Kysely<Database>, keys: ServerKeys) {
  const cache = new Map<number, Promise<SignedEnvelope<Policy>>>();
  return {
    get(version: number): Promise<SignedEnvelope<Policy>> {
      let signed = cache.get(version);
      if (!signed) {
        signed = (async () => {
          const record = await policyAtVersion(db, version);
          if (!record) throw new Error(`policy version ${version} vanished`);
          return signPayload('policy', record.policy, keys.signing);
        })();
        signed.catch(() => cache.delete(version));
        cache.set(version, signed);
      }
      return signed;
    },
  };
}
export type SignedPolicyCache = ReturnType<typeof createSignedPolicyCache>;
