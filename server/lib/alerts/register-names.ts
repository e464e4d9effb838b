/**
 * Customer names stay out of alerts: a reason (or site) that names a customer of the
 * current register is left out of the message, found the way devices find names — the
 * register's own structure (keyed SipHash, opened from its sealed stored form), never a
 * list of names. Any register name of 2 units or more counts: a false match costs only
 * the reason's words in the alert (the queue shows them), a missed one would send a
 * customer's name to a chat group.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { currentRegisterInfo, storedRegisterPayloadAt } from '../../db/repositories/customer-register';
import { deriveRegisterKeys } from '../../../utils/register/keys';
import { findNames } from '../../../utils/register/match';
import { isClearedRegister, loadRegisterIndex, type RegisterIndex } from '../../../utils/register/structure';
import { openRegisterPayload } from '../register-at-rest';

export type NamesCustomer = (text: string) => boolean;

const NOTHING: NamesCustomer = () => false;
export const MIN_NAME_UNITS = 2;

/** A check against the register as it is now; the opened index is kept until a new version is imported. */
export function registerNameCheck(db: Kysely<Database>, hashKey: string): () => Promise<NamesCustomer> {
  let cached: { version: number; index: RegisterIndex | null } | null = null;
  return async () => {
    const info = await currentRegisterInfo(db);
    if (!info || info.cleared) return NOTHING;
    if (cached?.version !== info.version) {
      const stored = await storedRegisterPayloadAt(db, info.version);
      let index: RegisterIndex | null = null;
      if (stored !== null) {
        try {
          const payload = openRegisterPayload(hashKey, info.version, stored);
          if (!isClearedRegister(payload)) index = loadRegisterIndex(payload, await deriveRegisterKeys(hashKey, payload.salt), true);
        } catch (error) {
          console.error(
            '[baomi] alerts: the customer register cannot be opened; reasons are left out of alerts:',
            (error as Error).message,
          );
          // Unreadable: send no free text at all rather than unchecked text.
          cached = null;
          return () => true;
        }
      }
      cached = { version: info.version, index };
    }
    const index = cached.index;
    return index ? (text) => findNames(index, text, MIN_NAME_UNITS).length > 0 : NOTHING;
  };
}
