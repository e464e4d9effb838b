import { useEffect, useMemo, useRef } from 'preact/hooks';
import { getLang, t } from '../i18n/messages';
import { describeChange, diffPolicies } from '../lib/policy-diff';

/**
 * Asked before a policy is published: every change rule by rule and setting by setting,
 * in the reader's words (lib/policy-diff.ts), with the note; publishes only on "confirm".
 */
export function PublishConfirm({
  before,
  after,
  version,
  note,
  busy,
  onConfirm,
  onCancel,
}: {
  before: unknown;
  after: unknown;
  version: number;
  note: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const lang = getLang();
  const changes = useMemo(() => diffPolicies(before, after), [before, after]);
  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      class="publish-dialog"
      data-testid="publish-confirm"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
      aria-labelledby="publish-confirm-title"
    >
      <h2 id="publish-confirm-title">{t('publish.confirmTitle')}</h2>
      <p>{t('publish.confirmIntro', { version })}</p>
      <p class="muted">{t('publish.count', { count: changes.length })}</p>
      <ol class="publish-changes" data-testid="publish-changes">
        {changes.map((change, index) => (
          <li key={index} data-kind={change.kind}>
            {describeChange(change, lang)}
          </li>
        ))}
      </ol>
      {note && <p>{t('publish.note', { note })}</p>}
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
        <button type="button" class="btn btn-primary" data-testid="publish-confirm-button" onClick={onConfirm} disabled={busy}>
          {t('publish.confirm')}
        </button>
      </div>
    </dialog>
  );
}
