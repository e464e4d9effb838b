/**
 * Both sides learn an override's outcome in seconds (issue 26 item 4). While a request is
 * pending the background asks the server every few seconds, backing off (3 s for the first
 * minute, then 5, 10, 20 s; after 30 minutes only the regular sync asks). When a request is
 * decided — by this poll, a sync, or "sync now" — the person is told: a browser notification
 * and, in the page that asked, a notice saying what the grant allows and until when (or why
 * it was denied). The outcome is read from the stored requests, so whoever polled, it is told once.
 */
import { browser } from 'wxt/browser';
import { message } from '../i18n-catalogue';
import type { Language } from '../policy/vocabulary';
import { policyLanguage } from '../policy/vocabulary';
import { grantScopeWords } from '../policy/grant-words';
import type { OverrideRequestRecord } from '../storage';
import { activePolicy, overrideRequestsItem } from '../storage';

/** How long to wait before the next fast poll, `elapsed` ms after it started; null: stop. */
export function fastPollDelay(elapsed: number): number | null {
  if (elapsed < 60_000) return 3_000;
  if (elapsed < 3 * 60_000) return 5_000;
  if (elapsed < 10 * 60_000) return 10_000;
  if (elapsed < 30 * 60_000) return 20_000;
  return null;
}

const DECIDED = new Set(['approved', 'denied']);

/** Requests that were open in `before` and are decided in `after`. */
export function newlyDecided(before: readonly OverrideRequestRecord[], after: readonly OverrideRequestRecord[]): OverrideRequestRecord[] {
  const previous = new Map(before.map((request) => [request.id, request.state]));
  return after.filter((request) => {
    const was = previous.get(request.id);
    return DECIDED.has(request.state) && (was === 'pending' || was === 'queued');
  });
}

/** What the page's notice and the notification say about a decided request, in the policy's language. */
export interface OutcomeMessage {
  type: 'override-decided';
  requestId: string;
  approved: boolean;
  title: string;
  lines: string[];
}

function words(language: Language, key: string, ...values: string[]): string {
  return message(language, `guard_${key}`, values) ?? '';
}

function localTime(iso: string, language: Language): string {
  return new Date(iso).toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN', {
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function outcomeMessage(request: OverrideRequestRecord, language: Language): OutcomeMessage {
  const channel = words(language, `channel_${request.channel}`) || request.channel;
  const approved = request.state === 'approved';
  const lines: string[] = [];
  if (approved && request.grant) {
    const scope = grantScopeWords(request.grant, channel)
      .map((word) => words(language, word.key, ...word.values))
      .join(words(language, 'scopeSep'));
    lines.push(words(language, 'outcomeAllows', scope));
    lines.push(words(language, 'outcomeUntil', localTime(request.grant.expiresAt, language)));
    if (request.grant.approver) lines.push(words(language, 'outcomeApprover', request.grant.approver));
  }
  if (request.decisionNote) lines.push(words(language, 'outcomeNote', request.decisionNote));
  lines.push(words(language, 'outcomeRequest', request.reason));
  return {
    type: 'override-decided',
    requestId: request.id,
    approved,
    title: words(language, approved ? 'outcomeApprovedTitle' : 'outcomeDeniedTitle', channel),
    lines,
  };
}

async function announce(request: OverrideRequestRecord): Promise<void> {
  const language = policyLanguage(await activePolicy());
  const outcome = outcomeMessage(request, language);
  if (request.tabId !== undefined) {
    // The frame that asked, else the tab's top frame (the asking frame may have gone).
    for (const frameId of [...new Set([request.frameId ?? 0, 0])]) {
      const shown = await browser.tabs
        .sendMessage(request.tabId, outcome, { frameId })
        .then((answer) => (answer as { shown?: boolean } | undefined)?.shown === true)
        .catch(() => false);
      if (shown) break;
    }
  }
  await browser.notifications
    ?.create(`baomi-override-${request.id}`, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon-128.png' as never),
      title: outcome.title,
      message: outcome.lines.join('\n'),
    })
    .catch(() => undefined);
}

export interface OutcomeWatch {
  /** A request was sent or is pending: poll fast until it is decided (or 30 minutes pass). */
  pollSoon(): void;
}

/** Follows stored requests (announces decisions) and runs the fast poll while any is pending. */
export function watchOverrideOutcomes(poll: () => Promise<void>, now: () => number = Date.now): OutcomeWatch {
  overrideRequestsItem.watch((after, before) => {
    for (const request of newlyDecided(before ?? [], after ?? [])) void announce(request);
    // A request queued offline and sent by a later sync is now pending: follow it closely too.
    const was = new Map((before ?? []).map((request) => [request.id, request.state]));
    if ((after ?? []).some((request) => request.state === 'pending' && was.get(request.id) === 'queued')) pollSoon();
  });

  let startedAt: number | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  async function tick(): Promise<void> {
    timer = undefined;
    const requests = await overrideRequestsItem.getValue();
    if (!requests.some((request) => request.state === 'pending')) {
      startedAt = null;
      return;
    }
    // Each poll calls extension APIs, which also keeps a Chrome service worker awake meanwhile.
    await poll().catch(() => undefined);
    const delay = startedAt === null ? null : fastPollDelay(now() - startedAt);
    if (delay === null) startedAt = null;
    else timer = setTimeout(() => void tick(), delay);
  }
  function pollSoon(): void {
    startedAt = now();
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), 1_000);
  }
  return { pollSoon };
}
