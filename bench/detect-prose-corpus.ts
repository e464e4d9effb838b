/**
 * Prose-dominant corpus for `bench:detect` (issue 17 §3): what real pages mostly are —
 * Chinese sentences, some English, sparse numbers. Built (fixed seed) from the domain
 * texts in ../shared/domain/ (split into sentences) plus synthetic sentences; about one
 * sentence in 40 carries a real phone number (ground truth recorded), one in 25 a date,
 * an amount or an order number (look-alikes), and a few paragraphs a marker.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AREA_CODES } from '../utils/detect/numbering.generated';
import { COMMON_PREFIXES, COMPANIES, SURNAMES, GIVEN, AREAS_4 } from './lib/corpus-words';
import { Prng } from './lib/prng';
import type { TruthSpan } from './lib/corpus';

const SYNTHETIC = [
  '客户回访工作要做到及时、细致，回访记录当天录入系统。',
  '本周的销售例会改到周四下午，请各位提前准备好材料。',
  '新产品的宣传册已经送到前台，有需要的同事可以自取。',
  '天气转凉，请大家注意保暖，出差的同事注意安全。',
  '关于年终总结的格式要求，行政部已经发到群里了。',
  '我们的服务宗旨是让每一位客户满意而归。',
  '如有疑问，请与部门负责人联系，不要在公共场合讨论客户信息。',
  '上季度的客户满意度调查结果整体良好，个别地区仍需改进。',
  '培训课程结束后会有一次简单的考核，请认真听讲。',
  '仓库盘点安排在月底进行，届时暂停出库。',
  'The quarterly review meeting has been moved to Thursday afternoon.',
  'Please update the customer records before the end of the day.',
  '感谢您一直以来对我们工作的支持与信任，祝您生活愉快！',
  '节日期间客服正常值班，紧急事务请联系当班主管。',
  '请勿将客户资料拷贝到个人电脑或上传到外部网站。',
  '项目进展顺利，预计下个月可以完成第一阶段的验收。',
];

function domainSentences(): string[] {
  const dir = fileURLToPath(new URL('../../shared/domain/', import.meta.url));
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.txt')) continue;
    for (const line of readFileSync(dir + f, 'utf8').split('\n')) {
      for (const s of line.split(/(?<=[。！？!?])/)) {
        const t = s.trim();
        if (t.length >= 6) out.push(t);
      }
    }
  }
  return out;
}

export interface ProseCorpus {
  text: string;
  truth: TruthSpan[];
  bytes: number;
  /** Where the sentences came from: domain sentences available, synthetic ones. */
  sources: { domain: number; synthetic: number };
}

/** At least `targetBytes` UTF-8 bytes of prose-dominant text, fixed seed. */
export function generateProseCorpus(seed: number, targetBytes: number): ProseCorpus {
  const r = new Prng(seed);
  const domain = domainSentences();
  const pool = [...domain, ...SYNTHETIC];
  const parts: string[] = [];
  const truth: TruthSpan[] = [];
  let length = 0;
  let bytes = 0;
  const add = (s: string): void => {
    parts.push(s);
    length += s.length;
    bytes += Buffer.byteLength(s, 'utf8');
  };
  const digits = (n: number): string => r.digits(n);
  const name = (): string => r.pick(SURNAMES) + r.pick(GIVEN);
  while (bytes < targetBytes) {
    const sentences = 3 + r.int(6);
    if (r.chance(0.01)) add(r.pick(['密级：机密\n', '【绝密】\n', '机密★1年\n']));
    for (let i = 0; i < sentences; i++) {
      const roll = r.next();
      if (roll < 0.025) {
        add(`如需了解详情，请联系${name()}，电话 `);
        const number = r.pick(COMMON_PREFIXES) + digits(8);
        const written = r.chance(0.5) ? number : `${number.slice(0, 3)}-${number.slice(3, 7)}-${number.slice(7)}`;
        truth.push({ start: length, end: length + written.length, kind: 'mobile', disguise: 'prose' });
        add(written + '。');
      } else if (roll < 0.03) {
        add(`${r.pick(COMPANIES)}的座机是 `);
        // Local numbers as long as libphonenumber's metadata says for that area code.
        const area = r.pick(AREAS_4);
        const lengths = AREA_CODES.find(([code]) => code === area.slice(1))?.[1] ?? 2;
        const written = `${area}-${2 + r.int(8)}${digits(lengths === 1 ? 6 : 7)}`;
        truth.push({ start: length, end: length + written.length, kind: 'landline', disguise: 'prose' });
        add(written + '，欢迎来电。');
      } else if (roll < 0.07) {
        add(
          r.pick([
            `会议定于2026年${1 + r.int(12)}月${1 + r.int(28)}日上午${8 + r.int(4)}点召开。`,
            `本月累计完成销售额${r.int(900) + 100}万元，同比增长${r.int(30)}%。`,
            `订单号 ${'2026' + digits(12)} 已发货。`,
            `第${r.int(20) + 1}条规定适用于全体员工。`,
          ]),
        );
      } else add(r.pick(pool));
    }
    add('\n');
  }
  return { text: parts.join(''), truth, bytes, sources: { domain: domain.length, synthetic: SYNTHETIC.length } };
}
