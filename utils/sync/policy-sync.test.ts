import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair, keyIdOf, signPayload } from '../crypto/signing';
import { DEFAULT_POLICY } from '../policy/default-policy';
import { checkSignedPolicy, isNewer } from './policy-sync';
import { parseEnrollmentCode } from '../api/enrollment-code';
import { ACTIVE_POLICY_FORMAT } from '../policy/stored';

describe('checkSignedPolicy', async () => {
  const keys = await generateSigningKeyPair();
  const keyId = await keyIdOf(keys.publicKey);
  const other = await generateSigningKeyPair();
  const policy = { ...DEFAULT_POLICY, version: 7 };

  it('accepts a policy signed by the pinned key', async () => {
    const result = await checkSignedPolicy(await signPayload('policy', policy, keys), keys.publicKey, keyId);
    expect(result.ok).toBe(true);
  });

  it.each([
    [
      'a loosened payload under the old signature',
      async () => ({ ...(await signPayload('policy', policy, keys)), payload: { ...policy, rules: [] } }),
    ],
    ['a policy signed by another key', async () => ({ ...(await signPayload('policy', policy, other)), keyId })],
    ['another key id', async () => signPayload('policy', policy, other)],
    ['an invalid policy, validly signed', async () => signPayload('policy', { ...policy, rules: 'none' }, keys)],
    ['garbage', async () => 'not a policy'],
    ['a grant signature presented as a policy', async () => ({ ...(await signPayload('grant', policy, keys)) })],
  ])('refuses %s', async (_name, make) => {
    const result = await checkSignedPolicy(await make(), keys.publicKey, keyId);
    expect(result.ok).toBe(false);
  });

  it('never goes back to an older version', () => {
    const current = {
      format: ACTIVE_POLICY_FORMAT,
      policy: { ...DEFAULT_POLICY, version: 5 },
      signed: {} as never,
      etag: null,
      receivedAt: null,
    };
    expect(isNewer({ ...DEFAULT_POLICY, version: 4 }, current)).toBe(false);
    expect(isNewer({ ...DEFAULT_POLICY, version: 6 }, current)).toBe(true);
    expect(isNewer({ ...DEFAULT_POLICY, version: 1 }, null)).toBe(true);
  });
});

describe('parseEnrollmentCode', () => {
  it.each([
    ['K7Q2-9XHD#1f2e3d4c5b6a7988', 'K7Q2-9XHD', '1f2e3d4c5b6a7988'],
    ['  K7Q2-9XHD#1F2E3D4C5B6A7988 ', 'K7Q2-9XHD', '1f2e3d4c5b6a7988'],
    ['K7Q2-9XHD', 'K7Q2-9XHD', null],
    ['K7Q2#short', 'K7Q2#short', null],
  ])('%s', (input, code, keyId) => {
    expect(parseEnrollmentCode(input)).toEqual({ code, keyId });
  });
});
