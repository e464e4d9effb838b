/**
 * The landing page: what happened today and this month (blocks by level and by channel,
 * on the company clock the report uses), and what waits for someone — override requests,
 * stale devices, open leak reports — each with a link to the page that handles it.
 */
import { LEVELS } from '../../../../utils/detect/types';
import { CHANNELS } from '../../../../utils/policy/schema';
import { getOverview, type BlockFigures, type Overview } from '../api';
import type { PageProps } from '../app';
import { ErrorBox, Loading, PageHeader } from '../components/common';
import { label, t } from '../i18n/messages';
import { formatNumber, formatTime } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { hasPermission as can } from '../../../../utils/api/permissions';

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function ordered(record: Record<string, number>, known: readonly string[]): string[] {
  return [...known.filter((key) => key in record), ...Object.keys(record).filter((key) => !known.includes(key))];
}

function Breakdown({
  title,
  record,
  known,
  prefix,
}: {
  title: string;
  record: Record<string, number>;
  known: readonly string[];
  prefix: string;
}) {
  const keys = ordered(record, known);
  return (
    <div class="breakdown">
      <h3>{title}</h3>
      {keys.length === 0 ? (
        <p class="muted">{t('overview.noBlocks')}</p>
      ) : (
        <ul class="bars">
          {keys.map((key) => (
            <li key={key} data-key={key}>
              <span class="bar-label">{label(prefix, key)}</span>
              <span class="bar-value">{formatNumber(record[key])}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function BlockCard({ title, figures, testId }: { title: string; figures: BlockFigures; testId: string }) {
  return (
    <section class="card overview-blocks" data-testid={testId}>
      <div class="card-head">
        <h2>{title}</h2>
        <strong class="overview-total" data-testid={`${testId}-total`}>
          {t('overview.total', { count: formatNumber(figures.total) })}
        </strong>
      </div>
      <div class="overview-columns">
        <Breakdown title={t('overview.byLevel')} record={figures.byLevel} known={[...LEVELS].reverse()} prefix="level" />
        <Breakdown title={t('overview.byChannel')} record={figures.byChannel} known={CHANNELS} prefix="channel" />
      </div>
    </section>
  );
}

function Waiting({
  testId,
  title,
  count,
  hint,
  href,
  warn,
}: {
  testId: string;
  title: string;
  count: number;
  hint?: string;
  href: string | null;
  warn: boolean;
}) {
  return (
    <div class={`stat waiting ${warn && count > 0 ? 'waiting-on' : ''}`} data-testid={testId} data-count={count}>
      <div class="stat-value">{formatNumber(count)}</div>
      <div class="stat-label">{title}</div>
      {hint ? <div class="small muted">{hint}</div> : null}
      {href ? (
        <a class="btn btn-small" href={href}>
          {t('overview.open')}
        </a>
      ) : null}
    </div>
  );
}

/**
 * Devices whose guard may be gone (issue 27 item 5): the extension removed (its uninstall page
 * was opened) or the heartbeat stopped. Shown here, first, not only in the device list.
 */
function TamperAlerts({ figures, linked }: { figures: Overview; linked: boolean }) {
  const { uninstalled, stale } = figures.alerts;
  if (figures.uninstalledDevices === 0 && figures.staleDevices === 0) return null;
  const who = (alert: Overview['alerts']['stale'][number]) => [alert.userId, alert.department, alert.browser].filter(Boolean).join(' · ');
  return (
    <section class="card alert alert-warn overview-alerts" data-testid="overview-alerts" role="alert">
      <div class="card-head">
        <h2>{t('overview.alerts.title')}</h2>
        {linked ? (
          <a class="btn btn-small" href="#/devices">
            {t('overview.open')}
          </a>
        ) : null}
      </div>
      <ul>
        {uninstalled.map((alert) => (
          <li key={alert.deviceId} data-alert="uninstalled" data-device-id={alert.deviceId}>
            <strong>{t('overview.alerts.uninstalled')}</strong> {who(alert)} —{' '}
            {t('overview.alerts.uninstalledAt', { time: formatTime(alert.uninstalledAt) })}
          </li>
        ))}
        {stale.map((alert) => (
          <li key={alert.deviceId} data-alert="stale" data-device-id={alert.deviceId}>
            <strong>{t('overview.alerts.stale')}</strong> {who(alert)} —{' '}
            {t('overview.alerts.lastSeen', { time: formatTime(alert.lastSeenAt) })}
          </li>
        ))}
      </ul>
      {figures.uninstalledDevices > uninstalled.length || figures.staleDevices > stale.length ? (
        <p class="small">{t('overview.alerts.more', { uninstalled: figures.uninstalledDevices, stale: figures.staleDevices })}</p>
      ) : null}
    </section>
  );
}

export function OverviewPage({ user }: PageProps) {
  const data = useLoad(() => getOverview(), []);
  const figures = data.data;
  return (
    <div class="overview">
      <PageHeader title={t('overview.title')}>
        {figures ? <span class="muted">{t('overview.clock', { offset: offsetText(figures.utcOffsetMinutes) })}</span> : null}
        <button type="button" class="btn" onClick={data.reload}>
          {t('common.refresh')}
        </button>
      </PageHeader>
      <ErrorBox error={data.error} onRetry={data.reload} />
      {data.loading && !figures && <Loading />}
      {figures && (
        <>
          <TamperAlerts figures={figures} linked={can(user.role, 'devices:read')} />
          <section class="card">
            <div class="stat-grid overview-waiting">
              <Waiting
                testId="overview-pending"
                title={t('overview.pending')}
                count={figures.pendingOverrides}
                href={can(user.role, 'overrides:decide') ? '#/overrides' : null}
                warn
              />
              <Waiting
                testId="overview-stale"
                title={t('overview.stale')}
                count={figures.staleDevices}
                hint={t('overview.staleHint', { hours: figures.staleAfterHours, total: figures.devices })}
                href={can(user.role, 'devices:read') ? '#/devices' : null}
                warn
              />
              <Waiting
                testId="overview-incidents"
                title={t('overview.incidents')}
                count={figures.openIncidents}
                hint={t('overview.incidentsNew', { count: figures.newIncidents })}
                href={can(user.role, 'incidents:read') ? '#/incidents' : null}
                warn
              />
            </div>
          </section>
          <BlockCard title={t('overview.today', { day: figures.day })} figures={figures.today} testId="overview-today" />
          <BlockCard title={t('overview.month', { month: figures.month })} figures={figures.thisMonth} testId="overview-month" />
        </>
      )}
    </div>
  );
}
