import { useState } from 'preact/hooks';
import { createUser, getUsers, type Role } from '../api';
import { Empty, ErrorBox, Loading, Notice, PageHeader } from '../components/common';
import { label, t } from '../i18n/messages';
import { formatTime } from '../lib/format';
import { useLoad } from '../lib/use-load';

const ROLES: Role[] = ['it-admin', 'info-officer', 'approver', 'auditor'];

export function UsersPage() {
  const users = useLoad(() => getUsers(), []);
  const [form, setForm] = useState({ username: '', displayName: '', password: '', role: 'auditor' as Role });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);

  async function create(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await createUser({ ...form, username: form.username.trim(), displayName: form.displayName.trim() });
      setMessage(t('users.created', { username: form.username.trim() }));
      setForm({ username: '', displayName: '', password: '', role: form.role });
      users.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const input = (key: 'username' | 'displayName' | 'password') => ({
    value: form[key],
    onInput: (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value }),
  });

  return (
    <div>
      <PageHeader title={t('users.title')} />
      <ErrorBox error={users.error} onRetry={users.reload} />
      {users.loading && !users.data && <Loading />}
      {users.data && (
        <section class="card">
          <table class="table" data-testid="users-table">
            <thead>
              <tr>
                <th>{t('users.col.username')}</th>
                <th>{t('users.col.displayName')}</th>
                <th>{t('users.col.role')}</th>
                <th>{t('users.col.created')}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.length === 0 && <Empty colSpan={4} />}
              {users.data.items.map((user) => (
                <tr key={user.username}>
                  <td class="mono">{user.username}</td>
                  <td>{user.displayName || '—'}</td>
                  <td>{label('role', user.role)}</td>
                  <td class="nowrap">{formatTime(user.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <section class="card no-print">
        <h2>{t('users.create')}</h2>
        {message && <Notice kind="success">{message}</Notice>}
        <form class="inline-form" onSubmit={create} data-testid="user-form">
          <label class="field">
            <span>{t('users.col.username')}</span>
            <input name="username" required autoComplete="off" {...input('username')} />
          </label>
          <label class="field">
            <span>{t('users.col.displayName')}</span>
            <input name="displayName" required {...input('displayName')} />
          </label>
          <label class="field">
            <span>{t('users.password')}</span>
            <input name="password" type="password" required autoComplete="new-password" {...input('password')} />
          </label>
          <label class="field">
            <span>{t('users.col.role')}</span>
            <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {label('role', role)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="btn btn-primary" disabled={busy}>
            {t('users.create')}
          </button>
        </form>
        <ErrorBox error={error} />
      </section>
    </div>
  );
}
