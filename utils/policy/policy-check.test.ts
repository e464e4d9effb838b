/**
 * checkPolicy / checkSignedGrant (zod-free, content script) must agree with the zod
 * schemas (background, server, console): same accepted inputs, same normalised output.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './default-policy';
import { signedGrantSchema } from './grant';
import { checkSignedGrant } from './grant-check';
import { checkPolicy } from './policy-check';
import { policySchema } from './schema';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261127) });

const RICH_POLICY = {
  ...DEFAULT_POLICY,
  version: 7,
  name: '  华东区策略  ',
  publishedAt: '2026-11-26T10:00:00.123Z',
  internalOrigins: [' https://crm.example.com ', 'https://*.corp.example.com', 'http://127.0.0.1:*'],
  detectors: {
    ...DEFAULT_POLICY.detectors,
    marker: { enabled: true, controlledLevel: '机密', extraTerms: [{ term: ' 内部资料 ', level: '秘密' }] },
  },
  rules: [
    { id: ' r1 ', channels: ['copy', 'cut'], minLevel: '秘密', action: 'block', description: 'no copy' },
    { id: 'r2', channels: ['paste'], minLevel: '机密', source: 'internal', destination: 'external', action: 'audit' },
  ],
  sync: { intervalMinutes: 0.5, staleAfterHours: 72 },
};

const GRANT = {
  payload: {
    grantId: 'g1',
    requestId: 'r1',
    deviceId: 'dev-1',
    userId: 'alice',
    origin: 'https://crm.example.com',
    channel: 'copy',
    issuedAt: '2026-11-26T09:00:00Z',
    expiresAt: '2026-11-26T11:00:00.5Z',
  },
  signature: 'c2ln',
  keyId: '',
};

function zodPolicy(value: unknown): unknown {
  const parsed = policySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function zodGrant(value: unknown): unknown {
  const parsed = signedGrantSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Every path to a value inside `value` (objects and arrays), root excluded. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [path, ...paths(child, path)];
  });
}

type Edit = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; value: unknown };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A deep copy of `base` with one edit at `path` ([] = the root; 'add' puts a key into an object). */
function edited(base: unknown, path: (string | number)[], edit: Edit): unknown {
  const root = { value: structuredClone(base) } as Record<string | number, unknown>;
  let parent = root;
  const full = ['value', ...path];
  for (const key of full.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = full[full.length - 1]!;
  const target = parent[last];
  if (edit.kind === 'add' && isRecord(target)) target[edit.key] = edit.value;
  else if (edit.kind === 'delete') delete parent[last];
  else parent[last] = edit.kind === 'set' ? edit.value : { [edit.key]: edit.value };
  return root.value;
}

// Values near the schemas' edges, plus anything fast-check makes up.
const interesting = fc.oneof(
  fc.constantFrom(
    0,
    0.4,
    0.5,
    1,
    2,
    64,
    65,
    100_000,
    100_001,
    -1,
    1.5,
    NaN,
    Infinity,
    2 ** 53,
    '',
    ' ',
    'a',
    'ab',
    ' a ',
    'x'.repeat(65),
    'x'.repeat(201),
    'x'.repeat(254),
    true,
    false,
    null,
    [],
    {},
    '秘密',
    '机密',
    '绝密',
    '公开',
    'copy',
    'fax',
    'any',
    'internal',
    'block',
    'https://a.example',
    'https://*.a.example',
    'a.example',
    'ftp://a.example',
    '2026-02-29T10:00:00Z',
    '2028-02-29T10:00:00Z',
    '2026-11-26T10:00Z',
    '2026-11-26T10:00:00+08:00',
    '2026-11-26T24:00:00Z',
    ['copy'],
    ['fax'],
  ),
  fc.anything(),
);

const edit: fc.Arbitrary<Edit> = fc.oneof(
  interesting.map((value) => ({ kind: 'set' as const, value })),
  fc.constant({ kind: 'delete' as const }),
  fc.tuple(fc.constantFrom('extra', 'id', 'enabled'), interesting).map(([key, value]) => ({ kind: 'add' as const, key, value })),
);

describe('checkPolicy agrees with policySchema', () => {
  it.each([
    ['the default policy', DEFAULT_POLICY],
    ['a policy using every field (trimmed, defaults filled in)', RICH_POLICY],
  ])('accepts %s with the same output', (_name, policy) => {
    expect(zodPolicy(policy)).not.toBeNull();
    expect(checkPolicy(policy)).toStrictEqual(zodPolicy(policy));
  });

  it.each<[string, unknown]>([
    ['not an object', 'hello'],
    ['null', null],
    ['an array', [DEFAULT_POLICY]],
    ['another schema version', { ...DEFAULT_POLICY, schemaVersion: 2 }],
    ['unknown field', { ...DEFAULT_POLICY, extra: 1 }],
    ['bad origin', { ...DEFAULT_POLICY, internalOrigins: ['crm.example.com'] }],
    ['unknown channel', { ...DEFAULT_POLICY, rules: [{ ...DEFAULT_POLICY.rules[0], channels: ['fax'] }] }],
    ['rule without channels', { ...DEFAULT_POLICY, rules: [{ ...DEFAULT_POLICY.rules[0], channels: [] }] }],
    ['duplicate rule ids', { ...DEFAULT_POLICY, rules: [DEFAULT_POLICY.rules[0], DEFAULT_POLICY.rules[0]] }],
    ['duplicate rule ids after trimming', { ...RICH_POLICY, rules: [RICH_POLICY.rules[0], { ...RICH_POLICY.rules[1], id: 'r1' }] }],
    ['sync too often', { ...DEFAULT_POLICY, sync: { ...DEFAULT_POLICY.sync, intervalMinutes: 0.1 } }],
    ['fractional bulk threshold', { ...DEFAULT_POLICY, bulk: { ...DEFAULT_POLICY.bulk, threshold: 2.5 } }],
    ['blank name', { ...DEFAULT_POLICY, name: '   ' }],
    ['publishedAt with an offset', { ...DEFAULT_POLICY, publishedAt: '2026-11-26T10:00:00+08:00' }],
    ['missing detectors', { ...DEFAULT_POLICY, detectors: undefined }],
  ])('rejects %s', (_name, policy) => {
    expect(zodPolicy(policy)).toBeNull();
    expect(checkPolicy(policy)).toBeNull();
  });

  it('agrees on any single edit of a valid policy', () => {
    const allPaths = [[], ...paths(RICH_POLICY)];
    fc.assert(
      fc.property(fc.constantFrom(...allPaths), edit, (path, change) => {
        const candidate = edited(RICH_POLICY, path, change);
        expect(checkPolicy(candidate)).toStrictEqual(zodPolicy(candidate));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('checkSignedGrant agrees with signedGrantSchema', () => {
  it('accepts a signed grant with the same output', () => {
    expect(checkSignedGrant(GRANT)).toStrictEqual(zodGrant(GRANT));
    expect(checkSignedGrant(GRANT)).not.toBeNull();
  });

  it('agrees on any single edit of a signed grant', () => {
    fc.assert(
      fc.property(fc.constantFrom([], ...paths(GRANT)), edit, (path, change) => {
        const candidate = edited(GRANT, path, change);
        expect(checkSignedGrant(candidate)).toStrictEqual(zodGrant(candidate));
      }),
      { numRuns: 2000 },
    );
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an unknown field', { ...GRANT, extra: 1 }],
    ['an empty signature', { ...GRANT, signature: '' }],
    ['a bad expiry', { ...GRANT, payload: { ...GRANT.payload, expiresAt: 'tomorrow' } }],
  ])('rejects %s', (_name, grant) => {
    expect(zodGrant(grant)).toBeNull();
    expect(checkSignedGrant(grant)).toBeNull();
  });
});
