import { getLang, setLang, t } from '../i18n/messages';

export function LanguageSwitch() {
  return (
    <button
      type="button"
      class="btn btn-link no-print"
      data-testid="lang-switch"
      onClick={() => setLang(getLang() === 'zh-CN' ? 'en' : 'zh-CN')}
    >
      {t('app.language')}
    </button>
  );
}
