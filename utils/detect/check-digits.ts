/**
 * Check digits as issuers compute them, on plain digit strings: for building valid
 * test and benchmark data. (The scanner validates with its own allocation-free
 * versions over its digit buffer, in number-scanner.ts.)
 */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/** `body` followed by its Luhn check digit. */
export function withLuhnCheckDigit(body: string): string {
  let sum = 0;
  // Digits of the body, from the right: the check digit will sit at position 0.
  for (let i = 0; i < body.length; i++) {
    let value = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return body + String((10 - (sum % 10)) % 10);
}
