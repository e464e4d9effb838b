/**
 * print: the rule for 'print' applies to the frame's page level (highest marker).
 * warn/audit → 受控文件 watermark; block/block-with-override → blank printout,
 * Ctrl/Cmd+P cancelled, notice. The overlay is kept up to date whenever the level or
 * policy changes (see print-overlay.ts for why CSS rather than only beforeprint).
 */
import { isBlocking } from '../../policy/decide';
import { decideData, type DataDecision } from '../decide-data';
import type { GuardEnv } from '../guard-env';
import { t } from '../i18n';
import { createPrintOverlay, watermarkText, type PrintMode } from './print-overlay';
import { notifyDecision, recordDecision } from '../report';

export interface PrintGuard {
  /** Re-evaluate after a page level or policy change. */
  refresh(): void;
}

export function printDecision(env: GuardEnv): DataDecision {
  return decideData(env, [], {
    channel: 'print',
    sourceOrigin: env.origin,
    destinationOrigin: null,
    // The whole page: its markers and every register customer it shows or names.
    sourceLevel: env.page.level,
    sourceReason: env.page.level !== null && env.page.level !== env.page.markerLevel ? 'register' : 'marker',
  });
}

function modeOf(env: GuardEnv, decision: DataDecision): PrintMode {
  const { action, level } = decision.verdict;
  if (level === null) return 'none';
  if (isBlocking(action)) return 'blocked';
  if ((action === 'warn' || action === 'audit') && env.policy.watermark.enabled) return 'watermark';
  return 'none';
}

export function installPrintGuard(env: GuardEnv, signal: AbortSignal): PrintGuard {
  const { win } = env;
  const doc = win.document;
  const overlay = createPrintOverlay(doc);
  let hidBody = false;

  function apply(): DataDecision {
    const decision = printDecision(env);
    const mode = modeOf(env, decision);
    // No text while nothing is restricted: the first i18n read costs ms, and this runs on every policy load.
    const text =
      mode === 'watermark'
        ? watermarkText(env.policy, { user: env.userId, level: decision.verdict.level, now: new Date() })
        : mode === 'blocked'
          ? t('guard_printBlocked')
          : '';
    overlay.set(mode, text);
    return decision;
  }

  const onBeforePrint = () => {
    const decision = apply();
    recordDecision(env, decision);
    if (isBlocking(decision.verdict.action)) {
      // Belt and braces for paths that print right after this event.
      if (doc.body && !hidBody) {
        doc.body.style.setProperty('display', 'none', 'important');
        hidBody = true;
      }
      notifyDecision(env, decision);
    }
  };

  const onAfterPrint = () => {
    if (!hidBody) return;
    hidBody = false;
    doc.body?.style.removeProperty('display'); // a page's own inline display was overwritten: rare, accepted
  };

  const onKeyDown = (event: Event) => {
    const key = event as KeyboardEvent;
    if (!(key.ctrlKey || key.metaKey) || key.altKey || (key.key !== 'p' && key.key !== 'P')) return;
    const decision = apply();
    if (!isBlocking(decision.verdict.action)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    recordDecision(env, decision);
    notifyDecision(env, decision);
  };

  win.addEventListener('beforeprint', onBeforePrint, { signal });
  win.addEventListener('afterprint', onAfterPrint, { signal });
  win.addEventListener('keydown', onKeyDown, { capture: true, signal });
  return { refresh: () => void apply() };
}
