import { describe, expect, it } from 'vitest';
import { levelRank, maxLevel } from './types';

describe('levels', () => {
  it('ranks levels', () => {
    expect(levelRank('绝密')).toBeGreaterThan(levelRank('机密'));
    expect(maxLevel('秘密', '机密')).toBe('机密');
    expect(maxLevel(null, null)).toBe(null);
  });
});
