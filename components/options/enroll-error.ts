/**
 * The options page's words for a failed enrollment. The background answers with a code
 * (the server's `enrollment-code-expired` …, or its own `invalid-server-url` …); each
 * known code has a catalogue entry `options_error_<code>` in zh-CN and en.
 */
export function enrollErrorKey(code: string): string {
  return `options_error_${code.replace(/-/g, '_')}`;
}

/** The message for `code`, else the generic error line with the code (never an English server sentence). */
export function enrollErrorText(code: string, translate: (key: string, ...values: string[]) => string): string {
  const key = enrollErrorKey(code);
  const text = translate(key);
  return text && text !== key ? text : translate('popup_error', code);
}
