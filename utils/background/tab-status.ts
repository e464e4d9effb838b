/** Per-tab page status reported by content scripts, for the popup. */
import type { PageStatusMessage, RecordDecisionMessage } from '../messaging';
import { tabStatusItem } from '../storage';

const MAX_RECENT_BLOCKS = 10;

export async function updateFrameStatus(tabId: number, frameId: number, message: PageStatusMessage): Promise<void> {
  const item = tabStatusItem(tabId);
  const status = await item.getValue();
  if (message.isTopFrame) {
    // A new top-level document: forget frames of the previous one.
    const previousTop = status.frames['0'];
    if (previousTop && previousTop.origin !== message.origin) {
      status.frames = {};
      status.recentBlocks = [];
    }
  }
  status.frames[String(frameId)] = {
    origin: message.origin,
    level: message.level,
    namedLevel: message.namedLevel ?? null,
    countsByType: message.countsByType,
    top: message.isTopFrame,
  };
  await item.setValue(status);
}

/** Remembers a block for the popup's 最近拦截 (allowed, audited or warned actions are not blocks). */
export async function noteDecision(tabId: number, message: RecordDecisionMessage): Promise<void> {
  if (message.action !== 'block' && message.action !== 'block-with-override') return;
  const item = tabStatusItem(tabId);
  const status = await item.getValue();
  status.recentBlocks = [
    {
      time: new Date().toISOString(),
      channel: message.channel,
      action: message.action,
      level: message.level,
      masked: message.findings.slice(0, 5).map((finding) => finding.masked),
      ruleId: message.ruleId,
    },
    ...status.recentBlocks,
  ].slice(0, MAX_RECENT_BLOCKS);
  await item.setValue(status);
}

export async function forgetTab(tabId: number): Promise<void> {
  await tabStatusItem(tabId).removeValue();
}
