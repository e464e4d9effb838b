/** Passwords the server makes up: the first admin's, and an admin's reset of a user's. */
import { randomBytes } from 'node:crypto';

/** No 0/O, 1/l/I: read aloud or copied off a screen without mistakes. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * 20 characters in four groups of five (`xK7pq-…`), about 115 bits: it only has to
 * survive until its owner logs in and must replace it (users.must_change_password).
 */
export function oneTimePassword(): string {
  // Rejection sampling keeps every character equally likely (256 is no multiple of 55).
  const limit = 256 - (256 % ALPHABET.length);
  let chars = '';
  while (chars.length < 20) {
    for (const byte of randomBytes(32)) {
      if (byte < limit && chars.length < 20) chars += ALPHABET[byte % ALPHABET.length];
    }
  }
  return chars.match(/.{5}/g)!.join('-');
}
