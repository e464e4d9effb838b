/**
 * The extension's own message catalogues (public/_locales), read directly rather than
 * through browser.i18n: the notice and the popup speak the policy's language
 * (policy.language, zh-CN by default), whatever language the browser was installed in.
 * Imported by the background and extension pages only, never by the content script
 * (it gets the notice texts it needs through storage: background/notice-texts.ts).
 */
import en from '../public/_locales/en/messages.json';
import zhCN from '../public/_locales/zh_CN/messages.json';
import type { Language } from './policy/vocabulary';

interface CatalogueEntry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}
type Catalogue = Record<string, CatalogueEntry>;

const CATALOGUES: Record<Language, Catalogue> = { 'zh-CN': zhCN as Catalogue, en: en as Catalogue };

/**
 * The message with its named placeholders ($VALUE$) resolved to positional ones ($1),
 * as chrome.i18n does; null for an unknown key.
 */
export function template(language: Language, key: string): string | null {
  const entry = CATALOGUES[language][key];
  if (!entry) return null;
  const placeholders = entry.placeholders ?? {};
  return entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => placeholders[name.toLowerCase()]?.content ?? whole);
}

/** Fills $1…$9 (and $$ → $), like chrome.i18n.getMessage. */
export function fill(message: string, substitutions: readonly string[]): string {
  return message.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : (substitutions[Number(which) - 1] ?? '')));
}

export function message(language: Language, key: string, substitutions: readonly string[] = []): string | null {
  const text = template(language, key);
  return text === null ? null : fill(text, substitutions);
}

/** Every key starting with `prefix`, as templates with positional placeholders. */
export function templates(language: Language, prefix: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of Object.keys(CATALOGUES[language])) if (key.startsWith(prefix)) result[key] = template(language, key)!;
  return result;
}
