/**
 * What the server says, in the reader's language. Errors carry a code (and issues a
 * code and bound); the console words them from its catalogue and keeps the server's
 * English message only for codes it does not know. Values the server writes itself at
 * first start ('system', 'initial default policy', 'generated at start') are words too.
 */
import { ApiError, type Issue } from '../api';
import { t, type MessageKey } from '../i18n/messages';
import { messages } from '../i18n/messages';

function known(key: string): key is MessageKey {
  return key in messages['zh-CN'];
}

/** The error's message in the console's language (by its code), else the server's words. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `error.${error.code}`;
    if (known(key)) return t(key);
    return t('error.unknown', { code: error.code || String(error.status) });
  }
  if (error instanceof TypeError) return t('error.network');
  return error instanceof Error ? error.message : String(error);
}

/** One issue of an invalid request or policy: by its code (and bound), else its English message. */
export function issueText(issue: Pick<Issue, 'message'> & { code?: string; limit?: number | string }): string {
  const key = `issue.${issue.code ?? ''}`;
  if (issue.code && known(key)) return t(key, { limit: issue.limit ?? '' });
  return issue.message;
}

/** A value the server wrote itself, in the reader's language ('system' → 系统). */
export function serverWord(value: string | null | undefined): string {
  if (!value) return '—';
  const key = `server.${value}`;
  return known(key) ? t(key) : value;
}
