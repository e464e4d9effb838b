import { errorText } from '../lib/server-text';
import { useState } from 'preact/hooks';
import { login, type SessionResponse } from '../api';
import { t } from '../i18n/messages';
import { LanguageSwitch } from '../components/language-switch';

export function LoginPage({ onLogin, notice }: { onLogin: (session: SessionResponse) => void; notice?: string }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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
