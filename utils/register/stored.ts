/**
 * How the background stores the verified register for the content scripts (plain data,
 * no imports: the content script must not pull the background's zod schemas).
 */
import type { StoredRegisterKeys } from './keys';
import type { RegisterPayload } from './structure';

export const REGISTER_STORAGE_KEY = 'customerRegister';

export interface StoredRegister {
  version: number;
  etag: string | null;
  payload: RegisterPayload;
  keys: StoredRegisterKeys;
}
