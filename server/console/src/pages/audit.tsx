import { useState } from 'preact/hooks';
import { getAuditLog } from '../api';
import { Empty, ErrorBox, Loading, PageHeader, Pager } from '../components/common';
import { label, t } from '../i18n/messages';
import { serverWord } from '../lib/server-text';
import { formatTime } from '../lib/format';
import { useLoad } from '../lib/use-load';
import type { PageProps } from '../app';
import { hasPermission as can } from '../../../../utils/api/permissions';
import { RetentionForm } from '../components/retention-form';

/** `user li.si` → 用户 li.si, `code AB12… 财务部` → 注册码 AB12… 财务部; other targets as the server words them. */
function targetText(target: string | null): string {
  const worded = serverWord(target);
  if (worded !== target) return worded;
  const purge = /^(\d+) events, (\d+) audit entries$/.exec(target ?? '');
  if (purge) return t('audit.target.purge', { events: purge[1]!, audit: purge[2]! });
  const events = /^(\d+) events$/.exec(target ?? '');
  if (events) return t('audit.target.events', { n: events[1]! });
  const match = /^(user|code) (.+)$/.exec(target ?? '');
  return match ? t(match[1] === 'user' ? 'audit.target.user' : 'audit.target.code', { name: match[2]! }) : worded;
}

function detailText(detail: unknown): string {
  if (detail == null || detail === '') return '—';
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail);
  } catch {
    return String(detail);
  }
}

export function AuditPage({ user }: Partial<PageProps>) {
  const [page, setPage] = useState(1);
  const log = useLoad(() => getAuditLog(page), [page]);
  const items = log.data?.items ?? [];
  return (
    <div>
      <PageHeader title={t('audit.title')}>
        <button type="button" class="btn no-print" onClick={log.reload}>
          {t('common.refresh')}
        </button>
      </PageHeader>
      <RetentionForm editable={!!user && can(user.role, 'settings:write')} onSaved={log.reload} />
      <ErrorBox error={log.error} onRetry={log.reload} />
      {log.loading && !log.data && <Loading />}
      {log.data && (
        <section class="card">
          <div class="table-wrap">
            <table class="table" data-testid="audit-table">
              <thead>
                <tr>
                  <th>{t('audit.col.time')}</th>
                  <th>{t('audit.col.actor')}</th>
                  <th>{t('audit.col.action')}</th>
                  <th>{t('audit.col.target')}</th>
                  <th>{t('audit.col.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {items.length === 0 && <Empty colSpan={5} />}
                {items.map((entry) => (
                  <tr key={entry.id}>
                    <td class="nowrap">{formatTime(entry.at, true)}</td>
                    <td>{serverWord(entry.actor)}</td>
                    <td class="nowrap">{label('audit.action', entry.action)}</td>
                    <td class="mono small">{targetText(entry.target)}</td>
                    <td class="mono small detail">{detailText(entry.detail)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            page={log.data.page ?? page}
            pageSize={log.data.pageSize ?? Math.max(items.length, 50)}
            total={log.data.total ?? items.length}
            onPage={setPage}
          />
        </section>
      )}
    </div>
  );
}
