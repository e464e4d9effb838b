/**
 * The notice's texts in the policy's language, written to storage for the content
 * script (one small record read with its other keys: the content script does not
 * carry both catalogues in every frame). Rewritten whenever the active policy changes.
 */
import { browser } from 'wxt/browser';
import { templates } from '../i18n-catalogue';
import { DEFAULT_POLICY } from '../policy/default-policy';
import { policyLanguage, type Language } from '../policy/vocabulary';
import { activePolicyItem } from '../storage';
import { LOCAL_KEYS } from '../storage-keys';

export interface NoticeTexts {
  language: Language;
  /** guard_* messages with positional placeholders ($1). */
  messages: Record<string, string>;
}

export function noticeTextsFor(language: Language): NoticeTexts {
  return { language, messages: templates(language, 'guard_') };
}

export async function writeNoticeTexts(): Promise<void> {
  const policy = (await activePolicyItem.getValue())?.policy ?? DEFAULT_POLICY;
  const texts = noticeTextsFor(policyLanguage(policy));
  const stored = (await browser.storage.local.get(LOCAL_KEYS.noticeTexts))[LOCAL_KEYS.noticeTexts] as NoticeTexts | undefined;
  if (JSON.stringify(stored) === JSON.stringify(texts)) return;
  await browser.storage.local.set({ [LOCAL_KEYS.noticeTexts]: texts });
}

/** Keeps the stored texts in step with the active policy's language. */
export function followPolicyLanguage(): void {
  void writeNoticeTexts();
  activePolicyItem.watch(() => void writeNoticeTexts());
}
