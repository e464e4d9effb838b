import { errorText, issueText } from '../lib/server-text';
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api';
import { t } from '../i18n/messages';
import { useEffect } from 'preact/hooks';
import { navigate } from '../router';

export function Loading() {
  return (
    <p class="muted" role="status">
      {t('app.loading')}
    </p>
  );
}

export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const mustChange = error instanceof ApiError && error.code === 'password-change-required';
  // The server refuses everything until a one-time password is replaced: go where that is done.
  useEffect(() => {
    if (mustChange) navigate('/password');
  }, [mustChange]);
  if (!error) return null;
  const message = errorText(error);
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <div class="alert alert-error" role="alert">
      <strong>{t('app.error')}</strong>
      {error instanceof ApiError && error.code ? <code class="code-tag">{error.code}</code> : null}
      <span> {message}</span>
      {issues.length > 0 && (
        <ul class="issues">
          {issues.map((issue) => (
            <li key={issue.path + issue.message}>
              <code>{issue.path || '(root)'}</code> {issueText(issue)}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" class="btn btn-small" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}

export function Notice({ children, kind = 'info' }: { children: ComponentChildren; kind?: 'info' | 'success' | 'warn' }) {
  return (
    <div class={`alert alert-${kind}`} role="status">
      {children}
    </div>
  );
}

export function Pager({
  page,
  pageSize,
  total,
  onPage,
  totalExact = true,
  onCountExactly,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
  /** false: `total` is a lower bound (the server stopped counting), said as "more than". */
  totalExact?: boolean;
  /** Asks the server for the exact count. */
  onCountExactly?: () => void;
}) {
  const pages = Math.max(1, Math.ceil(total / Math.max(1, pageSize)));
  return (
    <nav class="pager no-print" aria-label="pagination">
      <button type="button" class="btn btn-small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('common.prev')}
      </button>
      <span class="muted" data-testid="pager-text">
        {totalExact ? t('common.page', { page, pages, total }) : t('common.pageMore', { page, total: total.toLocaleString('en') })}
      </span>
      {!totalExact && onCountExactly && (
        <button
          type="button"
          class="btn btn-small"
          title={t('common.countExactlyHelp')}
          onClick={onCountExactly}
          data-testid="count-exactly"
        >
          {t('common.countExactly')}
        </button>
      )}
      <button type="button" class="btn btn-small" disabled={totalExact && page >= pages} onClick={() => onPage(page + 1)}>
        {t('common.next')}
      </button>
    </nav>
  );
}

export function Empty({ colSpan }: { colSpan: number }) {
  return (
    <tr>
      <td colSpan={colSpan} class="empty">
        {t('common.empty')}
      </td>
    </tr>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <h1>{title}</h1>
      {children ? <div class="page-actions">{children}</div> : null}
    </header>
  );
}

/**
 * A person as records name them (issue 27): the user id, and 未验证 / Unverified when the device
 * enrolled with a self-declared name. Used wherever a user is shown: devices, events, the
 * override queue, incidents, the report.
 */
export function UserName({ userId, verified, displayName }: { userId: string; verified?: boolean; displayName?: string | null }) {
  return (
    <>
      {displayName && displayName !== userId ? (
        <>
          {displayName} <span class="small muted">{userId}</span>
        </>
      ) : (
        userId
      )}
      {verified === false && (
        <span class="badge badge-warn" data-testid="unverified" title={t('identity.unverifiedHint')}>
          {t('identity.unverified')}
        </span>
      )}
    </>
  );
}
