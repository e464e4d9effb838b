/**
 * The reason an employee gives for an exception must say something an approver can judge
 * ("急用" says nothing): the policy sets a minimum length, 5 characters by default.
 */
import type { Policy } from './schema';

export const DEFAULT_MIN_REASON_LENGTH = 5;

export function minReasonLength(policy: Pick<Policy, 'overrides'>): number {
  return policy.overrides.minReasonLength ?? DEFAULT_MIN_REASON_LENGTH;
}

/** Characters as a person counts them (a CJK character is one, surrogate pairs too), blanks ignored. */
export function reasonLength(reason: string): number {
  return [...reason.replace(/\s+/g, '')].length;
}
