import { useEffect, useState } from 'preact/hooks';
import { getAllOverrides, getOverrides, getPolicy, revokeOverride, type OverrideItem, type OverrideState } from '../api';
import type { PageProps } from '../app';
import { Empty, ErrorBox, Loading, Notice, PageHeader, UserName } from '../components/common';
import { getLang, label, t, type MessageKey } from '../i18n/messages';
import { groupOverrides, type OverrideGroup } from '../lib/override-groups';
import { levelWhy, scopeText } from '../lib/grant-text';
import { DecisionForm } from './override-decision';
import { inLanguage } from '../../../../utils/policy/bilingual';
import { formatTime, shortId } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { hasPermission as can } from '../../../../utils/api/permissions';
import { useRouteParam } from '../router';

const STATES: OverrideState[] = ['pending', 'approved', 'revoked', 'denied', 'expired'];

export function OverridesPage({ user }: PageProps) {
  const [state, setState] = useState<OverrideState>('pending');
  const [message, setMessage] = useState<string | null>(null);
  const list = useLoad(() => getOverrides(state), [state]);
  // Approvers may not read the policy; then the server alone enforces the maximum.
  const policy = useLoad(
    () =>
      (can(user.role, 'policy:read')
        ? getPolicy().then((r) => r.current?.policy.overrides.maxDurationMinutes ?? null)
        : Promise.resolve(null)
      ).catch(() => null),
    [],
  );
  const maxMinutes = policy.data ?? null;
  // Opened from an alert's link (#/overrides?id=…): show the tab the request is in and mark its row.
  const focusId = useRouteParam('id');
  const [focusMissing, setFocusMissing] = useState(false);
  useEffect(() => {
    if (!focusId) return;
    getAllOverrides().then(
      (all) => {
        const found = all.items.find((item) => item.id === focusId);
        setFocusMissing(!found);
        if (found) setState(found.state);
      },
      () => setFocusMissing(false),
    );
  }, [focusId]);

  return (
    <div>
      <PageHeader title={t('overrides.title')}>
        <button type="button" class="btn" onClick={list.reload}>
          {t('common.refresh')}
        </button>
      </PageHeader>
      <div class="tabs" role="tablist">
        {STATES.map((candidate) => (
          <button
            key={candidate}
            type="button"
            role="tab"
            aria-selected={candidate === state}
            class={candidate === state ? 'tab active' : 'tab'}
            data-state={candidate}
            onClick={() => {
              setMessage(null);
              setState(candidate);
            }}
          >
            {t(`overrides.state.${candidate}` as MessageKey)}
          </button>
        ))}
      </div>
      {message && <Notice kind="success">{message}</Notice>}
      {focusId && focusMissing && <Notice kind="warn">{t('overrides.focusMissing')}</Notice>}
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.loading && !list.data && <Loading />}
      {list.data && (
        <div class="table-wrap">
          <table class="table overrides-table" data-testid={`overrides-${state}`}>
            <thead>
              <tr>
                <th>{t('overrides.col.requestedAt')}</th>
                <th>
                  {t('overrides.col.user')} · {t('overrides.col.department')}
                </th>
                <th>{t('overrides.col.device')}</th>
                <th>{t('overrides.col.trigger')}</th>
                <th>{t('overrides.col.reason')}</th>
                <th>{t('overrides.col.duration')}</th>
                {state === 'pending' ? (
                  <th>{t('overrides.col.decision')}</th>
                ) : (
                  <>
                    <th>
                      {t('overrides.col.decidedBy')} · {t('overrides.col.decidedAt')}
                    </th>
                    <th>{t('overrides.col.note')}</th>
                    <th>{t('overrides.col.expiresAt')}</th>
                    {state === 'approved' && <th>{t('overrides.col.revoke')}</th>}
                  </>
                )}
              </tr>
            </thead>
            <tbody>
              {list.data.items.length === 0 && <Empty colSpan={state === 'pending' ? 7 : state === 'approved' ? 10 : 9} />}
              {groupOverrides(list.data.items).map((group) => (
                <GroupRow
                  key={group.head.id}
                  group={group}
                  state={state}
                  maxMinutes={maxMinutes}
                  focused={focusId !== null && group.items.some((member) => member.id === focusId)}
                  onDone={(text) => {
                    setMessage(text);
                    list.reload();
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The block behind a request: level and why, channel, site, the rule, what was in it (counts, masked samples, file, destination). */
function Trigger({ item }: { item: OverrideItem }) {
  const rule = inLanguage(item.ruleDescription, getLang()) ?? item.ruleId;
  const why = levelWhy(item);
  const detail = item.detail;
  return (
    <div class="trigger" data-testid="override-trigger">
      <div>
        {item.level ? (
          <span class={`level-tag lv-${item.level}`}>{label('level', item.level)}</span>
        ) : (
          <span class="muted">{t('level.none')}</span>
        )}{' '}
        {label('channel', item.channel)}
      </div>
      {why && (
        <div class="small" data-testid="override-level-why">
          {t('overrides.levelWhy', { why })}
        </div>
      )}
      <div class="mono small">{item.origin}</div>
      {rule && <div class="small">{t('overrides.rule', { rule })}</div>}
      {detail && (
        <div class="small" data-testid="override-counts">
          {t('overrides.counts', { numbers: detail.numberCount, customers: detail.customerCount })}
        </div>
      )}
      {detail?.fileName && <div class="small">{t('overrides.file', { name: detail.fileName })}</div>}
      {detail?.destination && <div class="small mono">{t('overrides.destination', { site: detail.destination })}</div>}
      {item.masked.length > 0 && <div class="mono small">{item.masked.join(t('common.listSep'))}</div>}
    </div>
  );
}

function GroupRow({
  group,
  state,
  maxMinutes,
  focused,
  onDone,
}: {
  group: OverrideGroup;
  state: OverrideState;
  maxMinutes: number | null;
  focused: boolean;
  onDone: (message: string) => void;
}) {
  const item = group.head;
  const repeats = group.items.length;
  return (
    <tr
      data-override-id={item.id}
      data-repeats={repeats}
      class={focused ? 'focused' : undefined}
      aria-current={focused ? 'true' : undefined}
      ref={(row) => {
        if (focused) row?.scrollIntoView({ block: 'center' });
      }}
    >
      <td class="nowrap">
        {formatTime(item.requestedAt)}
        {repeats > 1 && (
          <div class="small muted" data-testid="override-repeats">
            {t('overrides.repeats', { n: repeats })}
          </div>
        )}
      </td>
      <td>
        <UserName userId={item.userId} verified={item.userVerified} />
        <div class="small muted">{item.department ?? '—'}</div>
      </td>
      <td class="mono small nowrap" title={item.deviceId}>
        {shortId(item.deviceId)}
      </td>
      <td>
        <Trigger item={item} />
      </td>
      <td class="reason">{item.reason}</td>
      <td class="num nowrap">
        {item.durationMinutes} {t('common.minutes')}
      </td>
      {state === 'pending' ? (
        <td>
          <DecisionForm item={item} ids={group.items.map((member) => member.id)} maxMinutes={maxMinutes} onDone={onDone} />
        </td>
      ) : (
        <>
          <td class="nowrap">
            {(state === 'revoked' ? item.revokedBy : item.decidedBy) ?? '—'}
            <div class="small muted">{formatTime(state === 'revoked' ? item.revokedAt : item.decidedAt)}</div>
          </td>
          <td>
            {item.decisionNote ?? '—'}
            {item.scope && (
              <div class="small" data-testid="override-scope">
                {t('overrides.col.scope')}：{scopeText({ ...item.scope, origin: item.origin, channel: item.channel }, item.channel)}
                {item.usedCount > 0 && <span class="muted"> · {t('overrides.used', { n: item.usedCount })}</span>}
              </div>
            )}
          </td>
          <td class="nowrap">{formatTime(item.expiresAt)}</td>
          {state === 'approved' && (
            <td>
              <RevokeButton ids={group.items.map((member) => member.id)} onDone={onDone} />
            </td>
          )}
        </>
      )}
    </tr>
  );
}

function RevokeButton({ ids, onDone }: { ids: string[]; onDone: (message: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <div>
      <button
        type="button"
        class="btn btn-danger"
        data-action="revoke"
        disabled={busy}
        onClick={() => {
          if (!confirm(t('overrides.revokeConfirm'))) return;
          setBusy(true);
          setError(null);
          Promise.all(ids.map((id) => revokeOverride(id))).then(
            () => onDone(t('overrides.revoked')),
            (failure: unknown) => {
              setError(failure);
              setBusy(false);
            },
          );
        }}
      >
        {t('overrides.revoke')}
      </button>
      <ErrorBox error={error} />
    </div>
  );
}
