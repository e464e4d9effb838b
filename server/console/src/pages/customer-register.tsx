/**
 * Customer register import (issue 15): the current register, distinct customers touched
 * this month, and the import — file pick, preview of the first rows with the column
 * mapping (suggested by the server from the header), errors by row, result counts —
 * and clearing the register (confirmed, audited; devices drop it at their next sync).
 */
import { useState } from 'preact/hooks';
import {
  ApiError,
  clearCustomerRegister,
  getMonthlyReport,
  getCustomerRegister,
  importCustomerRegister,
  previewCustomerRegister,
  type RegisterField,
  type RegisterInfo,
  type RegisterMapping,
  type RegisterPreview,
} from '../api';
import { ErrorBox, Loading, Notice, PageHeader } from '../components/common';
import { label, t, type MessageKey } from '../i18n/messages';
import { formatNumber, formatTime, monthOf } from '../lib/format';
import { useLoad } from '../lib/use-load';

const FIELDS: RegisterField[] = ['name', 'contacts', 'mobile', 'phone', 'idNumber', 'level'];
const LEVELS = ['绝密', '机密', '秘密'] as const;

function fieldLabel(field: string): string {
  return (FIELDS as string[]).includes(field) ? t(`register.field.${field}` as MessageKey) : field;
}

function CurrentRegister({ info }: { info: RegisterInfo | null }) {
  if (!info) return <p class="muted">{t('register.none')}</p>;
  if (info.cleared)
    return (
      <p class="muted" data-testid="register-cleared">
        {t('register.cleared', { time: formatTime(info.importedAt), by: info.importedBy, version: info.version })}
      </p>
    );
  return (
    <dl class="facts" data-testid="register-current">
      <dt>{t('register.version')}</dt>
      <dd>{info.version}</dd>
      <dt>{t('register.importedAt')}</dt>
      <dd>{formatTime(info.importedAt)}</dd>
      <dt>{t('register.importedBy')}</dt>
      <dd>{info.importedBy}</dd>
      <dt>{t('register.customers')}</dt>
      <dd>{formatNumber(info.customerCount)}</dd>
      <dt>{t('register.identifiers')}</dt>
      <dd>{formatNumber(info.identifierCount)}</dd>
      <dt>{t('register.byLevel')}</dt>
      <dd>{LEVELS.map((level) => `${label('level', level)} ${formatNumber(info.levelCounts[level] ?? 0)}`).join(' · ')}</dd>
    </dl>
  );
}

function RowErrors({ error }: { error: ApiError }) {
  return (
    <div class="alert alert-error" role="alert" data-testid="register-errors">
      <strong>{t('register.errors')}</strong>
      <table class="table small">
        <thead>
          <tr>
            <th>{t('register.col.row')}</th>
            <th>{t('register.col.column')}</th>
            <th>{t('register.col.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {error.issues.map((issue) => (
            <tr key={`${issue.path}-${issue.message}-${issue.code}`}>
              <td class="mono">{issue.path}</td>
              <td>{fieldLabel(issue.message)}</td>
              <td>{label('register.err', issue.code)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CustomerRegisterPage() {
  const current = useLoad(() => getCustomerRegister(), []);
  const month = monthOf(new Date());
  const incidents = useLoad(() => getMonthlyReport(month), [month]);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<RegisterPreview | null>(null);
  const [mapping, setMapping] = useState<RegisterMapping>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<RegisterInfo | null>(null);

  async function pick(event: Event) {
    const chosen = (event.target as HTMLInputElement).files?.[0] ?? null;
    setFile(chosen);
    setPreview(null);
    setDone(null);
    setError(null);
    if (!chosen) return;
    try {
      const shown = await previewCustomerRegister(chosen);
      setPreview(shown);
      setMapping(shown.mapping);
    } catch (failure) {
      setError(failure);
    }
  }

  async function runImport() {
    if (!file) return;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const { register } = await importCustomerRegister(file, mapping);
      setDone(register);
      current.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const [clearing, setClearing] = useState(false);
  const [clearError, setClearError] = useState<unknown>(null);
  const [cleared, setCleared] = useState<RegisterInfo | null>(null);

  async function runClear(info: RegisterInfo) {
    if (!confirm(t('register.confirmClear', { version: info.version, customers: formatNumber(info.customerCount) }))) return;
    setClearing(true);
    setClearError(null);
    setCleared(null);
    try {
      const { register } = await clearCustomerRegister();
      setCleared(register);
      setDone(null);
      current.reload();
    } catch (failure) {
      setClearError(failure);
    } finally {
      setClearing(false);
    }
  }

  const rowErrors = error instanceof ApiError && error.issues.length > 0 && error.code.startsWith('register-') ? error : null;
  const customers = incidents.data?.customers;
  return (
    <div>
      <PageHeader title={t('register.title')} />
      <p class="muted">{t('register.intro')}</p>
      <section class="card">
        <h2>{t('register.current')}</h2>
        <ErrorBox error={current.error} onRetry={current.reload} />
        {current.loading && !current.data && <Loading />}
        {current.data && <CurrentRegister info={current.data.current} />}
        {customers && (
          <p data-testid="register-touched">
            <strong>{t('register.touched')}</strong>
            {formatNumber(customers.distinct)}
            {LEVELS.filter((level) => customers.byLevel[level]).map((level) => (
              <span key={level} class="muted">
                {' · '}
                {t('register.touchedLevel', {
                  level: label('level', level),
                  incidents: customers.byLevel[level]!.incidents,
                  customers: customers.byLevel[level]!.customers,
                })}
              </span>
            ))}
          </p>
        )}
        {current.data?.current && !current.data.current.cleared && (
          <div class="no-print" data-testid="register-clear-box">
            <p class="muted small">{t('register.clearHint')}</p>
            <button
              type="button"
              class="btn btn-danger"
              disabled={clearing}
              onClick={() => void runClear(current.data!.current!)}
              data-testid="register-clear"
            >
              {clearing ? t('register.clearing') : t('register.clear')}
            </button>
          </div>
        )}
        {cleared && (
          <Notice kind="success">
            <span data-testid="register-cleared-done">{t('register.clearedDone', { version: cleared.version })}</span>
          </Notice>
        )}
        <ErrorBox error={clearError} />
      </section>
      <section class="card no-print">
        <h2>{t('register.upload')}</h2>
        <label class="field">
          <span>{t('register.file')}</span>
          <input
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={pick}
            data-testid="register-file"
          />
        </label>
        {preview && (
          <>
            <h3>{t('register.mapping')}</h3>
            <div class="inline-form" data-testid="register-mapping">
              {FIELDS.map((field) => (
                <label class="field" key={field}>
                  <span>{fieldLabel(field)}</span>
                  <select
                    value={String(mapping[field] ?? -1)}
                    onChange={(event) => setMapping({ ...mapping, [field]: Number((event.target as HTMLSelectElement).value) })}
                    data-field={field}
                  >
                    <option value="-1">{t('register.column.none')}</option>
                    {preview.columns.map((title, index) => (
                      <option key={index} value={String(index)}>
                        {title || `#${index + 1}`}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
            <h3>{t('register.preview', { n: preview.rows.length, total: formatNumber(preview.rowCount) })}</h3>
            <div class="table-wrap">
              <table class="table small" data-testid="register-preview">
                <thead>
                  <tr>
                    {preview.columns.map((title, index) => {
                      const field = FIELDS.find((f) => mapping[f] === index);
                      return (
                        <th key={index}>
                          {title}
                          {field && <div class="muted small">→ {fieldLabel(field)}</div>}
                        </th>
                      );
                    })}
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((row, r) => (
                    <tr key={r}>
                      {preview.columns.map((_, c) => (
                        <td key={c}>{row[c] ?? ''}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <button type="button" class="btn btn-primary register-import" disabled={busy} onClick={runImport} data-testid="register-import">
              {busy ? t('register.importing') : t('register.import')}
            </button>
          </>
        )}
        {done && (
          <Notice kind="success">
            <span data-testid="register-done">
              {t('register.done', {
                version: done.version,
                customers: formatNumber(done.customerCount),
                identifiers: formatNumber(done.identifierCount),
              })}
            </span>
          </Notice>
        )}
        {rowErrors ? <RowErrors error={rowErrors} /> : <ErrorBox error={error} />}
      </section>
    </div>
  );
}
