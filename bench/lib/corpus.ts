/**
 * Deterministic benchmark corpus: mixed Chinese/English chat lines, CRM rows and mail
 * bodies, with real Chinese phone numbers in many disguises (ground truth recorded),
 * look-alike numbers that are NOT phone numbers (order numbers, timestamps, masked
 * numbers, resident IDs, bank cards, amounts, dates, IPs, QQ numbers, unallocated
 * prefixes) and classification markers / prose mentioning them.
 */
import { AREA_CODES } from '../../utils/detect/numbering.generated';
import { Prng } from './prng';
import type { Span } from './score';
import { residentIdCheckChar, withLuhnCheckDigit } from '../../utils/detect/check-digits';
import {
  COMMON_PREFIXES,
  RARE_PREFIXES,
  AREAS_3,
  AREAS_4,
  SURNAMES,
  GIVEN,
  EN_NAMES,
  COMPANIES,
  CHAT_FILLER,
  MOBILE_LEAD,
  wide,
} from './corpus-words';

/** Local-number lengths of each area code (without its 0): 1 = 7 digits, 2 = 8, 3 = both. */
const AREA_LENGTHS = new Map<string, number>(AREA_CODES);

export type TruthKind = 'mobile' | 'landline' | 'service';
export interface TruthSpan extends Span {
  kind: TruthKind;
  disguise: string;
}

export interface Corpus {
  text: string;
  truth: TruthSpan[];
  bytes: number;
}

class Builder {
  parts: string[] = [];
  pos = 0;
  bytes = 0;
  truth: TruthSpan[] = [];
  add(s: string): void {
    this.parts.push(s);
    this.pos += s.length;
    this.bytes += Buffer.byteLength(s, 'utf8');
  }
  phone(s: string, kind: TruthKind, disguise: string): void {
    this.truth.push({ start: this.pos, end: this.pos + s.length, kind, disguise });
    this.add(s);
  }
}

class Gen {
  constructor(
    private r: Prng,
    private b: Builder,
    private prose = false,
  ) {}

  name(): string {
    return this.r.pick(SURNAMES) + this.r.pick(GIVEN);
  }
  date(): string {
    const r = this.r;
    return `2023-${String(1 + r.int(12)).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}`;
  }
  time(): string {
    const r = this.r;
    return `${String(r.int(24)).padStart(2, '0')}:${String(r.int(60)).padStart(2, '0')}:${String(r.int(60)).padStart(2, '0')}`;
  }
  mobileDigits(): string {
    const r = this.r;
    return (r.chance(0.85) ? r.pick(COMMON_PREFIXES) : r.pick(RARE_PREFIXES)) + r.digits(8);
  }

  /** A real mobile number in one of many disguises. */
  mobile(): void {
    const r = this.r;
    const n = this.mobileDigits();
    const a = n.slice(0, 3);
    const b4 = n.slice(3, 7);
    const c4 = n.slice(7);
    const forms: Array<[string, string]> = [
      ['tight', n],
      ['tight', n],
      ['tight', n],
      ['3-4-4 space', `${a} ${b4} ${c4}`],
      ['3-4-4 dash', `${a}-${b4}-${c4}`],
      ['3-4-4 dot', `${a}.${b4}.${c4}`],
      ['3-3-5', `${a} ${n.slice(3, 6)} ${n.slice(6)}`],
      ['4-4-3', `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}`],
      ['3-8', `${a}-${n.slice(3)}`],
      ['+86', `+86${n}`],
      ['+86 space', `+86 ${a} ${b4} ${c4}`],
      ['+86-', `+86-${a}-${b4}-${c4}`],
      ['(+86)', `(+86)${n}`],
      ['（+86）', `（+86）${a} ${b4} ${c4}`],
      ['0086', `0086 ${n}`],
      ['86', `86-${n}`],
      ['＋86', `＋86 ${n}`],
      ['full-width', wide(n)],
      ['full-width grouped', wide(`${a} ${b4} ${c4}`).replace(/ /g, '\u3000')],
      ['zero-width', `${a}\u200b${b4}\u200b${c4}`],
      ['zwj/wj', `${a}\u200d${b4}\u2060${c4}`],
      ['soft hyphen', `${a}\u00ad${b4}\u00ad${c4}`],
      ['nbsp', `${a}\u00a0${b4}\u00a0${c4}`],
      ['ideographic space', `${a}\u3000${b4}\u3000${c4}`],
      ['middle dot', `${a}·${b4}·${c4}`],
      ['en dash', `${a}–${b4}–${c4}`],
      ['em dash', `${a}—${b4}—${c4}`],
      ['full-width hyphen', `${a}－${b4}－${c4}`],
      ['line break', `${a}\n${b4}\n${c4}`],
      ['crlf', `${a} ${b4}\r\n${c4}`],
    ];
    const [disguise, s] = r.pick(forms);
    this.b.phone(s, 'mobile', disguise);
  }

  landline(): void {
    const r = this.r;
    const three = r.chance(0.5);
    const area = three ? r.pick(AREAS_3) : r.pick(AREAS_4);
    // Local numbers as long as libphonenumber's metadata allows for the area code (the
    // coin is drawn as before, so the rest of the corpus stays the same).
    const first = String(2 + r.int(7));
    const coin = three || r.chance(0.7);
    const lengths = AREA_LENGTHS.get(area.slice(1)) ?? 3;
    const local = first + r.digits(lengths === 3 ? (coin ? 7 : 6) : lengths === 2 ? 7 : 6);
    const half = local.length >> 1;
    const forms: Array<[string, string]> = [
      ['A-L', `${area}-${local}`],
      ['A-L', `${area}-${local}`],
      ['(A)L', `(${area})${local}`],
      ['（A）L L', `（${area}）${local.slice(0, half)} ${local.slice(half)}`],
      ['A L', `${area} ${local}`],
      ['A-L转', `${area}-${local}转${r.digits(1 + r.int(4))}`],
      ['A-L ext.', `${area}-${local} ext. ${r.digits(2 + r.int(3))}`],
      ['A-L分机', `${area}-${local}分机${r.digits(3)}`],
      ['tight', `${area}${local}`],
    ];
    const [disguise, s] = r.pick(forms);
    this.b.phone(s, 'landline', disguise);
  }

  service(): void {
    const r = this.r;
    const p = r.chance(0.7) ? '400' : '800';
    const n = p + r.digits(7);
    const forms = [`${p}-${n.slice(3, 6)}-${n.slice(6)}`, `${p} ${n.slice(3, 6)} ${n.slice(6)}`, n, `${p}-${n.slice(3)}`];
    this.b.phone(r.pick(forms), 'service', 'service');
  }

  /** A number that is NOT a phone number. */
  lookalike(): string {
    const r = this.r;
    const m = this.mobileDigits();
    switch (r.int(16)) {
      case 0:
        return `订单号：${r.chance(0.5) ? 'DD' : ''}${'2023' + r.digits(12 + r.int(5))}`;
      case 1:
        return `时间戳 2023${String(1 + r.int(12)).padStart(2, '0')}${String(1 + r.int(28)).padStart(2, '0')}${r.digits(6)}`;
      case 2:
        return r.pick([
          `${m.slice(0, 3)}****${m.slice(7)}`,
          `${m.slice(0, 3)}xxxx${m.slice(7)}`,
          `${m.slice(0, 3)}XXXX${m.slice(7)}`,
          `${m.slice(0, 3)}＊＊＊＊${m.slice(7)}`,
        ]);
      case 3: {
        const d17 =
          r.pick(['110105', '310104', '440305', '510107']) +
          `19${r.digits(2)}${String(1 + r.int(12)).padStart(2, '0')}${String(1 + r.int(28)).padStart(2, '0')}${r.digits(3)}`;
        return `身份证 ${d17}${residentIdCheckChar(d17)}`;
      }
      case 4: {
        const card = withLuhnCheckDigit(r.pick(['622202', '621700', '622848', '436742']) + r.digits(9 + r.int(3)));
        return r.chance(0.5) ? `卡号 ${card}` : `card ${card.replace(/(\d{4})(?=\d)/g, '$1 ')}`;
      }
      case 5:
        return `金额 ¥${r.int(100)},${r.digits(3)}.${r.digits(2)}`;
      case 6:
        return `${this.date()} ${this.time()}`;
      case 7:
        return `IP 192.168.${r.int(256)}.${r.int(256)}`;
      case 8:
        return `QQ ${1 + r.int(3)}${r.digits(7 + r.int(3))}`; // 8–10 digits
      case 9:
        return `运单 SF${r.digits(12)}`;
      case 10:
        return `编号 ${r.pick(['140', '141', '144', '154', '120', '100', '112'])}${r.digits(8)}`; // unallocated / not mobile
      case 11:
        return `流水号 ${m}${r.digits(3 + r.int(6))}`; // a mobile-looking prefix inside a longer run
      case 12:
        return `SKU-${m}A`;
      case 13:
        return `v${r.int(3)}.${r.int(20)}.${r.digits(3)}`;
      case 14:
        return `9${r.digits(1)}${m}`; // 13 tight digits that are not +86
      default:
        return `No.${r.digits(8)}`;
    }
  }

  filler(): string {
    return this.r.pick(CHAT_FILLER);
  }

  marker(): string {
    return this.r.pick([
      '密级：机密',
      '【绝密】',
      '机密★1年',
      '绝密★长期',
      '[秘密]',
      '受控文件 编号：QP-2023-017',
      '（机密）',
      '密级:秘密',
      '绝密·长期',
    ]);
  }

  chatLine(): void {
    const r = this.r;
    const b = this.b;
    b.add(`[${this.date()} ${this.time()}] ${r.chance(0.8) ? this.name() : r.pick(EN_NAMES)}: `);
    // Prose mode: ~3% of the lines carry a number or a marker.
    const roll = this.prose && r.chance(0.97) ? 1 : r.next();
    if (roll < 0.22) {
      b.add(`${r.pick(['你好，', '麻烦', '', 'Hi, '])}${r.pick(MOBILE_LEAD)} `);
      this.mobile();
      b.add(r.pick(['，请尽快回电。', ' 谢谢', '。', ' thanks!', '']));
    } else if (roll < 0.27) {
      b.add(r.pick(['公司座机 ', '办公电话：', 'office ', '传真 ']));
      this.landline();
      b.add('。');
    } else if (roll < 0.29) {
      b.add(r.pick(['客服热线 ', '请拨打 ', 'hotline ']));
      this.service();
    } else if (roll < 0.5) {
      b.add(this.lookalike());
      b.add(r.pick(['，已处理。', ' 请核对', '。', ' done']));
    } else if (roll < 0.52) {
      b.add(this.marker());
    } else {
      b.add(this.filler());
    }
    b.add('\n');
  }

  crmBlock(): void {
    const r = this.r;
    const b = this.b;
    b.add('客户编号,姓名,手机,座机,订单号,金额,下单时间,备注\n');
    const rows = 3 + r.int(10);
    for (let i = 0; i < rows; i++) {
      b.add(`C${r.digits(6)},${this.name()},`);
      if (r.chance(0.9)) this.mobile();
      else b.add(this.lookalike().replace(/,/g, ''));
      b.add(',');
      if (r.chance(0.4)) this.landline();
      b.add(
        `,${'2023' + r.digits(14)},${r.int(10000)}.${r.digits(2)},2023${r.digits(10)},${r.chance(0.1) ? this.marker() : r.pick(['VIP', '', '待回访', 'new'])}\n`,
      );
    }
  }

  mail(): void {
    const r = this.r;
    const b = this.b;
    const en = r.chance(0.4);
    b.add(`Subject: ${en ? 'Re: quotation for ' + r.pick(COMPANIES) : '关于' + r.pick(COMPANIES) + '的合同续签'}\n`);
    b.add(`Date: ${this.date()} ${this.time()}\n`);
    if (r.chance(0.3)) b.add(`${this.marker()}\n`);
    b.add('\n');
    if (en) {
      b.add(`Dear ${r.pick(EN_NAMES)},\n\nThank you for your order ${r.digits(10)}. `);
      b.add('If you have any questions, please call ');
      this.mobile();
      b.add(' or our office at ');
      this.landline();
      b.add(`.\nThe total amount is $${r.int(100)},${r.digits(3)}.00, due ${this.date()}.\n\nBest regards,\n${r.pick(EN_NAMES)}\nTel: `);
      this.mobile();
      b.add('\n\n');
    } else {
      b.add(`${this.name()}您好：\n  附件是${r.pick(COMPANIES)}的报价单（订单号 ${'2023' + r.digits(12)}），如有问题请致电 `);
      this.mobile();
      b.add(' 或 ');
      this.landline();
      b.add(`。\n  ${this.filler()}\n  ${this.lookalike()}\n此致\n敬礼\n${this.name()}\n手机：`);
      this.mobile();
      b.add('\n\n');
    }
  }
}

/** Generates at least `targetBytes` UTF-8 bytes of text with a fixed seed. */
export function generateCorpus(seed: number, targetBytes: number, opts: { prose?: boolean } = {}): Corpus {
  const r = new Prng(seed);
  const b = new Builder();
  const g = new Gen(r, b, opts.prose ?? false);
  while (b.bytes < targetBytes) {
    const roll = opts.prose ? 0 : r.next();
    if (roll < 0.6) {
      const n = 5 + r.int(20);
      for (let i = 0; i < n; i++) g.chatLine();
    } else if (roll < 0.8) g.crmBlock();
    else g.mail();
  }
  return { text: b.parts.join(''), truth: b.truth, bytes: b.bytes };
}
