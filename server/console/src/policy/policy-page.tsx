import { issueText, serverWord } from '../lib/server-text';
import { useMemo, useState } from 'preact/hooks';
import { DEFAULT_POLICY, validatePolicy } from '../../../../utils/policy';
import { ApiError, getPolicy, getPolicyHistory, publishPolicy, type PublishedPolicy } from '../api';
import type { PageProps } from '../app';
import { ErrorBox, Loading, Notice, PageHeader } from '../components/common';
import { t } from '../i18n/messages';
import { canonicalPretty } from '../lib/canonical-pretty';
import { formatTime } from '../lib/format';
import { setIn, type Path } from '../lib/path';
import { useLoad } from '../lib/use-load';
import { hasPermission as can } from '../../../../utils/api/permissions';
import { DiffView } from './diff-view';
import { PublishConfirm } from './publish-confirm';
import { DraftContext } from './fields';
import { HistoryPanel } from './history-panel';
import { JsonEditor } from './json-editor';
import { PolicyForm } from './policy-form';

type Tab = 'form' | 'json' | 'diff' | 'history';

export function PolicyPage({ user }: PageProps) {
  const canEdit = can(user.role, 'policy:write');
  // Kept here: publishing or rolling back remounts the editor with the new version.
  const [message, setMessage] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('form');
  const loaded = useLoad(async () => {
    const [policy, history] = await Promise.all([getPolicy(), getPolicyHistory().catch(() => ({ ok: true as const, items: [] }))]);
    return { current: policy.current ?? null, history: history.items ?? [] };
  }, []);

  if (loaded.error && !loaded.data) return <ErrorBox error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  return (
    <>
      <PageHeader title={t('policy.title')} />
      {message && <Notice kind="success">{message}</Notice>}
      <PolicyEditor
        // A new published version resets the draft.
        key={loaded.data.current?.version ?? 'none'}
        current={loaded.data.current}
        history={loaded.data.history}
        canEdit={canEdit}
        tab={tab}
        setTab={setTab}
        announce={(text) => {
          setMessage(text);
          loaded.reload();
        }}
      />
    </>
  );
}

function PolicyEditor({
  current,
  history,
  canEdit,
  tab,
  setTab,
  announce,
}: {
  current: PublishedPolicy | null;
  history: Awaited<ReturnType<typeof getPolicyHistory>>['items'];
  canEdit: boolean;
  tab: Tab;
  setTab: (tab: Tab) => void;
  /** Shows a message and reloads the published policy. */
  announce: (message: string) => void;
}) {
  const base: unknown = current?.policy ?? DEFAULT_POLICY;
  const [draft, setDraft] = useState<unknown>(base);
  const [text, setText] = useState(() => JSON.stringify(base, null, 2));
  const [syntaxError, setSyntaxError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [publishError, setPublishError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);

  const validation = useMemo(() => validatePolicy(draft), [draft]);
  const errors = useMemo(() => {
    const map = new Map<string, string[]>();
    if (!validation.ok) for (const error of validation.errors) map.set(error.path, [...(map.get(error.path) ?? []), issueText(error)]);
    return map;
  }, [validation]);
  const baseText = useMemo(() => canonicalPretty(base), [base]);
  const draftText = useMemo(() => canonicalPretty(draft), [draft]);
  const dirty = syntaxError !== null || draftText !== baseText;
  const formUsable = syntaxError === null && draft !== null && typeof draft === 'object' && !Array.isArray(draft);

  function replaceDraft(next: unknown) {
    setDraft(next);
    setText(JSON.stringify(next, null, 2));
    setSyntaxError(null);
  }
  function setPath(path: Path, value: unknown) {
    replaceDraft(setIn(draft, path, value));
  }
  function editText(next: string) {
    setText(next);
    try {
      setDraft(JSON.parse(next));
      setSyntaxError(null);
    } catch (failure) {
      setSyntaxError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  async function publish() {
    setBusy(true);
    setPublishError(null);
    try {
      const result = await publishPolicy(draft, note.trim());
      setNote('');
      setConfirming(false);
      announce(t('policy.published', { version: result.version }));
    } catch (failure) {
      setConfirming(false);
      setPublishError(failure);
    } finally {
      setBusy(false);
    }
  }

  const tabs: [Tab, string][] = [
    ['form', t('policy.tab.form')],
    ['json', t('policy.tab.json')],
    ['diff', t('policy.tab.diff')],
    ['history', t('policy.tab.history')],
  ];

  return (
    <div class="policy-page">
      <div class="current-policy" data-testid="current-version" data-version={current?.version ?? 0}>
        {current ? (
          <>
            <p>
              {t('policy.current', {
                version: current.version,
                time: formatTime(current.publishedAt),
                by: serverWord(current.publishedBy),
              })}
            </p>
            {current.note && <p class="muted">{t('policy.currentNote', { note: serverWord(current.note) })}</p>}
          </>
        ) : (
          <p class="muted">{t('policy.noCurrent')}</p>
        )}
      </div>
      {!canEdit && <Notice>{t('policy.readOnly')}</Notice>}

      <div class="tabs no-print" role="tablist">
        {tabs.map(([id, title]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            class={tab === id ? 'tab active' : 'tab'}
            data-tab={id}
            onClick={() => setTab(id)}
          >
            {title}
          </button>
        ))}
      </div>

      {tab !== 'history' && (
        <div class={`validation ${validation.ok && !syntaxError ? 'ok' : 'bad'}`} data-testid="validation-status">
          {syntaxError
            ? t('policy.jsonSyntax', { message: syntaxError })
            : validation.ok
              ? `✓ ${t('policy.valid')}`
              : `✗ ${t('policy.invalid', { count: validation.errors.length })}`}
          <span class="muted"> · {dirty ? t('policy.dirty') : t('policy.clean')}</span>
        </div>
      )}

      <DraftContext.Provider value={{ draft, set: setPath, errors, readOnly: !canEdit }}>
        {tab === 'form' && (formUsable ? <PolicyForm /> : <p class="alert alert-warn">{t('policy.formBlocked')}</p>)}
        {tab === 'json' && <JsonEditor text={text} onText={editText} syntaxError={syntaxError} readOnly={!canEdit} />}
        {tab === 'diff' && (
          <DiffView
            oldText={baseText}
            newText={syntaxError ? text : draftText}
            oldLabel={current ? `v${current.version}` : 'default'}
            newLabel={t('policy.draft')}
          />
        )}
      </DraftContext.Provider>
      {tab === 'history' && (
        <HistoryPanel
          items={history}
          current={current}
          canEdit={canEdit}
          onRolledBack={(version) => announce(t('policy.history.rolledBack', { version }))}
          onLoadDraft={(policy) => {
            replaceDraft(policy);
            setTab('diff');
          }}
        />
      )}

      {tab !== 'history' && !validation.ok && !syntaxError && (
        <section class="card errors-card" data-testid="validation-errors">
          <h2>{t('policy.errors')}</h2>
          <ul class="issues">
            {validation.errors.map((error, index) => (
              <li key={index}>
                <code>{error.path || '(root)'}</code> {issueText(error)}
              </li>
            ))}
          </ul>
        </section>
      )}

      {canEdit && tab !== 'history' && (
        <section class="publish-bar no-print">
          <input
            class="wide"
            data-testid="publish-note"
            placeholder={t('policy.publishNote')}
            aria-label={t('policy.publishNote')}
            value={note}
            maxLength={500}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <button type="button" class="btn" disabled={!dirty || busy} onClick={() => replaceDraft(base)}>
            {t('policy.discard')}
          </button>
          <button
            type="button"
            class="btn btn-primary"
            data-testid="publish"
            disabled={busy || !dirty || !validation.ok || syntaxError !== null}
            onClick={() => setConfirming(true)}
          >
            {t('policy.publish')}
          </button>
        </section>
      )}
      {confirming && (
        <PublishConfirm
          before={base}
          after={draft}
          version={current?.version ?? 0}
          note={note.trim()}
          busy={busy}
          onConfirm={() => void publish()}
          onCancel={() => setConfirming(false)}
        />
      )}
      {publishError !== null && (
        <div>
          {publishError instanceof ApiError && publishError.issues.length > 0 && <p>{t('policy.serverInvalid')}</p>}
          <ErrorBox error={publishError} />
        </div>
      )}
    </div>
  );
}
