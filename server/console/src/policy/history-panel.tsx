import { serverWord } from '../lib/server-text';
import { useState } from 'preact/hooks';
import { getPolicyVersion, rollbackPolicy, type PolicyHistoryItem, type PublishedPolicy } from '../api';
import { t } from '../i18n/messages';
import { canonicalPretty } from '../lib/canonical-pretty';
import { formatTime } from '../lib/format';
import { Empty, ErrorBox, Loading } from '../components/common';
import { DiffView } from './diff-view';

export function HistoryPanel({
  items,
  current,
  canEdit,
  onRolledBack,
  onLoadDraft,
}: {
  items: PolicyHistoryItem[];
  current: PublishedPolicy | null;
  canEdit: boolean;
  onRolledBack: (version: number) => void;
  onLoadDraft: (policy: unknown) => void;
}) {
  const [viewing, setViewing] = useState<PublishedPolicy | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function view(version: number) {
    setBusy(true);
    setError(null);
    try {
      setViewing(await getPolicyVersion(version));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  async function rollback(version: number) {
    if (!confirm(t('policy.history.confirmRollback', { version }))) return;
    setBusy(true);
    setError(null);
    try {
      const result = await rollbackPolicy(version);
      setViewing(null);
      onRolledBack(result.version);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="history" data-testid="policy-history">
      <ErrorBox error={error} />
      <table class="table">
        <thead>
          <tr>
            <th>{t('policy.history.version')}</th>
            <th>{t('policy.history.time')}</th>
            <th>{t('policy.history.by')}</th>
            <th>{t('policy.history.note')}</th>
            <th class="no-print" />
          </tr>
        </thead>
        <tbody>
          {items.length === 0 && <Empty colSpan={5} />}
          {items.map((item) => (
            <tr key={item.version} class={item.version === current?.version ? 'current' : ''} data-version={item.version}>
              <td class="num">v{item.version}</td>
              <td>{formatTime(item.publishedAt)}</td>
              <td>{serverWord(item.publishedBy)}</td>
              <td>{serverWord(item.note)}</td>
              <td class="row-actions no-print">
                <button type="button" class="btn btn-small" disabled={busy} onClick={() => view(item.version)}>
                  {t('policy.history.view')}
                </button>
                {canEdit && item.version !== current?.version && (
                  <button type="button" class="btn btn-small" disabled={busy} onClick={() => rollback(item.version)} data-action="rollback">
                    {t('policy.history.rollback')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {busy && <Loading />}
      {viewing && (
        <section class="card">
          <header class="card-head">
            <h2>{t('policy.history.viewing', { version: viewing.version })}</h2>
            <div>
              {canEdit && (
                <button type="button" class="btn btn-small" onClick={() => onLoadDraft(viewing.policy)}>
                  {t('policy.history.loadIntoDraft')}
                </button>
              )}
              <button type="button" class="btn btn-small" onClick={() => setViewing(null)}>
                {t('common.close')}
              </button>
            </div>
          </header>
          {viewing.note && <p>{t('policy.currentNote', { note: serverWord(viewing.note) })}</p>}
          {current && current.version !== viewing.version ? (
            <DiffView
              oldText={canonicalPretty(current.policy)}
              newText={canonicalPretty(viewing.policy)}
              oldLabel={`v${current.version}`}
              newLabel={`v${viewing.version}`}
            />
          ) : (
            <pre class="json-view">{canonicalPretty(viewing.policy)}</pre>
          )}
        </section>
      )}
    </div>
  );
}
