import { useState } from 'preact/hooks';
import type { PopupState } from '@/utils/background/popup-state';
import { CHANNELS, type Channel } from '@/utils/policy/schema';
import { sendUiMessage } from '@/utils/messaging';
import { t, formatTime } from '@/utils/i18n';

interface Props {
  state: PopupState;
  /** Prefilled from the notice's "request override" button, else the current tab. */
  origin: string | null;
  channel: Channel;
  onChange: () => void;
}

export function OverrideForm({ state, origin, channel: initialChannel, onChange }: Props) {
  const [reason, setReason] = useState('');
  const [channel, setChannel] = useState<Channel>(initialChannel);
  const [minutes, setMinutes] = useState(Math.min(60, state.policy.maxOverrideMinutes));
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const disabledReason = !state.enrolled
    ? t('popup_overrideNeedsServer')
    : !state.policy.overridesAllowed
      ? t('popup_overrideNotAllowed')
      : null;

  async function submit(event: Event) {
    event.preventDefault();
    if (!origin || reason.trim().length < 2) return;
    setBusy(true);
    const response = await sendUiMessage<{ delivered: boolean }>({
      type: 'request-override',
      reason: reason.trim(),
      origin,
      channel,
      durationMinutes: minutes,
    });
    setBusy(false);
    setMessage(response.ok ? t(response.data.delivered ? 'popup_sent' : 'popup_queuedRequest') : t('popup_error', response.error));
    if (response.ok) setReason('');
    onChange();
  }

  return (
    <section data-testid="override">
      <h2>{t('popup_override')}</h2>
      {disabledReason ? (
        <p class="muted">{disabledReason}</p>
      ) : (
        <form onSubmit={submit}>
          <label>
            {t('popup_overrideOrigin')}
            <input name="origin" value={origin ?? ''} readOnly />
          </label>
          <label>
            {t('popup_overrideChannel')}
            <select name="channel" value={channel} onChange={(e) => setChannel(e.currentTarget.value as Channel)}>
              {CHANNELS.map((name) => (
                <option key={name} value={name}>
                  {t(`channel_${name}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('popup_overrideDuration', state.policy.maxOverrideMinutes)}
            <input
              name="minutes"
              type="number"
              min={1}
              max={state.policy.maxOverrideMinutes}
              value={minutes}
              onInput={(e) => setMinutes(Math.max(1, Math.min(state.policy.maxOverrideMinutes, Number(e.currentTarget.value) || 1)))}
            />
          </label>
          <label>
            {t('popup_overrideReason')}
            <textarea name="reason" required minLength={2} maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
          <button type="submit" disabled={busy || !origin || reason.trim().length < 2}>
            {t('popup_overrideSubmit')}
          </button>
        </form>
      )}
      {message ? <p data-testid="override-message">{message}</p> : null}
      <RequestList state={state} />
    </section>
  );
}

function RequestList({ state }: { state: PopupState }) {
  if (state.overrideRequests.length === 0 && state.activeGrants.length === 0) return null;
  return (
    <>
      <h3>{t('popup_requests')}</h3>
      <ul class="requests" data-testid="override-requests">
        {state.overrideRequests.map((request) => (
          <li key={request.id} data-state={request.state}>
            {request.origin} · {t(`channel_${request.channel}`)} ·{' '}
            {request.state === 'approved'
              ? t('popup_state_approved', formatTime(request.expiresAt))
              : request.state === 'denied'
                ? t('popup_state_denied', request.decisionNote ?? '')
                : request.state === 'failed'
                  ? t('popup_state_failed', request.decisionNote ?? '')
                  : t(`popup_state_${request.state}`)}
          </li>
        ))}
      </ul>
    </>
  );
}
