/**
 * Reads a CRX3 as Chromium checks it, written from the format (components/crx_file/crx3.proto
 * and crx_verifier.cc), independent of the packer under test: magic "Cr24", version 3, a
 * header (protobuf CrxFileHeader) holding RSA proofs and the signed header data (the crx_id),
 * then the ZIP. Each RSA proof signs "CRX3 SignedData\0" + len(signed data) + signed data + ZIP.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';

interface Field {
  number: number;
  bytes: Buffer;
}

function readVarint(buffer: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buffer[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, at];
    shift += 7;
  }
}

/** Length-delimited fields only: every field of these messages is `bytes` or a message. */
function fields(buffer: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buffer.length) {
    const [key, afterKey] = readVarint(buffer, at);
    if ((key & 7) !== 2) throw new Error(`unexpected wire type ${key & 7}`);
    const [length, start] = readVarint(buffer, afterKey);
    out.push({ number: Math.floor(key / 8), bytes: buffer.subarray(start, start + length) });
    at = start + length;
  }
  return out;
}

export interface Crx3 {
  /** The id from the signed header, as Chromium writes ids (a–p). */
  crxId: string;
  /** Ids derived from each RSA proof's public key. */
  keyIds: string[];
  /** Every RSA proof verified over the signed data and the archive. */
  signaturesValid: boolean;
  zip: Buffer;
}

const idOf = (bytes: Buffer) => [...bytes.toString('hex')].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');

export function readCrx3(crx: Buffer): Crx3 {
  if (crx.subarray(0, 4).toString('latin1') !== 'Cr24') throw new Error('not a CRX (magic)');
  if (crx.readUInt32LE(4) !== 3) throw new Error(`CRX version ${crx.readUInt32LE(4)}, expected 3`);
  const headerSize = crx.readUInt32LE(8);
  const header = fields(crx.subarray(12, 12 + headerSize));
  const zip = crx.subarray(12 + headerSize);
  const signedData = header.find((field) => field.number === 10000)?.bytes;
  if (!signedData) throw new Error('no signed header data');
  const crxId = fields(signedData).find((field) => field.number === 1)!.bytes;
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32LE(signedData.length);
  const message = Buffer.concat([Buffer.from('CRX3 SignedData\0', 'latin1'), prefix, signedData, zip]);
  const proofs = header.filter((field) => field.number === 2).map((field) => fields(field.bytes));
  const keyIds: string[] = [];
  let signaturesValid = proofs.length > 0;
  for (const proof of proofs) {
    const publicKey = proof.find((field) => field.number === 1)!.bytes;
    const signature = proof.find((field) => field.number === 2)!.bytes;
    keyIds.push(idOf(createHash('sha256').update(publicKey).digest().subarray(0, 16)));
    const key = createPublicKey({ key: publicKey, format: 'der', type: 'spki' });
    signaturesValid &&= verify('sha256', message, key, signature);
  }
  return { crxId: idOf(crxId), keyIds, signaturesValid, zip };
}
