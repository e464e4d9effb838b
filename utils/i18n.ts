/**
 * UI text from the extension's _locales (zh_CN first, en second). Extension pages that
 * know the policy call setUiLanguage(policy.language): the popup then speaks the
 * company's language, not the language Chrome was installed in. Until then (and on the
 * options page before enrollment) browser.i18n picks by the browser's UI language.
 */
import { browser } from 'wxt/browser';
import { message } from './i18n-catalogue';
import type { Language } from './policy/vocabulary';

let uiLanguage: Language | null = null;

export function setUiLanguage(language: Language | null): void {
  uiLanguage = language;
  if (language && typeof document !== 'undefined') document.documentElement.lang = language;
}

export function currentUiLanguage(): string {
  return uiLanguage ?? browser.i18n.getUILanguage();
}

export function t(key: string, ...substitutions: (string | number)[]): string {
  const values = substitutions.map(String);
  if (uiLanguage) {
    const text = message(uiLanguage, key, values);
    if (text !== null) return text;
  }
  const text = browser.i18n.getMessage(key as never, values);
  return text || key;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return t('popup_never');
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(currentUiLanguage());
}
