/**
 * The console's one message catalogue: zh-CN first (the users' language), English second.
 * `en` is typed against `zh-CN`, so a key missing in either fails the type check.
 */
import { en } from './en';
import { zhCN, type MessageKey } from './zh-cn';

export type { MessageKey };

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const messages: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

const STORAGE_KEY = 'baomi-console-lang';

function storedLang(): Lang {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return value === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

let current: Lang = storedLang();
const listeners = new Set<() => void>();

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  current = lang;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
  if (globalThis.document) document.documentElement.lang = lang;
  listeners.forEach((listener) => listener());
}

export function onLangChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Message for `key` in the current language; `{name}` placeholders are filled from params. */
export function t(key: MessageKey, params?: Record<string, string | number>, lang: Lang = current): string {
  const template = messages[lang][key] ?? messages['zh-CN'][key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** Label of a value from a closed set (level, channel, action, role …), or the value itself. */
export function label(prefix: string, value: string | null | undefined): string {
  if (value == null || value === '') return '—';
  const key = `${prefix}.${value}` as MessageKey;
  return key in messages[current] ? t(key) : value;
}
