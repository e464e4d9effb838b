/**
 * copy / cut: keyboard, context menu and document.execCommand('copy'|'cut') all fire
 * the same event, so one capture listener on window (registered at document_start,
 * before any page script) sees them all; page handlers calling stopPropagation run
 * after it and cannot skip it.
 *
 * Allowed copy: nothing is touched, page handlers run as before. Blocked copy:
 * preventDefault + the clipboard is overwritten with a short notice (so neither the
 * secret nor a stale earlier secret stays there) + stopImmediatePropagation (page
 * handlers cannot put the data back).
 *
 * A second, bubble-phase listener on window (also registered first) checks data a page
 * handler set itself (`setData` + `preventDefault`, e.g. "copy" buttons), which the
 * browser would put on the clipboard instead of the selection.
 */
import { selectionText } from '../dom/selection-text';
import { isBlocking } from '../policy/decide';
import { decideData, type DataDecision } from './decide-data';
import type { GuardEnv } from './guard-env';
import { t } from './i18n';
import { recordDecision, report } from './report';
import type { DomOptions } from './dom-options';

export function blockClipboardEvent(event: ClipboardEvent): void {
  event.preventDefault();
  event.stopImmediatePropagation();
  const data = event.clipboardData;
  if (data) {
    data.clearData();
    data.setData('text/plain', t('guard_clipboardBlocked'));
  }
}

/** Text of an HTML fragment without running it (a <template> is inert). */
export function htmlToText(doc: Document, html: string): string {
  if (!html) return '';
  const template = doc.createElement('template');
  template.innerHTML = html;
  return template.content.textContent ?? '';
}

export function installClipboardGuard(env: GuardEnv, dom: DomOptions, signal: AbortSignal): void {
  const { win } = env;
  /** Events we already decided in the capture phase (and allowed). */
  const checked = new WeakSet<Event>();

  /** Copied or cut data leaves this page for the clipboard: its level includes the page's. */
  const decideClipboard = (event: Event, texts: string[]): DataDecision =>
    decideData(env, texts, {
      channel: event.type === 'cut' ? 'cut' : 'copy',
      sourceOrigin: env.origin,
      destinationOrigin: null,
      sourceLevel: env.page.level,
    });

  const onCapture = (event: Event) => {
    const clipboardEvent = event as ClipboardEvent;
    const source = selectionText(win, dom);
    if (source.kind === 'none') return; // nothing selected: only page-set data can leave (checked below)
    const decision = decideClipboard(event, source.texts);
    if (isBlocking(decision.verdict.action)) {
      blockClipboardEvent(clipboardEvent);
      report(env, decision);
      return;
    }
    checked.add(event);
    recordDecision(env, decision);
  };

  const onBubble = (event: Event) => {
    const clipboardEvent = event as ClipboardEvent;
    // Without preventDefault the browser copies the selection (checked above) and ignores page data.
    if (!event.defaultPrevented || !clipboardEvent.clipboardData) return;
    const data = clipboardEvent.clipboardData;
    const texts = [data.getData('text/plain'), htmlToText(win.document, data.getData('text/html'))].filter(Boolean);
    if (texts.length === 0) return;
    const decision = decideClipboard(event, texts);
    if (isBlocking(decision.verdict.action)) {
      blockClipboardEvent(clipboardEvent);
      report(env, decision);
    } else if (!checked.has(event)) {
      recordDecision(env, decision);
    }
  };

  for (const type of ['copy', 'cut']) {
    win.addEventListener(type, onCapture, { capture: true, signal });
    win.addEventListener(type, onBubble, { capture: false, signal });
  }
}
