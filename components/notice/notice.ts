/**
 * The in-page notice: plain DOM in a *closed* shadow root on a host element appended
 * to <html>, so page scripts cannot read or restyle it and page CSS cannot hide it
 * (the host's own style is inline `!important`, which beats any author stylesheet).
 * Plain DOM rather than Preact: it is created in every frame at the moment of a
 * block, and must not pull a renderer into the content script's hot path.
 *
 * The host carries `data-baomi-notice="<channel>"` for tests and the popup; it holds
 * no finding data (masked samples live only inside the closed shadow root).
 */
import { unhideableHostStyle } from '../../utils/dom/unhideable-style';

export interface NoticeContent {
  /** Channel name for the host attribute (copy, paste, print …). */
  channel: string;
  title: string;
  lines: string[];
  /** "block" (red), "warn" (amber) or "ok" (green: an exception approved). */
  tone: 'block' | 'warn' | 'ok';
  closeLabel: string;
  override?: { label: string; doneLabel: string; onRequest: () => void };
  /**
   * The one-step override request: a reason field and a send button in the notice.
   * `onSend` answers with the text to show and whether the request is settled (sent or
   * queued: the form closes) or may be tried again.
   */
  request?: {
    label: string;
    placeholder: string;
    sendLabel: string;
    sendingLabel: string;
    minLength: number;
    tooShort: string;
    onSend: (reason: string) => Promise<{ text: string; settled: boolean; state: string }>;
  };
  /** "Report a false positive": one button; `onReport` answers with the text to show. */
  falsePositive?: { label: string; onReport: () => Promise<{ text: string; ok: boolean }> };
}

export interface NoticeOptions {
  /** Auto-dismiss after this many ms (default 8000); a notice that carries an action stays until closed. */
  timeoutMs?: number;
}

const HOST_TAG = 'baomi-notice';
const HOST_STYLE = unhideableHostStyle([
  'all: initial',
  'display: block',
  'position: fixed',
  'top: 16px',
  'right: 16px',
  'pointer-events: auto',
  'width: auto',
  'height: auto',
]);

const CSS = `
  :host { all: initial; }
  .box { box-sizing: border-box; max-width: 380px; min-width: 260px; padding: 12px 14px; border-radius: 8px;
    font: 13px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2328; background: #fff;
    box-shadow: 0 6px 24px rgba(0,0,0,.25); border-left: 5px solid #cf222e; }
  .box.warn { border-left-color: #bf8700; }
  .box.ok { border-left-color: #1a7f37; }
  .title { font-weight: 600; margin: 0 24px 4px 0; }
  .line { margin: 2px 0; overflow-wrap: anywhere; }
  .close { position: absolute; top: 6px; right: 8px; border: 0; background: none; font-size: 18px; cursor: pointer; color: #57606a; }
  .override { margin-top: 8px; padding: 4px 10px; border: 1px solid #0969da; color: #0969da; background: #fff; border-radius: 6px; cursor: pointer; font: inherit; }
  .override[disabled] { color: #57606a; border-color: #d0d7de; cursor: default; }
  .form { margin-top: 8px; }
  .form label { display: block; font-weight: 600; margin-bottom: 2px; }
  .form textarea { box-sizing: border-box; width: 100%; min-height: 48px; resize: vertical; font: inherit; padding: 4px 6px;
    border: 1px solid #d0d7de; border-radius: 6px; color: #1f2328; background: #fff; }
  .actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 6px; }
  .send { padding: 4px 12px; border: 1px solid #0969da; color: #fff; background: #0969da; border-radius: 6px; cursor: pointer; font: inherit; }
  .send[disabled] { background: #8c959f; border-color: #8c959f; cursor: default; }
  .fp { padding: 0; border: 0; background: none; color: #57606a; text-decoration: underline; cursor: pointer; font: inherit; font-size: 12px; }
  .fp[disabled] { text-decoration: none; cursor: default; }
  .status { margin-top: 6px; color: #1a7f37; }
  .status:empty { display: none; }
  .status.error { color: #cf222e; }
  .status.queued { color: #9a6700; }
  @media print { .box { display: none; } }
`;

let current: { host: HTMLElement; timer: number } | null = null;

export function dismissNotice(): void {
  if (!current) return;
  clearTimeout(current.timer);
  current.host.remove();
  current = null;
}

export function showNotice(doc: Document, content: NoticeContent, options: NoticeOptions = {}): HTMLElement {
  dismissNotice();
  const win = doc.defaultView!;
  const host = doc.createElement(HOST_TAG);
  host.setAttribute('style', HOST_STYLE);
  host.setAttribute('data-baomi-notice', content.channel);
  host.setAttribute('data-baomi-tone', content.tone);
  const shadow = host.attachShadow({ mode: 'closed' });

  const style = doc.createElement('style');
  style.textContent = CSS;
  const box = doc.createElement('div');
  box.className = `box ${content.tone}`;
  box.setAttribute('role', 'alert');

  const title = doc.createElement('div');
  title.className = 'title';
  title.textContent = content.title;
  box.append(title);
  for (const text of content.lines) {
    const line = doc.createElement('div');
    line.className = 'line';
    line.textContent = text;
    box.append(line);
  }
  const close = doc.createElement('button');
  close.className = 'close';
  close.type = 'button';
  close.textContent = '×';
  close.title = content.closeLabel;
  close.setAttribute('aria-label', content.closeLabel);
  close.addEventListener('click', () => dismissNotice());
  box.append(close);

  if (content.override) {
    const { label, doneLabel, onRequest } = content.override;
    const button = doc.createElement('button');
    button.className = 'override';
    button.type = 'button';
    button.textContent = label;
    button.addEventListener('click', () => {
      button.disabled = true;
      button.textContent = doneLabel;
      host.setAttribute('data-baomi-override', 'requested');
      onRequest();
    });
    box.append(button);
  }
  const status = doc.createElement('div');
  status.className = 'status';
  status.setAttribute('role', 'status');
  const showStatus = (text: string, kind: 'ok' | 'queued' | 'error') => {
    status.textContent = text;
    status.className = kind === 'ok' ? 'status' : `status ${kind}`;
  };
  const actions = doc.createElement('div');
  actions.className = 'actions';
  if (content.request) {
    const request = content.request;
    const form = doc.createElement('form');
    form.className = 'form';
    const label = doc.createElement('label');
    label.textContent = request.label;
    const reason = doc.createElement('textarea');
    reason.name = 'reason';
    reason.maxLength = 1000;
    reason.placeholder = request.placeholder;
    const fieldId = 'baomi-reason';
    reason.id = fieldId;
    label.htmlFor = fieldId;
    const send = doc.createElement('button');
    send.className = 'send';
    send.type = 'submit';
    send.textContent = request.sendLabel;
    // Keys typed here belong to the notice: a page's shortcuts must not see them.
    for (const type of ['keydown', 'keyup', 'keypress']) form.addEventListener(type, (event) => event.stopPropagation());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      event.stopPropagation();
      const text = reason.value.trim();
      if (text.length < request.minLength) {
        showStatus(request.tooShort, 'error');
        reason.focus();
        return;
      }
      send.disabled = true;
      reason.readOnly = true;
      send.textContent = request.sendingLabel;
      host.setAttribute('data-baomi-override', 'sending');
      void request.onSend(text).then((answer) => {
        host.setAttribute('data-baomi-override', answer.state);
        showStatus(answer.text, answer.state === 'sent' ? 'ok' : answer.state === 'queued' ? 'queued' : 'error');
        if (answer.settled) {
          form.remove();
        } else {
          send.disabled = false;
          reason.readOnly = false;
          send.textContent = request.sendLabel;
        }
      });
    });
    const row = doc.createElement('div');
    row.className = 'actions';
    row.append(send);
    form.append(label, reason, row);
    box.append(form);
  }
  box.append(status);
  if (content.falsePositive) {
    const { label, onReport } = content.falsePositive;
    const report = doc.createElement('button');
    report.className = 'fp';
    report.type = 'button';
    report.textContent = label;
    report.addEventListener('click', () => {
      report.disabled = true;
      void onReport().then((answer) => {
        host.setAttribute('data-baomi-false-positive', answer.ok ? 'reported' : 'failed');
        report.textContent = answer.text;
        if (!answer.ok) report.disabled = false;
      });
    });
    actions.append(report);
    box.append(actions);
  }
  shadow.append(style, box);
  (doc.documentElement ?? doc).append(host);

  // A notice with something to do stays until it is closed (reading and typing take time).
  const sticky = !!(content.request || content.falsePositive || content.override);
  if (sticky) host.setAttribute('data-baomi-sticky', '');
  const timer = sticky
    ? 0
    : win.setTimeout(() => {
        if (current?.host === host) dismissNotice();
      }, options.timeoutMs ?? 8000);
  // Hovering keeps the notice (time to read and press "request override").
  box.addEventListener('mouseenter', () => clearTimeout(timer));
  current = { host, timer };
  return host;
}
