/**
 * Classification markers: 秘密 / 机密 / 绝密 (also letter-spaced `机 密` and with 级),
 * the commercial-secret levels 核心商密 / 普通商密, 受控文件 and its variants, and
 * policy-defined extra terms — reported only when used AS A MARKER, never when prose
 * mentions the word. The forms and their sources are listed in README.md (Markers).
 *
 * Search: `indexOf('密')` (then a bounded look back for the level), `indexOf('受控')`,
 * and a case-folding loop per extra term. Each hit is then checked in a bounded window
 * (at most ~48 units either side), so the scan is linear in the text length.
 */
import { digitValue, foldAscii, isLineBreak, isSpace, isWordChar } from './chars';
import type { DetectorSettings, Finding, Level } from './types';

const MI = 0x5bc6; // 密
const JI = 0x7ea7; // 级
const SHANG = 0x5546; // 商

function levelOf(c: number): Level | null {
  return c === 0x79d8 ? '秘密' : c === 0x673a ? '机密' : c === 0x7edd ? '绝密' : null;
}

/** The closing bracket of an opening one (【】 [] （） () 〔〕 〖〗 ［］), else 0. */
function closingOf(c: number): number {
  switch (c) {
    case 0x3010:
      return 0x3011;
    case 0x5b:
      return 0x5d;
    case 0xff08:
      return 0xff09;
    case 0x28:
      return 0x29;
    case 0x3014:
      return 0x3015;
    case 0x3016:
      return 0x3017;
    case 0xff3b:
      return 0xff3d;
    default:
      return 0;
  }
}

/** ★ ☆ (the state-secret sign) and ▲ △ (used by companies for commercial secrets). */
function isSecretSign(c: number): boolean {
  return c === 0x2605 || c === 0x2606 || c === 0x25b2 || c === 0x25b3;
}

/** A ticked box before a level: ■ ☑ ☒ ✓ ✔ √. */
function isTicked(c: number): boolean {
  return c === 0x25a0 || c === 0x2611 || c === 0x2612 || c === 0x2713 || c === 0x2714 || c === 0x221a;
}

/** An empty box: □ ☐ (an OA form offering the level, not choosing it). */
function isEmptyBox(c: number): boolean {
  return c === 0x25a1 || c === 0x2610;
}

/** Characters that may surround a heading-style marker on its line. */
function isDecoration(c: number): boolean {
  if (isSpace(c)) return true;
  switch (c) {
    case 0x3010:
    case 0x3011:
    case 0x5b:
    case 0x5d:
    case 0xff08:
    case 0xff09:
    case 0x28:
    case 0x29:
    case 0x3014:
    case 0x3015:
    case 0x3016:
    case 0x3017:
    case 0xff3b:
    case 0xff3d:
    case 0x2605:
    case 0x2606:
    case 0x25b2:
    case 0x25b3: // ★☆▲△
    case 0x3a:
    case 0xff1a: // : ：
    case 0x23:
    case 0x2a:
    case 0x2d:
    case 0x3d:
    case 0x5f:
    case 0x7c:
    case 0xff5c:
    case 0x3e: // # * - = _ | ｜ >
    case 0x2f:
    case 0xff0f: // / ／ (bilingual labels: 绝密 / Top Secret)
    case 0xb7:
    case 0x2e:
    case 0x3002:
    case 0x21:
    case 0xff01: // · . 。 ! ！
    case 0x2014:
    case 0x2013:
    case 0xff0d:
    case 0x2022: // — – － •
      return true;
    default:
      return false;
  }
}

/**
 * Words that share a header line with a level without making it prose: compound labels
 * (`内部资料 机密`, `机密 严禁外传`) and bilingual ones (`绝密 / Top Secret`).
 */
const COMPANIONS_ZH = [
  '仅限内部使用',
  '仅供内部使用',
  '内部资料',
  '内部文件',
  '内部使用',
  '内部',
  '严禁外传',
  '请勿外传',
  '不得外传',
  '严禁复制',
  '注意保密',
  '严格保密',
  '妥善保管',
  '受控文件',
  '商密',
  '文件',
  '资料',
];
const COMPANIONS_EN = [
  'strictly confidential',
  'top secret',
  'confidential',
  'secret',
  'internal use only',
  'internal',
  'restricted',
  'classified',
];

const HEADING_WINDOW = 48;

const CONF_LABEL = 0.95;
const CONF_BRACKET = 0.9;
const CONF_PERIOD = 0.9;
const CONF_TICKED = 0.9;
const CONF_FOLLOWER = 0.9;
const CONF_DECLARED = 0.85;
const CONF_HEADING = 0.85;

export function scanMarkers(text: string, detectors: DetectorSettings, out: Finding[], limit: number): void {
  const m = detectors.marker;
  if (!m.enabled) return;
  const start = out.length;
  // 秘密 / 机密 / 绝密, letter-spaced, with 级; 核心商密 / 普通商密.
  for (let p = text.indexOf('密', 1); p !== -1; p = text.indexOf('密', p + 1)) {
    const prev = text.charCodeAt(p - 1);
    let level = levelOf(prev);
    let s = p - 1;
    let normalized: string | null = level;
    let spaced = false;
    if (!level && prev === SHANG && p >= 3) {
      // 核心商密 → 机密, 普通商密 → 秘密 (the product's mapping of the two commercial levels).
      if (text.startsWith('核心', p - 3)) {
        level = '机密';
        normalized = '核心商密';
      } else if (text.startsWith('普通', p - 3)) {
        level = '秘密';
        normalized = '普通商密';
      }
      s = p - 3;
    } else if (!level && isSpace(prev)) {
      // Letter-spaced header label: `机 密`, `绝　密`, `秘  密` (at most 2 spaces).
      let q = p - 1;
      if (q > 0 && isSpace(text.charCodeAt(q - 1))) q--;
      level = q > 0 ? levelOf(text.charCodeAt(q - 1)) : null;
      normalized = level;
      s = q - 1;
      spaced = true;
    }
    if (!level || !normalized) continue;
    let e = p + 1;
    // `秘密级`, `机密级` — but `机密级别` is a word of its own.
    if (text.charCodeAt(e) === JI && text.charCodeAt(e + 1) !== 0x522b /* 别 */) e++;
    const conf = levelConfidence(text, s, e, spaced);
    if (conf > 0 && push(out, limit, level, s, e, conf, normalized, spaced || e > p + 1 ? text.slice(s, e) : normalized)) return;
  }
  // 受控文件 / 受控副本 / 受控版本 / 受控本 / 受控 (as a status or a stamp).
  for (let p = text.indexOf('受控'); p !== -1; p = text.indexOf('受控', p + 2)) {
    const c = text.charCodeAt(p - 1);
    if (c === 0x975e /* 非 */ || c === 0x4e0d /* 不 */ || c === 0x672a /* 未 */) continue;
    let e = p + 2;
    if (text.startsWith('文件', e) || text.startsWith('副本', e) || text.startsWith('版本', e)) e += 2;
    else if (text.charCodeAt(e) === 0x672c /* 本 */) e += 1;
    const box = text.charCodeAt(isSpace(c) ? p - 2 : p - 1);
    if (isEmptyBox(box)) continue;
    const conf = isTicked(box) ? CONF_TICKED : markerConfidence(text, p, e, true);
    if (conf > 0 && push(out, limit, m.controlledLevel, p, e, conf, '受控文件', text.slice(p, e))) return;
  }
  // Policy extra terms (case-insensitive for ASCII letters, word boundaries at Latin ends).
  for (const extra of m.extraTerms) {
    const term = extra.term.trim();
    if (!term) continue;
    const t = new Uint16Array(term.length);
    for (let j = 0; j < term.length; j++) t[j] = foldAscii(term.charCodeAt(j));
    const boundLeft = isWordChar(term.charCodeAt(0));
    const boundRight = isWordChar(term.charCodeAt(term.length - 1));
    const t0 = t[0]!;
    const last = text.length - term.length;
    for (let p = 0; p <= last; p++) {
      if (foldAscii(text.charCodeAt(p)) !== t0) continue;
      let j = 1;
      while (j < t.length && foldAscii(text.charCodeAt(p + j)) === t[j]) j++;
      if (j < t.length) continue;
      const e = p + term.length;
      if (boundLeft && p > 0 && isWordChar(text.charCodeAt(p - 1))) continue;
      if (boundRight && e < text.length && isWordChar(text.charCodeAt(e))) continue;
      const conf = markerConfidence(text, p, e, false);
      if (conf > 0 && push(out, limit, extra.level, p, e, conf, term, text.slice(p, e))) return;
      p = e - 1;
    }
  }
  if (out.length - start > 1) {
    const mine = out.splice(start).sort((a, b) => a.start - b.start || b.end - a.end);
    for (const f of mine) out.push(f);
  }
}

/** Adds a marker finding; true when the limit is reached. */
function push(
  out: Finding[],
  limit: number,
  level: Level,
  s: number,
  e: number,
  conf: number,
  normalized: string,
  masked: string,
): boolean {
  out.push({ type: 'marker', level, start: s, end: e, masked, confidence: conf, normalized });
  return out.length >= limit;
}

/** Confidence for a level word at text[s, e): the shared rules plus enumerations, boxes, 非, declarations. */
function levelConfidence(text: string, s: number, e: number, spaced: boolean): number {
  const before = text.charCodeAt(s - 1);
  // `非机密`, and levels listed side by side (`秘密、机密、绝密三级`) are talk about levels.
  if (before === 0x975e /* 非 */ || isEnumerated(text, s, e)) return 0;
  let q = s - 1;
  if (q >= 0 && isSpace(text.charCodeAt(q))) q--;
  const box = text.charCodeAt(q);
  if (isEmptyBox(box)) return 0;
  if (isTicked(box)) return CONF_TICKED;
  const c = markerConfidence(text, s, e, false);
  if (c > 0) return c;
  // A letter-spaced word only counts as a header label, never inside a sentence.
  return !spaced && isDeclared(text, s, e) ? CONF_DECLARED : 0;
}

/** Confidence that text[s, e) is used as a marker; 0 when it is just a word in prose. */
function markerConfidence(text: string, s: number, e: number, controlled: boolean): number {
  const n = text.length;
  // Period suffix: ★ ☆ ▲ △ [period] or · period.
  let suffixEnd = e;
  let period = false;
  {
    let q = e;
    if (q < n && isSpace(text.charCodeAt(q))) q++;
    const c = text.charCodeAt(q);
    if (isSecretSign(c)) {
      q++;
      const pe = periodEnd(text, q);
      suffixEnd = pe > 0 ? pe : q;
      period = true;
    } else if (c === 0xb7 || c === 0x30fb || c === 0x2022 || c === 0xff0f || c === 0x2f) {
      const pe = periodEnd(text, q + 1);
      if (pe > 0) {
        suffixEnd = pe;
        period = true;
      }
    }
  }
  if (hasLabel(text, s, controlled)) return CONF_LABEL;
  if (isBracketed(text, s, suffixEnd)) return CONF_BRACKET;
  if (period) return CONF_PERIOD;
  if (controlled && hasFollower(text, e)) return CONF_FOLLOWER;
  if (isAloneOnLine(text, s, suffixEnd)) return CONF_HEADING;
  return 0;
}

const PERIOD_WORDS = ['长期', '永久', '启用前', '公布前', '考试结束前', '会议结束前', '会议开始前', '解密前'];

/** `[space]digits(1-3)(年|个月|月|天|日)`, `长期`, `启用前` …; end index or -1. */
function periodEnd(text: string, q: number): number {
  if (isSpace(text.charCodeAt(q))) q++;
  for (const w of PERIOD_WORDS) if (text.startsWith(w, q)) return q + w.length;
  const first = q;
  while (q - first < 3 && digitValue(text.charCodeAt(q)) >= 0) q++;
  if (q === first) return -1;
  const c = text.charCodeAt(q);
  if (c === 0x5e74 /* 年 */ || c === 0x6708 /* 月 */ || c === 0x5929 /* 天 */ || c === 0x65e5 /* 日 */) return q + 1;
  if (text.startsWith('个月', q)) return q + 2;
  return -1;
}

/** `秘密、机密`, `机密和绝密`, `绝密/机密`: a level with another level listed beside it. */
function joinsLevels(c: number): boolean {
  // 、，, 和 或 与 及 / ／ ～ 至
  return (
    c === 0x3001 ||
    c === 0xff0c ||
    c === 0x2c ||
    c === 0x548c ||
    c === 0x6216 ||
    c === 0x4e0e ||
    c === 0x53ca ||
    c === 0x2f ||
    c === 0xff0f ||
    c === 0xff5e ||
    c === 0x81f3
  );
}

function isEnumerated(text: string, s: number, e: number): boolean {
  const joins = joinsLevels;
  let r = e;
  if (isSpace(text.charCodeAt(r))) r++;
  if (joins(text.charCodeAt(r))) {
    r++;
    if (isSpace(text.charCodeAt(r))) r++;
    if (text.charCodeAt(r + 1) === MI && levelOf(text.charCodeAt(r))) return true;
  }
  let q = s - 1;
  if (isSpace(text.charCodeAt(q))) q--;
  if (q > 1 && joins(text.charCodeAt(q))) {
    q--;
    if (isSpace(text.charCodeAt(q))) q--;
    if (text.charCodeAt(q) === JI) q--;
    if (text.charCodeAt(q) === MI && levelOf(text.charCodeAt(q - 1))) return true;
  }
  return false;
}

const LABELS_WITH_COLON = ['密级', '等级', '级别', '保密等级', '保密级别', '秘密等级', '商密', '商密级别', '文件状态', '受控状态', '状态'];
const LABELS_EN = ['security classification', 'classification', 'security level'];

/**
 * A label before the term: `密级：`, `保密等级:`, `密级（Classification）：`, a table cell
 * `密级 | 机密`, or `密级 机密` without a colon.
 */
function hasLabel(text: string, s: number, controlled: boolean): boolean {
  let q = s - 1;
  let g = 0;
  while (q >= 0 && g < 6 && isSpace(text.charCodeAt(q))) {
    q--;
    g++;
  }
  const c = text.charCodeAt(q);
  if (c === 0x3a || c === 0xff1a || c === 0x7c || c === 0xff5c) {
    q--;
    g = 0;
    while (q >= 0 && g < 6 && isSpace(text.charCodeAt(q))) {
      q--;
      g++;
    }
    // `密级（Classification）：` — step over one bracketed gloss.
    const close = text.charCodeAt(q);
    if (close === 0x29 || close === 0xff09) {
      const from = q;
      while (q >= 0 && from - q < 32 && text.charCodeAt(q) !== 0x28 && text.charCodeAt(q) !== 0xff08) q--;
      q--;
    }
    for (const label of LABELS_WITH_COLON) {
      if (!controlled && label.endsWith('状态')) continue;
      if (endsAtSpaced(text, q, label)) return true;
    }
    for (const label of LABELS_EN) if (endsAtFolded(text, q, label)) return true;
    return false;
  }
  // Without a colon only `密级 机密` / `商密 机密` (at least one space).
  return g > 0 && !controlled && (endsAt(text, q, '密级') || endsAt(text, q, '商密'));
}

function endsAt(text: string, q: number, word: string): boolean {
  const from = q - word.length + 1;
  return from >= 0 && text.startsWith(word, from);
}

/** `word` ends at q, its characters possibly letter-spaced (`密  级`, `保 密 等 级`). */
function endsAtSpaced(text: string, q: number, word: string): boolean {
  for (let j = word.length - 1; j >= 0; j--) {
    if (j < word.length - 1) {
      if (isSpace(text.charCodeAt(q))) q--;
      if (isSpace(text.charCodeAt(q))) q--;
    }
    if (q < 0 || text.charCodeAt(q) !== word.charCodeAt(j)) return false;
    q--;
  }
  return true;
}

function endsAtFolded(text: string, q: number, lowerWord: string): boolean {
  const from = q - lowerWord.length + 1;
  if (from < 0) return false;
  for (let j = 0; j < lowerWord.length; j++) {
    if (foldAscii(text.charCodeAt(from + j)) !== lowerWord.charCodeAt(j)) return false;
  }
  return !(from > 0 && isWordChar(text.charCodeAt(from - 1)));
}

function startsAtFolded(text: string, q: number, lowerWord: string): boolean {
  for (let j = 0; j < lowerWord.length; j++) {
    if (foldAscii(text.charCodeAt(q + j)) !== lowerWord.charCodeAt(j)) return false;
  }
  return !isWordChar(text.charCodeAt(q + lowerWord.length));
}

/** `【机密】`, `（绝密 ）`, and with a companion label inside: `【秘密 SECRET】`, `[内部资料·机密]`. */
function isBracketed(text: string, s: number, e: number): boolean {
  let q = s - 1;
  let g = q;
  while (g >= 0 && q - g < 3 && isCompanionGlue(text.charCodeAt(g))) g--;
  let w = companionEndingAt(text, g);
  if (w > 0) {
    q = g - w;
    const from = q;
    while (q >= 0 && from - q < 3 && isCompanionGlue(text.charCodeAt(q))) q--;
  } else if (q >= 0 && isSpace(text.charCodeAt(q))) q--;
  if (q < 0) return false;
  const close = closingOf(text.charCodeAt(q));
  if (close === 0) return false;
  let r = e;
  if (r < text.length && isSpace(text.charCodeAt(r))) r++;
  if (text.charCodeAt(r) === close) return true;
  if (r > e || isCompanionGlue(text.charCodeAt(r))) {
    while (r < text.length && r - e < 3 && isCompanionGlue(text.charCodeAt(r))) r++;
    w = companionStartingAt(text, r);
    if (w > 0 && text.charCodeAt(r + w) === close) return true;
  }
  return false;
}

/** Between a level and its companion inside brackets: spaces, `/`, `·`, `-`. */
function isCompanionGlue(c: number): boolean {
  return isSpace(c) || c === 0x2f || c === 0xff0f || c === 0xb7 || c === 0x2d || c === 0x30fb;
}

const FOLLOWERS = ['编号', '编 号', '使用期限', '期限', '有效期', '发放号', '分发号', '份号'];

function hasFollower(text: string, e: number): boolean {
  let q = e;
  let g = 0;
  while (q < text.length && g < 3 && isSpace(text.charCodeAt(q))) {
    q++;
    g++;
  }
  for (const f of FOLLOWERS) if (text.startsWith(f, q)) return true;
  // `No.` / `NO:` / `No 12`
  return foldAscii(text.charCodeAt(q)) === 110 && foldAscii(text.charCodeAt(q + 1)) === 111 && !isWordChar(text.charCodeAt(q + 2));
}

/** The term is the only word on its line, apart from decoration and companion labels. */
function isAloneOnLine(text: string, s: number, e: number): boolean {
  let q = s - 1;
  const leftStop = s - HEADING_WINDOW;
  while (q >= 0 && q > leftStop) {
    const c = text.charCodeAt(q);
    if (isLineBreak(c)) break;
    if (isDecoration(c)) {
      q--;
      continue;
    }
    const w = companionEndingAt(text, q);
    if (w === 0) return false;
    q -= w;
  }
  if (q >= 0 && !isLineBreak(text.charCodeAt(q))) return false;
  let r = e;
  const rightStop = e + HEADING_WINDOW;
  while (r < text.length && r < rightStop) {
    const c = text.charCodeAt(r);
    if (isLineBreak(c)) break;
    if (isDecoration(c)) {
      r++;
      continue;
    }
    const w = companionStartingAt(text, r);
    if (w === 0) return false;
    r += w;
  }
  return r >= text.length || isLineBreak(text.charCodeAt(r));
}

/**
 * `words` by their (ASCII-folded) first or last unit, longest first: one lookup
 * rejects most text, and only the words that can match are compared.
 */
function byEdge(words: readonly string[], last: boolean): Map<number, string[]> {
  const map = new Map<number, string[]>();
  for (const w of [...words].sort((a, b) => b.length - a.length)) {
    const c = foldAscii(w.charCodeAt(last ? w.length - 1 : 0));
    const list = map.get(c);
    if (list) list.push(w);
    else map.set(c, [w]);
  }
  return map;
}
const COMPANION_BY_LAST = byEdge([...COMPANIONS_ZH, ...COMPANIONS_EN], true);
const COMPANION_BY_FIRST = byEdge([...COMPANIONS_ZH, ...COMPANIONS_EN], false);
/** 1 for the last unit of a companion: one typed-array load before the map. */
const COMPANION_LAST_UNIT = new Uint8Array(65536);
for (const c of COMPANION_BY_LAST.keys()) COMPANION_LAST_UNIT[c] = 1;

/** Length of the companion label ending at q (Latin ones on word boundaries), or 0. */
function companionEndingAt(text: string, q: number): number {
  const c = foldAscii(text.charCodeAt(q));
  if (COMPANION_LAST_UNIT[c] !== 1) return 0;
  const words = COMPANION_BY_LAST.get(c);
  if (words === undefined) return 0;
  for (const w of words) {
    if (isWordChar(w.charCodeAt(0)) ? endsAtFolded(text, q, w) : endsAt(text, q, w)) return w.length;
  }
  return 0;
}

/** Length of the companion label starting at r, or 0. */
function companionStartingAt(text: string, r: number): number {
  const words = COMPANION_BY_FIRST.get(foldAscii(text.charCodeAt(r)));
  if (words === undefined) return 0;
  for (const w of words) {
    if (!isWordChar(w.charCodeAt(0))) {
      if (text.startsWith(w, r)) return w.length;
    } else if (!(r > 0 && isWordChar(text.charCodeAt(r - 1))) && startsAtFolded(text, r, w)) return w.length;
  }
  return 0;
}

/** Subjects by which a document speaks of itself (`本文件属于机密文件`, `此件为绝密资料`). */
const SELF_SUBJECTS = [
  '本文件',
  '此文件',
  '本文档',
  '此文档',
  '本文',
  '本件',
  '此件',
  '本资料',
  '此资料',
  '本材料',
  '此材料',
  '本邮件',
  '此邮件',
  '本报告',
  '此报告',
  '本表',
  '此表',
  '本页',
  '本附件',
  '此附件',
  '本方案',
  '本合同',
  '本消息',
  '此消息',
  '以下内容',
  '以下信息',
];
const DECLARING_VERBS = ['定密为', '密级为', '级别为', '属于', '列为', '定为', '属', '为', '系', '是'];
/** What may stand between the subject and the verb: `本文件内容属于机密`. */
const SUBJECT_TAILS = ['', '内容', '信息', '全部内容', '所有内容', '中的内容', '所载内容', '及附件', '及其附件'];
const LEVEL_OWNERS = ['本公司', '公司', '企业', '商业'];
const CLAUSE_WINDOW = 16;
const VERBS_BY_LAST = byEdge(DECLARING_VERBS, true);
const OWNERS_BY_LAST = byEdge(LEVEL_OWNERS, true);
const SUBJECTS_BY_FIRST = byEdge(SELF_SUBJECTS, false);
const NO_WORDS: string[] = [];
/** 1 for the last unit of a verb or owner: one typed-array load before the maps. */
const DECLARING_LAST_UNIT = new Uint8Array(65536);
for (const c of [...VERBS_BY_LAST.keys(), ...OWNERS_BY_LAST.keys()]) DECLARING_LAST_UNIT[c] = 1;

function isClauseBoundary(c: number): boolean {
  switch (c) {
    case 0x3002:
    case 0xff0c:
    case 0x2c:
    case 0xff1b:
    case 0x3b:
    case 0xff01:
    case 0x21:
    case 0xff1f:
    case 0x3f:
    case 0x3a:
    case 0xff1a:
    case 0x3011:
    case 0xff09:
    case 0x29:
    case 0x201d:
    case 0x300d:
      return true;
    default:
      return isLineBreak(c);
  }
}

/**
 * A document declaring its own level in a sentence: a self-subject opening the clause,
 * then (within the clause) a declaring verb right before the level. `如果本文件属于机密`,
 * `客户资料属于秘密`, `本制度规定的机密` are not declarations.
 */
function isDeclared(text: string, s: number, e: number): boolean {
  let q = s - 1;
  const last = text.charCodeAt(q);
  if (DECLARING_LAST_UNIT[last] !== 1) return false;
  const owners = OWNERS_BY_LAST.get(last);
  if (owners) {
    for (const o of owners) {
      if (endsAt(text, q, o)) {
        q -= o.length;
        break;
      }
    }
  }
  const verbs = VERBS_BY_LAST.get(text.charCodeAt(q));
  if (verbs === undefined) return false;
  let verb = 0;
  for (const v of verbs) {
    if (endsAt(text, q, v)) {
      verb = v.length;
      break;
    }
  }
  if (verb === 0) return false;
  q -= verb;
  // Walk back to the start of the clause (bounded), then the clause must open with a self-subject.
  let b = q;
  while (b >= 0 && q - b < CLAUSE_WINDOW && !isClauseBoundary(text.charCodeAt(b))) b--;
  if (b >= 0 && !isClauseBoundary(text.charCodeAt(b))) return false;
  let a = b + 1;
  while (a <= q && isSpace(text.charCodeAt(a))) a++;
  // A question about the level is no declaration (`本文件是机密吗`).
  const after = text.charCodeAt(e);
  if (after === 0x5417 /* 吗 */ || after === 0x5427 /* 吧 */ || after === 0x4e48 /* 么 */) return false;
  for (const subject of SUBJECTS_BY_FIRST.get(text.charCodeAt(a)) ?? NO_WORDS) {
    if (!text.startsWith(subject, a)) continue;
    const middle = text.slice(a + subject.length, q + 1);
    if (SUBJECT_TAILS.includes(middle)) return true;
  }
  return false;
}
