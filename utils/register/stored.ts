/**
 * How the background stores the verified register for the content scripts (plain data,
 * no imports: the content script must not pull the background's zod schemas).
 */
import type { StoredRegisterKeys } from './keys';
import type { NumberTable } from './number-table';
import type { RegisterPayload } from './structure';

export const REGISTER_STORAGE_KEY = 'customerRegister';

export interface StoredRegister {
  version: number;
  etag: string | null;
  /** The signed payload as received, but for `numbers`: stored empty, the table holds them. */
  payload: RegisterPayload;
  keys: StoredRegisterKeys;
  /** The numbers laid out for lookups (built by the background; absent in registers stored before it existed). */
  numberTable?: NumberTable;
}
