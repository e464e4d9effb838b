/** UI text from the extension's _locales (zh_CN first, en second). */
export function t(key: string, ...substitutions: (string | number)[]): string {
  const message = browser.i18n.getMessage(key as never, substitutions.map(String));
  return message || key;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return t('popup_never');
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(browser.i18n.getUILanguage());
}
