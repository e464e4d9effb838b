/**
 * Change your own password: reachable from the header for everyone, and the only page a
 * user with a one-time password sees (the server refuses everything else until then).
 */
import { useState } from 'preact/hooks';
import { changeOwnPassword } from '../api';
import { ErrorBox, Notice, PageHeader } from '../components/common';
import { t } from '../i18n/messages';

export function ChangePasswordPage({ forced = false, onChanged }: { forced?: boolean; onChanged?: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const mismatch = again !== '' && next !== again;

  async function submit(event: Event) {
    event.preventDefault();
    if (next !== again) return;
    setBusy(true);
    setError(null);
    try {
      await changeOwnPassword(current, next);
      setDone(true);
      setCurrent('');
      setNext('');
      setAgain('');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <PageHeader title={t('password.title')} />
      {forced && !done && (
        <p class="alert alert-warn" data-testid="password-forced">
          {t('password.forced')}
        </p>
      )}
      <section class="card narrow-card">
        {done ? (
          <>
            <Notice kind="success">{t('password.changed')}</Notice>
            {onChanged && (
              <button type="button" class="btn btn-primary" onClick={onChanged} data-action="continue">
                {t('password.continue')}
              </button>
            )}
          </>
        ) : (
          <form class="stack-form" onSubmit={submit} data-testid="password-form">
            <label class="field">
              <span>{t('password.current')}</span>
              <input
                name="currentPassword"
                type="password"
                autoComplete="current-password"
                required
                value={current}
                onInput={(e) => setCurrent(e.currentTarget.value)}
              />
            </label>
            <label class="field">
              <span>{t('password.new')}</span>
              <input
                name="newPassword"
                type="password"
                autoComplete="new-password"
                required
                value={next}
                onInput={(e) => setNext(e.currentTarget.value)}
              />
            </label>
            <label class="field">
              <span>{t('password.confirm')}</span>
              <input
                name="confirmPassword"
                type="password"
                autoComplete="new-password"
                required
                value={again}
                onInput={(e) => setAgain(e.currentTarget.value)}
              />
            </label>
            <p class="muted small">{t('password.hint')}</p>
            {mismatch && (
              <p class="alert alert-error" role="alert">
                {t('password.mismatch')}
              </p>
            )}
            <ErrorBox error={error} />
            <button type="submit" class="btn btn-primary" disabled={busy || mismatch}>
              {t('password.submit')}
            </button>
          </form>
        )}
      </section>
    </div>
  );
}
