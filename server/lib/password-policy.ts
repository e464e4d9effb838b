/**
 * Password strength, wherever a password is set (console users, BAOMI_ADMIN_PASSWORD).
 *
 * The estimator is zxcvbn-ts (`@zxcvbn-ts/core` + `@zxcvbn-ts/language-common`): the
 * maintained TypeScript port of Dropbox's zxcvbn, which scores a password by how it would
 * be guessed (common-password lists, keyboard walks, repeats, sequences, dates, the user's
 * own name) instead of counting character classes — `P@ssw0rd2024` passes class rules and
 * falls in seconds. No network, no native code; the common dictionary is loaded once.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { ApiFailure } from './errors';

export const MIN_PASSWORD_LENGTH = 10;
/** zxcvbn score 0–4; 3 = "safely unguessable: moderate protection from offline slow-hash scenario". */
export const MIN_PASSWORD_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;
const zxcvbn = () => (estimator ??= new ZxcvbnFactory({ graphs: adjacencyGraphs, dictionary }));

export type PasswordProblem = 'too-short' | 'contains-username' | 'guessable';

const MESSAGES: Record<PasswordProblem, string> = {
  'too-short': `密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符 / The password needs at least ${MIN_PASSWORD_LENGTH} characters`,
  'contains-username': '密码不能包含用户名 / The password must not contain the user name',
  guessable:
    '密码太容易被猜到（常见密码、键盘连键、重复或顺序字符、纯数字）。请用几个不相关的词组成的长密码 / The password is too easy to guess (a common password, keyboard walk, repeat, sequence or digits only). Use a long phrase of unrelated words',
};

/** What is wrong with `password` for `username` (and other words about the user), or null. */
export function passwordProblem(password: string, userWords: readonly string[] = []): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too-short';
  const lower = password.toLowerCase();
  const words = userWords.map((w) => w.trim().toLowerCase()).filter((w) => w.length >= 3);
  if (words.some((w) => lower.includes(w))) return 'contains-username';
  // zxcvbn's cost grows with length; a long password is judged on its first 100 characters.
  const result = zxcvbn().check(password.slice(0, 100), [...words]);
  return result.score >= MIN_PASSWORD_SCORE ? null : 'guessable';
}

export function passwordMessage(problem: PasswordProblem): string {
  return MESSAGES[problem];
}

/** Throws 400 `weak-password` (Chinese first, English second) when the password is weak. */
export function assertStrongPassword(password: string, userWords: readonly string[] = [], path = 'password'): void {
  const problem = passwordProblem(password, userWords);
  if (!problem) return;
  const message = passwordMessage(problem);
  throw new ApiFailure(400, 'weak-password', message, [{ path, message }]);
}
