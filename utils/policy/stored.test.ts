/**
 * Readers of what the background stored: the format stamp on the policy and the signature
 * of each grant (utils/policy/stored.ts), and the stamp added to records stored before it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { generateSigningKeyPair, signPayload } from '../crypto/signing';
import { activePolicyItem } from '../storage';
import { DEFAULT_POLICY } from './default-policy';
import type { OverrideGrant } from './grant';
import { ACTIVE_POLICY_FORMAT, storedPolicy, verifiedGrants } from './stored';

const GRANT: OverrideGrant = {
  grantId: 'g1',
  requestId: 'r1',
  deviceId: 'dev-1',
  userId: 'alice',
  origin: 'https://crm.example.com',
  channel: 'copy',
  issuedAt: '2026-12-01T08:00:00.000Z',
  expiresAt: '2026-12-01T09:00:00.000Z',
  maxLevel: '秘密',
};

describe('verifiedGrants', async () => {
  const keys = await generateSigningKeyPair();
  const other = await generateSigningKeyPair();
  const holder = { publicKey: keys.publicKey, deviceId: 'dev-1', userId: 'alice' };
  const own = await signPayload('grant', GRANT, keys);

  it('control: keeps a grant signed by the pinned key for this device and user', async () => {
    expect(await verifiedGrants([own], holder)).toEqual([GRANT]);
  });

  it.each([
    ['another device', async () => signPayload('grant', { ...GRANT, deviceId: 'dev-2' }, keys)],
    ['another user', async () => signPayload('grant', { ...GRANT, userId: 'bob' }, keys)],
    ['another key', async () => signPayload('grant', GRANT, other)],
    ['a widened payload under the old signature', async () => ({ ...own, payload: { ...GRANT, origin: 'https://evil.example' } })],
    ['a policy signature presented as a grant', async () => signPayload('policy', GRANT, keys)],
    ['a revocation signature presented as a grant', async () => signPayload('revocation', GRANT, keys)],
    ['no signature', async () => ({ payload: GRANT })],
    ['junk', async () => ({ junk: true })],
    ['null', async () => null],
  ])('drops %s, keeps the good one beside it', async (_name, make) => {
    expect(await verifiedGrants([await make(), own], holder)).toEqual([GRANT]);
  });

  it('honours nothing without an enrolled key or with storage that is not a list', async () => {
    expect(await verifiedGrants([own], null)).toEqual([]);
    expect(await verifiedGrants([own], { ...holder, publicKey: undefined })).toEqual([]);
    expect(await verifiedGrants({ 0: own }, holder)).toEqual([]);
    expect(await verifiedGrants(undefined, holder)).toEqual([]);
  });
});

describe('storedPolicy', () => {
  const policy = { ...DEFAULT_POLICY, version: 7, internalOrigins: ['https://crm.example.com'] };

  it("control: a record with this build's stamp gives its policy", () => {
    expect(storedPolicy({ format: ACTIVE_POLICY_FORMAT, policy, signed: null, etag: null, receivedAt: null })).toBe(policy);
  });

  it.each([
    ['no record', null],
    ['an unstamped record (stored before the stamp)', { policy }],
    ['another format', { format: 1, policy }],
    ['a stamp without a policy', { format: ACTIVE_POLICY_FORMAT }],
    ['a string', 'policy'],
  ])('%s gives the built-in policy', (_name, value) => {
    expect(storedPolicy(value)).toBe(DEFAULT_POLICY);
  });
});

describe('activePolicyItem v1 → v2', () => {
  beforeEach(() => fakeBrowser.reset());
  const v1 = { policy: { ...DEFAULT_POLICY, version: 4 }, signed: null, etag: '"v4"', receivedAt: '2026-12-01T08:00:00.000Z' };

  it('stamps a valid record stored before the stamp', async () => {
    await fakeBrowser.storage.local.set({ activePolicy: v1, activePolicy$: { v: 1 } });
    await activePolicyItem.migrate();
    const raw = (await fakeBrowser.storage.local.get('activePolicy')).activePolicy;
    expect(raw).toEqual({ ...v1, format: ACTIVE_POLICY_FORMAT });
    expect(storedPolicy(raw).version).toBe(4);
  });

  it('replaces an invalid one by the built-in policy, without its ETag (the next sync fetches in full)', async () => {
    await fakeBrowser.storage.local.set({ activePolicy: { ...v1, policy: { ...v1.policy, rules: 'none' } }, activePolicy$: { v: 1 } });
    await activePolicyItem.migrate();
    expect(await activePolicyItem.getValue()).toEqual({
      format: ACTIVE_POLICY_FORMAT,
      policy: DEFAULT_POLICY,
      signed: null,
      etag: null,
      receivedAt: null,
    });
  });
});
