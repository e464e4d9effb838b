/**
 * Classification markers as Chinese documents write them (issue 17 §1): each form is
 * listed with its prose twin — text that uses the same characters without marking the
 * document — and the twin must stay unflagged. Sources of the forms: README.md (Markers).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanText, type Level } from './index';

function markers(text: string) {
  return scanText(text).filter((f) => f.type === 'marker');
}

/** [form, marked text, expected span text, level, normalized, prose twin] */
type Form = [name: string, text: string, span: string, level: Level, normalized: string, twin: string];

const FORMS: Form[] = [
  // GB/T 9704-2012 header: 密级★保密期限, top left, line 2; 解密条件 instead of a period.
  ['state secret with period', '000001\n机密★1年\n关于客户回访的通知', '机密', '机密', '机密', '机密性是信息安全的三要素之一'],
  ['state secret until use', '绝密★启用前\n2026年客户名单', '绝密', '绝密', '绝密', '绝密是最高的一级'],
  ['state secret until publication', '秘密★公布前 价格调整方案', '秘密', '秘密', '秘密', '这次调价在公布前是个秘密'],
  ['level sign ★ without period', '★机密★\n', '机密', '机密', '机密', '他的机密武器是耐心'],
  // Letter-spaced header labels (机 密, 绝　密 with an ideographic space).
  ['letter-spaced, ASCII space', '机 密\n客户回访计划', '机 密', '机密', '机密', '这件事是机 密，别说'],
  ['letter-spaced, ideographic space', '绝　密\n', '绝　密', '绝密', '绝密', '绝　密切关注'],
  ['letter-spaced, two spaces, in a label', '密  级：秘  密', '秘  密', '秘密', '秘密', '秘  密码本'],
  // Levels written with 级.
  ['level with 级 after the label', '密级：机密级', '机密级', '机密', '机密', '公司重要业务往来的客户为机密级。'],
  ['level with 级 as heading', '客户名单\n秘密级\n', '秘密级', '秘密', '秘密', '秘密级别的划分见第五条'],
  ['level with 级 and period', '绝密级★长期', '绝密级', '绝密', '绝密', '绝密级事项不超过三十年'],
  // 密级 fields in tables and OA forms.
  ['table cell after 密级', '| 文件名称 | 客户名单 |\n| 密级 | 机密 |', '机密', '机密', '机密', '| 说明 | 机密性要求 |'],
  ['tab-separated form field', '密级\t机密\t份数\t3', '机密', '机密', '机密', '密级分为\t三级'],
  ['OA form with ticked box', '密级：□绝密 ☑机密 □秘密', '机密', '机密', '机密', '密级：□绝密 □机密 □秘密'],
  ['OA form with filled square', '密级 ■秘密 □机密', '秘密', '秘密', '秘密', '密级 □秘密 □机密'],
  ['label with English gloss', '密级（Classification）：绝密', '绝密', '绝密', '绝密', '密级（Classification）分为绝密、机密、秘密'],
  ['security level label', 'Security Level: 机密', '机密', '机密', '机密', 'Security level of 机密性 data'],
  // Declarations in a sentence.
  ['declaration 属于…文件', '本文件属于机密文件，未经批准不得复制。', '机密', '机密', '机密', '属于秘密的客户资料和文件，应当标明密级。'],
  ['declaration 此件为…资料', '此件为绝密资料，严禁外传', '绝密', '绝密', '绝密', '如果此件为绝密资料，应当如何处理？'],
  ['declaration with content', '注意：本邮件内容属于公司机密，请勿转发。', '机密', '机密', '机密', '本制度所称公司机密，是指客户资料。'],
  ['declaration 系…级', '本报告系秘密级，仅限项目组阅读。', '秘密级', '秘密', '秘密', '本报告讨论的是秘密级客户的回访'],
  // Compound labels.
  ['compound with 内部资料', '内部资料 机密\n', '机密', '机密', '机密', '内部资料的机密程度不同'],
  ['compound with warning', '机密 · 严禁外传\n正文', '机密', '机密', '机密', '机密 外传的后果很严重'],
  // Bilingual labels.
  ['bilingual, Chinese first', '绝密 / Top Secret\n', '绝密', '绝密', '绝密', '绝密 / Top Secret 是一部电影的中英文名'],
  ['bilingual, English first', 'Confidential 机密\n', '机密', '机密', '机密', 'Confidential 机密性 is a property'],
  ['bilingual in brackets', '【秘密 SECRET】客户清单', '秘密', '秘密', '秘密', '《秘密花园 Secret Garden》'],
  ['compound in brackets', '[内部资料·机密] 客户回访表', '机密', '机密', '机密', '[内部资料] 机密程度见附表'],
  // Commercial secrets (SASAC 2010 rules: 核心商密 / 普通商密, the ▲ sign some companies use).
  ['core commercial secret', '核心商密▲5年\n', '核心商密', '机密', '核心商密', '商业秘密分为核心商密和普通商密两级'],
  ['ordinary commercial secret', '【普通商密】报价单', '普通商密', '秘密', '普通商密', '普通商密的保密期限由企业自定'],
  ['commercial label with level', '商密：机密', '机密', '机密', '机密', '商密机密两个词'],
  ['commercial with label', '密级：核心商密', '核心商密', '机密', '核心商密', '核心商密文件应当存放在保险柜中'],
];

describe('marker forms: the marked text is flagged', () => {
  it.each(FORMS)('%s: %j', (_name, text, span, level, normalized) => {
    const found = markers(text);
    expect(found).toHaveLength(1);
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe(span);
    expect(found[0]!.level).toBe(level);
    expect(found[0]!.normalized).toBe(normalized);
    expect(found[0]!.masked).toBe(span === normalized ? normalized : span);
  });
});

describe('marker forms: the prose twin is not', () => {
  it.each(FORMS)('%s: %j', (_name, _text, _span, _level, _normalized, twin) => {
    expect(markers(twin)).toEqual([]);
  });
});

const CONTROLLED: Array<[string, string]> = [
  ['受控文件\n', '受控文件'],
  ['受控副本 分发号：08', '受控副本'],
  ['文件状态：受控', '受控'],
  ['【受控版本】', '受控版本'],
  ['受控状态：■受控 □非受控', '受控'],
];

describe('受控文件 variants', () => {
  it.each(CONTROLLED)('%j', (text, span) => {
    const found = markers(text);
    expect(found.map((f) => text.slice(f.start, f.end))).toEqual([span]);
    expect(found[0]!.normalized).toBe('受控文件');
    expect(found[0]!.level).toBe('秘密');
  });
  it.each(['非受控文件\n', '【非受控副本】', '风险受控', '流程受控文件管理办法规定如下', '受控文件的发放由综合部负责'])(
    '%j is prose or uncontrolled',
    (text) => {
      expect(markers(text)).toEqual([]);
    },
  );
});

const PROSE: string[] = [
  '客户资料密级分为秘密、机密、绝密三级。',
  '密级：秘密、机密、绝密',
  '公司的秘密武器是服务',
  '我最喜欢的书是《绝密档案》',
  '《绝密》\n',
  '他说：“这件事是绝密。”',
  '“秘密”是一般的客户资料',
  '机密性、完整性和可用性',
  '秘密 机密 绝密\n',
  '本制度规定了秘密、机密和绝密的范围',
  '本文件是机密吗？',
  '本文讨论的重点是机密信息的管理',
  '非机密\n',
  '解密\n',
  '国家秘密的密级分为绝密、机密、秘密三级。',
  '机密级别的文件应当加锁保存',
];

describe('prose about levels is never a marker', () => {
  it.each(PROSE)('%j', (text) => {
    expect(markers(text)).toEqual([]);
  });
});

describe('the domain texts do not mark themselves', () => {
  const dir = fileURLToPath(new URL('../../../shared/domain/', import.meta.url));
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.txt') || f.endsWith('.md')) : [];
  it.skipIf(files.length === 0)('every file under shared/domain yields no marker', () => {
    const flagged: string[] = [];
    for (const file of files) {
      const text = readFileSync(dir + file, 'utf8');
      expect(text.length).toBeGreaterThan(100);
      for (const f of markers(text)) flagged.push(`${file}: ${text.slice(Math.max(0, f.start - 10), f.end + 10)}`);
    }
    // None of these files marks itself: the policy defines the levels, the greetings are prose.
    expect(flagged).toEqual([]);
  });
});
