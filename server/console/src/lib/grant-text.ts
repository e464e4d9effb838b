/**
 * A grant's scope and a block's level reasons in the console's words: the same words the
 * employee reads in the page (utils/policy/grant-words.ts), from the console's catalogue.
 */
import type { OverrideItem } from '../api';
import { label, t, type MessageKey } from '../i18n/messages';
import { grantScopeWords, type GrantScopeFields } from '../../../../utils/policy/grant-words';

/** "页面标注【机密】、一次 20 个号码（批量）": why the block had its level. */
export function levelWhy(item: OverrideItem): string {
  const reasons = item.detail?.reasons ?? [];
  return reasons
    .map((reason) => t(`reason.${reason.kind}` as MessageKey, { level: label('level', reason.level), count: reason.count ?? 0 }))
    .join(t('common.listSep'));
}

/** A grant's scope in the console's words (the same words the employee reads in the page). */
export function scopeText(scope: GrantScopeFields, channel: string): string {
  return grantScopeWords(scope, label('channel', channel))
    .map((word) => {
      // A level is worded like every other level on the console ("机密 Confidential" in English).
      const first = word.key === 'scope_maxLevel' ? label('level', word.values[0]) : (word.values[0] ?? '');
      return t(`overrides.${word.key.replace('_', '.')}` as MessageKey, { a: first, b: word.values[1] ?? '' });
    })
    .join(t('overrides.scope.sep'));
}
