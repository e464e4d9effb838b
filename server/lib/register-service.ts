/**
 * Import of the customer register: file bytes → rows → customers → keyed hashes →
 * device structure, saved in one transaction. Nothing raw is kept: customers are
 * stored as HMAC-SHA-256 of their normalized name under the organisation's hashing
 * key, the structure holds truncated SipHash values; the file itself is dropped.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { AppDeps } from '../context';
import {
  CLEARED_SOURCE,
  currentRegisterInfo,
  saveRegister,
  storedRegisterPayloadAt,
  type RegisterInfo,
} from '../db/repositories/customer-register';
import { recordAudit } from '../db/repositories/audit';
import { deriveRegisterKeys } from '../../utils/register/keys';
import { buildRegisterPayload, emptyRegisterPayload, type RegisterPayload } from '../../utils/register/structure';
import { openRegisterPayload, sealRegisterPayload } from './register-at-rest';
import { ApiFailure, conflict } from './errors';
import { formatOf, readTable, TableError } from './register-table';
import { importRows, suggestMapping, type ColumnMapping, type RowError } from './register-import';

/** Same value as utils/register/keys.ts customerHash (WebCrypto), computed synchronously. */
export function customerHashSync(hashKey: string, normalizedName: string): string {
  return createHmac('sha256', hashKey).update(`baomi-customer/v1|${normalizedName}`, 'utf8').digest('hex');
}

export const PREVIEW_ROWS = 5;

export function readRegisterTable(bytes: Uint8Array): string[][] {
  try {
    return readTable(bytes);
  } catch (error) {
    if (error instanceof TableError) throw new ApiFailure(400, error.code, error.message);
    throw error;
  }
}

export function previewRegister(bytes: Uint8Array) {
  const rows = readRegisterTable(bytes);
  const header = rows[0]!;
  return {
    format: formatOf(bytes),
    columns: header,
    rows: rows.slice(1, 1 + PREVIEW_ROWS),
    rowCount: rows.length - 1,
    mapping: suggestMapping(header),
  };
}

function rowErrorsFailure(errors: RowError[]): ApiFailure {
  const issues = errors.map((e) => ({ path: String(e.row), message: e.column, code: e.code, limit: e.row }));
  const unknownLevel = errors.some((e) => e.code === 'register-level-unknown');
  return new ApiFailure(
    400,
    unknownLevel ? 'register-level-unknown' : 'register-invalid',
    `${errors.length} row error(s); the register was not changed`,
    issues,
  );
}

export async function importRegister(
  deps: AppDeps,
  bytes: Uint8Array,
  mapping: ColumnMapping | undefined,
  by: string,
): Promise<RegisterInfo> {
  const rows = readRegisterTable(bytes);
  const result = importRows(rows, mapping ?? suggestMapping(rows[0]!));
  if (result.errors.length > 0) throw rowErrorsFailure(result.errors);
  if (result.customers.length === 0) throw new ApiFailure(400, 'register-empty', 'the file holds no customers');
  const hashKey = deps.keys.hashKey;
  const customers = result.customers.map((customer) => ({
    hash: customerHashSync(hashKey, customer.key),
    level: customer.level,
    names: [...customer.names],
    numbers: [...customer.numbers],
  }));
  const now = deps.clock();
  let info: RegisterInfo;
  try {
    info = await saveRegister(deps.db, {
      importedBy: by,
      source: formatOf(bytes),
      identifierCount: result.identifiers,
      customers: customers.map(({ hash, level }) => ({ hash, level })),
      now,
      build: async (version) => {
        const salt = randomBytes(16).toString('base64url');
        const keys = await deriveRegisterKeys(hashKey, salt);
        const input = customers.map((c) => ({ level: c.level, customerHash: c.hash.slice(0, 12), names: c.names, numbers: c.numbers }));
        return sealRegisterPayload(hashKey, buildRegisterPayload(input, keys, { version, createdAt: now.toISOString(), salt }));
      },
    });
  } catch (error) {
    // Two imports at once: the second one's version number is taken.
    if (/unique|duplicate|primary key/i.test(String((error as Error)?.message)))
      throw conflict('another import finished first; try again', 'register-import-conflict');
    throw error;
  }
  await recordAudit(deps.db, {
    actor: by,
    action: 'register-import',
    target: `customer register v${info.version}`,
    detail: { customers: info.customerCount, identifiers: info.identifierCount, levels: info.levelCounts, source: info.source },
    now,
  });
  return info;
}

/**
 * Clears the register (IT administrator): a new version without customers, whose empty
 * structure devices receive signed at their next sync and store in place of the last
 * one — so they drop it, and an older version replayed to them is refused. The stored
 * customers' hashes are deleted. Clearing a register that is already clear changes
 * nothing; there must have been an import.
 */
export async function clearRegister(deps: AppDeps, by: string): Promise<RegisterInfo> {
  const current = await currentRegisterInfo(deps.db);
  if (!current) throw new ApiFailure(404, 'no-register', 'no customer register imported');
  if (current.cleared) return current;
  const now = deps.clock();
  let info: RegisterInfo;
  try {
    info = await saveRegister(deps.db, {
      importedBy: by,
      source: CLEARED_SOURCE,
      identifierCount: 0,
      customers: [],
      now,
      build: async (version) =>
        sealRegisterPayload(
          deps.keys.hashKey,
          emptyRegisterPayload({ version, createdAt: now.toISOString(), salt: randomBytes(16).toString('base64url') }),
        ),
    });
  } catch (error) {
    if (/unique|duplicate|primary key/i.test(String((error as Error)?.message)))
      throw conflict('an import finished at the same time; try again', 'register-import-conflict');
    throw error;
  }
  await recordAudit(deps.db, {
    actor: by,
    action: 'register-clear',
    target: `customer register v${info.version}`,
    detail: { customersRemoved: current.customerCount, previousVersion: current.version },
    now,
  });
  return info;
}

/** The device structure of `version` (the latest keeps one), opened from its sealed stored form. */
export async function registerPayloadAt(deps: AppDeps, version: number): Promise<RegisterPayload | null> {
  const stored = await storedRegisterPayloadAt(deps.db, version);
  if (stored === null) return null;
  try {
    return openRegisterPayload(deps.keys.hashKey, version, stored);
  } catch (error) {
    // A database restored without its data directory (another hash key): the register
    // must be imported again; devices keep the one they hold meanwhile.
    console.error('[baomi] the stored customer register cannot be opened with this hash key:', (error as Error).message);
    throw new ApiFailure(
      503,
      'register-unreadable',
      'the stored customer register cannot be opened with this server’s hash key; import it again',
    );
  }
}
