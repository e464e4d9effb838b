/**
 * E-mail addresses: found from each `@` (via indexOf), expanding left over at most 64
 * local-part characters and right over at most 253 domain characters, so the work per
 * `@` is bounded and the scan is linear.
 */
import type { DetectorSettings, Finding } from './types';

function isLocalChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x25 ||
    c === 0x2b ||
    c === 0x2d
  );
}

function isDomainChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 0x2e || c === 0x2d;
}

function isAlpha(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

export function scanEmails(text: string, detectors: DetectorSettings, out: Finding[], limit: number): void {
  if (!detectors.email.enabled) return;
  const n = text.length;
  let lastEnd = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let s = at;
    while (s > lastEnd && at - s < 64 && isLocalChar(text.charCodeAt(s - 1))) s--;
    while (s < at && text.charCodeAt(s) === 0x2e) s++; // no leading dot
    if (s === at) continue;
    let e = at + 1;
    while (e < n && e - at <= 253 && isDomainChar(text.charCodeAt(e))) e++;
    while (e > at + 1 && (text.charCodeAt(e - 1) === 0x2e || text.charCodeAt(e - 1) === 0x2d)) e--;
    // Need a dot and a TLD of >= 2 letters.
    let dot = -1;
    for (let q = e - 1; q > at; q--) {
      if (text.charCodeAt(q) === 0x2e) {
        dot = q;
        break;
      }
    }
    if (dot < 0 || dot === at + 1 || e - dot - 1 < 2) continue;
    let tldOk = true;
    for (let q = dot + 1; q < e; q++) if (!isAlpha(text.charCodeAt(q))) tldOk = false;
    if (!tldOk) continue;
    const email = text.slice(s, e);
    const local = text.slice(s, at);
    out.push({
      type: 'email',
      level: detectors.email.level,
      start: s,
      end: e,
      masked: local.charAt(0) + '***' + text.slice(at, e),
      confidence: 0.9,
      normalized: email.toLowerCase(),
    });
    lastEnd = e;
    if (out.length >= limit) return;
    at = e - 1;
  }
}
