import { describe, expect, it } from 'vitest';
import { companyDate, fillBuckets } from './timeline';

describe('fillBuckets', () => {
  it('fills empty days between from and to, keeping the server buckets', () => {
    const filled = fillBuckets(
      [{ start: '2026-11-03T00:00:00.000Z', count: 4, byLevel: { 机密: 1 } }],
      'day',
      '2026-11-01T10:00:00.000Z',
      '2026-11-05T00:00:00.000Z',
    );
    expect(filled.map((b) => [b.start.slice(0, 10), b.count])).toEqual([
      ['2026-11-01', 0],
      ['2026-11-02', 0],
      ['2026-11-03', 4],
      ['2026-11-04', 0],
    ]);
    expect(filled[2]!.byLevel).toEqual({ 机密: 1 });
  });
  it('fills hours and leaves absurd spans alone', () => {
    expect(fillBuckets([], 'hour', '2026-11-01T00:00:00.000Z', '2026-11-01T03:00:00.000Z')).toHaveLength(3);
    const sparse = [{ start: '2026-01-01T00:00:00.000Z', count: 1, byLevel: { 秘密: 1 } }];
    expect(fillBuckets(sparse, 'hour', '2020-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z')).toBe(sparse);
  });
  it('aligns days on the company clock (+08:00: a day starts at 16:00 UTC) and labels them with its date', () => {
    const filled = fillBuckets(
      [{ start: '2026-11-02T16:00:00.000Z', count: 2, byLevel: { 秘密: 2 } }],
      'day',
      '2026-11-01T16:00:00.000Z',
      '2026-11-04T16:00:00.000Z',
      480,
    );
    expect(filled.map((b) => [b.start, b.count])).toEqual([
      ['2026-11-01T16:00:00.000Z', 0],
      ['2026-11-02T16:00:00.000Z', 2],
      ['2026-11-03T16:00:00.000Z', 0],
    ]);
    expect(filled.map((b) => companyDate(b.start, 480))).toEqual(['2026-11-02', '2026-11-03', '2026-11-04']);
    expect(companyDate('2026-11-02T00:00:00.000Z', 0)).toBe('2026-11-02');
  });
});
