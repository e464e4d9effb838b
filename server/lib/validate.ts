/** zValidator with our error shape: 400 `{ok:false, error:{code:'invalid-request', issues}}`. */
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { z } from 'zod';
import { errorJson, issuesOf } from './errors';

/**
 * PostgreSQL text cannot hold U+0000 (the INSERT would fail as a 500), and no honest
 * client sends it: refuse it at the door for every JSON body, on both backends.
 */
export function findNulPath(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNulPath(value[i], [...path, i], depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key];
    const found = findNulPath(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}

const noNul = z.unknown().superRefine((value, ctx) => {
  const path = findNulPath(value);
  if (path) ctx.addIssue({ code: 'custom', path, message: 'NUL characters (U+0000) are not allowed' });
});

/**
 * `options.nulCheck: false` is for POST /events only, where lib/event-intake.ts checks
 * every free-text field of each event itself (and rejects just that event).
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
  options: { nulCheck?: boolean } = {},
) {
  const checked = target === 'json' && options.nulCheck !== false ? noNul.pipe(schema) : schema;
  return zValidator(target, checked as unknown as T, (result, c) => {
    if (!result.success) {
      return errorJson(c, 400, 'invalid-request', `invalid ${target === 'json' ? 'body' : target}`, issuesOf(result.error));
    }
  });
}
