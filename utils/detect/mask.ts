import type { FindingType } from './types';

/**
 * Masked, safe-to-show form of a normalized number (ASCII digits, no country code).
 *
 * - mobile: first 3 + `****` + last 4 (`138****5678`)
 * - landline: area code + `****` + last 2 (`0755****66`, `010****78`)
 * - service: first 3 + `****` + last 2 (`400****67`)
 * - resident-id: first 4 + `**********` + last 2 (`1101**********2X`)
 * - bank-card: first 4 + `****` + last 4
 *
 * Without a type the kind is inferred (11 digits starting with 1 → mobile, leading 0
 * → landline, 400/800 → service, otherwise a generic first-3/last-2 mask). Never
 * reveals more than half of the digits.
 */
export function maskNumber(digits: string, type?: FindingType): string {
  const d = digits;
  const n = d.length;
  let t = type;
  if (!t) {
    if (n === 11 && d.charCodeAt(0) === 49) t = 'mobile';
    else if (d.charCodeAt(0) === 48 && n >= 10) t = 'landline';
    else if (n === 10 && (d.startsWith('400') || d.startsWith('800'))) t = 'service';
  }
  if (n < 7) return '*'.repeat(n);
  switch (t) {
    case 'mobile':
      return d.slice(0, 3) + '****' + d.slice(-4);
    case 'landline': {
      const area = areaCodeLength(d);
      return d.slice(0, area) + '****' + d.slice(-2);
    }
    case 'service':
      return d.slice(0, 3) + '****' + d.slice(-2);
    case 'resident-id':
      return d.slice(0, 4) + '**********' + d.slice(-2);
    case 'bank-card':
      return d.slice(0, 4) + '****' + d.slice(-4);
    default:
      return d.slice(0, 3) + '****' + d.slice(-2);
  }
}

/** Area-code length (with the leading 0) of a Chinese fixed-line number: 3 for 010/02x, else 4. */
export function areaCodeLength(d: string): number {
  const c1 = d.charCodeAt(1);
  return c1 === 49 || c1 === 50 ? 3 : 4;
}
