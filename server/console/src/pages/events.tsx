import { inLanguage } from '../../../../utils/policy/bilingual';
import type { PageProps } from '../app';
import { hasPermission as can } from '../../../../utils/api/permissions';
import { useState } from 'preact/hooks';
import { LEVELS } from '../../../../utils/detect/types';
import { ACTIONS, CHANNELS } from '../../../../utils/policy/schema';
import { eventsCsvUrl, getEvents, getPolicy, getTimeline, type AdminEvent, type EventFilters } from '../api';
import { Empty, ErrorBox, Loading, PageHeader, Pager, UserName } from '../components/common';
import { TimelineChart } from '../components/timeline-chart';
import { getLang, label, t } from '../i18n/messages';
import { formatTime, fromLocalInput, shortId, toLocalInput } from '../lib/format';
import { useLoad } from '../lib/use-load';

const PAGE_SIZE = 50;

interface FilterForm {
  from: string;
  to: string;
  userId: string;
  deviceId: string;
  origin: string;
  channel: string;
  level: string;
  action: string;
}

function defaultFilters(): FilterForm {
  const now = new Date();
  const from = new Date(now.getTime() - 30 * 24 * 3600 * 1000);
  from.setHours(0, 0, 0, 0);
  return { from: toLocalInput(from), to: '', userId: '', deviceId: '', origin: '', channel: '', level: '', action: '' };
}

function toQuery(form: FilterForm): EventFilters {
  return {
    from: fromLocalInput(form.from),
    to: fromLocalInput(form.to),
    userId: form.userId.trim() || undefined,
    deviceId: form.deviceId.trim() || undefined,
    origin: form.origin.trim() || undefined,
    channel: (form.channel || undefined) as EventFilters['channel'],
    level: (form.level || undefined) as EventFilters['level'],
    action: (form.action || undefined) as EventFilters['action'],
  };
}

function findingsText(event: AdminEvent): string {
  if (event.kind === 'queue-overflow') return t('events.kind.queue-overflow', { n: event.detail?.folded ?? '?' });
  if (event.kind === 'policy-rejected') return `${t('events.kind.policy-rejected')}: ${event.detail?.reason ?? ''}`;
  if (event.kind === 'false-positive') {
    const samples = (Array.isArray(event.findings) ? event.findings : [])
      .slice(0, 5)
      .map((f) => f.masked)
      .join(', ');
    return `${t('events.kind.false-positive')}: ${samples || '—'}`;
  }
  const findings = Array.isArray(event.findings) ? event.findings : [];
  const shown = findings
    .slice(0, 5)
    .map((f) => f.masked)
    .join(', ');
  const count = event.findingCount ?? findings.length;
  return count > 5 ? `${shown} … (${count})` : shown || '—';
}

export function EventsPage({ user }: Partial<PageProps>) {
  const [form, setForm] = useState<FilterForm>(defaultFilters);
  const [applied, setApplied] = useState<FilterForm>(form);
  const [page, setPage] = useState(1);
  // The list counts up to 10,000 matches; the exact count is asked for (it reads them all).
  const [exact, setExact] = useState(false);
  const query = toQuery(applied);
  const spanHours =
    ((query.to ? Date.parse(query.to) : Date.now()) - (query.from ? Date.parse(query.from) : Date.now() - 30 * 864e5)) / 36e5;
  const bucket: 'day' | 'hour' = spanHours <= 72 ? 'hour' : 'day';

  const events = useLoad(
    () => getEvents({ ...query, page, pageSize: PAGE_SIZE, ...(exact ? { exact: '1' as const } : {}) }),
    [JSON.stringify(applied), page, exact],
  );
  // Rules by their description in the current policy, so the table reads 禁止复制… rather than no-copy-out.
  const ruleNames = useLoad(
    () =>
      getPolicy()
        .then((r) => new Map((r.current?.policy.rules ?? []).map((rule) => [rule.id, rule.description ?? rule.id])))
        .catch(() => new Map<string, string>()),
    [],
  );
  const timeline = useLoad(() => getTimeline({ from: query.from, to: query.to, bucket }), [JSON.stringify(applied)]);

  const field = (key: keyof FilterForm) => ({
    value: form[key],
    onInput: (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value }),
  });
  const apply = (next: FilterForm) => {
    setApplied(next);
    setPage(1);
    setExact(false);
  };

  return (
    <div>
      <PageHeader title={t('events.title')}>
        {user && can(user.role, 'reports:export') && (
          <>
            <span class="small muted" data-testid="events-csv-note">
              {t('events.csvNote')}
            </span>
            <a class="btn" href={eventsCsvUrl(query)} download="baomi-events.csv" data-testid="events-csv" title={t('events.csvNote')}>
              {t('events.csv')}
            </a>
          </>
        )}
      </PageHeader>
      <form
        class="filters card no-print"
        data-testid="event-filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply(form);
        }}
      >
        <label class="field">
          <span>{t('events.filter.from')}</span>
          <input type="datetime-local" name="from" {...field('from')} />
        </label>
        <label class="field">
          <span>{t('events.filter.to')}</span>
          <input type="datetime-local" name="to" {...field('to')} />
        </label>
        <label class="field">
          <span>{t('events.filter.user')}</span>
          <input name="userId" {...field('userId')} />
        </label>
        <label class="field">
          <span>{t('events.filter.device')}</span>
          <input name="deviceId" {...field('deviceId')} />
        </label>
        <label class="field">
          <span>{t('events.filter.origin')}</span>
          <input name="origin" placeholder="https://…" {...field('origin')} />
        </label>
        <label class="field">
          <span>{t('events.filter.channel')}</span>
          <select name="channel" value={form.channel} onChange={(e) => setForm({ ...form, channel: e.currentTarget.value })}>
            <option value="">{t('common.all')}</option>
            {CHANNELS.map((channel) => (
              <option key={channel} value={channel}>
                {label('channel', channel)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t('events.filter.level')}</span>
          <select name="level" value={form.level} onChange={(e) => setForm({ ...form, level: e.currentTarget.value })}>
            <option value="">{t('common.all')}</option>
            {LEVELS.map((level) => (
              <option key={level} value={level}>
                {label('level', level)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t('events.filter.action')}</span>
          <select name="action" value={form.action} onChange={(e) => setForm({ ...form, action: e.currentTarget.value })}>
            <option value="">{t('common.all')}</option>
            {ACTIONS.map((action) => (
              <option key={action} value={action}>
                {label('action', action)}
              </option>
            ))}
          </select>
        </label>
        <div class="filter-buttons">
          <button type="submit" class="btn btn-primary">
            {t('common.apply')}
          </button>
          <button
            type="button"
            class="btn"
            onClick={() => {
              const fresh = defaultFilters();
              setForm(fresh);
              apply(fresh);
            }}
          >
            {t('common.reset')}
          </button>
        </div>
      </form>

      <section class="card">
        <h2>{t('events.chart', { bucket: t(`events.bucket.${bucket}`) })}</h2>
        <ErrorBox error={timeline.error} onRetry={timeline.reload} />
        {timeline.data ? (
          <TimelineChart
            buckets={timeline.data.buckets ?? []}
            bucket={bucket}
            from={query.from}
            to={query.to}
            utcOffsetMinutes={timeline.data.utcOffsetMinutes}
          />
        ) : (
          !timeline.error && <Loading />
        )}
      </section>

      <section class="card">
        <ErrorBox error={events.error} onRetry={events.reload} />
        {events.loading && !events.data && <Loading />}
        {events.data && (
          <>
            <div class="table-wrap">
              <table class="table events-table" data-testid="events-table">
                <thead>
                  <tr>
                    <th>{t('events.col.time')}</th>
                    <th>
                      {t('events.col.user')} / {t('events.col.department')}
                    </th>
                    <th>{t('events.col.device')}</th>
                    <th>
                      {t('events.col.origin')} → {t('events.col.destination')}
                    </th>
                    <th>{t('events.col.channel')}</th>
                    <th>{t('events.col.level')}</th>
                    <th>{t('events.col.action')}</th>
                    <th>{t('events.col.rule')}</th>
                    <th>{t('events.col.findings')}</th>
                  </tr>
                </thead>
                <tbody>
                  {events.data.items.length === 0 && <Empty colSpan={9} />}
                  {events.data.items.map((event) => (
                    <tr key={event.id} class={`action-${event.action}`}>
                      <td class="nowrap">{formatTime(event.time, true)}</td>
                      <td>
                        <UserName userId={event.userId} verified={event.userVerified} />
                        {event.department && <div class="small muted">{event.department}</div>}
                      </td>
                      <td class="mono small nowrap" title={event.deviceId}>
                        {shortId(event.deviceId)}
                      </td>
                      <td class="mono small">
                        {event.origin}
                        <div class="muted">→ {event.destination ?? '—'}</div>
                      </td>
                      <td class="nowrap">{label('channel', event.channel)}</td>
                      <td class="nowrap">{event.level ? <span class={`level-tag lv-${event.level}`}>{event.level}</span> : '—'}</td>
                      <td>
                        <span class={`verdict verdict-${event.action}`}>{label('action', event.action)}</span>
                        {event.grant && (
                          <div class="small" data-testid="event-granted">
                            {t('events.granted', { approver: event.grant.approver ?? '—' })}
                          </div>
                        )}
                      </td>
                      <td class="small" title={event.ruleId ?? undefined}>
                        {event.ruleId ? (inLanguage(ruleNames.data?.get(event.ruleId), getLang()) ?? event.ruleId) : '—'}
                      </td>
                      <td class="mono small">{findingsText(event)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              page={events.data.page ?? page}
              pageSize={events.data.pageSize ?? PAGE_SIZE}
              total={events.data.total ?? events.data.items.length}
              totalExact={events.data.totalExact ?? true}
              onCountExactly={() => setExact(true)}
              onPage={setPage}
            />
          </>
        )}
      </section>
    </div>
  );
}
