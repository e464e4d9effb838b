/**
 * The decision on an override request, shown in the page that asked (issue 26 item 4):
 * the background words it (utils/background/override-outcomes.ts) and sends it to the
 * asking frame; approved shows what the grant allows and until when, denied shows the note.
 */
import { browser } from 'wxt/browser';
import { showNotice } from '../../components/notice/notice';
import type { GuardEnv } from './guard-env';
import { t } from './i18n';

interface OutcomeMessage {
  type: 'override-decided';
  approved: boolean;
  title: string;
  lines: string[];
}

function isOutcome(message: unknown): message is OutcomeMessage {
  const candidate = message as Partial<OutcomeMessage> | null;
  return (
    candidate?.type === 'override-decided' &&
    typeof candidate.approved === 'boolean' &&
    typeof candidate.title === 'string' &&
    Array.isArray(candidate.lines) &&
    candidate.lines.every((line) => typeof line === 'string')
  );
}

export function listenForOverrideOutcomes(env: GuardEnv, signal: AbortSignal): void {
  try {
    const listener = (message: unknown, _sender: unknown, sendResponse: (response: unknown) => void): true | undefined => {
      if (!isOutcome(message)) return undefined;
      showNotice(
        env.win.document,
        {
          channel: 'override',
          tone: message.approved ? 'ok' : 'block',
          title: message.title,
          lines: message.lines.slice(0, 8),
          closeLabel: t('guard_close'),
        },
        { timeoutMs: 30_000 },
      );
      sendResponse({ shown: true });
      return undefined;
    };
    browser.runtime.onMessage.addListener(listener);
    signal.addEventListener('abort', () => browser.runtime.onMessage.removeListener(listener), { once: true });
  } catch {
    // extension context already gone
  }
}
