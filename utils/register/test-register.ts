/**
 * A small register for tests (not a test file itself): two customers, built and read
 * as the server and the guard do — 北京星辰科技有限公司 (绝密, 13812345678 and
 * 010-62345678, contact 王伟) and 上海某贸易有限公司 (秘密, 13987654321, contact 李娜).
 * 13700001111 is in no register.
 */
import { customerHash, deriveRegisterKeys } from './keys';
import { normalizeName, numbersInCell } from './normalize';
import { buildRegisterPayload, loadRegisterIndex, type RegisterCustomerInput, type RegisterIndex } from './structure';

export const TEST_HASH_KEY = 't'.repeat(43);

export async function testRegister(trusted = true): Promise<RegisterIndex> {
  const keys = await deriveRegisterKeys(TEST_HASH_KEY, 'test-salt');
  const rows: [RegisterCustomerInput['level'], string, string, string][] = [
    ['绝密', '北京星辰科技有限公司', '王伟', '13812345678；010-62345678'],
    ['秘密', '上海某贸易有限公司', '李娜', '13987654321'],
  ];
  const customers: RegisterCustomerInput[] = [];
  for (const [level, company, contact, numbers] of rows) {
    customers.push({
      level,
      customerHash: (await customerHash(TEST_HASH_KEY, normalizeName(company))).slice(0, 12),
      numbers: numbersInCell(numbers),
      names: [normalizeName(company), normalizeName(contact)],
    });
  }
  const payload = buildRegisterPayload(customers, keys, { version: 1, createdAt: '2026-12-05T00:00:00.000Z', salt: 'test-salt' });
  return loadRegisterIndex(payload, keys, trusted);
}
