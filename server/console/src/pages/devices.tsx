import { serverWord } from '../lib/server-text';
import { useState } from 'preact/hooks';
import {
  createEnrollmentCode,
  getDevices,
  getEnrollmentCodes,
  getPolicy,
  revokeDevice,
  revokeEnrollmentCode,
  type Device,
  type EnrollmentCode,
} from '../api';
import { browserLabel } from '../../../../utils/device/browser-label';
import type { PageProps } from '../app';
import { Empty, ErrorBox, Loading, PageHeader, UserName } from '../components/common';
import { t } from '../i18n/messages';
import { formatNumber, formatTime, shortId } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { hasPermission as can } from '../../../../utils/api/permissions';

export function DevicesPage({ user }: PageProps) {
  const devices = useLoad(() => getDevices(), []);
  const policyVersion = useLoad(
    () =>
      getPolicy().then(
        (r) => r.current?.version ?? null,
        () => null,
      ),
    [],
  );
  const items = devices.data?.items ?? [];
  const stale = items.filter((device) => device.stale).length;
  const currentVersion = policyVersion.data ?? null;
  const mayRevoke = can(user.role, 'devices:revoke');
  const [revokeError, setRevokeError] = useState<unknown>(null);

  async function revoke(device: Device) {
    if (!confirm(t('devices.confirmRevoke', { name: device.deviceName || device.userId }))) return;
    setRevokeError(null);
    try {
      await revokeDevice(device.id);
      devices.reload();
    } catch (failure) {
      setRevokeError(failure);
    }
  }

  return (
    <div>
      <PageHeader title={t('devices.title')}>
        <button type="button" class="btn" onClick={devices.reload}>
          {t('common.refresh')}
        </button>
      </PageHeader>
      <ErrorBox error={devices.error} onRetry={devices.reload} />
      <ErrorBox error={revokeError} />
      {devices.loading && !devices.data && <Loading />}
      {devices.data && (
        <section class="card">
          <p class={stale ? 'alert alert-warn' : 'muted'}>{t('devices.summary', { total: items.length, stale })}</p>
          <div class="table-wrap">
            <table class="table" data-testid="devices-table">
              <thead>
                <tr>
                  <th>{t('devices.col.user')}</th>
                  <th>{t('devices.col.department')}</th>
                  <th>{t('devices.col.name')}</th>
                  <th>{t('devices.col.browser')}</th>
                  <th>{t('devices.col.extension')}</th>
                  <th>{t('devices.col.policy')}</th>
                  <th>{t('devices.col.queue')}</th>
                  <th>{t('devices.col.enrolled')}</th>
                  <th>{t('devices.col.lastSeen')}</th>
                  {mayRevoke && <th>{t('devices.col.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {items.length === 0 && <Empty colSpan={mayRevoke ? 10 : 9} />}
                {items.map((device) => {
                  const outdated = currentVersion !== null && device.policyVersion !== null && device.policyVersion < currentVersion;
                  return (
                    <tr key={device.id} class={device.stale ? 'stale' : ''} data-device-id={device.id}>
                      <td>
                        <UserName userId={device.userId} verified={device.userVerified} displayName={device.displayName} />
                        <div class="small muted" data-testid="identity-source">
                          {t(`identity.source.${device.identitySource ?? 'self-declared'}`)}
                        </div>
                      </td>
                      <td class="nowrap">{device.department || '—'}</td>
                      <td>
                        {device.deviceName || '—'}
                        <div class="mono small muted" title={device.id}>
                          {shortId(device.id)}
                        </div>
                        {(device.enrollments ?? 1) > 1 && (
                          <div class="small muted" data-testid="device-enrollments" title={t('devices.enrollmentsHint')}>
                            {t('devices.enrollments', { count: device.enrollments! })}
                          </div>
                        )}
                      </td>
                      <td title={device.browser ?? undefined} data-testid="device-browser">
                        {browserLabel(device.browser) || '—'}
                      </td>
                      <td>{device.extensionVersion || '—'}</td>
                      <td
                        class={outdated ? 'warn-text' : ''}
                        title={outdated ? t('devices.outdatedPolicy', { version: currentVersion }) : undefined}
                      >
                        {device.policyVersion == null ? '—' : `v${device.policyVersion}`}
                        {outdated && ' ⚠'}
                      </td>
                      <td class={`num${(device.queueDepth ?? 0) > 100 ? ' warn-text' : ''}`}>{formatNumber(device.queueDepth)}</td>
                      <td>{formatTime(device.enrolledAt)}</td>
                      <td class="nowrap">
                        {formatTime(device.lastSeenAt)}
                        {device.stale && <span class="badge badge-warn">{t('devices.stale')}</span>}
                        {device.uninstalledAt && (
                          <span class="badge badge-warn" title={formatTime(device.uninstalledAt)}>
                            {t('devices.uninstalled')}
                          </span>
                        )}
                        {device.revokedAt && <span class="badge">{t('devices.revoked')}</span>}
                      </td>
                      {mayRevoke && (
                        <td>
                          {!device.revokedAt && (
                            <button type="button" class="btn btn-small" data-testid="revoke-device" onClick={() => void revoke(device)}>
                              {t('devices.revoke')}
                            </button>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {can(user.role, 'codes:write') && <EnrollmentCodes />}
    </div>
  );
}

type CodeState = 'revoked' | 'expired' | 'used-up' | 'active';
function codeState(code: EnrollmentCode): CodeState {
  if (code.status === 'revoked' || code.status === 'expired' || code.status === 'used-up' || code.status === 'active') return code.status;
  if (code.revokedAt) return 'revoked';
  if (code.expiresAt && Date.parse(code.expiresAt) < Date.now()) return 'expired';
  if (code.maxUses != null && code.uses >= code.maxUses) return 'used-up';
  return 'active';
}

function EnrollmentCodes() {
  const codes = useLoad(() => getEnrollmentCodes(), []);
  const [labelText, setLabelText] = useState('');
  // The server's defaults, shown so the admin sees them; a cleared field means no limit.
  const [maxUses, setMaxUses] = useState('100');
  const [days, setDays] = useState('7');
  const [kind, setKind] = useState<EnrollmentCode['kind']>('general');
  const [issuedTo, setIssuedTo] = useState('');
  const [issuedToDepartment, setIssuedToDepartment] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function create(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await createEnrollmentCode({
        label: labelText.trim() || undefined,
        maxUses: maxUses.trim() ? Number(maxUses) : null,
        expiresInDays: days.trim() ? Number(days) : null,
        kind,
        ...(kind === 'personal' ? { issuedTo: { userId: issuedTo.trim(), department: issuedToDepartment.trim() || undefined } } : {}),
      });
      setCreated(result.code);
      setLabelText('');
      setIssuedTo('');
      setIssuedToDepartment('');
      codes.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(code: EnrollmentCode) {
    if (!confirm(t('codes.confirmRevoke', { label: code.label ? serverWord(code.label) : code.id }))) return;
    setError(null);
    try {
      await revokeEnrollmentCode(code.id);
      codes.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <section class="card" data-testid="enrollment-codes">
      <h2>{t('codes.title')}</h2>
      {created && (
        <div class="created-code" role="status" data-testid="created-code">
          <p>{t('codes.created')}</p>
          <code class="big-code">{created}</code>
          <button type="button" class="btn btn-small no-print" onClick={() => setCreated(null)}>
            {t('common.close')}
          </button>
        </div>
      )}
      <form class="inline-form no-print" onSubmit={create}>
        <label class="field">
          <span>{t('codes.kind')}</span>
          <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as EnrollmentCode['kind'])}>
            {(['general', 'managed-deployment', 'personal'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`codes.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {kind === 'personal' && (
          <>
            <label class="field">
              <span>{t('codes.issuedTo')}</span>
              <input name="issuedTo" required maxLength={200} value={issuedTo} onInput={(e) => setIssuedTo(e.currentTarget.value)} />
            </label>
            <label class="field">
              <span>{t('codes.issuedToDepartment')}</span>
              <input
                name="issuedToDepartment"
                maxLength={200}
                value={issuedToDepartment}
                onInput={(e) => setIssuedToDepartment(e.currentTarget.value)}
              />
            </label>
          </>
        )}
        <label class="field">
          <span>{t('codes.label')}</span>
          <input value={labelText} maxLength={200} onInput={(e) => setLabelText(e.currentTarget.value)} name="label" />
        </label>
        <label class="field">
          <span>{t('codes.maxUses')}</span>
          <input
            type="number"
            min={1}
            value={maxUses}
            placeholder={t('codes.unlimited')}
            onInput={(e) => setMaxUses(e.currentTarget.value)}
            name="maxUses"
          />
        </label>
        <label class="field">
          <span>{t('codes.expiresInDays')}</span>
          <input
            type="number"
            min={1}
            value={days}
            placeholder={t('codes.unlimited')}
            onInput={(e) => setDays(e.currentTarget.value)}
            name="expiresInDays"
          />
        </label>
        <button type="submit" class="btn btn-primary" disabled={busy} data-action="create-code">
          {t('codes.create')}
        </button>
      </form>
      <p class="muted small no-print">{t('codes.limitsHint')}</p>
      <ErrorBox error={error ?? codes.error} />
      {codes.data && (
        <table class="table">
          <thead>
            <tr>
              <th>{t('codes.col.code')}</th>
              <th>{t('codes.col.label')}</th>
              <th>{t('codes.col.kind')}</th>
              <th>{t('codes.col.uses')}</th>
              <th>{t('codes.col.expires')}</th>
              <th>{t('codes.col.created')}</th>
              <th>{t('codes.col.state')}</th>
              <th class="no-print" />
            </tr>
          </thead>
          <tbody>
            {codes.data.items.length === 0 && <Empty colSpan={8} />}
            {codes.data.items.map((code) => {
              const state = codeState(code);
              return (
                <tr key={code.id} class={state !== 'active' ? 'inactive' : ''}>
                  <td class="mono">{code.hint}</td>
                  <td>{serverWord(code.label)}</td>
                  <td data-testid="code-kind">
                    {t(`codes.short.${code.kind}`)}
                    {code.issuedTo && (
                      <div class="small">
                        {code.issuedTo.userId}
                        {code.issuedTo.department ? ` · ${code.issuedTo.department}` : ''}
                      </div>
                    )}
                  </td>
                  <td class="num">
                    {code.uses} / {code.maxUses ?? t('codes.unlimited')}
                  </td>
                  <td class="nowrap">{code.expiresAt ? formatTime(code.expiresAt) : t('codes.unlimited')}</td>
                  <td class="nowrap">{formatTime(code.createdAt)}</td>
                  <td>{t(`codes.${state}`)}</td>
                  <td class="no-print">
                    {state === 'active' && (
                      <button type="button" class="btn btn-small btn-danger" onClick={() => revoke(code)}>
                        {t('codes.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
