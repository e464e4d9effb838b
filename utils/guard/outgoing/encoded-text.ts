/**
 * Text hidden by an encoding before it is sent: base64 of JSON or text (analytics
 * libraries send `data=<base64 of JSON>`), percent-encoding outside form bodies, and
 * `\uXXXX` escapes in JSON that does not parse. {@link decodedLayers} returns what the
 * encodings hold, so the detectors read the number, not its disguise.
 *
 * Bounded and linear: every layer is one pass over its input (regexes without nested
 * quantifiers), each decoded text is charged against a character budget before it is
 * decoded further, and nesting stops at {@link MAX_DEPTH}. So the work is at most a small
 * constant times (input + budget), whatever the input.
 *
 * Pure; the built-ins it needs are captured when the module is evaluated (in the MAIN
 * world that is document_start, before a page could replace them).
 */

const decodeComponent = decodeURIComponent;
const fromCharCode = String.fromCharCode;
const Utf8Decoder = TextDecoder;
const utf8Decode = TextDecoder.prototype.decode;
const apply = Reflect.apply;

/** Base64 of nested encodings (base64 of percent-encoded JSON, base64 of base64) up to this depth. */
export const MAX_DEPTH = 3;
/** Shorter base64-looking runs are words and ids, not payloads (12 bytes decoded). */
export const MIN_BASE64_LENGTH = 16;

const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const UNICODE_ESCAPE = /\\u([0-9A-Fa-f]{4})/g;
// Standard and URL-safe alphabets; padding only at the end.
const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;

const BASE64_VALUE = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (BASE64_VALUE[c.charCodeAt(0)] = i));
BASE64_VALUE['-'.charCodeAt(0)] = 62;
BASE64_VALUE['_'.charCodeAt(0)] = 63;

/** `%E6%9C%BA` runs decoded; a run that is not valid UTF-8 stays as it is. */
export function percentDecoded(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(PERCENT_RUN, (run) => {
    try {
      return decodeComponent(run);
    } catch {
      return run;
    }
  });
}

/** `\u0031` → `1`. */
export function unicodeUnescaped(text: string): string {
  if (!text.includes('\\u')) return text;
  return text.replace(UNICODE_ESCAPE, (_, hex: string) => fromCharCode(parseInt(hex, 16)));
}

/** The bytes of a base64 run (either alphabet, padding optional), or null if malformed. */
export function base64Bytes(run: string): Uint8Array | null {
  let end = run.length;
  while (end > 0 && run.charCodeAt(end - 1) === 61 /* = */) end--;
  if (end % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const code = run.charCodeAt(i);
    const value = code < 128 ? BASE64_VALUE[code]! : -1;
    if (value < 0) return null;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

/**
 * Text, if the bytes are UTF-8 text: valid UTF-8 and (nearly) no control characters.
 * An image or any other binary payload fails this almost surely.
 */
function bytesAsText(bytes: Uint8Array, partial = false): string | null {
  let text: string;
  try {
    // `partial`: a head cut anywhere, possibly inside a character (stream mode keeps it).
    text = apply(utf8Decode, new Utf8Decoder('utf-8', { fatal: true }), partial ? [bytes, { stream: true }] : [bytes]) as string;
  } catch {
    return null;
  }
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) control++;
  }
  return control * 50 <= text.length ? text : null;
}

/** The texts that base64 runs in `text` decode to (runs that decode to binary are skipped). */
export function base64Texts(text: string): string[] {
  const out: string[] = [];
  const runs = text.match(BASE64_RUN);
  if (!runs) return out;
  for (const run of runs) {
    // A long run (an image, a file) is judged by its head first: binary is dropped
    // without decoding megabytes.
    if (run.length > 256) {
      const head = base64Bytes(run.slice(0, 256));
      if (!head || bytesAsText(head, true) === null) continue;
    }
    const bytes = base64Bytes(run);
    if (!bytes || bytes.length === 0) continue;
    const decoded = bytesAsText(bytes);
    if (decoded !== null) out.push(decoded);
  }
  return out;
}

/**
 * The texts hidden in `text` by base64, percent-encoding and `\u` escapes, nested up to
 * {@link MAX_DEPTH}, at most `budget` characters in all (the input itself not included).
 */
export function decodedLayers(text: string, budget: number): string[] {
  const found: string[] = [];
  let room = budget;
  const visit = (input: string, depth: number) => {
    if (depth >= MAX_DEPTH || room <= 0) return;
    const candidates = [percentDecoded(input), unicodeUnescaped(input)].filter((d) => d !== input);
    if (input.length >= MIN_BASE64_LENGTH) candidates.push(...base64Texts(input));
    for (const decoded of candidates) {
      if (room <= 0) return;
      const kept = decoded.length > room ? decoded.slice(0, room) : decoded;
      room -= kept.length;
      found.push(kept);
      visit(kept, depth + 1);
    }
  };
  visit(text, 0);
  return found;
}
