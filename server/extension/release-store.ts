/**
 * Published extension packages live in the data dir, `extension/`: the versioned CRX and
 * XPI files and `releases.json`, their index. The publish command writes the files first
 * and replaces the index last (write, then rename), so a server reading it at any moment
 * sees either the old list or the new one, each naming files that exist. Several server
 * processes serve what their data dir holds: give them the same dir (as for the keys).
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Release } from './update-manifest';

export const RELEASES_DIR = 'extension';
export const RELEASES_FILE = 'releases.json';

const packageSchema = z.object({
  file: z.string().regex(/^baomi-guard-[\d.]+\.(crx|xpi)$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
});
const indexSchema = z.object({
  extensionId: z.string().regex(/^[a-p]{32}$/),
  releases: z.array(z.object({ version: z.string(), publishedAt: z.string(), chrome: packageSchema, firefox: packageSchema.optional() })),
});
export type ReleaseIndex = z.infer<typeof indexSchema>;

export class ReleaseIndexError extends Error {
  constructor(
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(`The extension release index ${file} is not valid: publish again (npm run publish:extension)`, options);
    this.name = 'ReleaseIndexError';
  }
}

export const releasesDir = (dataDir: string) => join(dataDir, RELEASES_DIR);

/** The index, or null when nothing was published. */
export function readReleaseIndex(dataDir: string): ReleaseIndex | null {
  const file = join(releasesDir(dataDir), RELEASES_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    return indexSchema.parse(JSON.parse(text));
  } catch (cause) {
    throw new ReleaseIndexError(file, { cause });
  }
}

export function writeReleaseIndex(dataDir: string, index: ReleaseIndex): void {
  const file = join(releasesDir(dataDir), RELEASES_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(index, null, 2) + '\n');
  renameSync(temp, file);
}

/**
 * The server's view: re-read only when the index file changed (one stat per request), so a
 * publish is picked up without a restart and a busy update URL does not parse JSON each time.
 */
export function createReleaseReader(dataDir: string) {
  let cached: { mtimeMs: number; size: number; index: ReleaseIndex | null } | null = null;
  return (): ReleaseIndex | null => {
    let stat;
    try {
      stat = statSync(join(releasesDir(dataDir), RELEASES_FILE));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    if (!cached || cached.mtimeMs !== stat.mtimeMs || cached.size !== stat.size) {
      cached = { mtimeMs: stat.mtimeMs, size: stat.size, index: readReleaseIndex(dataDir) };
    }
    return cached.index;
  };
}

export function latestRelease(index: ReleaseIndex | null): Release | null {
  return index?.releases.at(-1) ?? null;
}
