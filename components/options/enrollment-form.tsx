import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { PopupState } from '@/utils/background/popup-state';
import { sendUiMessage } from '@/utils/messaging';
import { parseEnrollmentCode } from '@/utils/api/enrollment-code';
import { setUiLanguage, t } from '@/utils/i18n';
import { loginThroughTab, OidcLoginError } from '@/utils/sync/oidc-login';
import { enrollErrorText } from './enroll-error';

/** Who the device is enrolled as, and whether that was proven (issue 27). */
function EnrolledIdentity({ enrolled }: { enrolled: NonNullable<PopupState['enrolled']> }) {
  const name = enrolled.displayName ? t('options_identity_name', enrolled.displayName, enrolled.userId) : enrolled.userId;
  const who = enrolled.department ? `${name} · ${enrolled.department}` : name;
  const how = enrolled.identitySource ? t(`options_identity_${enrolled.identitySource.replace(/-/g, '_')}`) : t('options_identity_unknown');
  return (
    <p data-testid="enrolled-identity">
      {t('options_identity', who)}{' '}
      <span class={enrolled.verified ? 'verified' : 'unverified'} data-testid="identity-badge">
        {enrolled.verified ? t('options_verified') : t('options_unverified')}
      </span>{' '}
      {how}
    </p>
  );
}

/**
 * Server URL + enrollment code, then who the user is: a login with the company account
 * (the way for staff), or — for a personal code, or where the admin switched the
 * self-declared mode on — a name typed here. The server decides which identity binds.
 */
export function EnrollmentForm() {
  const [state, setState] = useState<PopupState | null>(null);
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [userId, setUserId] = useState('');
  const [department, setDepartment] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [waiting, setWaiting] = useState(false);

  async function refresh() {
    const response = await sendUiMessage<PopupState>({ type: 'get-popup-state', tabId: null });
    if (!response.ok) return;
    // Like the popup: the company's language (the policy's, zh-CN by default), not the browser's.
    setUiLanguage(response.data.policy.language);
    setState(response.data);
  }
  useEffect(() => void refresh(), []);

  async function enrollWith(extra: { userId?: string; department?: string; oidcTicket?: string; oidcVerifier?: string }) {
    const response = await sendUiMessage({ type: 'enroll', serverUrl, code, ...extra });
    setMessage(response.ok ? { ok: true, text: t('options_ok') } : { ok: false, text: enrollErrorText(response.error, t) });
    await refresh();
  }

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    await enrollWith({ userId: userId || undefined, department: department || undefined });
    setBusy(false);
  }

  async function signIn() {
    const form = document.querySelector('form');
    if (form && !form.reportValidity()) return;
    let origin: string;
    try {
      origin = new URL(serverUrl.trim()).origin;
    } catch {
      setMessage({ ok: false, text: enrollErrorText('invalid-server-url', t) });
      return;
    }
    setBusy(true);
    setMessage(null);
    setWaiting(true);
    try {
      const { ticket, verifier } = await loginThroughTab(origin, browser.tabs);
      setWaiting(false);
      await enrollWith({ oidcTicket: ticket, oidcVerifier: verifier });
    } catch (error) {
      setMessage({ ok: false, text: enrollErrorText(error instanceof OidcLoginError ? error.code : 'oidc-failed', t) });
    }
    setWaiting(false);
    setBusy(false);
  }

  const pinned = code.trim() === '' || parseEnrollmentCode(code).keyId !== null;
  return (
    <main>
      <h1>{t('options_title')}</h1>
      {state?.managed ? <p data-testid="managed">{t('options_managed')}</p> : null}
      {state?.enrolled ? (
        <>
          <p data-testid="enrolled">{t('options_enrolled', state.enrolled.serverUrl, state.enrolled.deviceId, state.enrolled.keyId)}</p>
          <EnrolledIdentity enrolled={state.enrolled} />
        </>
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
        <button type="button" class="primary" data-testid="oidc-enroll" disabled={busy} onClick={() => void signIn()}>
          {t('options_oidc')}
        </button>
        <fieldset>
          <legend>{t('options_typed_legend')}</legend>
          <p class="hint">{t('options_typed_hint')}</p>
          <label>
            {t('options_userId')}
            <input name="userId" value={userId} onInput={(e) => setUserId(e.currentTarget.value)} />
          </label>
          <label>
            {t('options_department')}
            <input name="department" value={department} onInput={(e) => setDepartment(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={busy}>
            {t('options_enroll')}
          </button>
        </fieldset>
      </form>
      {waiting ? <p data-testid="oidc-waiting">{t('options_oidc_waiting')}</p> : null}
      {message ? (
        <p class={message.ok ? '' : 'error'} data-testid="enroll-message">
          {message.text}
        </p>
      ) : null}
    </main>
  );
}
