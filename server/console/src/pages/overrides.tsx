import { useState } from 'preact/hooks';
import { approveOverride, denyOverride, getOverrides, getPolicy, type OverrideItem, type OverrideState } from '../api';
import type { PageProps } from '../app';
import { Empty, ErrorBox, Loading, Notice, PageHeader } from '../components/common';
import { label, t, type MessageKey } from '../i18n/messages';
import { formatTime, shortId } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { can } from '../permissions';

const STATES: OverrideState[] = ['pending', 'approved', 'denied', 'expired'];

export function OverridesPage({ user }: PageProps) {
  const [state, setState] = useState<OverrideState>('pending');
  const [message, setMessage] = useState<string | null>(null);
  const list = useLoad(() => getOverrides(state), [state]);
  // Approvers may not read the policy; then the server alone enforces the maximum.
  const policy = useLoad(
    () => (can(user.role, 'policy.view') ? getPolicy().then((r) => r.current?.policy.overrides.maxDurationMinutes ?? null) : Promise.resolve(null)).catch(() => null),
    [],
  );
  const maxMinutes = policy.data ?? null;

  return (
    <div>
      <PageHeader title={t('overrides.title')}>
        <button type="button" class="btn" onClick={list.reload}>
          {t('common.refresh')}
        </button>
      </PageHeader>
      <div class="tabs" role="tablist">
        {STATES.map((candidate) => (
          <button
            key={candidate}
            type="button"
            role="tab"
            aria-selected={candidate === state}
            class={candidate === state ? 'tab active' : 'tab'}
            data-state={candidate}
            onClick={() => {
              setMessage(null);
              setState(candidate);
            }}
          >
            {t(`overrides.state.${candidate}` as MessageKey)}
          </button>
        ))}
      </div>
      {message && <Notice kind="success">{message}</Notice>}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <div class="table-wrap">
          <table class="table overrides-table" data-testid={`overrides-${state}`}>
            <thead>
              <tr>
                <th>{t('overrides.col.requestedAt')}</th>
                <th>{t('overrides.col.user')}</th>
                <th>{t('overrides.col.device')}</th>
                <th>
                  {t('overrides.col.origin')} · {t('overrides.col.channel')}
                </th>
                <th>{t('overrides.col.reason')}</th>
                <th>{t('overrides.col.duration')}</th>
                {state === 'pending' ? (
                  <th>{t('overrides.col.decision')}</th>
                ) : (
                  <>
                    <th>
                      {t('overrides.col.decidedBy')} · {t('overrides.col.decidedAt')}
                    </th>
                    <th>{t('overrides.col.note')}</th>
                    <th>{t('overrides.col.expiresAt')}</th>
                  </>
                )}
              </tr>
            </thead>
            <tbody>
              {list.data.items.length === 0 && <Empty colSpan={state === 'pending' ? 7 : 9} />}
              {list.data.items.map((item) => (
                <tr key={item.id} data-override-id={item.id}>
                  <td class="nowrap">{formatTime(item.requestedAt)}</td>
                  <td>{item.userId}</td>
                  <td class="mono small nowrap" title={item.deviceId}>
                    {shortId(item.deviceId)}
                  </td>
                  <td>
                    <span class="mono small">{item.origin}</span>
                    <div>{label('channel', item.channel)}</div>
                  </td>
                  <td class="reason">{item.reason}</td>
                  <td class="num nowrap">
                    {item.durationMinutes} {t('common.minutes')}
                  </td>
                  {state === 'pending' ? (
                    <td>
                      <DecisionForm
                        item={item}
                        maxMinutes={maxMinutes}
                        onDone={(text) => {
                          setMessage(text);
                          list.reload();
                        }}
                      />
                    </td>
                  ) : (
                    <>
                      <td class="nowrap">
                        {item.decidedBy ?? '—'}
                        <div class="small muted">{formatTime(item.decidedAt)}</div>
                      </td>
                      <td>{item.decisionNote ?? '—'}</td>
                      <td class="nowrap">{formatTime(item.expiresAt)}</td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function DecisionForm({ item, maxMinutes, onDone }: { item: OverrideItem; maxMinutes: number | null; onDone: (message: string) => void }) {
  const initial = maxMinutes ? Math.min(item.durationMinutes, maxMinutes) : item.durationMinutes;
  const [duration, setDuration] = useState(String(initial));
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [mode, setMode] = useState<'approve' | 'deny'>('approve');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const minutes = Number(duration);
  const tooLong = maxMinutes !== null && minutes > maxMinutes;
  const durationValid = Number.isInteger(minutes) && minutes >= 1 && !tooLong;

  async function run(action: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone(done);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  return (
    <div class="decision">
      <div class="segmented" role="radiogroup">
        <label>
          <input type="radio" name={`mode-${item.id}`} checked={mode === 'approve'} onChange={() => setMode('approve')} /> {t('overrides.approve')}
        </label>
        <label>
          <input type="radio" name={`mode-${item.id}`} checked={mode === 'deny'} onChange={() => setMode('deny')} data-action="deny-mode" /> {t('overrides.deny')}
        </label>
      </div>
      {mode === 'approve' ? (
        <form
          class="decision-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (durationValid) void run(() => approveOverride(item.id, minutes, note.trim()), t('overrides.approved'));
          }}
        >
          <label class="field">
            <span>{maxMinutes ? t('overrides.duration', { max: maxMinutes }) : t('overrides.durationNoMax')}</span>
            <input type="number" min={1} max={maxMinutes ?? undefined} step={1} value={duration} onInput={(e) => setDuration(e.currentTarget.value)} name="durationMinutes" />
          </label>
          {tooLong && <p class="field-errors">{t('overrides.durationTooLong', { max: maxMinutes ?? 0 })}</p>}
          <label class="field">
            <span>{t('overrides.note')}</span>
            <input value={note} maxLength={1000} onInput={(e) => setNote(e.currentTarget.value)} name="note" />
          </label>
          <button type="submit" class="btn btn-primary" disabled={busy || !durationValid} data-action="approve">
            {t('overrides.approve')}
          </button>
        </form>
      ) : (
        <form
          class="decision-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) void run(() => denyOverride(item.id, reason.trim()), t('overrides.denied'));
          }}
        >
          <label class="field">
            <span>{t('overrides.denyReason')}</span>
            <textarea rows={2} required value={reason} maxLength={1000} onInput={(e) => setReason(e.currentTarget.value)} name="reason" />
          </label>
          <button type="submit" class="btn btn-danger" disabled={busy || !reason.trim()} data-action="deny">
            {t('overrides.deny')}
          </button>
        </form>
      )}
      <ErrorBox error={error} />
    </div>
  );
}
