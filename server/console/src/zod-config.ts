/**
 * Imported first by main.tsx, before any module builds or runs a schema. The console runs
 * under a Content-Security-Policy without 'unsafe-eval' (server/app.ts); zod's compiled
 * parsers would probe `new Function` on first use (some modules parse at import) and log a
 * violation. Jitless parsing is what zod falls back to anyway.
 */
import { z } from 'zod';

z.config({ jitless: true });
