/**
 * A grant's scope as words, the same on every screen (the approver's preview, the notice's
 * toast, the popup): a list of catalogue keys with their values, which each UI words from
 * its own catalogue (`guard_` + key in the extension, the console's keys in the console).
 */
import type { OverrideGrant } from './grant';

export interface ScopeWord {
  key:
    'scope_content' | 'scope_window' | 'scope_maxLevel' | 'scope_maxFindings' | 'scope_bulkLifted' | 'scope_destination' | 'scope_minutes';
  values: string[];
}

export type GrantScopeFields = Pick<
  OverrideGrant,
  'scope' | 'uses' | 'maxLevel' | 'maxFindings' | 'liftBulk' | 'destination' | 'origin' | 'channel'
> & {
  /** Window grants: how long, when the words are a preview (an issued grant says until when instead). */
  minutes?: number;
};

/** "仅此内容，1 次，最高机密" or "crm.example.com 上的复制，最高机密，每次不超过 5 个号码，60 分钟". */
export function grantScopeWords(grant: GrantScopeFields, channelWord: string): ScopeWord[] {
  const words: ScopeWord[] = [];
  if (grant.scope === 'content') words.push({ key: 'scope_content', values: [String(grant.uses ?? 1)] });
  else words.push({ key: 'scope_window', values: [hostOf(grant.origin), channelWord] });
  if (grant.maxLevel) words.push({ key: 'scope_maxLevel', values: [grant.maxLevel] });
  if (grant.scope !== 'content' && grant.maxFindings !== undefined)
    words.push({ key: 'scope_maxFindings', values: [String(grant.maxFindings)] });
  if (grant.scope !== 'content' && grant.liftBulk) words.push({ key: 'scope_bulkLifted', values: [] });
  if (grant.destination) words.push({ key: 'scope_destination', values: [hostOf(grant.destination)] });
  if (grant.scope !== 'content' && grant.minutes !== undefined) words.push({ key: 'scope_minutes', values: [String(grant.minutes)] });
  return words;
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host || origin;
  } catch {
    return origin;
  }
}
