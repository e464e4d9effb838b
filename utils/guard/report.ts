/**
 * Acting on a decision: record it (background hashes and queues it) and show the
 * in-page notice. Raw values never reach the DOM or the console: the notice shows
 * masked samples, the record carries `normalized` only for the background to hash.
 */
import { dismissNotice, showNotice } from '../../components/notice/notice';
import type { FindingType } from '../detect/types';
import { isBlocking } from '../policy/decide';
import type { Channel } from '../policy/vocabulary';
import { isContextInvalidated, sendToBackground } from '../content-messaging';
import type { ContentMessage } from '../messaging';
import type { DataDecision } from './decide-data';
import type { GuardEnv } from './guard-env';
import { t } from './i18n';

const TYPE_KEYS: Record<FindingType, string> = {
  mobile: 'guard_type_mobile',
  landline: 'guard_type_landline',
  service: 'guard_type_service',
  marker: 'guard_type_marker',
  'resident-id': 'guard_type_resident_id',
  'bank-card': 'guard_type_bank_card',
  email: 'guard_type_email',
};

let messagingDead = false;

/** Sends to the background; after "Extension context invalidated" stops trying, once and quietly. */
export function send(message: ContentMessage): void {
  if (messagingDead) return;
  try {
    if (!browser.runtime?.id) {
      messagingDead = true;
      return;
    }
    sendToBackground(message).catch((error: unknown) => {
      if (isContextInvalidated(error)) messagingDead = true;
    });
  } catch {
    messagingDead = true;
  }
}

export function recordDecision(env: GuardEnv, decision: DataDecision): void {
  const { verdict, findings } = decision;
  if (verdict.action === 'allow' && verdict.findingCount === 0) return;
  send({
    type: 'record-decision',
    channel: decision.channel,
    action: verdict.action,
    level: verdict.level,
    ruleId: verdict.rule?.id ?? null,
    grantId: verdict.grantId,
    origin: env.origin.slice(0, 300),
    destination: decision.destinationOrigin?.slice(0, 300) ?? null,
    findings: findings.slice(0, 50).map((finding) => ({
      type: finding.type,
      level: finding.level,
      masked: finding.masked.slice(0, 64) || '*',
      normalized: finding.normalized.slice(0, 200) || '*',
    })),
    findingCount: verdict.findingCount,
  });
}

/** "2 mobile numbers (138****5678, 139****0000), 1 classification marker (机密)". */
export function findingSummary(decision: DataDecision): string {
  const parts: string[] = [];
  const counts = decision.verdict.countsByType;
  for (const type of Object.keys(counts) as FindingType[]) {
    const samples = [...new Set(decision.findings.filter((f) => f.type === type).map((f) => f.masked))].slice(0, 3);
    parts.push(`${counts[type]} ${t(TYPE_KEYS[type])}${samples.length ? ` (${samples.join(', ')})` : ''}`);
  }
  return parts.join('; ');
}

export function notifyDecision(env: GuardEnv, decision: DataDecision, extraLines: string[] = []): void {
  const { verdict, channel } = decision;
  const blocked = isBlocking(verdict.action);
  const lines: string[] = [];
  const summary = findingSummary(decision);
  if (summary) lines.push(t('guard_found', summary));
  else if (verdict.level) lines.push(t('guard_provenance', verdict.level));
  if (verdict.level) lines.push(t('guard_level', verdict.level));
  if (verdict.rule) lines.push(t('guard_rule', verdict.rule.description ?? verdict.rule.id));
  lines.push(...extraLines);
  const doc = env.win.document;
  showNotice(doc, {
    channel,
    tone: blocked ? 'block' : 'warn',
    title: t(blocked ? 'guard_blockedTitle' : 'guard_warnTitle', t(`guard_channel_${channel}`)),
    lines,
    closeLabel: t('guard_close'),
    override:
      blocked && verdict.overridable
        ? {
            label: t('guard_requestOverride'),
            doneLabel: t('guard_overrideRequested'),
            onRequest: () => send({ type: 'open-override-request', origin: env.origin.slice(0, 300), channel }),
          }
        : undefined,
  });
}

/** Record, and show a notice when the action is stopped. */
export function report(env: GuardEnv, decision: DataDecision): void {
  recordDecision(env, decision);
  if (isBlocking(decision.verdict.action)) notifyDecision(env, decision);
}

export type { Channel };
export { dismissNotice };
