import { describe, expect, it } from 'vitest';
import { scanText } from '../../detect';
import { DEFAULT_POLICY } from '../../policy/default-policy';
import type { Policy } from '../../policy/schema';
import { decideDownload, fileTypeOf, provenanceLevel, type DownloadFacts } from './download-decision';

const who = { pageOrigin: 'http://crm.corp', deviceId: 'd', userId: 'u', now: Date.parse('2026-12-04T10:00:00Z') };
const policy: Policy = { ...DEFAULT_POLICY, internalOrigins: ['http://crm.corp'] };
const facts = (over: Partial<DownloadFacts>): DownloadFacts => ({
  findings: [],
  findingCount: 0,
  unreadable: false,
  fileType: 'csv',
  sourceOrigin: 'http://crm.corp',
  provenance: { level: null, countsByType: {} },
  ...over,
});

describe('decideDownload', () => {
  it('a file read in full is judged on its content, not on the page it came from', () => {
    const findings = scanText('张三 13812345678');
    expect(decideDownload(facts({ findings, findingCount: 1 }), policy, [], who)).toMatchObject({
      action: 'block-with-override',
      level: '秘密',
      findingCount: 1,
    });
    // Control: a plain export from a 绝密 page that showed numbers still leaves.
    const page = { level: '绝密' as const, countsByType: { mobile: 300 } };
    expect(decideDownload(facts({ provenance: page }), policy, [], who).action).toBe('allow');
  });

  it('counts beyond the kept findings reach the verdict (bulk)', () => {
    const findings = scanText('13812345678 '.repeat(20));
    expect(decideDownload(facts({ findings, findingCount: 5000 }), policy, [], who)).toMatchObject({
      level: '机密',
      bulk: true,
      findingCount: 5000,
    });
  });

  it.each([
    ['a page marked 机密', { level: '机密' as const, countsByType: {} }, 'xyz', 'https://elsewhere.example', '机密'],
    ['a page showing numbers', { level: null, countsByType: { mobile: 3 } }, 'png', 'https://elsewhere.example', '秘密'],
    ['a page showing a bulk list', { level: null, countsByType: { mobile: 25 } }, 'png', 'https://elsewhere.example', '机密'],
    ['a held type from an internal system', { level: null, countsByType: {} }, 'xlsx', 'http://crm.corp', '秘密'],
    ['a held type from the internet, nothing shown', { level: null, countsByType: {} }, 'xlsx', 'https://elsewhere.example', null],
    [
      'a type the policy does not hold, from an internal page with nothing shown',
      { level: null, countsByType: {} },
      'png',
      'http://crm.corp',
      null,
    ],
    ['markers only count as level', { level: null, countsByType: { marker: 2 } }, 'png', 'https://elsewhere.example', null],
  ])('unreadable file from %s: provenance level', (_name, provenance, fileType, sourceOrigin, level) => {
    expect(provenanceLevel({ provenance, fileType, sourceOrigin }, policy)).toBe(level);
    const verdict = decideDownload(facts({ unreadable: true, provenance, fileType, sourceOrigin }), policy, [], who);
    expect(verdict.action).toBe(level ? 'block-with-override' : 'allow');
  });
});

describe('fileTypeOf', () => {
  it.each([
    ['客户名单.XLSX', '', 'xlsx'],
    ['C:\\exports\\list.csv', '', 'csv'],
    ['export', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
    ['download', 'text/csv; charset=utf-8', 'csv'],
    ['.hidden', '', ''],
    ['noext', 'application/octet-stream', ''],
  ])('%s (%s) → %s', (name, mime, type) => expect(fileTypeOf(name, mime)).toBe(type));
});
