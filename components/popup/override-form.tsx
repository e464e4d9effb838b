import { useState } from 'preact/hooks';
import type { PopupState } from '@/utils/background/popup-state';
import { CHANNELS, type Channel } from '@/utils/policy/schema';
import { sendUiMessage } from '@/utils/messaging';
import { t, formatTime } from '@/utils/i18n';
import { grantScopeWords, type GrantScopeFields } from '@/utils/policy/grant-words';
import { reasonLength } from '@/utils/policy/override-reason';

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
  // The field's own text: what is shown is what is sent (checked on submit, never clamped behind the user's back).
  const [minutesText, setMinutesText] = useState(String(Math.min(60, state.policy.maxOverrideMinutes)));
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [another, setAnother] = useState(false);

  const disabledReason = !state.enrolled
    ? t('popup_overrideNeedsServer')
    : !state.policy.overridesAllowed
      ? t('popup_overrideNotAllowed')
      : null;

  const active = origin ? state.activeGrants.filter((grant) => grant.origin === origin) : [];
  // The form waits behind a button only when a grant already covers this very action; for
  // another action (or when asked for) it is there beside the grants in force.
  const covered = active.some((grant) => grant.channel === channel);
  const minReason = state.policy.minReasonLength;
  // The latest block of this channel on the tab, for the request's level.
  const level = state.tab?.recentBlocks.find((block) => block.channel === channel)?.level ?? null;

  async function submit(event: Event) {
    event.preventDefault();
    if (!origin) return;
    if (reasonLength(reason) < minReason) {
      setMessage(t('popup_reasonTooShort', minReason));
      return;
    }
    const minutes = Number(minutesText);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > state.policy.maxOverrideMinutes) {
      setMessage(t('popup_durationInvalid', state.policy.maxOverrideMinutes));
      return;
    }
    setBusy(true);
    const response = await sendUiMessage<{ delivered: boolean }>({
      type: 'request-override',
      reason: reason.trim(),
      origin,
      channel,
      durationMinutes: minutes,
      level: level as '秘密' | '机密' | '绝密' | null,
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
      ) : covered && !another ? (
        <>
          <ActiveGrants grants={active} />
          <button type="button" class="link" data-testid="request-another" onClick={() => setAnother(true)}>
            {t('popup_requestAnother')}
          </button>
        </>
      ) : (
        <>
          <ActiveGrants grants={active} />
          <form onSubmit={submit} noValidate>
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
                step={1}
                value={minutesText}
                onInput={(e) => setMinutesText(e.currentTarget.value)}
              />
            </label>
            <label>
              {t('popup_overrideReason')}
              <textarea name="reason" maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
            </label>
            <button type="submit" disabled={busy || !origin}>
              {t('popup_overrideSubmit')}
            </button>
          </form>
        </>
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
        {/* The newest few: the rest are in the console's records. */}
        {state.overrideRequests.slice(0, 3).map((request) => (
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

/** The grant's scope in the same words as the notice and the approver's preview. */
function scopeText(grant: GrantScopeFields): string {
  return grantScopeWords(grant, t(`channel_${grant.channel}`))
    .map((word) => t(`guard_${word.key}`, ...word.values))
    .join(t('guard_scopeSep'));
}

/** Grants in force on this site: what each allows and until when (a content grant: how often it was used). */
function ActiveGrants({ grants }: { grants: PopupState['activeGrants'] }) {
  return (
    <>
      {grants.map((grant, index) => (
        <p key={index} data-testid="grant-active">
          {t('popup_grantActive', scopeText(grant), formatTime(grant.expiresAt))}
          {grant.scope === 'content' && grant.used > 0 ? ` ${t('popup_grantUsed', grant.used)}` : ''}
        </p>
      ))}
    </>
  );
}
