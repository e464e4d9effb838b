/**
 * Pure helpers shared by the page hooks (MAIN world) and the isolated-world guards:
 * where an outgoing request goes, and the text it carries. No DOM globals, no
 * extension API: callers pass the base URL and the raw body text.
 */
import { scanText, type DetectorSettings } from '../../detect';
import { decodedLayers } from './encoded-text';

// Captured when the module is evaluated — in the MAIN-world bundle that is document_start,
// before any page script could replace them to hide data from the scan.
const decodeComponent = decodeURIComponent;
const parseJson = JSON.parse;

/** Largest text handed to the decider (chars). Bodies longer than this are cut: see docs. */
export const MAX_OUTGOING_TEXT = 5 * 1024 * 1024;

/** URL schemes whose requests leave the machine. blob:, data:, about:, javascript: do not. */
const NETWORK_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:']);

export interface Destination {
  /** The absolute URL, or null when `url` does not parse. */
  href: string | null;
  /** `https://host:port`, or null for opaque/unparseable URLs. */
  origin: string | null;
  /** True when a request to it leaves the browser (http, https, ws, wss, ftp). */
  network: boolean;
  /** Decoded path, query and fragment: data can travel in a URL as well as in a body. */
  text: string;
}

/** Resolves `url` the way fetch/XHR/forms do (against the document base URL). */
export function resolveDestination(url: string, base: string, URLCtor: typeof URL = URL): Destination {
  let parsed: URL;
  try {
    parsed = new URLCtor(url, base);
  } catch {
    return { href: null, origin: null, network: false, text: '' };
  }
  const network = NETWORK_SCHEMES.has(parsed.protocol);
  const origin = network && parsed.origin !== 'null' ? parsed.origin : null;
  if (parsed.protocol === 'mailto:') {
    // A mailto: form hands its data to the mail client: outgoing, destination unknown.
    return { href: parsed.href, origin: null, network: true, text: safeDecode(parsed.href) };
  }
  return { href: parsed.href, origin, network, text: network ? withDecodedLayers(urlText(parsed)) : '' };
}

/** `text` followed by what base64 / percent / `\u` encodings in it hold (encoded-text.ts), capped. */
function withDecodedLayers(text: string, source: string = text): string {
  const layers = decodedLayers(source, MAX_OUTGOING_TEXT - text.length - 1);
  return layers.length === 0 ? cap(text) : cap(`${text}\n${layers.join('\n')}`);
}

/** Decoded path + query + fragment of a URL (`+` as space in the query). */
export function urlText(url: URL): string {
  const parts = [safeDecode(url.pathname)];
  if (url.search) parts.push(safeDecode(url.search.replace(/\+/g, ' ')));
  if (url.hash) parts.push(safeDecode(url.hash));
  return parts.join('\n');
}

function safeDecode(s: string): string {
  try {
    return decodeComponent(s);
  } catch {
    return s;
  }
}

/**
 * The scannable text of a request body. Form-encoded bodies are decoded (percent-encoded
 * 机密 must still read 机密); JSON with `\uXXXX` escapes gets its strings appended; then
 * whatever base64, percent-encoding and `\u` escapes anywhere in it hold (encoded-text.ts:
 * bounded, linear).
 */
export function decodeBodyText(raw: string, contentType: string | null): string {
  if (raw.length === 0) return '';
  return withDecodedLayers(structuredBodyText(raw, contentType), raw);
}

function structuredBodyText(raw: string, contentType: string | null): string {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded') || looksFormEncoded(raw)) {
    try {
      const lines: string[] = [];
      for (const [key, value] of new URLSearchParams(raw)) lines.push(`${key}=${value}`);
      return cap(`${raw}\n${lines.join('\n')}`);
    } catch {
      return cap(raw);
    }
  }
  if (raw.includes('\\u') && /^\s*[[{"]/.test(raw)) {
    try {
      const strings: string[] = [];
      collectStrings(parseJson(raw), strings, 0);
      return cap(`${raw}\n${strings.join('\n')}`);
    } catch {
      return cap(raw);
    }
  }
  return cap(raw);
}

/** `a=1&b=%E6%9C%BA` with no spaces and at least one `=`: decode even without a content type. */
function looksFormEncoded(raw: string): boolean {
  return raw.length < 1_000_000 && raw.includes('=') && raw.includes('%') && !/[\s{}<>"]/.test(raw);
}

function collectStrings(value: unknown, out: string[], depth: number): void {
  if (depth > 64 || out.length > 100_000) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, out, depth + 1);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out.push(k);
      collectStrings(v, out, depth + 1);
    }
  }
}

export function cap(text: string): string {
  return text.length > MAX_OUTGOING_TEXT ? text.slice(0, MAX_OUTGOING_TEXT) : text;
}

/** Joins non-empty parts with newlines, capped. */
export function joinText(parts: readonly (string | null | undefined)[]): string {
  return cap(parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n'));
}

/**
 * Local pre-check: used only where a decision must be made without the decider
 * (synchronous APIs, bridge down). True when the text holds at least one finding of the
 * given detectors (the active policy's when the isolated world sent them, else the
 * built-in ones). Never throws: an error counts as a finding (fail closed).
 */
export function precheck(text: string, detectors?: DetectorSettings): boolean {
  if (text.length === 0) return false;
  try {
    return scanText(text, { maxFindings: 1, detectors }).length > 0;
  } catch {
    return true;
  }
}
