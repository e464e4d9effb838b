/**
 * Suspected leaks staff reported from the extension (domain policy article 13), and their
 * handling: new → investigating → closed, each change with a note and who made it (audited
 * on the server).
 */
import { useState } from 'preact/hooks';
import { getIncidents, setIncidentStatus, type Incident, type IncidentStatus } from '../api';
import type { PageProps } from '../app';
import { Empty, ErrorBox, Loading, Notice, PageHeader, Pager, UserName } from '../components/common';
import { t } from '../i18n/messages';
import { formatTime } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { hasPermission as can } from '../../../../utils/api/permissions';

const STATUSES: IncidentStatus[] = ['new', 'investigating', 'closed'];
const PAGE_SIZE = 50;
const statusText = (status: IncidentStatus) => t(`incidents.status.${status}`);

function HandleForm({ incident, onDone }: { incident: Incident; onDone: (status: IncidentStatus) => void }) {
  // The next step is preselected: new → investigating → closed.
  const [status, setStatus] = useState<IncidentStatus>(incident.status === 'new' ? 'investigating' : 'closed');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await setIncidentStatus(incident.id, status, note.trim() || undefined);
      setNote('');
      onDone(status);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="decision-form" onSubmit={submit} data-testid="incident-handle">
      <select
        value={status}
        onChange={(e) => setStatus(e.currentTarget.value as IncidentStatus)}
        aria-label={t('incidents.col.status')}
        name="status"
      >
        {STATUSES.map((value) => (
          <option key={value} value={value}>
            {statusText(value)}
          </option>
        ))}
      </select>
      <textarea
        name="note"
        rows={2}
        maxLength={1000}
        placeholder={t('incidents.note')}
        aria-label={t('incidents.note')}
        value={note}
        onInput={(e) => setNote(e.currentTarget.value)}
      />
      <button type="submit" class="btn btn-small btn-primary" disabled={busy}>
        {t('incidents.update')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

export function IncidentsPage({ user }: PageProps) {
  const [status, setStatus] = useState<IncidentStatus | ''>('');
  const [page, setPage] = useState(1);
  // The status last set here; worded at render time, so it follows a language switch.
  const [updated, setUpdated] = useState<IncidentStatus | null>(null);
  const list = useLoad(() => getIncidents({ status, page, pageSize: PAGE_SIZE }), [status, page]);
  const mayHandle = can(user.role, 'incidents:handle');
  const items = list.data?.items ?? [];
  const columns = mayHandle ? 7 : 6;

  return (
    <div>
      <PageHeader title={t('incidents.title')}>
        <label class="field field-inline">
          <span>{t('incidents.filter.status')}</span>
          <select
            value={status}
            data-testid="incident-filter"
            onChange={(e) => {
              setStatus(e.currentTarget.value as IncidentStatus | '');
              setPage(1);
            }}
          >
            <option value="">{t('common.all')}</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {statusText(value)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="btn" onClick={list.reload}>
          {t('common.refresh')}
        </button>
      </PageHeader>
      <p class="muted">{t('incidents.intro')}</p>
      {updated && <Notice kind="success">{t('incidents.updated', { status: statusText(updated) })}</Notice>}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <section class="card">
          <div class="table-wrap">
            <table class="table" data-testid="incidents-table">
              <thead>
                <tr>
                  <th>{t('incidents.col.reported')}</th>
                  <th>{t('incidents.col.user')}</th>
                  <th>{t('incidents.col.site')}</th>
                  <th>{t('incidents.col.description')}</th>
                  <th>{t('incidents.col.status')}</th>
                  <th>{t('incidents.col.handling')}</th>
                  {mayHandle && <th>{t('devices.col.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {items.length === 0 && <Empty colSpan={columns} />}
                {items.map((incident) => (
                  <tr
                    key={incident.id}
                    data-incident-id={incident.id}
                    data-status={incident.status}
                    class={incident.status === 'closed' ? 'inactive' : ''}
                  >
                    <td class="nowrap">
                      {formatTime(incident.reportedAt)}
                      {incident.occurredAt.slice(0, 16) !== incident.reportedAt.slice(0, 16) && (
                        <div class="small muted">{t('incidents.occurred', { time: formatTime(incident.occurredAt) })}</div>
                      )}
                    </td>
                    <td class="nowrap">
                      <UserName userId={incident.userId} verified={incident.userVerified} />
                      {incident.department && <div class="small muted">{incident.department}</div>}
                    </td>
                    <td class="mono small">{incident.origin ?? '—'}</td>
                    <td class="incident-text">{incident.description}</td>
                    <td class="nowrap">
                      <span class={`badge badge-incident-${incident.status}`}>{statusText(incident.status)}</span>
                    </td>
                    <td>
                      {incident.statusBy ? (
                        <>
                          <div class="small muted">
                            {t('incidents.handledBy', { by: incident.statusBy, time: formatTime(incident.statusAt) })}
                          </div>
                          {incident.statusNote && <div>{incident.statusNote}</div>}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    {mayHandle && (
                      <td>
                        <HandleForm
                          key={`${incident.id}-${incident.status}`}
                          incident={incident}
                          onDone={(status) => {
                            setUpdated(status);
                            list.reload();
                          }}
                        />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />
        </section>
      )}
    </div>
  );
}
