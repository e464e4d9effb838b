import { inLanguage } from '../../../../utils/policy/bilingual';
import { serverWord } from '../lib/server-text';
/**
 * 客户信息保密风险评估表: the monthly risk assessment the domain policy asks every
 * department to keep. Laid out to print on A4 (the nav hides in print).
 */
import { useEffect, useState } from 'preact/hooks';
import { getCompany, putCompany } from '../api';
import { installPageNumbers } from '../lib/print-page-numbers';
import { LEVELS } from '../../../../utils/detect/types';
import { CHANNELS, type Channel } from '../../../../utils/policy/schema';
import { getDevices, getMonthlyReport, monthlyCsvUrl, type Device, type MonthlyReport } from '../api';
import type { PageProps } from '../app';
import { Empty, ErrorBox, Loading, UserName } from '../components/common';
import { getLang, label, t } from '../i18n/messages';
import { formatNumber, formatTime, monthOf, percent } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { scopeText } from '../lib/grant-text';
import { hasPermission as can } from '../../../../utils/api/permissions';

function CountTable({ rows, head, total }: { rows: [string, number][]; head: string; total: number }) {
  return (
    <table class="table compact">
      <thead>
        <tr>
          <th>{head}</th>
          <th class="num">{t('common.count')}</th>
          <th class="num">{t('report.col.share')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && <Empty colSpan={3} />}
        {rows.map(([name, count]) => (
          <tr key={name}>
            <td>{name}</td>
            <td class="num">{formatNumber(count)}</td>
            <td class="num">{percent(count, total)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Known keys first in their natural order, then any the server added. */
function ordered(record: Record<string, number> | undefined, known: readonly string[], prefix: string): [string, number][] {
  const data = record ?? {};
  const keys = [...known.filter((key) => key in data), ...Object.keys(data).filter((key) => !known.includes(key))];
  return keys.map((key) => [label(prefix, key), data[key] ?? 0]);
}

export function ReportPage({ user }: PageProps) {
  const [month, setMonth] = useState(() => monthOf(new Date()));
  const report = useLoad(async () => {
    const [data, devices] = await Promise.all([
      getMonthlyReport(month),
      // Only needed when the report counts stale devices without listing them.
      can(user.role, 'devices:read')
        ? getDevices().then(
            (r) => r.items,
            () => null,
          )
        : Promise.resolve(null),
    ]);
    return { data, devices };
  }, [month]);
  const company = useLoad(() => getCompany(), []);
  const lang = getLang();
  // Page numbers on paper, in the reader's language.
  useEffect(() => installPageNumbers(t('report.pageNumber')), [lang]);

  return (
    <div class="report">
      <header class="page-header">
        <h1>
          {company.data?.name ? (
            <span class="report-company" data-testid="report-company">
              {company.data.name}
            </span>
          ) : null}
          <span data-testid="report-title">{t('report.title')}</span>
        </h1>
        <div class="page-actions no-print">
          <label class="field field-inline">
            <span>{t('report.month')}</span>
            <input
              type="month"
              value={month}
              onChange={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)}
              data-testid="report-month"
            />
          </label>
          {can(user.role, 'reports:export') && (
            <a class="btn" href={monthlyCsvUrl(month)} download={`baomi-report-${month}.csv`} data-testid="report-csv">
              {t('report.csv')}
            </a>
          )}
          <button type="button" class="btn" onClick={() => print()}>
            {t('common.print')}
          </button>
        </div>
      </header>
      {can(user.role, 'settings:write') && company.data && <CompanyForm name={company.data.name} onSaved={company.reload} />}
      <ErrorBox error={report.error} onRetry={report.reload} />
      {report.loading && !report.data && <Loading />}
      {report.data && <ReportBody report={report.data.data} devices={report.data.devices} />}
    </div>
  );
}

/** The IT administrator names the company once; every report title carries it. */
function CompanyForm({ name, onSaved }: { name: string; onSaved: () => void }) {
  const [value, setValue] = useState(name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await putCompany(value.trim());
      setSaved(true);
      onSaved();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="company-form no-print card" onSubmit={save} data-testid="company-form">
      <label class="field field-inline">
        <span>{t('report.company')}</span>
        <input
          name="company"
          value={value}
          maxLength={100}
          placeholder={t('report.companyPlaceholder')}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
      </label>
      <button type="submit" class="btn" disabled={busy || value.trim() === name}>
        {t('common.save')}
      </button>
      {saved && <span class="muted">{t('report.companySaved')}</span>}
      <ErrorBox error={error} />
    </form>
  );
}

const TOTAL_KEYS = ['events', 'blocked', 'warned', 'audited', 'allowed', 'findings', 'users'] as const;

function ReportBody({ report, devices: deviceList }: { report: MonthlyReport; devices: Device[] | null }) {
  const totals: Partial<Record<(typeof TOTAL_KEYS)[number], number>> = report.totals ?? {};
  const total = totals.events || 0;
  const overrides = report.overrides ?? { requested: 0, approved: 0, denied: 0 };
  const staleList = Array.isArray(report.staleDevices) ? report.staleDevices : (deviceList ?? []).filter((device) => device.stale);
  const devices =
    typeof report.devices === 'number'
      ? { total: report.devices, stale: typeof report.staleDevices === 'number' ? report.staleDevices : staleList.length }
      : (report.devices ?? { total: deviceList?.length ?? 0, stale: staleList.length });
  return (
    <div class="report-body" data-testid="report-body">
      <p class="report-meta">
        <span>
          {t('report.month')}：<strong>{report.month}</strong>
        </span>
        <span class="muted">{t('report.generated', { time: formatTime(new Date().toISOString()) })}</span>
      </p>

      <section class="report-section">
        <h2>{t('report.totals')}</h2>
        <div class="stat-grid">
          {TOTAL_KEYS.filter((key) => typeof totals[key] === 'number').map((key) => (
            <div class={`stat stat-${key}`} key={key}>
              <div class="stat-value">{formatNumber(totals[key])}</div>
              <div class="stat-label">{t(`report.total.${key}`)}</div>
            </div>
          ))}
        </div>
      </section>

      <div class="report-columns">
        <section class="report-section">
          <h2>{t('report.byLevel')}</h2>
          <CountTable head={t('events.col.level')} rows={ordered(report.byLevel, LEVELS, 'level')} total={total} />
        </section>
        <section class="report-section">
          <h2>{t('report.byChannel')}</h2>
          <CountTable head={t('events.col.channel')} rows={ordered(report.byChannel, CHANNELS, 'channel')} total={total} />
        </section>
      </div>

      <div class="report-columns">
        <section class="report-section">
          <h2>{t('report.byDepartment')}</h2>
          <CountTable
            head={t('report.col.department')}
            rows={(report.byDepartment ?? []).map((row) => [row.department || '—', row.count])}
            total={total}
          />
        </section>
        <section class="report-section">
          <h2>{t('report.topDestinations')}</h2>
          <CountTable
            head={t('report.col.destination')}
            rows={(report.topDestinations ?? []).map((row) => [row.destination || '—', row.count])}
            total={total}
          />
        </section>
      </div>

      <section class="report-section">
        <h2>{t('report.byUser')}</h2>
        {(report.byUser ?? []).length < (report.totals?.users ?? 0) && (
          <p class="small muted" data-testid="report-users-top">
            {t('report.byUserTop', { shown: (report.byUser ?? []).length, total: report.totals?.users ?? 0 })}
          </p>
        )}
        <table class="table compact">
          <thead>
            <tr>
              <th>{t('report.col.user')}</th>
              <th>{t('report.col.department')}</th>
              <th class="num">{t('common.count')}</th>
              <th class="num">{t('report.col.blocked')}</th>
            </tr>
          </thead>
          <tbody>
            {(report.byUser ?? []).length === 0 && <Empty colSpan={4} />}
            {(report.byUser ?? []).map((row) => (
              <tr key={row.userId}>
                <td>
                  <UserName userId={row.userId} verified={row.verified} />
                </td>
                <td>{row.department || '—'}</td>
                <td class="num">{formatNumber(row.count)}</td>
                <td class="num">{formatNumber(row.blocked)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <div class="report-columns">
        <section class="report-section">
          <h2>{t('report.overrides')}</h2>
          <table class="table compact" data-testid="report-overrides">
            <tbody>
              <tr>
                <th>{t('report.overrides.requested')}</th>
                <td class="num">{formatNumber(overrides.requested)}</td>
              </tr>
              <tr>
                <th>{t('report.overrides.approved')}</th>
                <td class="num">{formatNumber(overrides.approved)}</td>
              </tr>
              <tr>
                <th>{t('report.overrides.denied')}</th>
                <td class="num">{formatNumber(overrides.denied)}</td>
              </tr>
              {typeof overrides.pending === 'number' && (
                <tr>
                  <th>{t('report.overrides.pending')}</th>
                  <td class="num">{formatNumber(overrides.pending)}</td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
        <section class="report-section">
          <h2>{t('report.devices')}</h2>
          <p>{t('report.devices.summary', { total: devices.total, stale: devices.stale })}</p>
          <h3>{t('report.staleDevices')}</h3>
          <table class="table compact">
            <thead>
              <tr>
                <th>{t('devices.col.user')}</th>
                <th>{t('devices.col.name')}</th>
                <th>{t('devices.col.lastSeen')}</th>
              </tr>
            </thead>
            <tbody>
              {staleList.length === 0 && <Empty colSpan={3} />}
              {staleList.map((device, index) => (
                <tr key={device.id ?? index} class="stale">
                  <td>
                    {device.userId ?? '—'}
                    {device.department ? ` (${device.department})` : ''}
                  </td>
                  <td>{device.deviceName || device.id || '—'}</td>
                  <td class="nowrap">{formatTime(device.lastSeenAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      {report.previous && (
        <section class="report-section" data-testid="report-trend">
          <h2>{t('report.trend')}</h2>
          <table class="table compact">
            <thead>
              <tr>
                <th />
                <th class="num">{report.previous.month}</th>
                <th class="num">{report.month}</th>
                <th class="num">{t('report.trend.change')}</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['report.total.events', report.previous.events, totals.events ?? 0],
                  ['report.total.blocked', report.previous.blocked, totals.blocked ?? 0],
                ] as const
              ).map(([key, before, now]) => (
                <tr key={key}>
                  <th>{t(key)}</th>
                  <td class="num">{formatNumber(before)}</td>
                  <td class="num">{formatNumber(now)}</td>
                  <td class="num">{before === 0 ? '—' : `${now >= before ? '+' : ''}${Math.round(((now - before) / before) * 100)}%`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {report.topRules && (
        <section class="report-section" data-testid="report-top-rules">
          <h2>{t('report.topRules')}</h2>
          <CountTable
            head={t('events.col.rule')}
            rows={report.topRules.map((rule) => [inLanguage(rule.description, getLang()) ?? rule.ruleId, rule.count])}
            total={total}
          />
        </section>
      )}

      {report.borrowRegister && (
        <section class="report-section" data-testid="report-borrow-register">
          <h2>{t('report.borrow')}</h2>
          <table class="table compact">
            <thead>
              <tr>
                <th>{t('report.borrow.requester')}</th>
                <th>{t('report.borrow.approver')}</th>
                <th>{t('report.borrow.reason')}</th>
                <th>{t('report.borrow.scope')}</th>
                <th>{t('report.borrow.validity')}</th>
                <th>{t('report.borrow.ended')}</th>
              </tr>
            </thead>
            <tbody>
              {report.borrowRegister.length === 0 && <Empty colSpan={6} />}
              {report.borrowRegister.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <UserName userId={entry.userId} verified={entry.userVerified} />
                    <div class="small muted">{entry.department ?? '—'}</div>
                  </td>
                  <td>{serverWord(entry.approver)}</td>
                  <td>{entry.reason}</td>
                  <td>
                    {label('channel', entry.channel)} · {entry.level ? label('level', entry.level) : t('level.none')}
                    <div class="mono small">{entry.origin}</div>
                    {entry.scope && (
                      <div class="small">
                        {scopeText({ ...entry.scope, origin: entry.origin, channel: entry.channel as Channel }, entry.channel)}
                      </div>
                    )}
                    <div class="small muted" data-testid="borrow-used">
                      {t('overrides.used', { n: entry.used })}
                    </div>
                  </td>
                  <td class="nowrap">
                    {formatTime(entry.approvedAt)}
                    <div class="small muted">
                      → {formatTime(entry.expiresAt)}（{entry.minutes} {t('common.minutes')}）
                    </div>
                  </td>
                  <td class="nowrap">
                    {t(`report.borrow.${entry.ended}`)}
                    {entry.endedAt && <div class="small muted">{formatTime(entry.endedAt)}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section class="report-section signoff">
        <h2>{t('report.assessment')}</h2>
        <div class="writing-box" />
        <div class="signatures">
          <span>{t('report.assessor')}：________________</span>
          <span>{t('report.reviewer')}：________________</span>
          <span>{t('report.date')}：________________</span>
        </div>
      </section>
    </div>
  );
}
