/** zValidator with our error shape: 400 `{ok:false, error:{code:'invalid-request', issues}}`. */
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { errorJson, issuesOf } from './errors';

export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) {
      return errorJson(c, 400, 'invalid-request', `invalid ${target === 'json' ? 'body' : target}`, issuesOf(result.error));
    }
  });
}
