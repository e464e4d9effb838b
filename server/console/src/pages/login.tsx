import { errorText } from '../lib/server-text';
import { useEffect, useState } from 'preact/hooks';
import { getSsoStatus, login, type SessionResponse } from '../api';
import { t } from '../i18n/messages';
import { LanguageSwitch } from '../components/language-switch';

const SSO_ERRORS = [
  'sso-no-role',
  'sso-expired',
  'oidc-refused',
  'oidc-failed',
  'oidc-not-configured',
  'oidc-unavailable',
  'oidc-identity-number',
  'account-disabled',
] as const;

function ssoErrorText(code: string): string {
  const known = SSO_ERRORS.find((c) => c === code) ?? 'oidc-failed';
  return t(`login.ssoError.${known}`);
}

export function LoginPage({ onLogin, notice }: { onLogin: (session: SessionResponse) => void; notice?: string }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState(false);
  // The server sends a failed company sign-in back here with its reason (routes/oidc.ts).
  const ssoError = new URLSearchParams(globalThis.location?.search ?? '').get('sso-error');
  useEffect(() => {
    getSsoStatus().then(
      (status) => setSso(status.enabled),
      () => setSso(false),
    );
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onLogin(await login(username.trim(), password));
    } catch (failure) {
      setError(t('login.failed', { message: errorText(failure) }));
      setBusy(false);
    }
  }

  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit} data-testid="login-form">
        <div class="login-head">
          <h1>{t('app.title')}</h1>
          <LanguageSwitch />
        </div>
        <h2>{t('login.title')}</h2>
        {notice && <p class="alert alert-warn">{notice}</p>}
        {ssoError && (
          <p class="alert alert-error" role="alert" data-testid="sso-error">
            {ssoErrorText(ssoError)}
          </p>
        )}
        {sso && (
          <>
            {/* A plain link: the login is a chain of top-level navigations through the identity provider. */}
            <a class="btn btn-primary btn-block" href="/oidc/console" data-testid="sso-login">
              {t('login.sso')}
            </a>
            <p class="muted small login-or">{t('login.or')}</p>
          </>
        )}
        <label class="field">
          <span>{t('login.username')}</span>
          <input name="username" autoComplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t('login.password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="alert alert-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
