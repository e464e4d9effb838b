/**
 * One error shape for every API answer: `{ ok: false, error: { code, message, issues? } }`.
 * Handlers throw `ApiFailure`; app.onError turns it (and Hono's own HTTPExceptions,
 * e.g. malformed JSON or 413) into that shape.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';

export interface Issue {
  path: string;
  message: string;
  /**
   * What went wrong, for the console to say in the reader's language: zod's issue code
   * (too_small, too_big, invalid_type, invalid_value, invalid_format, custom …) or one of
   * ours (raw-number, duplicate-rule-id, origin-pattern); the English `message` stays for logs.
   */
  code?: string;
  /** The bound of a too_small / too_big issue. */
  limit?: number | string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiFailure';
  }
}

export const badRequest = (message: string, issues?: Issue[]) => new ApiFailure(400, 'invalid-request', message, issues);
export const unauthorized = (message = 'authentication required') => new ApiFailure(401, 'unauthorized', message);
export const forbidden = (message = 'not allowed for your role', code = 'forbidden') => new ApiFailure(403, code, message);
export const notFound = (message = 'not found') => new ApiFailure(404, 'not-found', message);
export const conflict = (message: string, code = 'conflict') => new ApiFailure(409, code, message);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new ApiFailure(429, 'rate-limited', `too many requests; retry in ${retryAfterSeconds}s`);

interface ZodLikeIssue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  minimum?: unknown;
  maximum?: unknown;
}

export function issuesOf(error: { issues: readonly ZodLikeIssue[] }): Issue[] {
  return error.issues.slice(0, 50).map((issue) => issueOf(issue));
}

export function issueOf(issue: ZodLikeIssue): Issue {
  const result: Issue = { path: issue.path.map(String).join('.'), message: issue.message };
  if (issue.code) result.code = issue.code;
  const limit = issue.minimum ?? issue.maximum;
  if (typeof limit === 'number' || typeof limit === 'string') result.limit = limit;
  else if (typeof limit === 'bigint') result.limit = Number(limit);
  return result;
}

export function errorJson(c: Context, status: ContentfulStatusCode, code: string, message: string, issues?: Issue[]) {
  return c.json({ ok: false as const, error: issues ? { code, message, issues } : { code, message } }, status);
}

const STATUS_CODES: Record<number, string> = {
  400: 'invalid-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'body-too-large',
  429: 'rate-limited',
};

/** app.onError: known failures keep their status; anything else is a 500 without internals. */
export function handleError(error: Error, c: Context): Response {
  if (error instanceof ApiFailure) {
    const res = errorJson(c, error.status, error.code, error.message, error.issues);
    if (error.status === 429) res.headers.set('Retry-After', error.message.match(/(\d+)s$/)?.[1] ?? '1');
    return res;
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const message = status === 413 ? 'request body too large' : error.message || 'request failed';
    return errorJson(c, status, STATUS_CODES[status] ?? 'error', message);
  }
  // Log the error, never the request body (events may hold what users tried to leak).
  console.error(`[baomi] ${c.req.method} ${c.req.path} failed:`, error);
  return errorJson(c, 500, 'internal', 'internal server error');
}
