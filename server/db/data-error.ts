/**
 * Tells a database error caused by the data of a row (a value out of range for its column,
 * a NOT NULL or CHECK violation, an over-long value) from one caused by the database
 * itself (down, locked, out of disk). The first kind must not make a device retry the same
 * batch forever; the second must (the batch is fine, the server is not).
 */
export function isRowDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  // PostgreSQL SQLSTATE classes 22 (data exception: 22003 numeric out of range, 22P05 …)
  // and 23 (integrity constraint violation: 23502 not null, 23514 check …).
  if (/^2[23][0-9A-Z]{3}$/.test(code)) return true;
  // better-sqlite3: SQLITE_CONSTRAINT_NOTNULL, SQLITE_CONSTRAINT_CHECK, SQLITE_MISMATCH, SQLITE_TOOBIG.
  return code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG';
}
