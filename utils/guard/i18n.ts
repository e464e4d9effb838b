/**
 * Notice texts through browser.i18n (public/_locales). Read once and cached, so a
 * notice still has words after "Extension context invalidated" (the extension was
 * updated under a live page and extension APIs throw).
 */
import { browser } from 'wxt/browser';
import { whenIdle, type IdleTask } from '../dom/yield-to-page';

const FALLBACK: Record<string, string> = {
  guard_blockedTitle: 'Blocked: $1',
  guard_warnTitle: 'Recorded: $1',
  guard_found: 'Found: $1',
  guard_provenance: 'Taken from a page marked $1',
  guard_level: 'Level: $1',
  guard_rule: 'Rule: $1',
  guard_requestOverride: 'Request override',
  guard_overrideRequested: 'Request sent to your approver',
  guard_close: 'Close',
  guard_clipboardBlocked: '[Baomi Guard] Copy blocked: this selection contains customer information.',
  guard_printBlocked: 'Printing this page is blocked (Baomi Guard).',
  guard_printWatermarked: 'This page prints as a controlled document (watermarked).',
  guard_channel_copy: 'copy',
  guard_channel_cut: 'cut',
  guard_channel_drag: 'drag',
  guard_channel_paste: 'paste',
  guard_channel_submit: 'form submission',
  guard_channel_request: 'sending data',
  guard_channel_print: 'print',
  guard_channel_upload: 'upload',
  guard_channel_download: 'download',
  guard_fileName: 'File: $1',
  guard_fileUnreadable: 'The file could not be read ($1); decided by the page it came from.',
  guard_unreadable_too_large: 'larger than the policy lets the guard read',
  guard_unreadable_expanded_too_far: 'it expands past the limit; a zip bomb is likely',
  guard_unreadable_corrupt: 'damaged or incomplete',
  guard_unreadable_unreadable_format: 'this format cannot be read',
  guard_unreadable_unmapped_text: 'the PDF text cannot be recovered',
  guard_unreadable_server: 'sent by a server; browsers do not let extensions read it',
  guard_type_mobile: 'mobile numbers',
  guard_type_landline: 'landline numbers',
  guard_type_service: 'service numbers',
  guard_type_marker: 'classification markers',
  guard_type_resident_id: 'ID numbers',
  guard_type_bank_card: 'bank cards',
  guard_type_email: 'e-mail addresses',
  guard_count_mobile: 'mobile number ×$1',
  guard_count_landline: 'landline number ×$1',
  guard_count_service: 'service number ×$1',
  guard_count_marker: 'classification marker ×$1',
  guard_count_resident_id: 'ID number ×$1',
  guard_count_bank_card: 'bank card number ×$1',
  guard_count_email: 'e-mail address ×$1',
  guard_samples: ' ($1)',
  guard_sampleSep: ', ',
  guard_listSep: '; ',
  guard_why: 'Why: $1',
  guard_whatToDoOverride:
    'What to do: if your work needs it, give a reason below and ask for a temporary exception ($1 minutes once approved).',
  guard_whatToDoBlock: 'What to do: this action cannot be excepted; if in doubt, ask your information officer.',
  guard_whoApproves: 'Who approves: your department head or the information officer.',
  guard_reasonLabel: 'Reason (required)',
  guard_reasonPlaceholder: '',
  guard_send: 'Send request',
  guard_sending: 'Sending…',
  guard_sent: 'Your request reached the server and awaits approval.',
  guard_queued: 'The server cannot be reached: your request is saved and will be sent automatically.',
  guard_sendNotEnrolled: 'This device is not enrolled with a server.',
  guard_sendNotAllowed: 'The current policy does not allow exceptions.',
  guard_sendFailed: 'The request could not be filed; try again later.',
  guard_reasonTooShort: 'Please give a reason first (at least 2 characters).',
  guard_falsePositive: 'Report a false positive',
  guard_falsePositiveSent: 'Reported as a false positive, thank you.',
  guard_falsePositiveFailed: 'The report could not be filed; try again later.',
};

export type GuardMessageKey = keyof typeof FALLBACK;

const cache = new Map<string, string>();
const SLOT = '\u0001';
/** A second placeholder ($2), for messages that say two things (a level and its reason). */
const SLOT2 = '\u0002';
/** The policy's language's texts (background/notice-texts.ts, via storage); null: browser.i18n. */
let policyTexts: Record<string, string> | null = null;
let policyTextsLanguage: string | null = null;

/** Called by guard-storage with the stored notice texts (or null when there are none). */
export function setNoticeTexts(texts: { language?: unknown; messages?: unknown } | null): void {
  const messages = texts?.messages;
  policyTexts = messages && typeof messages === 'object' ? (messages as Record<string, string>) : null;
  policyTextsLanguage = policyTexts && typeof texts?.language === 'string' ? texts.language : null;
}

/** 'zh-CN' or 'en': the notice's language (the policy's, else the browser's). */
export function noticeLanguage(): 'zh-CN' | 'en' {
  if (policyTextsLanguage === 'en' || policyTextsLanguage === 'zh-CN') return policyTextsLanguage;
  let ui = '';
  try {
    ui = browser.i18n.getUILanguage();
  } catch {
    // context invalidated
  }
  return ui.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function lookup(key: string): string {
  const fromPolicy = policyTexts?.[key];
  if (typeof fromPolicy === 'string' && fromPolicy) return fromPolicy.replace('$1', SLOT).replace('$2', SLOT2);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let message = '';
  try {
    // Substitute a marker so the template can be cached and filled in later.
    message = browser.i18n.getMessage(key as never, [SLOT, SLOT2]) ?? '';
  } catch {
    // Extension context invalidated: keep the fallback, quietly.
  }
  const value = message || (FALLBACK[key] ?? key).replace('$1', SLOT).replace('$2', SLOT2);
  cache.set(key, value);
  return value;
}

/**
 * Reads every guard message while the extension context is valid, in the page's idle
 * time, a few messages per idle period: the first
 * getMessage calls of a frame cost milliseconds each (~40 ms for all of them on the
 * benchmark pages), too much for one task on a busy page.
 */
export function preloadMessagesWhenIdle(win: Window): void {
  const keys = Object.keys(FALLBACK);
  const work: IdleTask = (deadline) => {
    do lookup(keys.pop()!);
    while (keys.length > 0 && deadline.timeRemaining() > 3);
    if (keys.length > 0) whenIdle(win, work);
  };
  whenIdle(win, work);
}

export function t(key: string, substitution?: string, second?: string): string {
  const message = lookup(key);
  return message.replace(SLOT, substitution ?? '').replace(SLOT2, second ?? '');
}

export const GUARD_MESSAGE_KEYS = Object.keys(FALLBACK);
