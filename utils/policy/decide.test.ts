import { describe, expect, it } from 'vitest';
import type { Finding, Level } from '../detect/types';
import { decide, type DecisionContext } from './decide';
import { DEFAULT_POLICY } from './default-policy';
import type { OverrideGrant } from './grant';
import { originMatchesPattern } from './origins';
import { validatePolicy, type Channel, type Policy } from './schema';

const NOW = Date.parse('2026-11-26T10:00:00Z');

function finding(type: Finding['type'] = 'mobile', level: Level = '秘密'): Finding {
  return { type, level, start: 0, end: 11, masked: '138****5678', confidence: 0.9, normalized: '13812345678' };
}

function context(overrides: Partial<DecisionContext> = {}): DecisionContext {
  return {
    channel: 'copy',
    pageOrigin: 'https://crm.example.com',
    sourceOrigin: 'https://crm.example.com',
    destinationOrigin: null,
    sourceLevel: null,
    deviceId: 'dev-1',
    userId: 'alice',
    now: NOW,
    ...overrides,
  };
}

const internalPolicy: Policy = { ...DEFAULT_POLICY, internalOrigins: ['https://crm.example.com', 'https://*.corp.example.com'] };

describe('decide with the default policy', () => {
  it.each<[string, Finding[], Partial<DecisionContext>, string]>([
    ['nothing found: copy allowed', [], {}, 'allow'],
    ['number copied', [finding()], {}, 'block-with-override'],
    ['number cut', [finding()], { channel: 'cut' }, 'block-with-override'],
    ['number dragged', [finding()], { channel: 'drag' }, 'block-with-override'],
    ['marker copied', [finding('marker', '机密')], {}, 'block-with-override'],
    ['plain text from a 机密 page (provenance)', [], { sourceLevel: '机密' }, 'block-with-override'],
    ['paste into external site', [finding()], { channel: 'paste', destinationOrigin: 'https://mail.example.net' }, 'block-with-override'],
    ['submit to external site', [finding()], { channel: 'submit', destinationOrigin: 'https://evil.example' }, 'block-with-override'],
    ['request to external site', [finding()], { channel: 'request', destinationOrigin: 'https://evil.example' }, 'block-with-override'],
    ['paste with nothing restricted', [], { channel: 'paste', destinationOrigin: 'https://x.example' }, 'allow'],
    ['print of a 秘密 page: watermark', [], { channel: 'print', sourceLevel: '秘密' }, 'warn'],
    ['print of a 绝密 page: blocked', [], { channel: 'print', sourceLevel: '绝密' }, 'block-with-override'],
    ['print of an unclassified page', [], { channel: 'print' }, 'allow'],
  ])('%s', (_name, findings, overrides, expected) => {
    expect(decide(findings, context(overrides), DEFAULT_POLICY).action).toBe(expected);
  });
});

describe('decide with internal origins', () => {
  it.each<[string, Channel, string | null, string]>([
    ['submit to the internal CRM is audited', 'submit', 'https://crm.example.com', 'audit'],
    ['paste into a subdomain of corp is audited', 'paste', 'https://desk.corp.example.com', 'audit'],
    ['the bare corp domain is not covered by *.corp', 'paste', 'https://corp.example.com', 'block-with-override'],
    ['http is not https', 'submit', 'http://crm.example.com', 'block-with-override'],
    ['another port is another origin', 'submit', 'https://crm.example.com:8443', 'block-with-override'],
  ])('%s', (_name, channel, destinationOrigin, expected) => {
    expect(decide([finding()], context({ channel, destinationOrigin }), internalPolicy).action).toBe(expected);
  });
});

describe('bulk and levels', () => {
  it('raises a large selection to the bulk level', () => {
    const many = Array.from({ length: DEFAULT_POLICY.bulk.threshold }, () => finding());
    const verdict = decide(many, context(), DEFAULT_POLICY);
    expect(verdict.bulk).toBe(true);
    expect(verdict.level).toBe('机密');
    expect(verdict.countsByType.mobile).toBe(DEFAULT_POLICY.bulk.threshold);
  });

  it('a rule with a higher minLevel ignores lower data', () => {
    const policy: Policy = {
      ...DEFAULT_POLICY,
      rules: [{ id: 'only-top', channels: ['copy'], minLevel: '绝密', source: 'any', destination: 'any', action: 'block' }],
    };
    expect(decide([finding('marker', '机密')], context(), policy).action).toBe('allow');
    expect(decide([finding('marker', '绝密')], context(), policy).action).toBe('block');
  });

  it('the strongest matching rule wins', () => {
    const policy: Policy = {
      ...DEFAULT_POLICY,
      rules: [
        { id: 'audit-all', channels: ['copy'], minLevel: '秘密', source: 'any', destination: 'any', action: 'audit' },
        { id: 'block-top', channels: ['copy'], minLevel: '绝密', source: 'any', destination: 'any', action: 'block' },
      ],
    };
    expect(decide([finding('marker', '绝密')], context(), policy).rule?.id).toBe('block-top');
    expect(decide([finding('marker', '秘密')], context(), policy).rule?.id).toBe('audit-all');
  });
});

describe('override grants', () => {
  const grant: OverrideGrant = {
    grantId: 'g1',
    requestId: 'r1',
    deviceId: 'dev-1',
    userId: 'alice',
    origin: 'https://crm.example.com',
    channel: 'copy',
    issuedAt: '2026-11-26T09:00:00Z',
    expiresAt: '2026-11-26T11:00:00Z',
  };

  it.each<[string, Partial<DecisionContext>, Partial<OverrideGrant>, string]>([
    ['a matching grant turns the block into an audit', {}, {}, 'audit'],
    ['expired', { now: Date.parse('2026-11-26T11:00:01Z') }, {}, 'block-with-override'],
    ['another origin', { pageOrigin: 'https://other.example.com' }, {}, 'block-with-override'],
    ['another channel', { channel: 'cut' }, {}, 'block-with-override'],
    ['another device', {}, { deviceId: 'dev-2' }, 'block-with-override'],
    ['another user', {}, { userId: 'bob' }, 'block-with-override'],
    ['issued in the future (beyond skew)', {}, { issuedAt: '2026-11-26T10:30:00Z' }, 'block-with-override'],
    ['asked at 机密: opens a 机密 page', { sourceLevel: '机密' }, { maxLevel: '机密' }, 'audit'],
    ['asked at 机密: opens 秘密 data', {}, { maxLevel: '机密' }, 'audit'],
    ['asked at 机密: a 绝密 page on the same site stays blocked', { sourceLevel: '绝密' }, { maxLevel: '机密' }, 'block-with-override'],
    ['asked at 秘密: a 机密 page stays blocked', { sourceLevel: '机密' }, { maxLevel: '秘密' }, 'block-with-override'],
  ])('%s', (_name, ctx, grantOverrides, expected) => {
    const verdict = decide([finding()], context(ctx), DEFAULT_POLICY, [{ ...grant, ...grantOverrides }]);
    expect(verdict.action).toBe(expected);
    expect(verdict.grantId).toBe(expected === 'audit' ? 'g1' : null);
  });

  it('cannot override a hard block', () => {
    const policy: Policy = {
      ...DEFAULT_POLICY,
      rules: [{ id: 'hard', channels: ['copy'], minLevel: '秘密', source: 'any', destination: 'any', action: 'block' }],
    };
    const verdict = decide([finding()], context(), policy, [grant]);
    expect(verdict.action).toBe('block');
    expect(verdict.overridable).toBe(false);
  });

  it('cannot override when the policy disallows overrides', () => {
    const policy: Policy = { ...DEFAULT_POLICY, overrides: { ...DEFAULT_POLICY.overrides, allowed: false } };
    const verdict = decide([finding()], context(), policy, [grant]);
    expect(verdict.action).toBe('block-with-override');
    expect(verdict.overridable).toBe(false);
  });
});

describe('origin patterns', () => {
  it.each<[string, string, boolean]>([
    ['https://crm.example.com', 'https://crm.example.com', true],
    ['https://crm.example.com:443', 'https://crm.example.com', true],
    ['https://a.corp.example.com', 'https://*.corp.example.com', true],
    ['https://a.b.corp.example.com', 'https://*.corp.example.com', true],
    ['https://corp.example.com', 'https://*.corp.example.com', false],
    ['https://evilcorp.example.com', 'https://*.corp.example.com', false],
    ['http://127.0.0.1:5173', 'http://127.0.0.1:*', true],
    ['http://127.0.0.1:5173', 'http://127.0.0.1', false],
    ['not a url', 'https://crm.example.com', false],
  ])('%s vs %s → %s', (origin, pattern, expected) => {
    expect(originMatchesPattern(origin, pattern)).toBe(expected);
  });
});

describe('validatePolicy', () => {
  it('accepts the default policy', () => {
    expect(validatePolicy(DEFAULT_POLICY).ok).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ['not an object', 'hello', ''],
    ['bad origin', { ...DEFAULT_POLICY, internalOrigins: ['crm.example.com'] }, 'internalOrigins.0'],
    ['unknown channel', { ...DEFAULT_POLICY, rules: [{ ...DEFAULT_POLICY.rules[0], channels: ['fax'] }] }, 'rules.0.channels.0'],
    ['duplicate rule ids', { ...DEFAULT_POLICY, rules: [DEFAULT_POLICY.rules[0], DEFAULT_POLICY.rules[0]] }, 'rules.1.id'],
    ['sync too often', { ...DEFAULT_POLICY, sync: { ...DEFAULT_POLICY.sync, intervalMinutes: 0.1 } }, 'sync.intervalMinutes'],
    ['unknown field', { ...DEFAULT_POLICY, extra: 1 }, ''],
  ])('rejects %s with a readable path', (_name, data, path) => {
    const result = validatePolicy(data);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((error) => error.path)).toContain(path);
  });
});
