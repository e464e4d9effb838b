/**
 * The content script's side of utils/messaging.ts. Kept free of zod on purpose: it
 * runs at document_start in every frame, where building the message schemas would
 * cost start-up time inside the page's first task. The background validates every
 * message it receives with the schemas of utils/messaging.ts.
 */
import { browser } from 'wxt/browser';
import type { ContentMessage } from './messaging';

/** Sends a message from a content script; resolves undefined when the extension was reloaded. */
export async function sendToBackground(message: ContentMessage): Promise<unknown> {
  try {
    return await browser.runtime.sendMessage(message);
  } catch (error) {
    if (isContextInvalidated(error)) return undefined;
    throw error;
  }
}

/** "Extension context invalidated": the extension was updated or reloaded under a live page. */
export function isContextInvalidated(error: unknown): boolean {
  return error instanceof Error && /context invalidated|Receiving end does not exist/i.test(error.message);
}
