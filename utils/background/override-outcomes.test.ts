import { describe, expect, it } from 'vitest';
import { fastPollDelay, newlyDecided, outcomeMessage } from './override-outcomes';
import type { OverrideRequestRecord } from '../storage';

function request(id: string, state: OverrideRequestRecord['state'], patch: Partial<OverrideRequestRecord> = {}): OverrideRequestRecord {
  return {
    id,
    origin: 'https://crm.example.com',
    channel: 'copy',
    reason: '客户要求回电',
    durationMinutes: 60,
    state,
    requestedAt: '2026-12-08T10:00:00Z',
    decidedAt: null,
    decisionNote: null,
    expiresAt: null,
    ...patch,
  };
}

describe('the fast poll while a request is pending', () => {
  it.each([
    [0, 3_000],
    [59_000, 3_000],
    [61_000, 5_000],
    [5 * 60_000, 10_000],
    [20 * 60_000, 20_000],
    [30 * 60_000, null],
  ])('%i ms after it started: next poll in %s ms', (elapsed, delay) => {
    expect(fastPollDelay(elapsed)).toBe(delay);
  });

  it('a decision within 10 s of it is learned within 10 s for the first minute (3 s + one poll round trip)', () => {
    expect(fastPollDelay(0)! + 1_000).toBeLessThan(10_000);
  });
});

describe('who is told, once', () => {
  it('only requests that went from open to decided are announced', () => {
    const before = [request('a', 'pending'), request('b', 'queued'), request('c', 'approved'), request('d', 'pending')];
    const after = [request('a', 'approved'), request('b', 'denied'), request('c', 'approved'), request('d', 'pending')];
    expect(newlyDecided(before, after).map((r) => r.id)).toEqual(['a', 'b']);
    expect(newlyDecided(after, after)).toEqual([]); // control: nothing changed, nothing told
  });

  it('an approval says what the grant allows, until when and who approved; a denial gives the note', () => {
    const approved = request('a', 'approved', {
      grant: {
        grantId: 'g',
        requestId: 'a',
        deviceId: 'd',
        userId: 'u',
        origin: 'https://crm.example.com',
        channel: 'copy',
        issuedAt: '2026-12-08T10:00:00Z',
        expiresAt: '2026-12-08T11:00:00Z',
        scope: 'content',
        uses: 1,
        maxLevel: '机密',
        approver: '李经理',
      },
    });
    const words = outcomeMessage(approved, 'zh-CN');
    expect(words.approved).toBe(true);
    expect(words.title).toBe('例外已批准：复制');
    expect(words.lines[0]).toBe('允许：仅此内容，1 次，最高机密');
    expect(words.lines.join('\n')).toContain('审批人：李经理');
    expect(words.lines[1]).toMatch(/^有效至：/);
    const denied = outcomeMessage(request('b', 'denied', { decisionNote: '请走正式导出流程' }), 'en');
    expect(denied.title).toBe('Exception denied: copy');
    expect(denied.lines).toContain('Note: 请走正式导出流程');
  });
});
