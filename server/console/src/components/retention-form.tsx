/**
 * 记录保留期限 (issue 28): how long events and audit entries are kept. Everyone who reads
 * the audit log sees it; the IT administrator changes it (180 days at least: the
 * Cybersecurity Law's six months for network logs).
 */
import { useState } from 'preact/hooks';
import { getRetention, putRetention, type RetentionSetting } from '../api';
import { t } from '../i18n/messages';
import { formatTime } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { ErrorBox } from './common';

/** `onSaved` lets the audit page show the change's entry at once. */
export function RetentionForm({ editable, onSaved }: { editable: boolean; onSaved?: () => void }) {
  const setting = useLoad(() => getRetention(), []);
  // Held here: the fields are made again from the saved value (their key is its time).
  const [saved, setSaved] = useState(false);
  if (setting.error) return <ErrorBox error={setting.error} onRetry={setting.reload} />;
  if (!setting.data) return null;
  return (
    <RetentionFields
      key={setting.data.updatedAt ?? ''}
      setting={setting.data}
      editable={editable}
      saved={saved}
      onSaving={() => setSaved(false)}
      onSaved={() => {
        setSaved(true);
        setting.reload();
        onSaved?.();
      }}
    />
  );
}

function RetentionFields({
  setting,
  editable,
  saved,
  onSaving,
  onSaved,
}: {
  setting: RetentionSetting;
  editable: boolean;
  saved: boolean;
  onSaving: () => void;
  onSaved: () => void;
}) {
  const [events, setEvents] = useState(String(setting.eventsDays));
  const [audit, setAudit] = useState(String(setting.auditDays));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const changed = events !== String(setting.eventsDays) || audit !== String(setting.auditDays);
  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    onSaving();
    try {
      await putRetention({ eventsDays: Number(events), auditDays: Number(audit) });
      onSaved();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  const days = (value: string, set: (v: string) => void, name: string) => (
    <input
      type="number"
      name={name}
      min={setting.minDays}
      max={setting.maxDays}
      step={1}
      required
      disabled={!editable}
      value={value}
      onInput={(e) => set(e.currentTarget.value)}
    />
  );
  return (
    <form class="card retention-form no-print" onSubmit={save} data-testid="retention-form">
      <h2>{t('retention.title')}</h2>
      <div class="retention-fields">
        <label class="field field-inline">
          <span>{t('retention.events')}</span>
          {days(events, setEvents, 'eventsDays')}
          <span>{t('retention.days')}</span>
        </label>
        <label class="field field-inline">
          <span>{t('retention.audit')}</span>
          {days(audit, setAudit, 'auditDays')}
          <span>{t('retention.days')}</span>
        </label>
        {editable && (
          <button type="submit" class="btn" disabled={busy || !changed}>
            {t('common.save')}
          </button>
        )}
        {saved && <span class="muted">{t('retention.saved')}</span>}
      </div>
      <p class="small muted">{t('retention.help', { min: setting.minDays })}</p>
      {setting.updatedAt && (
        <p class="small muted">{t('retention.updated', { at: formatTime(setting.updatedAt, true), by: setting.updatedBy ?? '' })}</p>
      )}
      <ErrorBox error={error} />
    </form>
  );
}
