import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, existsSync } from 'node:fs';
import { scanText } from '../detect';
import { generateSigningKeyPair, signPayload, verifyPayload } from '../crypto/signing';
import { lastHash40, sipHashBytes, sipHashString, sipHashUnits, sipKeyFromBytes, sipOut } from './siphash';
import { base64ByteLength, bitAt, byteAt } from './packed';
import { bytesToBase64 } from '../crypto/base64';
import { foldText, normalizeName, numbersInCell, unitsOf } from './normalize';
import { customerHash, deriveRegisterKeys } from './keys';
import { buildNumberTable, findNumber, slotCountOf } from './number-table';
import {
  buildRegisterPayload,
  entryCustomer,
  findKey,
  loadRegisterIndex,
  numberTableOf,
  type RegisterCustomerInput,
  type RegisterIndex,
} from './structure';
import { applyRegister, findNames, lookupNumber } from './match';

const hex64 = () => `${sipOut[1]!.toString(16).padStart(8, '0')}${sipOut[0]!.toString(16).padStart(8, '0')}`;

describe('SipHash-2-4', () => {
  const key = sipKeyFromBytes(Uint8Array.from({ length: 16 }, (_, i) => i));
  // Reference vectors (key 00..0f, message 00..n-1) from the SipHash paper's implementation.
  const vectors: Record<number, string> = { 0: '726fdb47dd0e0e31', 1: '74f839c593dc67fd', 7: 'ab0200f58b01d137', 15: 'a129ca6149be45e5' };
  for (const [n, expected] of Object.entries(vectors)) {
    it(`matches the reference for ${n} bytes`, () => {
      sipHashBytes(
        key,
        Uint8Array.from({ length: Number(n) }, (_, i) => i),
      );
      expect(hex64()).toBe(expected);
    });
  }
  it('hashes UTF-16 units as their UTF-16LE bytes, any length', () => {
    for (const text of ['', '北', '北京', '北京市', '北京市海淀区', '上海某某贸易有限公司abc']) {
      const units = unitsOf(text);
      sipHashBytes(key, new Uint8Array(units.buffer));
      const fromBytes = hex64();
      sipHashUnits(key, units, 0, units.length);
      expect(hex64()).toBe(fromBytes);
    }
  });
  it('hashes a string’s units in place the same as the units copied out', () => {
    for (const text of ['', '1', '13812345678', '010-62345678', '北京市海淀区某某科技有限公司']) {
      const units = unitsOf(text);
      sipHashUnits(key, units, 0, units.length);
      const copied = hex64();
      sipHashString(key, text, 0, text.length);
      expect(hex64()).toBe(copied);
    }
  });
});

describe('packed arrays read in place', () => {
  it('reads every byte and every bit of any length of bytes as decoding would', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    for (const length of [0, 1, 2, 3, 4, 5, 8, 31, 64, 257]) {
      const bytes = Uint8Array.from({ length }, next);
      const text = bytesToBase64(bytes);
      expect(base64ByteLength(text)).toBe(length);
      for (let k = 0; k < length; k++) expect(byteAt(text, k)).toBe(bytes[k]);
      for (let bit = 0; bit < length * 8; bit++) expect(bitAt(text, bit)).toBe((bytes[bit >>> 3]! & (1 << (bit & 7))) !== 0);
    }
    expect(base64ByteLength('abc')).toBe(-1);
  });
  it('finds every key of sorted 40-bit entries and no other: by search (names) and in the number table', () => {
    let seed = 11;
    const next40 = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const high = seed;
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return high * 256 + (seed >>> 24);
    };
    const MAX = 2 ** 40 - 1;
    // Uniform keys (as SipHash gives), clustered ones (the worst case for interpolation and
    // for the table's probing), and a cluster at the top of the key space (the table runs
    // past its home slots; the largest key is also what empty slots hold).
    for (const make of [next40, () => 5_000_000 + (next40() % 4096), () => MAX - (next40() % 4096)]) {
      const keys = [...new Set(Array.from({ length: 3000 }, make))].sort((a, b) => a - b);
      const bytes = new Uint8Array(keys.length * 8);
      keys.forEach((key, i) => {
        const high = Math.floor(key / 256);
        bytes.set([high >>> 24, (high >>> 16) & 255, (high >>> 8) & 255, high & 255, key % 256, 0, (i >>> 8) & 255, i & 255], i * 8);
      });
      const packed = bytesToBase64(bytes);
      const table = buildNumberTable(bytes);
      const slotCount = slotCountOf(table);
      expect(table.count).toBe(keys.length);
      expect(slotCount).toBeGreaterThanOrEqual(table.homes);
      const inTable = (key: number) => findNumber(table.slots, table.homes, slotCount, key);
      keys.forEach((key, i) => {
        expect(findKey(packed, keys.length, key)).toBe(i);
        expect(inTable(key)).toBe(i);
      });
      const known = new Set(keys);
      const absent = [0, MAX, ...Array.from({ length: 3000 }, make), ...keys.flatMap((k) => [k - 1, k + 1])].filter(
        (k) => k >= 0 && k <= MAX && !known.has(k),
      );
      for (const other of absent) {
        expect(findKey(packed, keys.length, other)).toBe(-1);
        expect(inTable(other)).toBe(-1);
      }
    }
    // An empty table (a cleared register) finds nothing.
    const empty = buildNumberTable(new Uint8Array(0));
    expect(findNumber(empty.slots, empty.homes, slotCountOf(empty), MAX)).toBe(-1);
    expect(findNumber(empty.slots, empty.homes, slotCountOf(empty), 0)).toBe(-1);
  });
});

describe('normalization', () => {
  it('folds full-width forms, case and spaces out of names', () => {
    expect(normalizeName(' 北京　Ａｂｃ 科技 有限公司 ')).toBe('北京abc科技有限公司');
    expect(normalizeName('ＺＨＡＮＧ\u200b San')).toBe('zhangsan');
  });
  it('folds text the same way and keeps the original offsets', () => {
    const folded = foldText('a Ｂ\u3000c');
    expect(String.fromCharCode(...folded.units.subarray(0, folded.length))).toBe('abc');
    expect([...folded.offsets.subarray(0, folded.length)]).toEqual([0, 2, 4]);
  });
  it('reads numbers in a cell in the detector’s canonical form', () => {
    expect(numbersInCell('138 1234 5678')).toEqual(['13812345678']);
    expect(numbersInCell('138-1234-5678；139 8765 4321')).toEqual(['13812345678', '13987654321']);
    const landline = numbersInCell('010-62345678');
    expect(landline).toHaveLength(1);
    expect(landline).toEqual(scanText('电话 010-62345678').map((f) => f.normalized));
    expect(numbersInCell('无')).toEqual([]);
  });
});

const HASH_KEY = 'k'.repeat(43);

async function sampleRegister() {
  const keys = await deriveRegisterKeys(HASH_KEY, 'salt-1');
  const customers: RegisterCustomerInput[] = [
    {
      level: '绝密',
      customerHash: (await customerHash(HASH_KEY, '北京星辰科技有限公司')).slice(0, 12),
      numbers: ['13812345678'],
      names: ['北京星辰科技有限公司', '王伟'],
    },
    {
      level: '秘密',
      customerHash: (await customerHash(HASH_KEY, '上海某贸易公司')).slice(0, 12),
      numbers: ['13987654321'],
      names: ['上海某贸易公司', '李娜'],
    },
  ];
  const payload = buildRegisterPayload(customers, keys, { version: 3, createdAt: '2026-12-05T00:00:00.000Z', salt: 'salt-1' });
  return { keys, customers, payload, index: loadRegisterIndex(payload, keys) };
}

describe('register structure', () => {
  it('holds no name or number, only hashes', async () => {
    const { payload } = await sampleRegister();
    const text = JSON.stringify(payload);
    for (const raw of ['13812345678', '北京星辰', '王伟', '上海某贸易']) expect(text).not.toContain(raw);
    // base64 of a raw name would show its UTF-8 bytes
    const bytes = Buffer.from(payload.names, 'base64').toString('latin1') + Buffer.from(payload.customers, 'base64').toString('latin1');
    expect(bytes).not.toContain(Buffer.from('王伟').toString('latin1'));
  });
  it('looks numbers up to their customer, unknown ones to nothing', async () => {
    const { index } = await sampleRegister();
    expect(lookupNumber(index, '13812345678')).toBe(0);
    expect(lookupNumber(index, '13987654321')).toBe(1);
    expect(lookupNumber(index, '13700000000')).toBe(-1);
  });
  it('a different salt gives unrelated entries', async () => {
    const { payload } = await sampleRegister();
    const other = buildRegisterPayload([], await deriveRegisterKeys(HASH_KEY, 'salt-2'), { version: 4, createdAt: '', salt: 'salt-2' });
    const again = buildRegisterPayload(
      [{ level: '绝密', customerHash: '000000000000', numbers: ['13812345678'], names: [] }],
      await deriveRegisterKeys(HASH_KEY, 'salt-2'),
      { version: 4, createdAt: '', salt: 'salt-2' },
    );
    expect(other.numbers).toBe('');
    expect(again.numbers).not.toBe(payload.numbers.slice(0, again.numbers.length));
  });
  it('makes a frame’s index without decoding, sizes checked from the strings', async () => {
    const { payload, keys } = await sampleRegister();
    const built = loadRegisterIndex(payload, keys); // the background: checks and builds the number table
    const table = numberTableOf(built);
    const index = loadRegisterIndex({ ...payload, numbers: '' }, keys, true, table); // as stored
    expect(index.numberSlots).toBe(table.slots); // the very string, read in place
    expect(index.names).toBe(payload.names);
    expect(index.numberCount).toBe(2);
    expect(lookupNumber(index, '13812345678')).toBe(0);
    expect(lookupNumber(index, '13987654321')).toBe(1);
    expect(lookupNumber(index, '13700000000')).toBe(-1);
    // A register stored before the table existed: the frame builds it from the numbers.
    expect(lookupNumber(loadRegisterIndex(payload, keys, true), '13987654321')).toBe(1);
    expect(() => loadRegisterIndex({ ...payload, numbers: '' }, keys, true, { ...table, slots: table.slots.slice(4) })).toThrow(
      /number table/,
    );
    expect(() => loadRegisterIndex({ ...payload, filter: payload.filter.slice(4) }, keys, true)).toThrow(/filter/);
    expect(() => loadRegisterIndex({ ...payload, names: payload.names + 'A' }, keys, true)).toThrow(/base64/);
  });
  it('refuses a tampered or truncated structure', async () => {
    const { payload, keys } = await sampleRegister();
    expect(() => loadRegisterIndex({ ...payload, numbers: payload.numbers.slice(0, 8) }, keys)).toThrow();
    const customers = Buffer.from(payload.customers, 'base64');
    customers[0] = 9;
    expect(() => loadRegisterIndex({ ...payload, customers: customers.toString('base64') }, keys)).toThrow(/level/);
  });
  it('is signed like the policy, under its own purpose', async () => {
    const { payload } = await sampleRegister();
    const pair = await generateSigningKeyPair();
    const signed = await signPayload('register', payload, pair);
    expect(await verifyPayload('register', signed.payload, signed.signature, pair.publicKey)).toBe(true);
    expect(await verifyPayload('policy', signed.payload, signed.signature, pair.publicKey)).toBe(false);
    expect(await verifyPayload('register', { ...payload, version: 4 }, signed.signature, pair.publicKey)).toBe(false);
  });
});

describe('applyRegister', () => {
  it('gives a known number its customer’s level, leaves unknown numbers at the policy’s', async () => {
    const { index } = await sampleRegister();
    const text = '客户电话 13812345678，另一个 13700001111，还有 13987654321';
    const result = applyRegister(index, text, scanText(text));
    expect(result.findings.map((f) => f.level)).toEqual(['绝密', scanText('13700001111')[0]!.level, '秘密']);
    expect(result.findings[0]!.customer?.customerHash).toMatch(/^[0-9a-f]{12}$/);
    expect(result.customers.map((c) => c.level)).toEqual(['绝密', '秘密']);
  });
  it('finds a long name alone, folded (full-width, spaces)', async () => {
    const { index } = await sampleRegister();
    const text = '本月拜访了 北京星辰 科技有限公司 的负责人';
    expect(findNames(index, text)).toHaveLength(1);
    const result = applyRegister(index, text, scanText(text));
    expect(result.nameLevel).toBe('绝密');
    expect(applyRegister(index, '拜访了北京星辰科技', []).nameLevel).toBeNull();
  });
  it("names: 'long' (the page scan) looks up only names that decide alone; 'none' none", async () => {
    const { index } = await sampleRegister();
    const text = '王伟到访，北京星辰科技有限公司签约';
    expect(findNames(index, text).map((hit) => hit.units)).toEqual([2, 10]);
    expect(findNames(index, text, 4).map((hit) => text.slice(hit.start, hit.end))).toEqual(['北京星辰科技有限公司']);
    expect(applyRegister(index, text, [], { names: 'long' }).nameLevel).toBe('绝密');
    expect(applyRegister(index, '王伟到访', [], { names: 'long' }).customers).toEqual([]);
    expect(applyRegister(index, text, [], { names: 'none' }).nameLevel).toBeNull();
  });
  it('finds exactly the names a fold-then-hash-every-window reference finds, at the same offsets', async () => {
    const { index } = await sampleRegister();
    // Reference: fold the whole text, then hash every window of every register length.
    const reference = (idx: RegisterIndex, text: string) => {
      const { units, offsets, length } = foldText(text);
      const hits: { start: number; end: number; customer: number; units: number }[] = [];
      for (let i = 0; i < length; i++) {
        for (let l = idx.nameLengths.length - 1; l >= 0; l--) {
          const size = idx.nameLengths[l]!;
          if (i + size > length) continue;
          sipHashUnits(idx.keys.sip, units, i, i + size);
          const at = findKey(idx.names, idx.nameCount, lastHash40());
          if (at < 0) continue;
          hits.push({ start: offsets[i]!, end: offsets[i + size - 1]! + 1, customer: entryCustomer(idx.names, at), units: size });
          break;
        }
      }
      return hits;
    };
    // Texts of register names written as people write them (spaces, zero-width and
    // full-width characters inside), parts of names, and other text around them.
    const disguise = (name: string) =>
      fc
        .array(fc.constantFrom('', ' ', '\u200b', '\u3000', '\n'), { minLength: name.length, maxLength: name.length })
        .map((gaps) => [...name].map((c, i) => c + gaps[i]).join(''));
    const piece = fc.oneof(
      fc.constantFrom('北京星辰科技有限公司', '王伟', '上海某贸易公司', '李娜').chain(disguise),
      fc.constantFrom('北京星辰', '王', '伟', '上海', '贸易公司', '科技有限公司', 'ＡＢＣ', 'abc'),
      fc.string({ unit: fc.constantFrom('的', '了', '王', '李', '北', '京', ' ', '，', 'a', '1') }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        expect(findNames(index, text)).toEqual(reference(index, text));
      }),
      { numRuns: 300 },
    );
  });
  it('a short personal name alone never decides; beside its customer’s number it raises confidence', async () => {
    const { index } = await sampleRegister();
    const alone = applyRegister(index, '请王伟明天来开会', []);
    expect(alone.nameLevel).toBeNull();
    expect(alone.customers).toEqual([]);
    const text = '联系人王伟 13812345678';
    const near = applyRegister(index, text, scanText(text));
    expect(near.findings[0]!.confidence).toBe(1);
    expect(near.nameLevel).toBeNull(); // the number already carries the level
  });
  // The domain texts live beside the checkout (../shared); a checkout alone skips this test.
  const domainFiles = ['customer-info-confidentiality-policy.zh.txt', 'customer-greeting-messages.zh.txt'].map(
    (file) => new URL(`../../../shared/domain/${file}`, import.meta.url),
  );
  it.skipIf(!domainFiles.every((url) => existsSync(url)))(
    'no false positives on the domain policy and the greetings (names from a synthetic register)',
    async () => {
      const { index } = await sampleRegister();
      for (const url of domainFiles) {
        const text = readFileSync(url, 'utf8');
        const result = applyRegister(index, text, scanText(text));
        expect(result.nameLevel).toBeNull();
      }
    },
  );
  it('without a register nothing changes', () => {
    const text = '13812345678';
    const findings = scanText(text);
    expect(applyRegister(null, text, findings).findings).toBe(findings);
  });
});
