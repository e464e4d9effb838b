/**
 * drag (out of the page) and paste / drop (into the page).
 *
 * dragstart: the dragged data is the selection (or a link/image), checked like a
 * copy; a block cancels the drag (preventDefault).
 * paste / drop: data arriving in a page whose origin is not internal is forwarding;
 * the clipboard/drag text is scanned and the destination is this frame's origin.
 * A block cancels the insertion (target field keeps its value).
 */
import { selectionText } from '../../dom/selection-text';
import { isBlocking } from '../../policy/decide';
import { dataTransferTexts } from './clipboard-guard';
import { selectionAttributeText } from './clipboard-flavours';
import { decideData } from '../decide-data';
import type { DomOptions } from '../dom-options';
import type { GuardEnv } from '../guard-env';
import { recordDecision, report } from '../report';

function stop(event: Event): void {
  event.preventDefault();
  event.stopImmediatePropagation();
}

/** Every string flavour (text/html with its attributes: a number only in a tel: link counts). */
function transferTexts(doc: Document, data: DataTransfer | null): string[] {
  return data ? dataTransferTexts(doc, data) : [];
}

export function installTransferGuard(env: GuardEnv, dom: DomOptions, signal: AbortSignal): void {
  const { win } = env;

  const onDragStart = (event: Event) => {
    const dragEvent = event as DragEvent;
    const source = selectionText(win, dom);
    const attributes = source.kind === 'dom' ? selectionAttributeText(win) : '';
    const texts = [...source.texts, attributes, ...transferTexts(win.document, dragEvent.dataTransfer)].filter(Boolean);
    if (texts.length === 0) return;
    const decision = decideData(env, texts, {
      channel: 'drag',
      sourceOrigin: env.origin,
      destinationOrigin: null,
      // The page's markers, as for a copy (a register customer elsewhere on the page is not in this drag).
      sourceLevel: env.page.markerLevel,
    });
    if (isBlocking(decision.verdict.action)) {
      stop(event);
      report(env, decision);
    } else recordDecision(env, decision);
  };

  const onIncoming = (event: Event) => {
    const data = event.type === 'paste' ? (event as ClipboardEvent).clipboardData : (event as DragEvent).dataTransfer;
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
