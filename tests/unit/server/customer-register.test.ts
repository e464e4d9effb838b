/**
 * Customer register import and download (issue 15), on SQLite and on PostgreSQL (when
 * BAOMI_TEST_DATABASE_URL is set): CSV and XLSX, column mapping, errors by row, the
 * last good register staying, permissions, the signed device structure and its ETag,
 * and (SQLite) no raw name or number in the database file or its WAL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as XLSX from 'xlsx';
import { createPgTestSchema, TEST_DATABASE_URL, type PgTestSchema } from '../../../server/db/test-support';
import { verifyPayload } from '../../../utils/crypto/signing';
import { customerHash, deriveRegisterKeys } from '../../../utils/register/keys';
import { loadRegisterIndex, customerHashOf, customerLevel, type RegisterPayload } from '../../../utils/register/structure';
import { lookupNumber, applyRegister } from '../../../utils/register/match';
import { normalizeName } from '../../../utils/register/normalize';
import { customerHashSync } from '../../../server/lib/register-service';
import { acceptsGzip } from '../../../server/routes/device/customer-register';
import { sealRegisterPayload } from '../../../server/lib/register-at-rest';
import { emptyRegisterPayload } from '../../../utils/register/structure';
import { scanText } from '../../../utils/detect';
import { createTestServer, enroll, loginAs, makeEvent, type AdminLogin, type EnrolledDevice, type TestServer } from './helpers';

const backends = [
  { name: 'SQLite', skip: false },
  { name: 'PostgreSQL', skip: !TEST_DATABASE_URL },
];

const CSV = [
  '客户名称,联系人,手机,电话,密级',
  '北京星辰科技有限公司,王伟、赵敏,138-1234-5678,010-62345678,绝密',
  '上海某贸易有限公司,李娜,13987654321,,秘密',
  '"广州""海鸥""电子有限公司",陈静,136 0000 1111,020-81234567,机密',
  '北京星辰科技有限公司,孙磊,13811112222,,机密',
].join('\r\n');

const RAW_VALUES = [
  '北京星辰',
  '王伟',
  '赵敏',
  '李娜',
  '海鸥',
  '孙磊',
  '13812345678',
  '138-1234-5678',
  '13987654321',
  '62345678',
  '81234567',
  '13811112222',
];

describe.each(backends)('customer register on $name', ({ name, skip }) => {
  let server: TestServer;
  let pgSchema: PgTestSchema | undefined;
  let admin: AdminLogin;
  let device: EnrolledDevice;

  beforeAll(async () => {
    if (skip) return;
    if (name === 'PostgreSQL') {
      pgSchema = await createPgTestSchema(TEST_DATABASE_URL!, 'baomi_register');
      server = await createTestServer({ databaseUrl: pgSchema.databaseUrl, pgSchema: pgSchema.schema });
    } else {
      server = await createTestServer();
    }
    admin = await loginAs(server, 'it-admin');
    device = await enroll(server);
  });
  afterAll(async () => {
    await server?.cleanup();
    await pgSchema?.drop();
  });

  const post = (body: BodyInit, login: AdminLogin, query = '', type = 'text/csv; charset=utf-8') =>
    server.request(`/api/admin/customer-register${query}`, { method: 'POST', headers: { ...login.write, 'Content-Type': type }, body });

  /** The error of an import the server refuses (400), with its row issues. */
  async function refusedImport(csv: string) {
    const res = await post(csv, admin);
    expect(res.status).toBe(400);
    return ((await res.json()) as { error: { code: string; issues: { path: string; message: string; code: string; limit?: number }[] } })
      .error;
  }

  async function deviceRegister(etag?: string) {
    return server.request('/api/v1/customer-register', { headers: { ...device.auth, ...(etag ? { 'If-None-Match': etag } : {}) } });
  }

  async function loadDeviceIndex() {
    const res = await deviceRegister();
    expect(res.status).toBe(200);
    const { signed } = (await res.json()) as { signed: { payload: RegisterPayload; signature: string; keyId: string } };
    expect(await verifyPayload('register', signed.payload, signed.signature, device.publicKey)).toBe(true);
    const keys = await deriveRegisterKeys(device.hashKey, signed.payload.salt);
    return { index: loadRegisterIndex(signed.payload, keys), etag: res.headers.get('ETag')!, payload: signed.payload };
  }

  it.skipIf(skip)('devices get 404 no-register before the first import', async () => {
    const res = await deviceRegister();
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('no-register');
  });

  it.skipIf(skip)('imports the scripted CSV (header 客户名称,联系人,手机,电话,密级); rows of one customer merge', async () => {
    const res = await post(CSV, admin);
    expect(res.status).toBe(200);
    const { register } = (await res.json()) as {
      register: { version: number; customerCount: number; levelCounts: Record<string, number> };
    };
    expect(register).toMatchObject({ version: 1, customerCount: 3, levelCounts: { 绝密: 1, 秘密: 1, 机密: 1 } });
  });

  it.skipIf(skip)('devices get a signed structure that knows the customers’ numbers and levels, with ETag/304', async () => {
    const { index, etag } = await loadDeviceIndex();
    const star = lookupNumber(index, '13812345678');
    expect(star).toBeGreaterThanOrEqual(0);
    expect(customerLevel(index, star)).toBe('绝密');
    expect(lookupNumber(index, '13811112222')).toBe(star); // second row of the same customer
    expect(customerLevel(index, lookupNumber(index, '13987654321'))).toBe('秘密');
    expect(customerLevel(index, lookupNumber(index, '13600001111'))).toBe('机密');
    const landline = scanText('010-62345678')[0]!.normalized;
    expect(lookupNumber(index, landline)).toBe(star);
    expect(lookupNumber(index, '13700000000')).toBe(-1);
    // The event's customer hash is the first 12 digits of the server's keyed hash of the name.
    const full = await customerHash(device.hashKey, normalizeName('北京星辰科技有限公司'));
    expect(customerHashOf(index, star)).toBe(full.slice(0, 12));
    expect(customerHashSync(device.hashKey, normalizeName('北京星辰科技有限公司'))).toBe(full);
    // names: the company alone counts, a contact's short name alone does not
    expect(applyRegister(index, '与广州"海鸥"电子有限公司签约', []).nameLevel).toBe('机密');
    expect(applyRegister(index, '王伟说明天到', []).nameLevel).toBeNull();
    const again = await deviceRegister(etag);
    expect(again.status).toBe(304);
  });

  it.skipIf(skip)('an unknown level is a 400 with errors by row, and the last good register stays', async () => {
    const bad = [
      '客户名称,联系人,手机,电话,密级',
      '甲公司,张三,13500001111,,绝密',
      '乙公司,李四,13500002222,,非常机密',
      '丙公司,,不是号码,,秘密',
    ].join('\n');
    const error = await refusedImport(bad);
    expect(error.code).toBe('register-level-unknown');
    expect(error.issues).toEqual([
      { path: '3', message: '密级', code: 'register-level-unknown', limit: 3 },
      { path: '4', message: '手机', code: 'register-number-unreadable', limit: 4 },
    ]);
    const { index } = await loadDeviceIndex();
    expect(index.version).toBe(1);
    expect(lookupNumber(index, '13500001111')).toBe(-1);
    const info = await server.request('/api/admin/customer-register', { headers: admin.get });
    expect(((await info.json()) as { current: { version: number } }).current.version).toBe(1);
  });

  it.skipIf(skip)('a file without the name or level column says which is missing', async () => {
    const error = await refusedImport('公司,电话\n甲公司,13500001111');
    expect(error.issues.map((i) => [i.code, i.message])).toEqual([
      ['register-column-missing', 'name'],
      ['register-column-missing', 'level'],
    ]);
  });

  it.skipIf(skip)('imports XLSX with other headers through a column mapping, numbers typed as numbers', async () => {
    const sheet = XLSX.utils.aoa_to_sheet([
      ['编号', '单位', '手机号码', '级别', '对接人'],
      [1, '深圳前海投资有限公司', 13712345678, '绝密', '周杰'],
      [2, '杭州西湖茶业', 13798765432, '秘密', ''],
    ]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, '客户');
    const bytes = new Uint8Array(XLSX.write(book, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
    const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const preview = await server.request('/api/admin/customer-register/preview', {
      method: 'POST',
      headers: { ...admin.write, 'Content-Type': type },
      body: bytes,
    });
    expect(preview.status).toBe(200);
    const shown = (await preview.json()) as {
      format: string;
      columns: string[];
      rows: string[][];
      rowCount: number;
      mapping: Record<string, number>;
    };
    expect(shown).toMatchObject({ format: 'xlsx', columns: ['编号', '单位', '手机号码', '级别', '对接人'], rowCount: 2 });
    expect(shown.rows[0]).toEqual(['1', '深圳前海投资有限公司', '13712345678', '绝密', '周杰']);
    // 单位 and 对接人 are not known header names: the administrator maps them in the console.
    expect(shown.mapping).toEqual({ mobile: 2, level: 3 });
    const unmapped = await post(bytes, admin, '', type);
    expect(unmapped.status).toBe(400);
    const mapping = { name: 1, mobile: 2, level: 3, contacts: 4 };
    const res = await post(bytes, admin, `?mapping=${encodeURIComponent(JSON.stringify(mapping))}`, type);
    expect(res.status).toBe(200);
    const { index } = await loadDeviceIndex();
    expect(index.version).toBe(2);
    expect(customerLevel(index, lookupNumber(index, '13712345678'))).toBe('绝密');
    expect(lookupNumber(index, '13812345678')).toBe(-1); // the new register replaced the old one
  });

  it.skipIf(skip)('reads a GB18030 CSV (a Chinese Excel’s default)', async () => {
    // TextEncoder only writes UTF-8: the GB18030 bytes come from the decoder's table, inverted.
    const encoded = gb18030(CSV);
    expect(Buffer.from(encoded).includes(Buffer.from('北京'))).toBe(false); // really not UTF-8
    const res = await post(encoded, admin, '', 'text/csv');
    expect(res.status).toBe(200);
    const { index } = await loadDeviceIndex();
    expect(customerLevel(index, lookupNumber(index, '13812345678'))).toBe('绝密');
  });

  it.skipIf(skip)('only the IT administrator imports; officers and auditors read; devices need their token', async () => {
    for (const role of ['info-officer', 'auditor', 'approver'] as const) {
      const other = await loginAs(server, role);
      expect((await post(CSV, other)).status).toBe(403);
      const preview = await server.request('/api/admin/customer-register/preview', {
        method: 'POST',
        headers: { ...other.write, 'Content-Type': 'text/csv' },
        body: CSV,
      });
      expect(preview.status).toBe(403);
      const read = await server.request('/api/admin/customer-register', { headers: other.get });
      expect(read.status).toBe(role === 'approver' ? 403 : 200);
    }
    expect((await server.request('/api/v1/customer-register')).status).toBe(401);
    expect(
      (await server.request('/api/admin/customer-register', { method: 'POST', headers: { Cookie: admin.cookie }, body: CSV })).status,
    ).toBe(403);
  });

  it.skipIf(skip)(
    'events carry the customer level and keyed hash; the monthly report counts incidents and distinct customers per level',
    async () => {
      const at = server.now().getTime();
      const events = [
        makeEvent(device.deviceId, { level: '绝密', customerLevel: '绝密', customerHash: 'aaaaaaaaaaaa' }, at),
        makeEvent(device.deviceId, { level: '绝密', customerLevel: '绝密', customerHash: 'aaaaaaaaaaaa' }, at + 1),
        makeEvent(device.deviceId, { level: '秘密', customerLevel: '秘密', customerHash: 'bbbbbbbbbbbb' }, at + 2),
        makeEvent(device.deviceId, {}, at + 3), // no register customer
      ];
      const res = await server.request('/api/v1/events', { method: 'POST', headers: device.auth, json: { events } });
      expect(res.status).toBe(200);
      const bad = await server.request('/api/v1/events', {
        method: 'POST',
        headers: device.auth,
        json: { events: [makeEvent(device.deviceId, { customerHash: '北京星辰科技有限公司' }, at + 4)] },
      });
      expect(((await bad.json()) as { rejected: unknown[] }).rejected).toHaveLength(1); // a name never passes as a hash
      const month = server.now().toISOString().slice(0, 7);
      const report = await server.request(`/api/admin/reports/monthly?month=${month}`, { headers: admin.get });
      const body = (await report.json()) as {
        customers: { distinct: number; byLevel: Record<string, { incidents: number; customers: number }> };
      };
      expect(body.customers).toEqual({
        distinct: 2,
        byLevel: { 绝密: { incidents: 2, customers: 1 }, 秘密: { incidents: 1, customers: 1 } },
      });
    },
  );

  it.skipIf(skip)('keeps the device structure sealed in the database: the stored row shows none of what devices receive', async () => {
    expect((await post(CSV, admin)).status).toBe(200);
    const { payload } = await loadDeviceIndex();
    const row = await server.db
      .selectFrom('customer_register_versions')
      .select('payload')
      .where('version', '=', payload.version)
      .executeTakeFirstOrThrow();
    expect(row.payload).toMatch(/^sealed:v1:/);
    // Not one 12-character run of the served prefilter, entries or customer bytes is in the stored row.
    for (const part of [payload.filter, payload.numbers, payload.names, payload.customers]) {
      for (let at = 0; at + 12 <= part.length; at += Math.max(12, Math.floor(part.length / 50))) {
        const run = part.slice(at, at + 12);
        if (/^A+$/.test(run)) continue; // zero bytes: a run any text may hold
        expect(row.payload!.includes(run)).toBe(false);
      }
    }
  });

  it.skipIf(skip || name !== 'SQLite')('keeps no raw name or number in the SQLite file or its WAL', async () => {
    expect((await post(CSV, admin)).status).toBe(200);
    const files = readdirSync(server.dir).filter((f) => f.startsWith('baomi.sqlite'));
    expect(files).toContain('baomi.sqlite');
    let total = 0;
    for (const file of files) {
      const bytes = readFileSync(join(server.dir, file));
      total += bytes.length;
      const asUtf8 = bytes.toString('latin1');
      for (const raw of RAW_VALUES) expect(asUtf8.includes(Buffer.from(raw).toString('latin1')), `${raw} in ${file}`).toBe(false);
      // UTF-16 too (SQLite can store text as UTF-16)
      for (const raw of RAW_VALUES) expect(bytes.includes(Buffer.from(raw, 'utf16le')), `${raw} (UTF-16) in ${file}`).toBe(false);
    }
    expect(total).toBeGreaterThan(0);
    // control: the check finds what is there (the audit log names the action)
    const everything = files.map((f) => readFileSync(join(server.dir, f)).toString('latin1')).join('');
    expect(everything.includes('register-import')).toBe(true);
  });
  it.skipIf(skip)(
    'only the IT administrator clears the register: audited, a new signed empty version devices take, hashes deleted',
    async () => {
      const before = (await (await server.request('/api/admin/customer-register', { headers: admin.get })).json()) as {
        current: { version: number; customerCount: number };
      };
      expect(before.current.customerCount).toBeGreaterThan(0);
      const clear = (login: AdminLogin, headers = login.write) =>
        server.request('/api/admin/customer-register', { method: 'DELETE', headers });
      for (const role of ['info-officer', 'auditor', 'approver'] as const)
        expect((await clear(await loginAs(server, role))).status).toBe(403);
      expect((await clear(admin, { Cookie: admin.cookie })).status).toBe(403); // no CSRF header
      const held = await loadDeviceIndex();
      expect(lookupNumber(held.index, '13812345678')).toBeGreaterThanOrEqual(0);

      const res = await clear(admin);
      expect(res.status).toBe(200);
      const { register } = (await res.json()) as { register: { version: number; cleared: boolean; customerCount: number } };
      expect(register).toMatchObject({ version: before.current.version + 1, cleared: true, customerCount: 0 });
      const info = (await (await server.request('/api/admin/customer-register', { headers: admin.get })).json()) as {
        current: { version: number; cleared: boolean };
      };
      expect(info.current).toMatchObject({ version: register.version, cleared: true });

      // Devices: the held ETag no longer matches; the new version is signed, empty, newer.
      expect((await deviceRegister(held.etag)).status).toBe(200);
      const { index, payload } = await loadDeviceIndex();
      expect(payload).toMatchObject({ version: register.version, customerCount: 0, numbers: '', names: '', filter: '' });
      expect(lookupNumber(index, '13812345678')).toBe(-1);
      expect(applyRegister(index, '北京星辰科技有限公司 13812345678', scanText('13812345678')).customers).toEqual([]);

      // The customers' hashes are gone from the database; the clear is in the audit log.
      const rows = await server.db.selectFrom('customer_register_customers').select('customer_hash').execute();
      expect(rows).toEqual([]);
      const audit = (await (await server.request('/api/admin/audit-log', { headers: admin.get })).json()) as {
        items: { action: string; actor: string; target: string }[];
      };
      expect(audit.items.find((entry) => entry.action === 'register-clear')).toMatchObject({
        actor: 'admin',
        target: `customer register v${register.version}`,
      });

      // Clearing again changes nothing; a later import starts a new version.
      const again = (await (await clear(admin)).json()) as { register: { version: number } };
      expect(again.register.version).toBe(register.version);
      expect((await post(CSV, admin)).status).toBe(200);
      expect((await loadDeviceIndex()).index.version).toBe(register.version + 1);
    },
  );
  it.skipIf(skip)(
    'a number Excel saved in scientific notation, or a local number without area code, is an error that says how to fix it',
    async () => {
      const bad = [
        '客户名称,联系人,手机,电话,密级',
        '甲公司,张三,1.38123E+10,,绝密',
        '乙公司,李四,13500002222,62345678,机密',
        '丙公司,王五,13500003333,（021）6234 5678,秘密',
      ].join('\n');
      const error = await refusedImport(bad);
      expect(error.code).toBe('register-invalid');
      expect(error.issues.map((i) => [i.path, i.message, i.code])).toEqual([
        ['2', '手机', 'register-number-scientific'],
        ['3', '电话', 'register-number-no-area-code'],
      ]);
      // Control: the same rows with full numbers import.
      const good = await post(bad.replace('1.38123E+10', '13812300001').replace(',62345678,', ',010-62345678,'), admin);
      expect(good.status).toBe(200);
    },
  );
  it.skipIf(skip)('serves the structure gzipped to clients that accept it (the same JSON), plain to others', async () => {
    const plain = await server.request('/api/v1/customer-register', { headers: device.auth });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('Content-Encoding')).toBeNull();
    const json = await plain.text();
    const zipped = await server.request('/api/v1/customer-register', {
      headers: { ...device.auth, 'Accept-Encoding': 'gzip, deflate, br' },
    });
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get('Content-Encoding')).toBe('gzip');
    expect(zipped.headers.get('Vary')).toBe('Accept-Encoding');
    expect(zipped.headers.get('ETag')).toBe(plain.headers.get('ETag'));
    const bytes = Buffer.from(await zipped.arrayBuffer());
    expect(gunzipSync(bytes).toString('utf8')).toBe(json);
    const refused = await server.request('/api/v1/customer-register', { headers: { ...device.auth, 'Accept-Encoding': 'gzip;q=0' } });
    expect(refused.headers.get('Content-Encoding')).toBeNull();
  });
  it.skipIf(skip)(
    'a stored register sealed under another hash key (database restored without its data directory) is a 503 that says so',
    async () => {
      const res = await post(CSV, admin);
      expect(res.status).toBe(200);
      const { register } = (await res.json()) as { register: { version: number } };
      const foreign = sealRegisterPayload('another-hash-key'.padEnd(43, 'z'), {
        ...emptyRegisterPayload({ version: register.version, createdAt: '2026-12-05T00:00:00.000Z', salt: 's' }),
      });
      await server.db.updateTable('customer_register_versions').set({ payload: foreign }).where('version', '=', register.version).execute();
      const answer = await deviceRegister();
      expect(answer.status).toBe(503);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('register-unreadable');
      // Control: importing again gives devices a register they can read.
      expect((await post(CSV, admin)).status).toBe(200);
      expect((await deviceRegister()).status).toBe(200);
    },
  );
});

/** GB18030 bytes of `text` (ASCII, and CJK through Node's TextDecoder table inverted for the characters used). */
function gb18030(text: string): Uint8Array<ArrayBuffer> {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  const wanted = new Set([...text].filter((c) => c.charCodeAt(0) > 0x7f));
  for (let lead = 0x81; lead <= 0xfe && table.size < wanted.size; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(Uint8Array.of(lead, trail));
      if (wanted.has(ch) && !table.has(ch)) table.set(ch, [lead, trail]);
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) <= 0x7f) out.push(ch.charCodeAt(0));
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`no GB18030 two-byte code for ${ch}`);
      out.push(...bytes);
    }
  }
  return Uint8Array.from(out);
}

describe('acceptsGzip', () => {
  it('reads Accept-Encoding as browsers and HTTP clients write it', () => {
    expect(acceptsGzip('gzip, deflate, br, zstd')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0.8, *;q=0.1')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('GZIP')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('gzip;q=0, *')).toBe(false);
    expect(acceptsGzip('*;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('deflate, br')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('')).toBe(false);
  });
});
