/**
 * A grant opens exactly what the approver chose (issue 26): a content grant the blocked
 * findings, N times; a window grant the origin and channel, never a bulk action or a level
 * above its own unless the approver lifted them. Each case has its control beside it.
 */
import { describe, expect, it } from 'vitest';
import type { Finding, Level } from '../detect/types';
import { contentFingerprinter, deriveContentKey } from './content-fingerprint';
import { decide, type DecisionContext } from './decide';
import { DEFAULT_POLICY } from './default-policy';
import type { OverrideGrant } from './grant';
import { grantScopeWords } from './grant-words';
import type { Policy } from './schema';

const NOW = Date.parse('2026-12-08T10:00:00Z');
const fingerprint = contentFingerprinter(await deriveContentKey('organisation-hash-key'));

function mobile(digits: string, level: Level = '秘密'): Finding {
  return {
    type: 'mobile',
    level,
    start: 0,
    end: 11,
    masked: `${digits.slice(0, 3)}****${digits.slice(7)}`,
    confidence: 0.9,
    normalized: digits,
  };
}
const ROW = mobile('13812345678');
const OTHER_ROW = mobile('13987654321');
const TABLE = Array.from({ length: 20 }, (_, i) => mobile(`1380000${String(1000 + i)}`));

function context(overrides: Partial<DecisionContext> = {}): DecisionContext {
  return {
    channel: 'copy',
    pageOrigin: 'https://crm.example.com',
    sourceOrigin: 'https://crm.example.com',
    destinationOrigin: null,
    sourceLevel: null,
    deviceId: 'dev-1',
    userId: 'zhang.san',
    now: NOW,
    fingerprint,
    ...overrides,
  };
}

function grant(overrides: Partial<OverrideGrant> = {}): OverrideGrant {
  return {
    grantId: 'g-1',
    requestId: 'r-1',
    deviceId: 'dev-1',
    userId: 'zhang.san',
    origin: 'https://crm.example.com',
    channel: 'copy',
    issuedAt: new Date(NOW - 60_000).toISOString(),
    expiresAt: new Date(NOW + 3_600_000).toISOString(),
    maxLevel: '机密',
    ...overrides,
  };
}

const contentGrant = (findings: Finding[], extra: Partial<OverrideGrant> = {}) =>
  grant({ scope: 'content', uses: 1, fingerprints: findings.map(fingerprint), ...extra });

const policy: Policy = { ...DEFAULT_POLICY, bulk: { threshold: 10, level: '绝密' } } as Policy;

describe('a content grant opens the blocked content only', () => {
  it.each<[string, Finding[], Partial<DecisionContext>, OverrideGrant, string]>([
    ['the row it was asked for: let through', [ROW], { sourceLevel: '机密' }, contentGrant([ROW]), 'audit'],
    ['another row of the same table: blocked', [OTHER_ROW], { sourceLevel: '机密' }, contentGrant([ROW]), 'block-with-override'],
    ['the row with another beside it: blocked', [ROW, OTHER_ROW], { sourceLevel: '机密' }, contentGrant([ROW]), 'block-with-override'],
    ['the whole table: blocked', TABLE, { sourceLevel: '机密' }, contentGrant([ROW]), 'block-with-override'],
    [
      'used once already (1 use): blocked',
      [ROW],
      { sourceLevel: '机密', grantUses: { 'g-1': 1 } },
      contentGrant([ROW]),
      'block-with-override',
    ],
    ['3 uses, used twice: let through', [ROW], { sourceLevel: '机密', grantUses: { 'g-1': 2 } }, contentGrant([ROW], { uses: 3 }), 'audit'],
    [
      'without the fingerprint key the device cannot match: blocked',
      [ROW],
      { fingerprint: undefined },
      contentGrant([ROW]),
      'block-with-override',
    ],
    ['a 绝密 source above the grant level: blocked', [ROW], { sourceLevel: '绝密' }, contentGrant([ROW]), 'block-with-override'],
    ['the same content on another channel: blocked', [ROW], { channel: 'cut' }, contentGrant([ROW]), 'block-with-override'],
    [
      'plain text with no finding on a 机密 page: not content of the grant',
      [],
      { sourceLevel: '机密' },
      contentGrant([ROW]),
      'block-with-override',
    ],
  ])('%s', (_name, findings, overrides, issued, expected) => {
    expect(decide(findings, context(overrides), policy, [issued]).action).toBe(expected);
  });

  it('the whole blocked table, once approved as content, is let through as a whole (bulk included: it is what the approver saw)', () => {
    const issued = contentGrant(TABLE, { maxLevel: '绝密' });
    expect(decide(TABLE, context({ sourceLevel: '机密' }), policy, [issued])).toMatchObject({
      action: 'audit',
      grantId: 'g-1',
      bulk: true,
    });
    expect(decide([...TABLE, OTHER_ROW], context({ sourceLevel: '机密' }), policy, [issued]).action).toBe('block-with-override');
  });
});

describe('a window grant keeps the bulk rule, the level and the per-action limit', () => {
  it.each<[string, Finding[], Partial<DecisionContext>, OverrideGrant, string]>([
    ['any row of the site within the window: let through', [OTHER_ROW], { sourceLevel: '机密' }, grant({ scope: 'window' }), 'audit'],
    [
      'the whole table (bulk): blocked',
      TABLE,
      { sourceLevel: '机密' },
      grant({ scope: 'window', maxLevel: '绝密' }),
      'block-with-override',
    ],
    [
      'the whole table with the bulk rule lifted: let through',
      TABLE,
      { sourceLevel: '机密' },
      grant({ scope: 'window', liftBulk: true }),
      'audit',
    ],
    [
      'bulk lifted still holds the level: a 绝密 page stays blocked',
      TABLE,
      { sourceLevel: '绝密' },
      grant({ scope: 'window', liftBulk: true }),
      'block-with-override',
    ],
    ['5 numbers at most: 3 let through', TABLE.slice(0, 3), {}, grant({ scope: 'window', maxFindings: 5 }), 'audit'],
    ['5 numbers at most: 6 blocked', TABLE.slice(0, 6), {}, grant({ scope: 'window', maxFindings: 5 }), 'block-with-override'],
    ['expired: blocked', [ROW], { now: NOW + 3_600_001 }, grant({ scope: 'window' }), 'block-with-override'],
    [
      'a send to the approved destination: let through',
      [ROW],
      { channel: 'submit', destinationOrigin: 'https://mail.example.net' },
      grant({ scope: 'window', channel: 'submit', destination: 'https://mail.example.net' }),
      'audit',
    ],
    [
      'a send elsewhere: blocked',
      [ROW],
      { channel: 'submit', destinationOrigin: 'https://evil.example' },
      grant({ scope: 'window', channel: 'submit', destination: 'https://mail.example.net' }),
      'block-with-override',
    ],
  ])('%s', (_name, findings, overrides, issued, expected) => {
    expect(decide(findings, context(overrides), policy, [issued]).action).toBe(expected);
  });
});

describe('a level comes with its reasons', () => {
  it.each<[string, Finding[], Partial<DecisionContext>, string[]]>([
    ['a 机密 row on a page marked 机密', [ROW], { sourceLevel: '机密' }, ['page-marker']],
    [
      'a 绝密 customer of the register in the data',
      [{ ...ROW, level: '绝密', customer: {} } as Finding],
      { sourceLevel: '机密' },
      ['register'],
    ],
    ['a page naming a 绝密 customer', [], { sourceLevel: '绝密', sourceReason: 'register' }, ['page-register']],
    ['20 numbers at once', TABLE, {}, ['bulk']],
    ['a number at its type level', [ROW], {}, ['data']],
    [
      'a marker in the data and on the page',
      [{ ...ROW, type: 'marker', level: '机密' }],
      { sourceLevel: '机密' },
      ['page-marker', 'marker'],
    ],
  ])('%s', (_name, findings, overrides, kinds) => {
    expect(decide(findings, context(overrides), policy).reasons.map((reason) => reason.kind)).toEqual(kinds);
  });

  it('the bulk reason carries the count', () => {
    expect(decide(TABLE, context(), policy).reasons).toEqual([{ kind: 'bulk', level: '绝密', count: 20 }]);
  });
});

describe('fingerprints and scope words', () => {
  it('fingerprints are keyed: another organisation key gives other fingerprints; type and value both count', async () => {
    const other = contentFingerprinter(await deriveContentKey('another-organisation'));
    expect(fingerprint(ROW)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint(ROW)).toBe(fingerprint({ type: 'mobile', normalized: '13812345678' }));
    expect(other(ROW)).not.toBe(fingerprint(ROW));
    expect(fingerprint({ type: 'landline', normalized: '13812345678' })).not.toBe(fingerprint(ROW));
  });

  it.each<[string, Partial<OverrideGrant> & { minutes?: number }, string[]]>([
    ['content, once', { scope: 'content', uses: 1, maxLevel: '机密' }, ['scope_content:1', 'scope_maxLevel:机密']],
    [
      'a window with its limits',
      { scope: 'window', maxLevel: '机密', maxFindings: 5, minutes: 60 },
      ['scope_window:crm.example.com,复制', 'scope_maxLevel:机密', 'scope_maxFindings:5', 'scope_minutes:60'],
    ],
    [
      'a window lifting bulk, to one destination',
      { scope: 'window', liftBulk: true, destination: 'https://mail.example.net' },
      ['scope_window:crm.example.com,复制', 'scope_maxLevel:机密', 'scope_bulkLifted:', 'scope_destination:mail.example.net'],
    ],
  ])('%s', (_name, fields, expected) => {
    const words = grantScopeWords({ ...grant(), ...fields }, '复制');
    expect(words.map((word) => `${word.key}:${word.values.join(',')}`)).toEqual(expected);
  });
});
