/** Where e2e tests leave screenshots of the screens people read (looked at by hand). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const SHOT_DIR = process.env.BAOMI_SHOT_DIR ?? '/tmp/shots-people';

export function shotPath(name: string, lang = 'zh-CN'): string {
  mkdirSync(SHOT_DIR, { recursive: true });
  return join(SHOT_DIR, `${name}-${lang}.png`);
}
