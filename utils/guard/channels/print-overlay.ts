/**
 * What a printout of a classified page looks like, prepared *before* anyone prints
 * (CSS, not script), so every print path is covered: Ctrl+P, the menu,
 * window.print(), headless printToPDF — including those that fire no beforeprint.
 *
 * A host element on <html> with a closed shadow root; its own box is inline-styled
 * `!important` (inline important declarations beat every author stylesheet, layers
 * included), fixed over the viewport, transparent to the pointer, invisible on
 * screen. In @media print the shadow content shows either
 *  - a watermark: repeated, rotated, semi-transparent 受控文件 text (fixed elements
 *    repeat on every printed page), or
 *  - an opaque "printing blocked" sheet; a document rule additionally hides <body>
 *    in print, in the first-declared cascade layer (layered !important beats the
 *    page's unlayered !important).
 */
import type { Level } from '../../detect/types';
import type { Policy } from '../../policy';
import { unhideableHostStyle } from '../../dom/unhideable-style';

export type PrintMode = 'none' | 'watermark' | 'blocked';

const HOST_STYLE = unhideableHostStyle([
  'all: initial',
  'display: block',
  'position: fixed',
  'inset: 0',
  'width: 100%',
  'height: 100%',
  'margin: 0',
  'padding: 0',
  'border: 0',
  'background: transparent',
  'pointer-events: none',
  'overflow: hidden',
]);

const SHADOW_CSS = `
  :host { all: initial; }
  .wm, .blocked { display: none; }
  @media print {
    .wm { display: flex; flex-wrap: wrap; align-content: flex-start; position: fixed; inset: -20%; overflow: hidden;
      gap: 72px 48px; padding: 24px; transform: rotate(-28deg); }
    .tile { font: 600 18px/1.3 "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: rgba(200, 0, 0, 0.22);
      white-space: nowrap; }
    .blocked { display: flex; position: fixed; inset: 0; background: #fff; color: #000; align-items: center;
      justify-content: center; font: 600 24px/1.5 "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
  }
`;

/** The document-level rule that hides the page's own content when printing is blocked. */
const BLOCK_RULE = '@layer baomi-guard { @media print { html > body { display: none !important; } } }';

export interface WatermarkInfo {
  user: string;
  level: Level | null;
  now: Date;
}

function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function watermarkText(policy: Policy, info: WatermarkInfo): string {
  const until = new Date(info.now.getTime() + policy.watermark.periodDays * 86_400_000);
  const values: Record<string, string> = {
    user: info.user,
    date: isoDate(info.now),
    period: `${isoDate(info.now)} ~ ${isoDate(until)}`,
    level: info.level ?? '',
  };
  return policy.watermark.text.replace(/\{(user|date|period|level)\}/g, (_m, key: string) => values[key] ?? '');
}

export interface PrintOverlay {
  set(mode: PrintMode, text: string): void;
  mode(): PrintMode;
}

export function createPrintOverlay(doc: Document): PrintOverlay {
  let host: HTMLElement | null = null;
  let shadow: ShadowRoot | null = null;
  let blockStyle: HTMLStyleElement | null = null;
  let current: PrintMode = 'none';
  let currentText = '';

  function ensureHost(): ShadowRoot | null {
    const root = doc.documentElement;
    if (!root) return null;
    if (!host) {
      host = doc.createElement('baomi-print');
      shadow = host.attachShadow({ mode: 'closed' });
    }
    host.setAttribute('style', HOST_STYLE);
    if (!host.isConnected) root.append(host); // re-attached if the page removed it
    return shadow;
  }

  function render(text: string): void {
    const root = ensureHost();
    if (!root || !host) return;
    host.setAttribute('data-baomi-print', current);
    const style = doc.createElement('style');
    style.textContent = SHADOW_CSS;
    const box = doc.createElement('div');
    if (current === 'watermark') {
      box.className = 'wm';
      for (let i = 0; i < 60; i++) {
        const tile = doc.createElement('span');
        tile.className = 'tile';
        tile.textContent = text;
        box.append(tile);
      }
    } else if (current === 'blocked') {
      box.className = 'blocked';
      box.textContent = text;
    }
    root.replaceChildren(style, box);
  }

  function setBlockRule(on: boolean): void {
    if (on) {
      blockStyle ??= doc.createElement('style');
      blockStyle.textContent = BLOCK_RULE;
      // First in document order, so its layer is declared before any page layer.
      const parent = doc.head ?? doc.documentElement;
      if (parent && blockStyle.parentNode !== parent) parent.prepend(blockStyle);
      else if (parent && parent.firstChild !== blockStyle) parent.prepend(blockStyle);
    } else blockStyle?.remove();
  }

  return {
    set(mode, text) {
      if (mode === current && text === currentText && (mode === 'none' || host?.isConnected)) {
        if (mode === 'blocked') setBlockRule(true);
        return;
      }
      current = mode;
      currentText = text;
      if (mode === 'none') {
        host?.remove();
        setBlockRule(false);
        return;
      }
      render(text);
      setBlockRule(mode === 'blocked');
    },
    mode: () => current,
  };
}
