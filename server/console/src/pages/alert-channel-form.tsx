/**
 * The form of one approval-alert channel (add or edit). URL and secret are write-only:
 * when editing, an empty field keeps what the server holds (the field shows its hint).
 */
import { useState } from 'preact/hooks';
import type { AlertChannelInput, AlertChannelView } from '../api';
import { ErrorBox } from '../components/common';
import { t, type MessageKey } from '../i18n/messages';

export const ALERT_KINDS = ['wecom', 'dingtalk', 'feishu', 'webhook', 'email'] as const;
type Kind = (typeof ALERT_KINDS)[number];
const SECURITY = ['tls', 'starttls', 'none'] as const;
type Security = (typeof SECURITY)[number];

interface Draft {
  kind: Kind;
  name: string;
  enabled: boolean;
  url: string;
  secret: string;
  removeSecret: boolean;
  host: string;
  port: string;
  security: Security;
  username: string;
  from: string;
  to: string;
}

function draftOf(channel: AlertChannelView | null): Draft {
  const email = channel?.email;
  return {
    kind: channel?.kind ?? 'wecom',
    name: channel?.name ?? '',
    enabled: channel?.enabled ?? true,
    url: '',
    secret: '',
    removeSecret: false,
    host: email?.host ?? '',
    port: String(email?.port ?? 465),
    security: email?.security ?? 'tls',
    username: email?.username ?? '',
    from: email?.from ?? '',
    to: email?.to.join('\n') ?? '',
  };
}

/** What the server takes: omitted URL/secret keep the stored ones, `secret: null` removes it. */
export function channelInput(draft: Draft): AlertChannelInput {
  const secret = draft.removeSecret ? null : draft.secret.trim() || undefined;
  const base = { kind: draft.kind, name: draft.name.trim(), enabled: draft.enabled, ...(secret !== undefined ? { secret } : {}) };
  if (draft.kind !== 'email') return { ...base, ...(draft.url.trim() ? { url: draft.url.trim() } : {}) };
  return {
    ...base,
    email: {
      host: draft.host.trim(),
      port: Number(draft.port),
      security: draft.security,
      username: draft.username.trim(),
      from: draft.from.trim(),
      to: draft.to
        .split(/[\s,;，；]+/)
        .map((item) => item.trim())
        .filter(Boolean),
    },
  };
}

const urlHelp: Record<Exclude<Kind, 'email'>, MessageKey> = {
  wecom: 'alerts.form.urlHelp.wecom',
  dingtalk: 'alerts.form.urlHelp.dingtalk',
  feishu: 'alerts.form.urlHelp.feishu',
  webhook: 'alerts.form.urlHelp.webhook',
};
const secretHelp: Partial<Record<Kind, MessageKey>> = {
  dingtalk: 'alerts.form.secretHelp.dingtalk',
  feishu: 'alerts.form.secretHelp.feishu',
  webhook: 'alerts.form.secretHelp.webhook',
};

export function AlertChannelForm({
  channel,
  onSave,
  onCancel,
}: {
  /** null: a new channel. */
  channel: AlertChannelView | null;
  onSave: (input: AlertChannelInput) => Promise<void>;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(channel));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const text = (key: keyof Draft) => ({
    value: draft[key] as string,
    onInput: (e: Event) => set({ [key]: (e.currentTarget as HTMLInputElement).value }),
  });
  const editing = channel !== null;
  const keepsUrl = editing && channel.kind === draft.kind && channel.urlHint;
  const keepsSecret = editing && channel.hasSecret;

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSave(channelInput(draft));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card no-print" data-testid="alert-channel-form">
      <h2>{t(editing ? 'alerts.form.editTitle' : 'alerts.form.addTitle')}</h2>
      <form onSubmit={submit} class="alert-form">
        <div class="grid-fields">
          <label class="field">
            <span>{t('alerts.form.kind')}</span>
            <select name="kind" value={draft.kind} onChange={(e) => set({ kind: e.currentTarget.value as Kind })}>
              {ALERT_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`alerts.kind.${kind}`)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>{t('alerts.form.name')}</span>
            <input name="name" required maxLength={60} {...text('name')} />
          </label>
        </div>
        {draft.kind !== 'email' ? (
          <label class="field">
            <span>{t('alerts.form.url')}</span>
            <input
              name="url"
              type="url"
              class="wide"
              required={!keepsUrl}
              autoComplete="off"
              placeholder={keepsUrl ? t('alerts.form.urlKeep', { hint: channel.urlHint ?? '' }) : ''}
              {...text('url')}
            />
            <small class="hint">{t(urlHelp[draft.kind])}</small>
          </label>
        ) : (
          <div class="grid-fields">
            <label class="field">
              <span>{t('alerts.form.host')}</span>
              <input name="host" required {...text('host')} />
            </label>
            <label class="field">
              <span>{t('alerts.form.port')}</span>
              <input name="port" type="number" min={1} max={65535} required {...text('port')} />
            </label>
            <label class="field">
              <span>{t('alerts.form.security')}</span>
              <select name="security" value={draft.security} onChange={(e) => set({ security: e.currentTarget.value as Security })}>
                {SECURITY.map((value) => (
                  <option key={value} value={value}>
                    {t(`alerts.form.security.${value}`)}
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              <span>{t('alerts.form.username')}</span>
              <input name="username" autoComplete="off" {...text('username')} />
            </label>
            <label class="field">
              <span>{t('alerts.form.from')}</span>
              <input name="from" type="email" required {...text('from')} />
            </label>
            <label class="field">
              <span>{t('alerts.form.to')}</span>
              <textarea name="to" rows={2} required value={draft.to} onInput={(e) => set({ to: e.currentTarget.value })} />
            </label>
          </div>
        )}
        {draft.kind !== 'wecom' && (
          <label class="field">
            <span>{t(draft.kind === 'email' ? 'alerts.form.password' : 'alerts.form.secret')}</span>
            <input
              name="secret"
              type="password"
              class="wide"
              autoComplete="new-password"
              disabled={draft.removeSecret}
              placeholder={keepsSecret ? t('alerts.form.secretKeep') : ''}
              {...text('secret')}
            />
            {secretHelp[draft.kind] && <small class="hint">{t(secretHelp[draft.kind]!)}</small>}
          </label>
        )}
        {keepsSecret && (
          <label class="field field-inline">
            <input
              type="checkbox"
              name="removeSecret"
              checked={draft.removeSecret}
              onChange={(e) => set({ removeSecret: e.currentTarget.checked })}
            />
            <span>{t('alerts.form.secretRemove')}</span>
          </label>
        )}
        <label class="field field-inline">
          <input type="checkbox" name="enabled" checked={draft.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
          <span>{t('alerts.form.enabled')}</span>
        </label>
        <p class="hint">{t('alerts.form.writeOnly')}</p>
        <ErrorBox error={error} />
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-action="save-channel">
            {t('common.save')}
          </button>
          <button type="button" class="btn" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
