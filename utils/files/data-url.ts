/** A `data:` URL's bytes and MIME type (RFC 2397), or null when it is not one. */
export function parseDataUrl(url: string): { mime: string; bytes: Uint8Array } | null {
  if (!/^data:/i.test(url)) return null;
  const comma = url.indexOf(',');
  if (comma < 0) return null;
  const header = url.slice(5, comma);
  const params = header.split(';');
  const base64 = params.some((p) => p.trim().toLowerCase() === 'base64');
  const mime = (params[0] ?? '').trim().toLowerCase();
  const body = url.slice(comma + 1);
  if (base64) {
    try {
      const binary = atob(decodePercent(body).replace(/[\s]/g, ''));
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      return { mime, bytes };
    } catch {
      return null;
    }
  }
  return { mime, bytes: percentDecodeBytes(body) };
}

function decodePercent(text: string): string {
  return text.indexOf('%') < 0 ? text : new TextDecoder('latin1').decode(percentDecodeBytes(text));
}

/** %XX → byte, everything else as its UTF-8 bytes; a malformed escape stays as it is (like browsers). */
export function percentDecodeBytes(text: string): Uint8Array {
  const encoded = new TextEncoder().encode(text);
  const out = new Uint8Array(encoded.length);
  let n = 0;
  for (let i = 0; i < encoded.length; i++) {
    const b = encoded[i]!;
    if (b === 0x25 && i + 2 < encoded.length) {
      const hi = hexValue(encoded[i + 1]!);
      const lo = hexValue(encoded[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}
