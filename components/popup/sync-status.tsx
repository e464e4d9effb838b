import { browser } from 'wxt/browser';
import type { PopupState } from '@/utils/background/popup-state';
import { t, formatTime } from '@/utils/i18n';
import { inLanguage } from '@/utils/policy/bilingual';

export function SyncStatus({ state, onSync }: { state: PopupState; onSync: () => void }) {
  return (
    <section data-testid="sync-status">
      <h2>{t('popup_sync')}</h2>
      <dl>
        <dt>{t('popup_queued')}</dt>
        <dd data-testid="queued">{state.sync.queued}</dd>
        <dt>{t('popup_lastSync')}</dt>
        <dd>
          {formatTime(state.sync.lastSyncAt)}
          {state.sync.lastError ? <span class="error"> · {state.sync.lastError}</span> : null}
        </dd>
        <dt>{t('popup_policy')}</dt>
        <dd data-testid="policy-version">
          {state.policy.builtIn
            ? t(state.enrolled ? 'popup_policyPending' : 'popup_builtInPolicy')
            : `${inLanguage(state.policy.name, state.policy.language)} · v${state.policy.version}`}
        </dd>
        <dt>{t('popup_server')}</dt>
        <dd>
          {state.enrolled ? (
            `${state.enrolled.serverUrl} · ${state.enrolled.userId}`
          ) : (
            <>
              {t('popup_notEnrolled')} ·{' '}
              <a href={browser.runtime.getURL('/options.html')} target="_blank" rel="noreferrer">
                {t('popup_enrollLink')}
              </a>
            </>
          )}
        </dd>
      </dl>
      {state.enrolled ? (
        <button type="button" onClick={onSync}>
          {t('popup_syncNow')}
        </button>
      ) : null}
    </section>
  );
}
