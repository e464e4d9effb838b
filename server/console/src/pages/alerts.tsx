/**
 * 审批提醒 / Approval alerts (IT administrator): the channels that tell approvers of a
 * new override request outside the console, a "send test" per channel that shows the
 * real outcome, and the latest deliveries with their attempts and last error.
 */
import { useState } from 'preact/hooks';
import {
  createAlertChannel,
  deleteAlertChannel,
  getAlertChannels,
  testAlertChannel,
  updateAlertChannel,
  type AlertChannelInput,
  type AlertChannelView,
  type AlertDelivery,
  type AlertTestResult,
} from '../api';
import type { PageProps } from '../app';
import { ErrorBox, Loading, Notice, PageHeader } from '../components/common';
import { getLang, label, t, type MessageKey } from '../i18n/messages';
import { formatTime, shortId } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { AlertChannelForm } from './alert-channel-form';

/** A delivery failure in the reader's language, with the remote's own words after it. */
export function deliveryErrorText(error: { code: string; detail: string }): string {
  const words = label('alerts.err', error.code);
  if (!error.detail) return words;
  return getLang() === 'zh-CN' ? `${words}（${error.detail}）` : `${words} (${error.detail})`;
}

function target(channel: AlertChannelView): string {
  if (channel.kind === 'email' && channel.email) return `${channel.email.host}:${channel.email.port} → ${channel.email.to.join(', ')}`;
  return channel.urlHint ?? '—';
}

type Editing = { channel: AlertChannelView | null } | null;
interface Said {
  key: MessageKey;
  values: Record<string, string>;
}

export function AlertsPage(_props: PageProps) {
  const list = useLoad(() => getAlertChannels(), []);
  const [editing, setEditing] = useState<Editing>(null);
  const [message, setMessage] = useState<Said | null>(null);
  const [rowError, setRowError] = useState<unknown>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, AlertTestResult | { failure: unknown }>>({});

  async function save(input: AlertChannelInput) {
    const channel = editing?.channel;
    const saved = channel ? await updateAlertChannel(channel.id, input) : await createAlertChannel(input);
    setEditing(null);
    setMessage({ key: 'alerts.saved', values: { name: saved.item.name } });
    list.reload();
  }

  async function remove(channel: AlertChannelView) {
    if (!confirm(t('alerts.confirmDelete', { name: channel.name }))) return;
    setRowError(null);
    try {
      await deleteAlertChannel(channel.id);
      setMessage({ key: 'alerts.deleted', values: { name: channel.name } });
    } catch (failure) {
      setRowError(failure);
    }
    list.reload();
  }

  async function test(channel: AlertChannelView) {
    setTesting(channel.id);
    try {
      const result = await testAlertChannel(channel.id);
      setResults((all) => ({ ...all, [channel.id]: result }));
    } catch (failure) {
      setResults((all) => ({ ...all, [channel.id]: { failure } }));
    } finally {
      setTesting(null);
    }
  }

  const data = list.data;
  return (
    <div>
      <PageHeader title={t('alerts.title')}>
        <button type="button" class="btn" onClick={list.reload}>
          {t('common.refresh')}
        </button>
        <button type="button" class="btn btn-primary" data-action="add-channel" onClick={() => setEditing({ channel: null })}>
          {t('alerts.add')}
        </button>
      </PageHeader>
      {data && <Notice>{t('alerts.intro', { n: data.maxAttempts })}</Notice>}
      {data && !data.publicUrl && <Notice kind="warn">{t('alerts.noPublicUrl')}</Notice>}
      {message && <Notice kind="success">{t(message.key, message.values)}</Notice>}
      <ErrorBox error={list.error} onRetry={list.reload} />
      <ErrorBox error={rowError} />
      {editing && (
        <AlertChannelForm key={editing.channel?.id ?? 'new'} channel={editing.channel} onSave={save} onCancel={() => setEditing(null)} />
      )}
      {list.loading && !data && <Loading />}
      {data && (
        <section class="card">
          <div class="table-wrap">
            <table class="table" data-testid="alert-channels">
              <thead>
                <tr>
                  <th>{t('alerts.col.name')}</th>
                  <th>{t('alerts.col.kind')}</th>
                  <th>{t('alerts.col.target')}</th>
                  <th>{t('alerts.col.secret')}</th>
                  <th>{t('alerts.col.enabled')}</th>
                  <th>{t('alerts.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.length === 0 && (
                  <tr>
                    <td colSpan={6} class="empty">
                      {t('alerts.noChannels')}
                    </td>
                  </tr>
                )}
                {data.items.map((channel) => (
                  <ChannelRows
                    key={channel.id}
                    channel={channel}
                    testing={testing === channel.id}
                    result={results[channel.id]}
                    onTest={() => void test(channel)}
                    onEdit={() => setEditing({ channel })}
                    onDelete={() => void remove(channel)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {data && <Deliveries items={data.deliveries} channels={data.items} />}
    </div>
  );
}

function ChannelRows({
  channel,
  testing,
  result,
  onTest,
  onEdit,
  onDelete,
}: {
  channel: AlertChannelView;
  testing: boolean;
  result: AlertTestResult | { failure: unknown } | undefined;
  onTest: () => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  return (
    <>
      <tr data-channel={channel.name}>
        <td>{channel.name}</td>
        <td class="nowrap">{t(`alerts.kind.${channel.kind}`)}</td>
        <td class="mono small break">{target(channel)}</td>
        {/* 企业微信 robots have no signing: their key is in the URL. */}
        <td class="nowrap">{channel.kind === 'wecom' ? '—' : channel.hasSecret ? t('alerts.secretSet') : t('alerts.secretNone')}</td>
        <td class="nowrap">{channel.enabled ? t('alerts.enabled') : <span class="muted">{t('alerts.disabled')}</span>}</td>
        <td class="row-actions">
          <button type="button" class="btn btn-small btn-primary" data-action="test" disabled={testing} onClick={onTest}>
            {testing ? t('alerts.testing') : t('alerts.test')}
          </button>
          <button type="button" class="btn btn-small" data-action="edit" onClick={onEdit}>
            {t('alerts.edit')}
          </button>
          <button type="button" class="btn btn-small btn-danger" data-action="delete" onClick={onDelete}>
            {t('alerts.delete')}
          </button>
        </td>
      </tr>
      {result && (
        <tr class="test-result">
          <td colSpan={6} data-testid="alert-test-result">
            {'failure' in result ? (
              <ErrorBox error={result.failure} />
            ) : result.delivered ? (
              <Notice kind="success">{t('alerts.testOk', { time: formatTime(result.at, true) })}</Notice>
            ) : (
              <div class="alert alert-error" role="alert">
                {t('alerts.testFailed', { reason: deliveryErrorText(result.error ?? { code: 'unknown', detail: '' }) })}
              </div>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function Deliveries({ items, channels }: { items: AlertDelivery[]; channels: AlertChannelView[] }) {
  const names = new Map(channels.map((channel) => [channel.id, channel.name]));
  return (
    <section class="card">
      <h2>{t('alerts.deliveries')}</h2>
      <div class="table-wrap">
        <table class="table" data-testid="alert-deliveries">
          <thead>
            <tr>
              <th>{t('alerts.col.time')}</th>
              <th>{t('alerts.col.channel')}</th>
              <th>{t('alerts.col.request')}</th>
              <th>{t('alerts.col.state')}</th>
              <th class="num">{t('alerts.col.attempts')}</th>
              <th>{t('alerts.col.error')}</th>
              <th>{t('alerts.col.next')}</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 && (
              <tr>
                <td colSpan={7} class="empty">
                  {t('alerts.deliveries.empty')}
                </td>
              </tr>
            )}
            {items.map((item) => (
              <tr key={item.id} data-state={item.state}>
                <td class="nowrap">{formatTime(item.createdAt)}</td>
                <td>{names.get(item.channelId) ?? item.channelName ?? t('alerts.deletedChannel')}</td>
                <td class="mono small">
                  <a href={`#/overrides?id=${encodeURIComponent(item.overrideId)}`}>{shortId(item.overrideId)}</a>
                </td>
                <td class="nowrap">{label('alerts.state', item.state)}</td>
                <td class="num">{item.attempts}</td>
                <td class="small">{item.lastError ? deliveryErrorText(item.lastError) : '—'}</td>
                <td class="nowrap">{formatTime(item.nextAttemptAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
