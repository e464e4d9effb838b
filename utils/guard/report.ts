/**
 * Acting on a decision: record it (background hashes and queues it) and show the
 * in-page notice. Raw values never reach the DOM or the console: the notice shows
 * masked samples, the record carries `normalized` only for the background to hash.
 */
import { browser } from 'wxt/browser';
import { dismissNotice, showNotice } from '../../components/notice/notice';
import type { FindingType } from '../detect/types';
import { isBlocking, type Verdict } from '../policy/decide';
import { minReasonLength } from '../policy/override-reason';
import type { BlockDetail } from '../api/device-api';
import { inLanguage } from '../policy/bilingual';
import type { Channel } from '../policy/vocabulary';
import { isContextInvalidated, sendToBackground } from '../content-messaging';
import type { ContentMessage, OverrideDelivery } from '../messaging';
import type { DataDecision } from './decide-data';
import type { GuardEnv } from './guard-env';
import { noticeLanguage, t } from './i18n';

/** "2 个手机号" / "mobile number ×2": the count with its measure word. */
const COUNT_KEYS: Record<FindingType, string> = {
  mobile: 'guard_count_mobile',
  landline: 'guard_count_landline',
  service: 'guard_count_service',
  marker: 'guard_count_marker',
  'resident-id': 'guard_count_resident_id',
  'bank-card': 'guard_count_bank_card',
  email: 'guard_count_email',
};

/** How long the notice's request asks for (the policy's maximum when that is shorter). */
const REQUEST_MINUTES = 60;

let messagingDead = false;

/** Sends and waits for the answer (undefined when the extension is gone). */
async function ask(message: ContentMessage): Promise<unknown> {
  if (messagingDead) return undefined;
  try {
    if (!browser.runtime?.id) {
      messagingDead = true;
      return undefined;
    }
    return await sendToBackground(message);
  } catch (error) {
    if (isContextInvalidated(error)) messagingDead = true;
    return undefined;
  }
}

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

function decisionRecord(env: GuardEnv, decision: DataDecision) {
  const { verdict, findings } = decision;
  return {
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
    customerLevel: decision.customers?.[0]?.level ?? null,
    customerHash: decision.customers?.[0]?.customerHash ?? null,
  };
}

export function recordDecision(env: GuardEnv, decision: DataDecision): void {
  const { verdict } = decision;
  // A use counts in this frame at once (the background's stored count follows): a second
  // copy right after the first must not find the one-use grant unused.
  if (verdict.grantId) env.grantUses = { ...env.grantUses, [verdict.grantId]: (env.grantUses[verdict.grantId] ?? 0) + 1 };
  if (verdict.action === 'allow' && verdict.findingCount === 0) return;
  send({ type: 'record-decision', ...decisionRecord(env, decision) });
}

/** "机密（页面标注【机密】）": the level and why it is that level, in the notice's language. */
export function levelWithReasons(verdict: Pick<Verdict, 'level' | 'reasons'>): string {
  if (!verdict.level) return '';
  const why = verdict.reasons.map((reason) => t(`guard_reason_${reason.kind.replace('-', '_')}`, reason.level, String(reason.count ?? 0)));
  return why.length ? t('guard_levelWhy', verdict.level, why.join(t('guard_listSep'))) : verdict.level;
}

/** What was blocked, for the approver: its shape, never its values. */
function blockDetail(decision: DataDecision): BlockDetail {
  const { verdict } = decision;
  let numbers = 0;
  for (const [type, count] of Object.entries(verdict.countsByType)) if (type !== 'marker') numbers += count ?? 0;
  return {
    reasons: verdict.reasons.slice(0, 6),
    findingCount: verdict.findingCount,
    numberCount: numbers,
    customerCount: decision.customers?.length ?? 0,
    bulk: verdict.bulk,
    ...(decision.fileName ? { fileName: decision.fileName.slice(0, 255) } : {}),
    ...(decision.destinationOrigin ? { destination: decision.destinationOrigin.slice(0, 300) } : {}),
  };
}

/** "2 个手机号（138****5678、139****0000）；1 处密级标志（机密）" in the notice's language. */
export function findingSummary(decision: DataDecision): string {
  const parts: string[] = [];
  const counts = decision.verdict.countsByType;
  for (const type of Object.keys(counts) as FindingType[]) {
    const samples = [...new Set(decision.findings.filter((f) => f.type === type).map((f) => f.masked))].slice(0, 3);
    const count = t(COUNT_KEYS[type], String(counts[type]));
    parts.push(samples.length ? count + t('guard_samples', samples.join(t('guard_sampleSep'))) : count);
  }
  return parts.join(t('guard_listSep'));
}

function deliveryText(answer: unknown): { text: string; settled: boolean; state: string } {
  const delivery = answer as OverrideDelivery | undefined;
  if (delivery?.ok) return { text: t(delivery.state === 'sent' ? 'guard_sent' : 'guard_queued'), settled: true, state: delivery.state };
  if (delivery?.error === 'not-enrolled') return { text: t('guard_sendNotEnrolled'), settled: true, state: 'failed' };
  if (delivery?.error === 'overrides-disabled') return { text: t('guard_sendNotAllowed'), settled: true, state: 'failed' };
  return { text: t('guard_sendFailed'), settled: false, state: 'failed' };
}

/**
 * The notice for a decision: what was stopped (title), what was found, why (the rule in
 * the notice's language), what to do and who approves; when the block may be excepted,
 * a reason field that sends the request from the notice itself (scope: this origin,
 * channel and level), and always a "report a false positive" action.
 */
export function notifyDecision(env: GuardEnv, decision: DataDecision, extraLines: string[] = []): void {
  const { verdict, channel } = decision;
  const blocked = isBlocking(verdict.action);
  const lines: string[] = [];
  const summary = findingSummary(decision);
  if (summary) lines.push(t('guard_found', summary));
  else if (verdict.level) lines.push(t('guard_provenance', verdict.level));
  if (verdict.level) lines.push(t('guard_level', levelWithReasons(verdict)));
  const why = inLanguage(verdict.rule?.description, noticeLanguage());
  if (why) lines.push(t('guard_why', why));
  lines.push(...extraLines);
  const origin = env.origin.slice(0, 300);
  const overridable = blocked && verdict.overridable;
  const minutes = Math.min(REQUEST_MINUTES, env.policy.overrides.maxDurationMinutes);
  const minReason = minReasonLength(env.policy);
  if (blocked) {
    // Promise only what a grant does: by default this content, once (issue 26).
    lines.push(overridable ? t('guard_whatToDoOverride', String(minutes)) : t('guard_whatToDoBlock'));
    if (overridable) lines.push(t('guard_whoApproves'));
  }
  const masked = [...new Set(decision.findings.map((finding) => finding.masked.slice(0, 64)).filter(Boolean))].slice(0, 5);
  const doc = env.win.document;
  showNotice(doc, {
    channel,
    tone: blocked ? 'block' : 'warn',
    title: t(blocked ? 'guard_blockedTitle' : 'guard_warnTitle', t(`guard_channel_${channel}`)),
    lines,
    closeLabel: t('guard_close'),
    request: overridable
      ? {
          label: t('guard_reasonLabel', String(minReason)),
          placeholder: t('guard_reasonPlaceholder'),
          sendLabel: t('guard_send'),
          sendingLabel: t('guard_sending'),
          minLength: minReason,
          tooShort: t('guard_reasonTooShort', String(minReason)),
          onSend: async (reason) =>
            deliveryText(
              await ask({
                type: 'send-override-request',
                origin,
                channel,
                level: verdict.level,
                ruleId: verdict.rule?.id ?? null,
                reason,
                masked,
                detail: blockDetail(decision),
                findings: decision.findings.slice(0, 500).map((finding) => ({
                  type: finding.type,
                  normalized: finding.normalized.slice(0, 200),
                })),
              }),
            ),
        }
      : undefined,
    falsePositive: blocked
      ? {
          label: t('guard_falsePositive'),
          onReport: async () => {
            const answer = (await ask({ type: 'report-false-positive', ...decisionRecord(env, decision) })) as { ok?: boolean } | undefined;
            return answer?.ok ? { text: t('guard_falsePositiveSent'), ok: true } : { text: t('guard_falsePositiveFailed'), ok: false };
          },
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
