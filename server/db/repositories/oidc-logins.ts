/**
 * OIDC logins in the database (not in process memory): a login started on one server process
 * may come back to another behind the load balancer. Each row is single-use twice over — the
 * callback once (state), and for an enrollment the ticket once.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema';

/** A login must come back within this long; an enrollment ticket must be redeemed within it too. */
export const OIDC_LOGIN_MINUTES = 10;

export async function createOidcLogin(
  db: Kysely<Database>,
  input: {
    stateHash: string;
    purpose: 'enroll' | 'console';
    nonce: string;
    codeVerifier: string;
    redirectUri: string;
    deviceChallenge: string;
    now: Date;
  },
): Promise<void> {
  // Logins nobody finished are dropped as new ones start: the table stays small without a job.
  await db.deleteFrom('oidc_logins').where('expires_at', '<', input.now.toISOString()).execute();
  await db
    .insertInto('oidc_logins')
    .values({
      state_hash: input.stateHash,
      purpose: input.purpose,
      nonce: input.nonce,
      code_verifier: input.codeVerifier,
      redirect_uri: input.redirectUri,
      device_challenge: input.deviceChallenge,
      created_at: input.now.toISOString(),
      expires_at: new Date(input.now.getTime() + OIDC_LOGIN_MINUTES * 60_000).toISOString(),
      ticket_hash: null,
      claims: null,
      used_at: null,
    })
    .execute();
}

/** Takes the login a callback names, once: a replayed callback finds nothing. */
export async function takeOidcLogin(db: Kysely<Database>, stateHash: string, now: Date) {
  const iso = now.toISOString();
  const row = await db
    .updateTable('oidc_logins')
    .set({ used_at: iso })
    .where('state_hash', '=', stateHash)
    .where('used_at', 'is', null)
    .where('ticket_hash', 'is', null)
    .where('expires_at', '>', iso)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** An enrollment login that succeeded: the ticket (its hash) the extension redeems, and who logged in. */
export async function issueEnrollTicket(
  db: Kysely<Database>,
  stateHash: string,
  ticketHash: string,
  claims: string,
  now: Date,
): Promise<void> {
  await db
    .updateTable('oidc_logins')
    .set({
      ticket_hash: ticketHash,
      claims,
      used_at: null,
      expires_at: new Date(now.getTime() + OIDC_LOGIN_MINUTES * 60_000).toISOString(),
    })
    .where('state_hash', '=', stateHash)
    .execute();
}

/** Redeems a ticket once; null when unknown, used, expired or not an enrollment's. */
export async function redeemEnrollTicket(db: Kysely<Database>, ticketHash: string, now: Date) {
  const iso = now.toISOString();
  const row = await db
    .updateTable('oidc_logins')
    .set({ used_at: iso })
    .where('ticket_hash', '=', ticketHash)
    .where('purpose', '=', 'enroll')
    .where('used_at', 'is', null)
    .where('expires_at', '>', iso)
    .returning(['claims', 'device_challenge'])
    .executeTakeFirst();
  return row ?? null;
}
