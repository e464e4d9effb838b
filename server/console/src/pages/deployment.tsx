/**
 * 部署 / Deployment (IT administrator): what staff browsers install from this server — the
 * extension id, the published versions and their update URLs — and the ready policy files
 * that install it, filled with an enrollment code and the company's lock-down choices, each
 * setting explained. Codes are stored hashed: the admin creates one here (shown once) or
 * types one they hold.
 */
import { useState } from 'preact/hooks';
import { createEnrollmentCode, getDeployment, makePolicyFiles, type Lockdown, type PolicyFile } from '../api';
import { Empty, ErrorBox, Loading, PageHeader } from '../components/common';
import { t, type MessageKey } from '../i18n/messages';
import { formatNumber, formatTime } from '../lib/format';
import { serverWord } from '../lib/server-text';
import { useLoad } from '../lib/use-load';

const DEV_TOOLS: Lockdown['developerTools'][] = ['except-extensions', 'blocked', 'allowed'];

function download(file: PolicyFile): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Setting({ name, children }: { name: string; children?: preact.ComponentChildren }) {
  return (
    <li class="deploy-setting" data-setting={name}>
      <div class="deploy-setting-head">
        {children}
        <code>{name}</code>
      </div>
      <p class="hint">{t(`deploy.setting.${name}` as MessageKey)}</p>
    </li>
  );
}

export function DeploymentPage() {
  const info = useLoad(() => getDeployment(), []);
  const [code, setCode] = useState('');
  const [createdCode, setCreatedCode] = useState<string | null>(null);
  const [lockdown, setLockdown] = useState<Lockdown | null>(null);
  const [files, setFiles] = useState<PolicyFile[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const data = info.data;
  const choices = lockdown ?? data?.defaultLockdown ?? null;

  async function newCode() {
    setBusy(true);
    setError(null);
    try {
      // A deployment code enrolls a whole fleet: a year, no device limit (revoke it on the codes page).
      const created = await createEnrollmentCode({
        label: t('deploy.codeLabel'),
        expiresInDays: 365,
        maxUses: null,
        kind: 'managed-deployment',
      });
      setCode(created.code);
      setCreatedCode(created.code);
      info.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  async function generate(event: Event) {
    event.preventDefault();
    if (!choices) return;
    setBusy(true);
    setError(null);
    try {
      setFiles((await makePolicyFiles(code, choices)).files);
    } catch (failure) {
      setFiles(null);
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="deployment">
      <PageHeader title={t('deploy.title')}>
        <button type="button" class="btn" onClick={info.reload}>
          {t('common.refresh')}
        </button>
      </PageHeader>
      <p class="muted">{t('deploy.intro')}</p>
      <ErrorBox error={info.error} onRetry={info.reload} />
      {info.loading && !data && <Loading />}
      {data && choices && (
        <>
          <section class="card" data-testid="deploy-extension">
            <h2>{t('deploy.extension')}</h2>
            {!data.publicUrlConfigured && <div class="alert alert-warn">{t('deploy.noPublicUrl', { url: data.serverUrl })}</div>}
            <dl class="deploy-facts">
              <dt>{t('deploy.extensionId')}</dt>
              <dd class="mono" data-testid="deploy-extension-id">
                {data.extensionId}
              </dd>
              <dt>{t('deploy.serverUrl')}</dt>
              <dd class="mono">{data.serverUrl}</dd>
              <dt>{t('deploy.chromeUpdateUrl')}</dt>
              <dd class="mono">{data.urls.chromeUpdateUrl}</dd>
              <dt>{t('deploy.firefoxInstallUrl')}</dt>
              <dd class="mono">{data.urls.firefoxInstallUrl}</dd>
            </dl>
            <h3>{t('deploy.releases')}</h3>
            <div class="table-wrap">
              <table class="table" data-testid="deploy-releases">
                <thead>
                  <tr>
                    <th>{t('deploy.col.version')}</th>
                    <th>{t('deploy.col.published')}</th>
                    <th>{t('deploy.col.chrome')}</th>
                    <th>{t('deploy.col.firefox')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.releases.length === 0 && <Empty colSpan={4} />}
                  {[...data.releases].reverse().map((release, index) => (
                    <tr key={release.version}>
                      <td class="mono">
                        {release.version}
                        {index === 0 ? <span class="badge">{t('deploy.latest')}</span> : null}
                      </td>
                      <td class="nowrap">{formatTime(release.publishedAt)}</td>
                      <td>{t('deploy.kb', { kb: formatNumber(Math.round(release.chromeBytes / 1024)) })}</td>
                      <td>
                        {release.firefoxBytes === null
                          ? '—'
                          : t('deploy.kb', { kb: formatNumber(Math.round(release.firefoxBytes / 1024)) })}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p class="hint">{t('deploy.publishHint')}</p>
          </section>

          <section class="card" data-testid="deploy-form">
            <h2>{t('deploy.files')}</h2>
            <form onSubmit={generate}>
              <h3>{t('deploy.code')}</h3>
              <div class="form-actions">
                <button type="button" class="btn" disabled={busy} onClick={newCode} data-action="new-code">
                  {t('deploy.newCode')}
                </button>
              </div>
              {createdCode && <div class="alert alert-success">{t('deploy.codeCreated', { code: createdCode })}</div>}
              <label class="field">
                <span>{t('deploy.codeField')}</span>
                <input
                  name="enrollmentCode"
                  class="wide mono"
                  required
                  autoComplete="off"
                  value={code}
                  onInput={(e) => setCode(e.currentTarget.value)}
                />
                <small class="hint">
                  {data.activeCodes.length
                    ? t('deploy.activeCodes', {
                        codes: data.activeCodes.map((c) => (c.label ? `${c.hint} ${serverWord(c.label)}` : c.hint)).join('、'),
                      })
                    : t('deploy.noActiveCodes')}
                </small>
              </label>

              <h3>{t('deploy.lockdown')}</h3>
              <ul class="deploy-settings">
                <Setting name="ExtensionInstallForcelist" />
                <Setting name="3rdparty" />
                <Setting name="IncognitoModeAvailability">
                  <input
                    type="checkbox"
                    name="incognitoOff"
                    checked={choices.incognitoOff}
                    onChange={(e) => setLockdown({ ...choices, incognitoOff: e.currentTarget.checked })}
                  />
                  <span>{t('deploy.incognitoOff')}</span>
                </Setting>
                <Setting name="BrowserGuestModeEnabled">
                  <input
                    type="checkbox"
                    name="guestOff"
                    checked={choices.guestOff}
                    onChange={(e) => setLockdown({ ...choices, guestOff: e.currentTarget.checked })}
                  />
                  <span>{t('deploy.guestOff')}</span>
                </Setting>
                <Setting name="DeveloperToolsAvailability">
                  <select
                    name="developerTools"
                    value={choices.developerTools}
                    onChange={(e) => setLockdown({ ...choices, developerTools: e.currentTarget.value as Lockdown['developerTools'] })}
                  >
                    {DEV_TOOLS.map((value) => (
                      <option key={value} value={value}>
                        {t(`deploy.devtools.${value}`)}
                      </option>
                    ))}
                  </select>
                </Setting>
                <Setting name="DisablePrivateBrowsing" />
              </ul>
              <ErrorBox error={error} />
              <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled={busy || !code.trim()} data-action="generate">
                  {t('deploy.generate')}
                </button>
              </div>
            </form>
          </section>

          {files && (
            <section class="card" data-testid="deploy-files">
              <h2>{t('deploy.generated')}</h2>
              <p class="hint">{t('deploy.secretHint')}</p>
              <ul class="deploy-file-list">
                {files.map((file) => (
                  <li key={file.id} data-file={file.id}>
                    <div class="deploy-file-head">
                      <strong>{t(`deploy.file.${file.id}`)}</strong>
                      <span class="mono small">
                        {file.target.startsWith('/') || file.target.startsWith('<')
                          ? file.target
                          : t(`deploy.target.${file.id}` as MessageKey)}
                      </span>
                      <button type="button" class="btn btn-small" onClick={() => download(file)} data-action="download">
                        {t('deploy.download', { name: file.fileName })}
                      </button>
                    </div>
                    <details>
                      <summary>{t('deploy.show')}</summary>
                      <pre class="deploy-file-content">{file.content}</pre>
                    </details>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </div>
  );
}
