import { describe, expect, it } from 'vitest';
import type { OverrideItem } from '../api';
import { groupOverrides } from './override-groups';

function item(id: string, patch: Partial<OverrideItem> = {}): OverrideItem {
  return {
    id,
    deviceId: 'dev-1',
    userId: 'zhang.san',
    userVerified: true,
    origin: 'https://crm.example.com',
    channel: 'copy',
    reason: '给客户回电',
    durationMinutes: 60,
    state: 'pending',
    requestedAt: '2026-12-04T10:00:00Z',
    decidedAt: null,
    decidedBy: null,
    decisionNote: null,
    expiresAt: null,
    level: '机密',
    ruleId: 'no-copy-out',
    ruleDescription: null,
    masked: [],
    department: '销售部',
    revokedAt: null,
    revokedBy: null,
    detail: null,
    contentCount: 0,
    contentId: null,
    scope: null,
    grantId: null,
    usedCount: 0,
    ...patch,
  };
}

describe('groupOverrides', () => {
  it('one row for the same person asking again for the same block, newest first', () => {
    const groups = groupOverrides([item('c'), item('b', { reason: ' 给客户回电 ' }), item('a')]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.head.id).toBe('c');
    expect(groups[0]!.items.map((i) => i.id)).toEqual(['c', 'b', 'a']);
  });

  it.each<[string, Partial<OverrideItem>]>([
    ['another user', { userId: 'li.si' }],
    ['another device', { deviceId: 'dev-2' }],
    ['another site', { origin: 'https://erp.example.com' }],
    ['another channel', { channel: 'print' }],
    ['another level', { level: '绝密' }],
    ['another reason', { reason: '发报价单' }],
  ])('%s is a request of its own', (_name, patch) => {
    expect(groupOverrides([item('a'), item('b', patch)])).toHaveLength(2);
  });
});
