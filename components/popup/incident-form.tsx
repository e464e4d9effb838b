import { useState } from 'preact/hooks';
import type { PopupState } from '@/utils/background/popup-state';
import { sendUiMessage } from '@/utils/messaging';
import { t, formatTime } from '@/utils/i18n';

interface Props {
  state: PopupState;
  /** The current tab's origin (attached only when the user leaves the box ticked). */
  origin: string | null;
  onChange: () => void;
}

const PROBLEM_TEXT: Record<string, string> = {
  'too-short': 'popup_incidentTooShort',
  'too-long': 'popup_incidentTooLong',
  'raw-number': 'popup_incidentRawNumber',
  'customer-name': 'popup_incidentCustomerName',
  'not-enrolled': 'popup_incidentNeedsServer',
};

/**
 * Report a suspected leak (domain policy article 13: report at once): a button opens a short
 * form; the text stays in the field until the background stored the report, so a refusal
 * (a number in it, too short) loses nothing.
 */
export function IncidentForm({ state, origin, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const [description, setDescription] = useState('');
  const [attachOrigin, setAttachOrigin] = useState(true);
  const [message, setMessage] = useState<{ text: string; kind: 'ok' | 'error'; seq: number } | null>(null);
  // Each answer gets a number of its own, so two identical answers in a row are told apart.
  const [answers, setAnswers] = useState(0);
  const answer = (text: string, kind: 'ok' | 'error') => {
    setAnswers(answers + 1);
    setMessage({ text, kind, seq: answers + 1 });
  };
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const response = await sendUiMessage<{ id: string; delivered: boolean }>({
      type: 'report-incident',
      description,
      pageUrl: attachOrigin ? origin : null,
    });
    setBusy(false);
    if (response.ok) {
      answer(t(response.data.delivered ? 'popup_incidentSent' : 'popup_incidentQueued'), 'ok');
      setDescription('');
      setOpen(false);
      onChange();
      return;
    }
    const key = PROBLEM_TEXT[response.error];
    answer(key ? t(key) : t('popup_incidentFailed', response.error), 'error');
  }

  return (
    <section data-testid="incident">
      <h2>{t('popup_incident')}</h2>
      {!state.enrolled ? (
        <p class="muted">{t('popup_incidentNeedsServer')}</p>
      ) : open ? (
        <form onSubmit={submit} noValidate data-testid="incident-form">
          <p class="muted">{t('popup_incidentIntro')}</p>
          <label>
            {t('popup_incidentWhat')}
            <textarea
              name="description"
              maxLength={2000}
              value={description}
              onInput={(e) => setDescription(e.currentTarget.value)}
              aria-describedby="incident-hint"
            />
          </label>
          <p class="muted small" id="incident-hint">
            {t('popup_incidentHint')}
          </p>
          {origin ? (
            <label class="check">
              <input
                type="checkbox"
                name="attachOrigin"
                checked={attachOrigin}
                onChange={(e) => setAttachOrigin(e.currentTarget.checked)}
              />
              <span>{t('popup_incidentAttachOrigin', origin)}</span>
            </label>
          ) : null}
          <div class="buttons">
            <button type="submit" disabled={busy}>
              {t('popup_incidentSubmit')}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setOpen(false);
                setMessage(null);
              }}
            >
              {t('popup_incidentCancel')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <p class="muted">{t('popup_incidentIntro')}</p>
          <button
            type="button"
            data-testid="incident-open"
            onClick={() => {
              setOpen(true);
              setMessage(null);
            }}
          >
            {t('popup_incidentOpen')}
          </button>
        </>
      )}
      {message ? (
        <p data-testid="incident-message" data-seq={message.seq} class={message.kind === 'error' ? 'error' : ''}>
          {message.text}
        </p>
      ) : null}
      <IncidentList state={state} />
    </section>
  );
}

function IncidentList({ state }: { state: PopupState }) {
  if (state.incidentReports.length === 0) return null;
  return (
    <>
      <h3>{t('popup_incidentList')}</h3>
      <ul class="requests" data-testid="incident-reports">
        {state.incidentReports.slice(0, 5).map((report) => (
          <li key={report.id} data-state={report.state}>
            {formatTime(report.occurredAt)} · {report.origin ?? t('popup_incidentNoSite')} · {t(`popup_incidentState_${report.state}`)}
          </li>
        ))}
      </ul>
    </>
  );
}
