/**
 * drag (out of the page) and paste / drop (into the page).
 *
 * dragstart: the dragged data is the selection (or a link/image), checked like a
 * copy; a block cancels the drag (preventDefault).
 * paste / drop: data arriving in a page whose origin is not internal is forwarding;
 * the clipboard/drag text is scanned and the destination is this frame's origin.
 * A block cancels the insertion (target field keeps its value).
 */
import { selectionText } from '../dom/selection-text';
import { isBlocking } from '../policy/decide';
import { htmlToText } from './clipboard-guard';
import { decideData } from './decide-data';
import type { DomOptions } from './dom-options';
import type { GuardEnv } from './guard-env';
import { recordDecision, report } from './report';

function stop(event: Event): void {
  event.preventDefault();
  event.stopImmediatePropagation();
}

function transferTexts(doc: Document, data: DataTransfer | null): string[] {
  if (!data) return [];
  const texts: string[] = [];
  try {
    texts.push(data.getData('text/plain'), data.getData('text/uri-list'), htmlToText(doc, data.getData('text/html')));
  } catch {
    /* protected data store */
  }
  return texts.filter(Boolean);
}

export function installTransferGuard(env: GuardEnv, dom: DomOptions, signal: AbortSignal): void {
  const { win } = env;

  const onDragStart = (event: Event) => {
    const dragEvent = event as DragEvent;
    const texts = [...selectionText(win, dom).texts, ...transferTexts(win.document, dragEvent.dataTransfer)];
    if (texts.length === 0) return;
    const decision = decideData(env, texts, {
      channel: 'drag',
      sourceOrigin: env.origin,
      destinationOrigin: null,
      sourceLevel: env.page.level,
    });
    if (isBlocking(decision.verdict.action)) {
      stop(event);
      report(env, decision);
    } else recordDecision(env, decision);
  };

  const onIncoming = (event: Event) => {
    const data =
      event.type === 'paste' ? (event as ClipboardEvent).clipboardData : (event as DragEvent).dataTransfer;
    const texts = transferTexts(win.document, data);
    if (texts.length === 0) return;
    const decision = decideData(env, texts, {
      channel: 'paste',
      sourceOrigin: null,
      destinationOrigin: env.origin,
      sourceLevel: null,
    });
    if (isBlocking(decision.verdict.action)) {
      stop(event);
      report(env, decision);
    } else recordDecision(env, decision);
  };

  win.addEventListener('dragstart', onDragStart, { capture: true, signal });
  win.addEventListener('paste', onIncoming, { capture: true, signal });
  win.addEventListener('drop', onIncoming, { capture: true, signal });
}
