/**
 * Classification markers: 秘密 / 机密 / 绝密, 受控文件 and policy-defined extra terms,
 * reported only when they are used AS A MARKER, not when prose mentions the word.
 *
 * Search: `indexOf('密')` (then look one unit back for 秘/机/绝), `indexOf('受控文件')`,
 * and a case-folding loop per extra term. Each hit is then checked in a bounded
 * window (a few units either side), so the scan is linear in the text length.
 *
 * A term is a marker when (any of):
 *  - label:      it follows `密级：` / `密级:` / `密级 ` / `等级：` / `级别：` / `Classification:`
 *  - bracket:    it is enclosed in 【】 [] （） () 〔〕 〖〗 ［］ (curly quotes “” do NOT count)
 *  - period:     it is followed by ★ / ☆ (optionally a period), or by · and a period
 *                (`机密★1年`, `绝密★长期`, `绝密·长期`)
 *  - heading:    it stands alone on its line (only whitespace/punctuation around it)
 *  - 受控文件 also when followed by 编号 / No / 使用期限 / 期限 / 有效期
 * Prose (`小秘密`, `商业秘密`, `保守公司秘密`, `涉及机密的`, `“秘密”是一般的客户资料`)
 * matches none of these.
 */
import { digitValue, foldAscii, isLineBreak, isSpace, isWordChar } from './chars';
import type { DetectorSettings, Finding, Level } from './types';

const MI = 0x5bc6; // 密
function levelByPrev(c: number): Level | null {
  return c === 0x79d8 ? '秘密' : c === 0x673a ? '机密' : c === 0x7edd ? '绝密' : null;
}
const CONTROLLED = '受控文件';

const OPEN_TO_CLOSE: Record<number, number> = {
  0x3010: 0x3011, // 【】
  0x5b: 0x5d, // []
  0xff08: 0xff09, // （）
  0x28: 0x29, // ()
  0x3014: 0x3015, // 〔〕
  0x3016: 0x3017, // 〖〗
  0xff3b: 0xff3d, // ［］
};

/** Characters that may surround a heading-style marker on its line. */
function isDecoration(c: number): boolean {
  if (isSpace(c)) return true;
  switch (c) {
    case 0x3010: case 0x3011: case 0x5b: case 0x5d: case 0xff08: case 0xff09: case 0x28: case 0x29:
    case 0x3014: case 0x3015: case 0x3016: case 0x3017: case 0xff3b: case 0xff3d:
    case 0x2605: case 0x2606: // ★☆
    case 0x3a: case 0xff1a: // : ：
    case 0x23: case 0x2a: case 0x2d: case 0x3d: case 0x5f: case 0x7c: case 0x3e: // # * - = _ | >
    case 0xb7: case 0x2e: case 0x3002: case 0x21: case 0xff01: // · . 。 ! ！
    case 0x2014: case 0x2013: case 0xff0d: case 0x2022: // — – － •
      return true;
    default:
      return false;
  }
}

const DECORATION_WINDOW = 12;

const CONF_LABEL = 0.95;
const CONF_BRACKET = 0.9;
const CONF_PERIOD = 0.9;
const CONF_FOLLOWER = 0.9;
const CONF_HEADING = 0.85;

export function scanMarkers(text: string, detectors: DetectorSettings, out: Finding[], limit: number): void {
  const m = detectors.marker;
  if (!m.enabled) return;
  const start = out.length;
  // 秘密 / 机密 / 绝密
  for (let p = text.indexOf('密', 1); p !== -1; p = text.indexOf('密', p + 1)) {
    const level = levelByPrev(text.charCodeAt(p - 1));
    if (!level) continue;
    const s = p - 1;
    const conf = markerConfidence(text, s, p + 1, false);
    if (conf > 0) {
      out.push({ type: 'marker', level, start: s, end: p + 1, masked: level, confidence: conf, normalized: level });
      if (out.length >= limit) return;
    }
  }
  // 受控文件
  for (let p = text.indexOf(CONTROLLED); p !== -1; p = text.indexOf(CONTROLLED, p + CONTROLLED.length)) {
    const conf = markerConfidence(text, p, p + CONTROLLED.length, true);
    if (conf > 0) {
      out.push({
        type: 'marker',
        level: m.controlledLevel,
        start: p,
        end: p + CONTROLLED.length,
        masked: CONTROLLED,
        confidence: conf,
        normalized: CONTROLLED,
      });
      if (out.length >= limit) return;
    }
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
      if (conf > 0) {
        out.push({
          type: 'marker',
          level: extra.level,
          start: p,
          end: e,
          masked: text.slice(p, e),
          confidence: conf,
          normalized: term,
        });
        if (out.length >= limit) return;
      }
      p = e - 1;
    }
  }
  if (out.length - start > 1) {
    const mine = out.splice(start).sort((a, b) => a.start - b.start || b.end - a.end);
    for (const f of mine) out.push(f);
  }
}

/** Confidence that text[s, e) is used as a marker; 0 when it is just a word in prose. */
export function markerConfidence(text: string, s: number, e: number, controlled: boolean): number {
  const n = text.length;
  // Period suffix: ★ / ☆ [period] or · period.
  let suffixEnd = e;
  let period = false;
  {
    let q = e;
    if (q < n && isSpace(text.charCodeAt(q))) q++;
    const c = text.charCodeAt(q);
    if (c === 0x2605 || c === 0x2606) {
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
  if (hasLabel(text, s)) return CONF_LABEL;
  if (isBracketed(text, s, suffixEnd)) return CONF_BRACKET;
  if (period) return CONF_PERIOD;
  if (controlled && hasFollower(text, e)) return CONF_FOLLOWER;
  if (isAloneOnLine(text, s, suffixEnd)) return CONF_HEADING;
  return 0;
}

/** `[space]digits(1-3)(年|个月|月|天|日)` or `长期` / `永久`; end index or -1. */
function periodEnd(text: string, q: number): number {
  if (isSpace(text.charCodeAt(q))) q++;
  if (text.startsWith('长期', q) || text.startsWith('永久', q)) return q + 2;
  const first = q;
  while (q - first < 3 && digitValue(text.charCodeAt(q)) >= 0) q++;
  if (q === first) return -1;
  const c = text.charCodeAt(q);
  if (c === 0x5e74 /* 年 */ || c === 0x6708 /* 月 */ || c === 0x5929 /* 天 */ || c === 0x65e5 /* 日 */) return q + 1;
  if (text.startsWith('个月', q)) return q + 2;
  return -1;
}

const LABELS_WITH_COLON = ['密级', '密 级', '密　级', '等级', '级别', '保密等级', '保密级别'];

function hasLabel(text: string, s: number): boolean {
  let q = s - 1;
  let g = 0;
  while (q >= 0 && g < 3 && isSpace(text.charCodeAt(q))) {
    q--;
    g++;
  }
  const c = text.charCodeAt(q);
  const colon = c === 0x3a || c === 0xff1a;
  if (colon) {
    q--;
    g = 0;
    while (q >= 0 && g < 3 && isSpace(text.charCodeAt(q))) {
      q--;
      g++;
    }
    for (const label of LABELS_WITH_COLON) {
      if (endsAt(text, q, label)) return true;
    }
    return endsAtFolded(text, q, 'classification');
  }
  // Without a colon only `密级 机密` (at least one space).
  return g > 0 && endsAt(text, q, '密级');
}

function endsAt(text: string, q: number, word: string): boolean {
  const from = q - word.length + 1;
  return from >= 0 && text.startsWith(word, from);
}

function endsAtFolded(text: string, q: number, lowerWord: string): boolean {
  const from = q - lowerWord.length + 1;
  if (from < 0) return false;
  for (let j = 0; j < lowerWord.length; j++) {
    if (foldAscii(text.charCodeAt(from + j)) !== lowerWord.charCodeAt(j)) return false;
  }
  return !(from > 0 && isWordChar(text.charCodeAt(from - 1)));
}

function isBracketed(text: string, s: number, e: number): boolean {
  let q = s - 1;
  if (q >= 0 && isSpace(text.charCodeAt(q))) q--;
  if (q < 0) return false;
  const close = OPEN_TO_CLOSE[text.charCodeAt(q)];
  if (close === undefined) return false;
  let r = e;
  if (r < text.length && isSpace(text.charCodeAt(r))) r++;
  return text.charCodeAt(r) === close;
}

const FOLLOWERS = ['编号', '编 号', '使用期限', '期限', '有效期', '发放号', '份号'];

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

function isAloneOnLine(text: string, s: number, e: number): boolean {
  let q = s - 1;
  let g = 0;
  while (q >= 0 && g < DECORATION_WINDOW) {
    const c = text.charCodeAt(q);
    if (isLineBreak(c)) break;
    if (!isDecoration(c)) return false;
    q--;
    g++;
  }
  if (q >= 0 && !isLineBreak(text.charCodeAt(q))) return false;
  let r = e;
  g = 0;
  while (r < text.length && g < DECORATION_WINDOW) {
    const c = text.charCodeAt(r);
    if (isLineBreak(c)) break;
    if (!isDecoration(c)) return false;
    r++;
    g++;
  }
  return r >= text.length || isLineBreak(text.charCodeAt(r));
}
