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
  /** "block" (red) or "warn" (amber). */
  tone: 'block' | 'warn';
  closeLabel: string;
  override?: { label: string; doneLabel: string; onRequest: () => void };
}

export interface NoticeOptions {
  /** Auto-dismiss after this many ms (default 8000). */
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
  .title { font-weight: 600; margin: 0 24px 4px 0; }
  .line { margin: 2px 0; word-break: break-all; }
  .close { position: absolute; top: 6px; right: 8px; border: 0; background: none; font-size: 18px; cursor: pointer; color: #57606a; }
  .override { margin-top: 8px; padding: 4px 10px; border: 1px solid #0969da; color: #0969da; background: #fff; border-radius: 6px; cursor: pointer; font: inherit; }
  .override[disabled] { color: #57606a; border-color: #d0d7de; cursor: default; }
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
  shadow.append(style, box);
  (doc.documentElement ?? doc).append(host);

  const timer = win.setTimeout(() => {
    if (current?.host === host) dismissNotice();
  }, options.timeoutMs ?? 8000);
  // Hovering keeps the notice (time to read and press "request override").
  box.addEventListener('mouseenter', () => clearTimeout(timer));
  current = { host, timer };
  return host;
}
