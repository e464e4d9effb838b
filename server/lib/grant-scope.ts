/**
 * From an approver's choice to the grant the device will honour (issue 26): by default a
 * grant opens exactly the blocked content (its keyed fingerprints), once; a time window is
 * the approver's explicit choice, and even then it never lifts the bulk rule or a level
 * above the one asked for unless the approver says so.
 */
import { z } from 'zod';
import { LEVELS, levelRank, type Level } from '../../utils/detect/types';
import { levelSchema } from '../../utils/policy/schema';
import type { OverrideGrant } from '../../utils/policy';
import type { Policy } from '../../utils/policy/schema';
import type { BlockDetail } from '../../utils/api/device-api';
import { badRequest } from './errors';

export const scopeChoiceSchema = z
  .object({
    /** Absent: 'content' when the request carries fingerprints, else 'window'. */
    scope: z.enum(['content', 'window']).optional(),
    uses: z.number().int().min(1).max(100).optional(),
    /** Above the requested level only when set here (never above the policy's overrides.maxLevel). */
    maxLevel: levelSchema.optional(),
    maxFindings: z.number().int().min(1).max(100_000).optional(),
    liftBulk: z.boolean().optional(),
  })
  .strict();
export type ScopeChoice = z.infer<typeof scopeChoiceSchema>;

/** What the approver chose, as stored beside the grant (and shown in the queue's history). */
export type ChosenScope = Pick<OverrideGrant, 'scope' | 'uses' | 'maxLevel' | 'maxFindings' | 'liftBulk' | 'destination'>;

/**
 * The level a grant opens when the approver does not raise it: the level of the block it
 * was asked for (秘密 when the request named none), never above the policy's overrides.maxLevel.
 */
export function grantLevel(requested: string | null | undefined, policyMax: Level | undefined): Level {
  const asked: Level = (LEVELS as readonly string[]).includes(requested ?? '') ? (requested as Level) : '秘密';
  return policyMax && levelRank(policyMax) < levelRank(asked) ? policyMax : asked;
}

function invalid(path: string, message: string, code: string): never {
  throw badRequest('invalid body', [{ path, message, code }]);
}

/** The scope of the grant to issue, or a 400 naming the field the approver must change. */
export function chooseScope(
  choice: ScopeChoice,
  request: { level: string | null; fingerprints: string[]; detail: BlockDetail | null },
  policy: Pick<Policy, 'overrides'> | undefined,
): ChosenScope {
  const scope = choice.scope ?? (request.fingerprints.length > 0 ? 'content' : 'window');
  if (scope === 'content' && request.fingerprints.length === 0) {
    invalid('scope', 'this request carries no content to bind a grant to', 'content-scope-unavailable');
  }
  const policyMax = policy?.overrides.maxLevel;
  if (choice.maxLevel && policyMax && levelRank(choice.maxLevel) > levelRank(policyMax)) {
    invalid('maxLevel', `above the policy's highest level for exceptions (${policyMax})`, 'level-above-policy');
  }
  if (scope === 'content' && (choice.maxFindings !== undefined || choice.liftBulk)) {
    invalid('scope', 'a per-action limit and the bulk exception belong to a time-window grant', 'content-scope-limits');
  }
  const chosen: ChosenScope = { scope, maxLevel: choice.maxLevel ?? grantLevel(request.level, policyMax) };
  if (scope === 'content') chosen.uses = choice.uses ?? 1;
  if (scope === 'window' && choice.maxFindings !== undefined) chosen.maxFindings = choice.maxFindings;
  if (scope === 'window' && choice.liftBulk) chosen.liftBulk = true;
  if (request.detail?.destination) chosen.destination = request.detail.destination;
  return chosen;
}
