import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../../utils/policy/default-policy';
import { describeChange, diffPolicies, type PolicyChange } from './policy-diff';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const words = (changes: PolicyChange[], lang: 'zh-CN' | 'en') => changes.map((change) => describeChange(change, lang));

describe('policy diff for the publish confirmation', () => {
  it('an unchanged policy (version and publish time apart) has no changes', () => {
    const draft = { ...clone(DEFAULT_POLICY), version: 7, publishedAt: '2026-12-01T00:00:00.000Z' };
    expect(diffPolicies(DEFAULT_POLICY, draft)).toEqual([]);
    // Channels ticked in another order, a default zone written out: the same rule.
    const reordered = clone(DEFAULT_POLICY);
    reordered.rules[0]!.channels = [...reordered.rules[0]!.channels].reverse();
    expect(diffPolicies(DEFAULT_POLICY, reordered)).toEqual([]);
  });

  it('a changed rule field reads rule name, field, old → new, in both languages', () => {
    const draft = clone(DEFAULT_POLICY);
    draft.rules[0]!.action = 'block';
    draft.rules[0]!.minLevel = '机密';
    const changes = diffPolicies(DEFAULT_POLICY, draft);
    expect(changes.map((change) => change.kind)).toEqual(['rule-changed', 'rule-changed']);
    expect(words(changes, 'zh-CN')).toEqual([
      '规则 “禁止复制、剪切、拖出客户信息”（no-copy-out）：最低密级 秘密 → 机密',
      '规则 “禁止复制、剪切、拖出客户信息”（no-copy-out）：处置 阻止（可申请例外） → 阻止',
    ]);
    expect(words(changes, 'en')).toEqual([
      'Rule “No copying customer data” (no-copy-out): Min. level 秘密 Secret → 机密 Confidential',
      'Rule “No copying customer data” (no-copy-out): Action Block (override possible) → Block',
    ]);
  });

  it('channels added to a rule are listed by their names', () => {
    const draft = clone(DEFAULT_POLICY);
    draft.rules[0]!.channels = [...draft.rules[0]!.channels, 'print'];
    const [change] = diffPolicies(DEFAULT_POLICY, draft);
    const text = describeChange(change!, 'zh-CN');
    expect(text).toMatch(/^规则 “禁止复制、剪切、拖出客户信息”（no-copy-out）：渠道 .+ → .*打印/);
    expect(text.replace('no-copy-out', '')).not.toMatch(/\bprint\b|\bcopy\b|\bcut\b/);
  });

  it('added, removed and reordered rules', () => {
    const draft = clone(DEFAULT_POLICY);
    const removed = draft.rules.splice(1, 1)[0]!;
    draft.rules.reverse();
    draft.rules.push({
      id: 'no-upload-secret',
      channels: ['upload'],
      minLevel: '绝密',
      source: 'any',
      destination: 'external',
      action: 'block',
      description: '禁止上传绝密文件 / No uploading top-secret files',
    });
    const changes = diffPolicies(DEFAULT_POLICY, draft);
    expect(changes.map((change) => change.kind)).toEqual(['rule-removed', 'rule-added', 'rules-reordered']);
    const zh = words(changes, 'zh-CN');
    expect(zh[0]).toBe(`删除规则 “禁止向非内部网站转发客户信息”（${removed.id}）`);
    expect(zh[1]).toBe(
      `新增规则 “禁止上传绝密文件”（no-upload-secret）（第 ${draft.rules.length} 条）：渠道 上传，最低密级 绝密，来源 任意，去向 外部，处置 阻止`,
    );
    expect(zh[2]).toMatch(/^规则顺序：no-copy-out → .* 改为 .* → no-copy-out$/);
    expect(words(changes, 'en')[1]).toBe(
      `Rule added “No uploading top-secret files” (no-upload-secret) (position ${draft.rules.length}): Channels Upload, Min. level 绝密 Top secret, Source Any, Destination External, Action Block`,
    );
  });

  it('settings: scalar changes, lists as items added and removed, readable units', () => {
    const draft = clone(DEFAULT_POLICY);
    const before = { ...clone(DEFAULT_POLICY), internalOrigins: ['https://oa.corp.example.com'] };
    draft.internalOrigins = ['https://crm.corp.example.com'];
    draft.detectors.email.enabled = !DEFAULT_POLICY.detectors.email.enabled;
    draft.overrides.maxDurationMinutes = 30;
    draft.overrides.maxLevel = '机密';
    draft.language = 'en';
    draft.downloads = { ...draft.downloads!, maxScanBytes: 20 * 1024 * 1024 };
    const zh = words(diffPolicies(before, draft), 'zh-CN');
    expect(zh).toContain('内部系统：新增 https://crm.corp.example.com；删除 https://oa.corp.example.com');
    expect(zh).toContain(
      `电子邮箱 · 启用：${DEFAULT_POLICY.detectors.email.enabled ? '是' : '否'} → ${DEFAULT_POLICY.detectors.email.enabled ? '否' : '是'}`,
    );
    expect(zh).toContain(`例外最长时长（分钟）：${DEFAULT_POLICY.overrides.maxDurationMinutes} → 30`);
    expect(zh).toContain('例外可开放的最高密级：无 → 机密');
    expect(zh).toContain('通知与弹窗语言：中文 → English');
    expect(zh.some((line) => /^下载读取上限：[\d.]+ MB → 20 MB$/.test(line))).toBe(true);
    // Nothing reads like JSON.
    expect(zh.join('\n')).not.toMatch(/[{}"]|internalOrigins|maxDurationMinutes/);
    const en = words(diffPolicies(before, draft), 'en');
    expect(en).toContain('Internal systems: added https://crm.corp.example.com; removed https://oa.corp.example.com');
    expect(en).toContain('Notice and popup language: 中文 → English');
  });

  it('marker terms are compared as a set and read as term (level)', () => {
    const before = clone(DEFAULT_POLICY);
    before.detectors.marker.extraTerms = [{ term: 'CONFIDENTIAL', level: '机密' }];
    const after = clone(before);
    after.detectors.marker.extraTerms = [
      { term: 'INTERNAL ONLY', level: '秘密' },
      { term: 'CONFIDENTIAL', level: '机密' },
    ];
    expect(words(diffPolicies(before, after), 'zh-CN')).toEqual(['附加密级标识词：新增 INTERNAL ONLY（秘密）']);
  });

  it('does not fail on a draft that is not a policy (a JSON edit in progress)', () => {
    expect(diffPolicies(DEFAULT_POLICY, { rules: 'oops' }).some((change) => change.kind === 'rule-removed')).toBe(true);
    expect(() => words(diffPolicies(null, [1, 2]), 'en')).not.toThrow();
  });
});
