import { describe, expect, it } from 'vitest';
import { inLanguage } from './bilingual';

describe('inLanguage', () => {
  it.each([
    ['禁止复制 / No copying', 'zh-CN', '禁止复制'],
    ['禁止复制 / No copying', 'en', 'No copying'],
    ['No copying / 禁止复制', 'zh-CN', '禁止复制'],
    ['只有中文', 'en', '只有中文'],
    ['only English', 'zh-CN', 'only English'],
    ['a / b', 'zh-CN', 'a'],
  ] as const)('%s in %s → %s', (text, language, expected) => {
    expect(inLanguage(text, language)).toBe(expected);
  });

  it('nothing for nothing', () => {
    expect(inLanguage(undefined, 'zh-CN')).toBeNull();
  });
});
