/**
 * The data dir holds the signing key, the hashing key and (SQLite) every event: other
 * local users must not read it. The dir is made (or narrowed to) 0700, its files 0600,
 * whatever the umask.
 */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';

export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

export class DataDirError extends Error {
  constructor(
    readonly dir: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Cannot make the data dir ${dir} private (mode 0700): run the server as the dir's owner, or choose another BAOMI_DATA_DIR`,
      options,
    );
    this.name = 'DataDirError';
  }
}

/** Creates the dir if missing and narrows it to 0700 (an existing 0755 dir too). */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DATA_DIR_MODE });
  try {
    if ((statSync(dir).mode & 0o777) !== DATA_DIR_MODE) chmodSync(dir, DATA_DIR_MODE);
  } catch (cause) {
    throw new DataDirError(dir, { cause });
  }
}

/** Creates the file empty if missing, then makes it 0600. */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', DATA_FILE_MODE));
  if ((statSync(path).mode & 0o777) !== DATA_FILE_MODE) chmodSync(path, DATA_FILE_MODE);
}

/** Narrows an existing file to 0600; a missing one is fine. */
export function narrowIfExists(path: string): void {
  try {
    if ((statSync(path).mode & 0o777) !== DATA_FILE_MODE) chmodSync(path, DATA_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
