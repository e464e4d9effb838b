/**
 * Imported first by every extension page (background, popup, options), before any module
 * that builds a zod schema. zod 4 compiles object parsers with `new Function` after a
 * probe; the extension pages' CSP forbids eval, and Firefox reports the caught probe as a
 * CSP violation in the console of each page. Jitless mode skips the probe and the
 * compilation (the parsers here are small; the interpreted path is fast enough).
 */
import { z } from 'zod';

z.config({ jitless: true });
