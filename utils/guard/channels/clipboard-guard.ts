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
 * Data a page handler sets itself (`setData` + `preventDefault`, e.g. "copy" buttons),
 * which the browser puts on the clipboard instead of the selection, is decided as it is
 * written (the MAIN-world setData hook signals synchronously), so a handler that then
 * stops propagation gains nothing; a bubble-phase listener on window checks it again.
 * Every flavour counts: text/plain, text/html with its attributes, custom types.
 */
import { selectionText } from '../../dom/selection-text';
import { isBlocking } from '../../policy/decide';
import { BRIDGE_CLIPBOARD_DATA_SET } from '../bridge/bridge-protocol';
import { htmlTexts, selectionAttributeText } from './clipboard-flavours';
import { decideData, type DataDecision } from '../decide-data';
import type { GuardEnv } from '../guard-env';
import { t } from '../i18n';
import { recordDecision, report } from '../report';
import type { DomOptions } from '../dom-options';

export function blockClipboardEvent(event: ClipboardEvent): void {
  event.preventDefault();
  event.stopImmediatePropagation();
  const data = event.clipboardData;
  if (data) {
    data.clearData();
    data.setData('text/plain', t('guard_clipboardBlocked'));
  }
}

/** Text of an HTML fragment without running it, attribute text included (clipboard-flavours.ts). */
export function htmlToText(doc: Document, html: string): string {
  return htmlTexts(doc, html).join('\n');
}

/** Every string flavour in a DataTransfer (text/plain, text/html with its attributes, custom types). */
export function dataTransferTexts(doc: Document, data: DataTransfer): string[] {
  const texts: string[] = [];
  try {
    for (const type of Array.from(data.types)) {
      if (type === 'Files') continue;
      const value = data.getData(type);
      if (!value) continue;
      if (type === 'text/html') texts.push(...htmlTexts(doc, value));
      else texts.push(value);
    }
  } catch {
    // protected data store (outside the event's dispatch)
  }
  return texts;
}

export function installClipboardGuard(env: GuardEnv, dom: DomOptions, signal: AbortSignal): void {
  const { win } = env;
  /** Events we already decided in the capture phase (and allowed). */
  const checked = new WeakSet<Event>();

  /**
   * Copied or cut data leaves this page for the clipboard: its level includes the page's
   * markers (a marker classifies the document and its copies); a register customer listed
   * elsewhere on the page does not make this selection that customer's (page-summary.ts).
   */
  const decideClipboard = (event: Event, texts: string[]): DataDecision =>
    decideData(env, texts, {
      channel: event.type === 'cut' ? 'cut' : 'copy',
      sourceOrigin: env.origin,
      destinationOrigin: null,
      sourceLevel: env.page.markerLevel,
    });

  /** The copy/cut event being dispatched (page handlers may write its data, see onPageSetData). */
  let current: ClipboardEvent | null = null;
  /** Events blocked because of data a page handler wrote: anything written later is replaced too. */
  const blockedPageData = new WeakSet<Event>();

  const onCapture = (event: Event) => {
    const clipboardEvent = event as ClipboardEvent;
    current = clipboardEvent;
    const source = selectionText(win, dom);
    if (source.kind === 'none') return; // nothing selected: only page-set data can leave (checked below)
    // The HTML flavour the browser writes carries attributes (tel: links, alt, title, data-*);
    // Chromium's plain text has img alt too.
    const attributes = source.kind === 'dom' ? selectionAttributeText(win) : '';
    const decision = decideClipboard(event, attributes ? [...source.texts, attributes] : source.texts);
    if (isBlocking(decision.verdict.action)) {
      blockClipboardEvent(clipboardEvent);
      report(env, decision);
      return;
    }
    checked.add(event);
    recordDecision(env, decision);
  };

  /**
   * A page handler wrote to the event's DataTransfer (setData / items.add): the MAIN-world
   * hook (main-world/hook-data-transfer.ts) tells us synchronously, inside the page's call,
   * so the data is decided even when the handler then stops propagation and the bubble
   * listener below never runs. A block replaces the data at once and after every later
   * write; a forged signal only causes a check.
   */
  const onPageSetData = () => {
    const event = current;
    if (!event || event.eventPhase === 0 || !event.clipboardData) return; // not inside a copy/cut dispatch
    if (blockedPageData.has(event)) {
      blockClipboardEvent(event);
      return;
    }
    const texts = dataTransferTexts(win.document, event.clipboardData);
    if (texts.length === 0) return;
    const decision = decideClipboard(event, texts);
    if (isBlocking(decision.verdict.action)) {
      blockedPageData.add(event);
      blockClipboardEvent(event);
      report(env, decision);
    }
  };

  const onBubble = (event: Event) => {
    const clipboardEvent = event as ClipboardEvent;
    // Without preventDefault the browser copies the selection (checked above) and ignores page data.
    if (!event.defaultPrevented || !clipboardEvent.clipboardData || blockedPageData.has(event)) return;
    const texts = dataTransferTexts(win.document, clipboardEvent.clipboardData);
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
  win.addEventListener(BRIDGE_CLIPBOARD_DATA_SET, onPageSetData, { capture: true, signal });
}
