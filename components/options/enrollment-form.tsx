import { useEffect, useState } from 'preact/hooks';
import type { PopupState } from '@/utils/background/popup-state';
import { sendUiMessage } from '@/utils/messaging';
import { parseEnrollmentCode } from '@/utils/api/enrollment-code';
import { setUiLanguage, t } from '@/utils/i18n';
import { enrollErrorText } from './enroll-error';

/** Server URL + enrollment code (+ who the user is). The code's fingerprint pins the server key. */
export function EnrollmentForm() {
  const [state, setState] = useState<PopupState | null>(null);
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [userId, setUserId] = useState('');
  const [department, setDepartment] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function refresh() {
    const response = await sendUiMessage<PopupState>({ type: 'get-popup-state', tabId: null });
    if (!response.ok) return;
    // Like the popup: the company's language (the policy's, zh-CN by default), not the browser's.
    setUiLanguage(response.data.policy.language);
    setState(response.data);
  }
  useEffect(() => void refresh(), []);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    const response = await sendUiMessage({ type: 'enroll', serverUrl, code, userId, department: department || undefined });
    setBusy(false);
    setMessage(response.ok ? { ok: true, text: t('options_ok') } : { ok: false, text: enrollErrorText(response.error, t) });
    await refresh();
  }

  const pinned = code.trim() === '' || parseEnrollmentCode(code).keyId !== null;
  return (
    <main>
      <h1>{t('options_title')}</h1>
      {state?.managed ? <p data-testid="managed">{t('options_managed')}</p> : null}
      {state?.enrolled ? (
        <p data-testid="enrolled">{t('options_enrolled', state.enrolled.serverUrl, state.enrolled.deviceId, state.enrolled.keyId)}</p>
      ) : null}
      <form onSubmit={submit}>
        <label>
          {t('options_serverUrl')}
          <input
            name="serverUrl"
            type="url"
            required
            placeholder="https://baomi.example.com"
            value={serverUrl}
            onInput={(e) => setServerUrl(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('options_code')}
          <input name="code" required value={code} onInput={(e) => setCode(e.currentTarget.value)} />
        </label>
        {pinned ? null : <p class="error">{t('options_tofu')}</p>}
        <label>
          {t('options_userId')}
          <input name="userId" required value={userId} onInput={(e) => setUserId(e.currentTarget.value)} />
        </label>
        <label>
          {t('options_department')}
          <input name="department" value={department} onInput={(e) => setDepartment(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy}>
          {t('options_enroll')}
        </button>
      </form>
      {message ? (
        <p class={message.ok ? '' : 'error'} data-testid="enroll-message">
          {message.text}
        </p>
      ) : null}
    </main>
  );
}
