import { t } from '../i18n/messages';

export function JsonEditor({
  text,
  onText,
  syntaxError,
  readOnly,
}: {
  text: string;
  onText: (text: string) => void;
  syntaxError: string | null;
  readOnly: boolean;
}) {
  return (
    <div class="json-editor">
      <p class="hint">{t('policy.jsonHint')}</p>
      {syntaxError && (
        <p class="alert alert-error" role="alert" data-testid="json-syntax-error">
          {t('policy.jsonSyntax', { message: syntaxError })}
        </p>
      )}
      <textarea
        class="json-text"
        data-testid="policy-json"
        spellcheck={false}
        readOnly={readOnly}
        value={text}
        rows={Math.min(40, Math.max(12, text.split('\n').length + 1))}
        onInput={(e) => onText(e.currentTarget.value)}
      />
    </div>
  );
}
