// First: zod's jitless mode must be set before any schema is built.
import { browser } from 'wxt/browser';
import '@/utils/zod-jitless';
import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { PopupState } from '@/utils/background/popup-state';
import { sendUiMessage } from '@/utils/messaging';
import { CHANNELS, type Channel } from '@/utils/policy/schema';
import { setUiLanguage, t } from '@/utils/i18n';
import { PageStatus } from '@/components/popup/page-status';
import { SyncStatus } from '@/components/popup/sync-status';
import { OverrideForm } from '@/components/popup/override-form';
import { IncidentForm } from '@/components/popup/incident-form';
import './style.css';

/** Opened as the toolbar popup, or in a tab by the notice's "request override" (?origin=&channel=). */
function Popup() {
  const params = new URLSearchParams(location.search);
  const [tab, setTab] = useState<{ id: number | null; origin: string | null }>({
    id: null,
    origin: params.get('origin'),
  });
  const [state, setState] = useState<PopupState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const requestedChannel = params.get('channel');
  const channel: Channel = (CHANNELS as readonly string[]).includes(requestedChannel ?? '') ? (requestedChannel as Channel) : 'copy';

  useEffect(() => {
    if (params.get('origin')) return;
    void browser.tabs.query({ active: true, currentWindow: true }).then(([active]) => {
      let origin: string | null;
      try {
        origin = active?.url ? new URL(active.url).origin : null;
      } catch {
        origin = null;
      }
      setTab({ id: active?.id ?? null, origin: origin && origin !== 'null' ? origin : null });
    });
  }, []);

  const refresh = useCallback(async () => {
    const response = await sendUiMessage<PopupState>({ type: 'get-popup-state', tabId: tab.id });
    if (response.ok) {
      setUiLanguage(response.data.policy.language);
      setState(response.data);
    } else setError(response.error);
  }, [tab.id]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), 2_000);
    return () => clearInterval(timer);
  }, [refresh]);

  const syncNow = async () => {
    await sendUiMessage({ type: 'sync-now' });
    await refresh();
  };

  if (error) return <p class="error">{t('popup_error', error)}</p>;
  if (!state) return <p class="muted">…</p>;
  return (
    <main>
      <h1>{t('popup_title')}</h1>
      {/* Status first (the page, then whether this device is in touch), actions after: the popup's window is ~600 px. */}
      {params.get('origin') ? null : <PageStatus tab={state.tab} />}
      <SyncStatus state={state} onSync={() => void syncNow()} />
      <OverrideForm state={state} origin={tab.origin} channel={channel} onChange={() => void syncNow()} />
      {params.get('origin') ? null : <IncidentForm state={state} origin={tab.origin} onChange={() => void refresh()} />}
    </main>
  );
}

render(<Popup />, document.getElementById('app')!);
