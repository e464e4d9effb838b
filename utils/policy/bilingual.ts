/**
 * Texts written once in both languages, "中文 / English" (the default policy's rule
 * descriptions and name): what a reader sees is one half, never a mix.
 */
import type { Language } from './vocabulary';

const HAN = /[\u4e00-\u9fff]/;

export function inLanguage(text: string, language: Language): string;
export function inLanguage(text: string | undefined | null, language: Language): string | null;
export function inLanguage(text: string | undefined | null, language: Language): string | null {
  if (!text) return null;
  const halves = text.split(' / ');
  if (halves.length < 2) return text;
  const chinese = halves.find((half) => HAN.test(half));
  const english = halves.find((half) => !HAN.test(half));
  return (language === 'zh-CN' ? (chinese ?? english) : (english ?? chinese))!.trim();
}
