/**
 * The approver's decision on one request (issue 26): approve with a scope chosen and previewed
 * in the words the employee will read (only this content N times, or a time window that keeps
 * the bulk rule and the level unless lifted), or deny with a reason.
 */
import { useState } from 'preact/hooks';
import { approveOverride, denyOverride, type OverrideItem, type ScopeChoice } from '../api';
import { ErrorBox } from '../components/common';
import { label, t } from '../i18n/messages';
import { formatTime } from '../lib/format';
import { scopeText } from '../lib/grant-text';

const LEVEL_CHOICES = ['秘密', '机密', '绝密'] as const;

export function DecisionForm({
  item,
  ids,
  maxMinutes,
  onDone,
}: {
  item: OverrideItem;
  ids: string[];
  maxMinutes: number | null;
  onDone: (message: string) => void;
}) {
  const initial = maxMinutes ? Math.min(item.durationMinutes, maxMinutes) : item.durationMinutes;
  const contentPossible = item.contentCount > 0;
  const [duration, setDuration] = useState(String(initial));
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [mode, setMode] = useState<'approve' | 'deny'>('approve');
  const [scope, setScope] = useState<'content' | 'window'>(contentPossible ? 'content' : 'window');
  const [uses, setUses] = useState('1');
  const [maxFindings, setMaxFindings] = useState('');
  const [liftBulk, setLiftBulk] = useState(false);
  const [maxLevel, setMaxLevel] = useState<(typeof LEVEL_CHOICES)[number]>(item.level ?? '秘密');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const minutes = Number(duration);
  const tooLong = maxMinutes !== null && minutes > maxMinutes;
  const durationValid = Number.isInteger(minutes) && minutes >= 1 && !tooLong;
  const useCount = Number(uses);
  const usesValid = scope === 'window' || (Number.isInteger(useCount) && useCount >= 1 && useCount <= 100);
  const perAction = maxFindings.trim() === '' ? undefined : Number(maxFindings);
  const perActionValid = perAction === undefined || (Number.isInteger(perAction) && perAction >= 1);
  const valid = durationValid && usesValid && perActionValid;
  const raised = LEVEL_CHOICES.indexOf(maxLevel) > LEVEL_CHOICES.indexOf(item.level ?? '秘密');

  const choice: ScopeChoice =
    scope === 'content'
      ? { scope, uses: useCount, maxLevel }
      : { scope, maxLevel, ...(perAction !== undefined ? { maxFindings: perAction } : {}), ...(liftBulk ? { liftBulk } : {}) };
  const until = formatTime(new Date(Date.now() + (durationValid ? minutes : initial) * 60_000).toISOString());
  const preview = scopeText(
    {
      ...choice,
      origin: item.origin,
      channel: item.channel,
      ...(item.detail?.destination ? { destination: item.detail.destination } : {}),
      ...(scope === 'window' && durationValid ? { minutes } : {}),
    },
    item.channel,
  );

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
          <input type="radio" name={`mode-${item.id}`} checked={mode === 'approve'} onChange={() => setMode('approve')} />{' '}
          {t('overrides.approve')}
        </label>
        <label>
          <input type="radio" name={`mode-${item.id}`} checked={mode === 'deny'} onChange={() => setMode('deny')} data-action="deny-mode" />{' '}
          {t('overrides.deny')}
        </label>
      </div>
      {mode === 'approve' ? (
        <form
          class="decision-form"
          onSubmit={(e) => {
            e.preventDefault();
            // One decision answers every repeat of the request (each gets its own grant).
            if (valid)
              void run(() => Promise.all(ids.map((id) => approveOverride(id, minutes, note.trim(), choice))), t('overrides.approved'));
          }}
        >
          <fieldset class="field scope-choice">
            <legend>{t('overrides.scopeLabel')}</legend>
            <label>
              <input
                type="radio"
                name={`scope-${item.id}`}
                value="content"
                checked={scope === 'content'}
                disabled={!contentPossible}
                onChange={() => setScope('content')}
              />{' '}
              {t('overrides.scopeContent')}
            </label>
            {!contentPossible && <p class="small muted">{t('overrides.scopeContentUnavailable')}</p>}
            <label>
              <input
                type="radio"
                name={`scope-${item.id}`}
                value="window"
                checked={scope === 'window'}
                onChange={() => setScope('window')}
              />{' '}
              {t('overrides.scopeWindow')}
            </label>
          </fieldset>
          {scope === 'content' ? (
            <label class="field">
              <span>{t('overrides.uses')}</span>
              <input type="number" min={1} max={100} step={1} value={uses} onInput={(e) => setUses(e.currentTarget.value)} name="uses" />
            </label>
          ) : (
            <>
              <label class="field">
                <span>{t('overrides.maxFindingsLabel')}</span>
                <input
                  type="number"
                  min={1}
                  step={1}
                  value={maxFindings}
                  onInput={(e) => setMaxFindings(e.currentTarget.value)}
                  name="maxFindings"
                />
              </label>
              <label class="check">
                <input type="checkbox" checked={liftBulk} onChange={(e) => setLiftBulk(e.currentTarget.checked)} name="liftBulk" />{' '}
                {t('overrides.liftBulk')}
              </label>
            </>
          )}
          <label class="field">
            <span>{t('overrides.maxLevelLabel')}</span>
            <select name="maxLevel" value={maxLevel} onChange={(e) => setMaxLevel(e.currentTarget.value as (typeof LEVEL_CHOICES)[number])}>
              {LEVEL_CHOICES.map((level) => (
                <option key={level} value={level}>
                  {label('level', level)}
                </option>
              ))}
            </select>
          </label>
          {raised && <p class="field-errors">{t('overrides.maxLevelRaised', { level: label('level', item.level ?? '秘密') })}</p>}
          <label class="field">
            <span>{maxMinutes ? t('overrides.validFor', { max: maxMinutes }) : t('overrides.validForNoMax')}</span>
            <span class="small muted">{t('overrides.durationShorten', { n: item.durationMinutes })}</span>
            <input
              type="number"
              min={1}
              max={maxMinutes ?? item.durationMinutes}
              step={1}
              value={duration}
              onInput={(e) => setDuration(e.currentTarget.value)}
              name="durationMinutes"
            />
          </label>
          {tooLong && <p class="field-errors">{t('overrides.durationTooLong', { max: maxMinutes ?? 0 })}</p>}
          <p class="scope-preview" data-testid="scope-preview">
            {t('overrides.preview', { scope: preview, until })}
          </p>
          <label class="field">
            <span>{t('overrides.note')}</span>
            <input value={note} maxLength={1000} onInput={(e) => setNote(e.currentTarget.value)} name="note" />
          </label>
          <button type="submit" class="btn btn-primary" disabled={busy || !valid} data-action="approve">
            {t('overrides.approve')}
          </button>
        </form>
      ) : (
        <form
          class="decision-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) void run(() => Promise.all(ids.map((id) => denyOverride(id, reason.trim()))), t('overrides.denied'));
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
