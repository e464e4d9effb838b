/**
 * Users and their lifecycle: create, change role, reset password (a one-time password
 * shown once), disable / enable, delete. The server enforces the rules (last active IT
 * administrator, nothing done to oneself); the page words its refusals.
 */
import { useState } from 'preact/hooks';
import {
  createUser,
  deleteUser,
  disableUser,
  enableUser,
  getUsers,
  resetUserPassword,
  setUserRole,
  type ConsoleUser,
  type Role,
} from '../api';
import type { PageProps } from '../app';
import { Empty, ErrorBox, Loading, Notice, PageHeader } from '../components/common';
import { getLang, label, t, type MessageKey } from '../i18n/messages';
import { inLanguage } from '../../../../utils/policy/bilingual';
import { formatTime } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { ROLES } from '../../../../utils/api/permissions';
import { IdentitySettingsCard } from './identity-settings';

interface Said {
  key: MessageKey;
  values: Record<string, string>;
}
/** A role value is worded at render time, like the rest. */
const say = ({ key, values }: Said) => t(key, values.role ? { ...values, role: label('role', values.role) } : values);

function UserState({ user }: { user: ConsoleUser }) {
  if (user.disabledAt) return <span class="badge badge-warn">{t('users.state.disabled')}</span>;
  if (user.mustChangePassword) return <span class="badge badge-warn">{t('users.state.mustChange')}</span>;
  return <span>{t('users.state.active')}</span>;
}

export function UsersPage({ user: me }: PageProps) {
  const users = useLoad(() => getUsers(), []);
  const [form, setForm] = useState({ username: '', displayName: '', password: '', role: 'auditor' as Role });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Kept as key + values, not text: a language switch rewords them too.
  const [message, setMessage] = useState<Said | null>(null);
  const [rowError, setRowError] = useState<unknown>(null);
  const [rowMessage, setRowMessage] = useState<Said | null>(null);
  const [oneTime, setOneTime] = useState<{ username: string; password: string } | null>(null);

  async function create(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await createUser({ ...form, username: form.username.trim(), displayName: form.displayName.trim() });
      setMessage({ key: 'users.created', values: { username: form.username.trim() } });
      setForm({ username: '', displayName: '', password: '', role: form.role });
      users.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  /** Runs one row action after its confirmation; the server's refusal is shown above the table. */
  async function act(question: string | null, action: () => Promise<Said | null>) {
    if (question && !confirm(question)) return;
    setRowError(null);
    setRowMessage(null);
    setOneTime(null);
    try {
      setRowMessage(await action());
    } catch (failure) {
      setRowError(failure);
    }
    users.reload();
  }

  const reset = (user: ConsoleUser) =>
    act(t('users.confirmReset', { username: user.username }), async () => {
      const result = await resetUserPassword(user.id);
      setOneTime({ username: result.username, password: result.password });
      return null;
    });
  const toggle = (user: ConsoleUser) =>
    user.disabledAt
      ? act(null, async () => (await enableUser(user.id), { key: 'users.enabled', values: { username: user.username } }))
      : act(
          t('users.confirmDisable', { username: user.username }),
          async () => (await disableUser(user.id), { key: 'users.disabled', values: { username: user.username } }),
        );
  const remove = (user: ConsoleUser) =>
    act(
      t('users.confirmDelete', { username: user.username }),
      async () => (await deleteUser(user.id), { key: 'users.deleted', values: { username: user.username } }),
    );
  const changeRole = (user: ConsoleUser, role: Role) =>
    act(t('users.confirmRole', { username: user.username, role: label('role', role) }), async () => {
      await setUserRole(user.id, role);
      return { key: 'users.roleChanged', values: { username: user.username, role } };
    });

  const input = (key: 'username' | 'displayName' | 'password') => ({
    value: form[key],
    onInput: (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value }),
  });

  return (
    <div>
      <PageHeader title={t('users.title')} />
      <ErrorBox error={users.error} onRetry={users.reload} />
      <ErrorBox error={rowError} />
      {rowMessage && <Notice kind="success">{say(rowMessage)}</Notice>}
      {oneTime && (
        <div class="created-code" role="status" data-testid="one-time-password">
          <p>{t('users.resetDone', { username: oneTime.username })}</p>
          <code class="big-code">{oneTime.password}</code>
          <button type="button" class="btn btn-small no-print" onClick={() => setOneTime(null)}>
            {t('common.close')}
          </button>
        </div>
      )}
      {users.loading && !users.data && <Loading />}
      {users.data && (
        <section class="card">
          <div class="table-wrap">
            <table class="table" data-testid="users-table">
              <thead>
                <tr>
                  <th>{t('users.col.username')}</th>
                  <th>{t('users.col.displayName')}</th>
                  <th>{t('users.col.role')}</th>
                  <th>{t('users.col.state')}</th>
                  <th>{t('users.col.created')}</th>
                  <th class="no-print">{t('users.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {users.data.items.length === 0 && <Empty colSpan={6} />}
                {users.data.items.map((user) => {
                  const self = user.username === me.username;
                  return (
                    <tr key={user.id} class={user.disabledAt ? 'user-disabled' : ''} data-username={user.username}>
                      <td class="mono">
                        {user.username}
                        {self && <span class="muted">{t('users.you')}</span>}
                      </td>
                      <td>{inLanguage(user.displayName, getLang()) || '—'}</td>
                      <td>
                        {self ? (
                          label('role', user.role)
                        ) : (
                          <select
                            name="role"
                            value={user.role}
                            aria-label={t('users.col.role')}
                            onChange={(e) => {
                              const role = e.currentTarget.value as Role;
                              e.currentTarget.value = user.role; // stays until the server agrees
                              void changeRole(user, role);
                            }}
                          >
                            {ROLES.map((role) => (
                              <option key={role} value={role}>
                                {label('role', role)}
                              </option>
                            ))}
                          </select>
                        )}
                      </td>
                      <td class="nowrap">
                        <UserState user={user} />
                      </td>
                      <td class="nowrap">{formatTime(user.createdAt)}</td>
                      <td class="no-print">
                        {!self && (
                          <div class="user-actions">
                            <button type="button" class="btn btn-small" data-action="reset-password" onClick={() => reset(user)}>
                              {t('users.resetPassword')}
                            </button>
                            <button
                              type="button"
                              class="btn btn-small"
                              data-action={user.disabledAt ? 'enable' : 'disable'}
                              onClick={() => toggle(user)}
                            >
                              {user.disabledAt ? t('users.enable') : t('users.disable')}
                            </button>
                            <button type="button" class="btn btn-small btn-danger" data-action="delete" onClick={() => remove(user)}>
                              {t('users.delete')}
                            </button>
                          </div>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}
      <section class="card no-print">
        <h2>{t('users.create')}</h2>
        {message && <Notice kind="success">{say(message)}</Notice>}
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
      <IdentitySettingsCard />
    </div>
  );
}
