/**
 * The one start of a frame's guard, and its one dispose: page scanner → env.page,
 * policy/grants from storage, channel guards on window (capture phase), print overlay,
 * the outgoing half (MAIN-world bridge + submit guard, ./outgoing.ts), and the answers to
 * the background's download questions — all under one AbortSignal. Call it synchronously
 * at document_start, before any await: the bridge handshake only works while no page
 * script has run. A policy change pushes the active detectors to the MAIN world (no poll).
 *
 * Guards are NOT bound to `ctx.signal`: WXT invalidates a context when it sees a
 * "content script started" DOM event, which a page script can forge — binding the
 * guards to it would let a page switch them off. Guards stay on with the last policy
 * (fail closed); only the extension-API parts (storage watches, messages) stop when the
 * context is really invalidated, once and quietly. A newer instance of this script in
 * the same isolated world replaces the older one through a registry the page cannot
 * reach.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createPageScanner, type PageSummary } from '../dom/page-scanner';
import { rangeTextWarmUp } from '../dom/range-text';
import { whenIdle, type IdleTask } from '../dom/yield-to-page';
import { installClipboardGuard } from './channels/clipboard-guard';
import { createDomOptions } from './dom-options';
import { createGuardEnv, type GuardEnv } from './guard-env';
import { connectGuardStorage } from './guard-storage';
import { preloadMessagesWhenIdle } from './i18n';
import { createOutgoingDecider, type OutgoingDecider } from './outgoing/outgoing-decider';
import { installPrintGuard } from './channels/print-guard';
import { installScreenWatermark } from './channels/screen-watermark';
import { send } from './report';
import { createStatusReporter } from './status-reporter';
import { installTransferGuard } from './channels/transfer-guard';
import { installNavigationGuard } from './channels/navigation-guard';
import { installOutgoingGuards } from './outgoing/outgoing';
import { createFileDecider, listenForBrowserBlocks } from './channels/download-guard';
import { listenForOverrideOutcomes } from './override-outcome';
import { connectRegister } from '../register/register-storage';
import { scanPageText } from './decide-data';
import { NUMBER_TYPES } from '../register/normalize';
import type { RegisterIndex } from '../register/structure';

const REGISTRY = Symbol.for('baomi-guard.instance');
type Registry = { [REGISTRY]?: { dispose(): void } };

export interface StartedGuard {
  env: GuardEnv;
  decider: OutgoingDecider;
  dispose(): void;
}

function isTopFrame(win: Window): boolean {
  try {
    return win === win.top;
  } catch {
    return false;
  }
}

/**
 * A frame of the top page's own origin showing a document of its own: where an OA or CRM
 * shows its records (a shell page around a content frame). Not about:blank or srcdoc
 * frames (rich-text editors), nor frames of other origins (ads, widgets, a page may hold
 * dozens), which read the register once used.
 */
function isOwnContentFrame(win: Window): boolean {
  const protocol = win.location.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') return false;
  try {
    return win.top !== null && win.top.location.origin === win.location.origin;
  } catch {
    return false; // another origin's page: its location cannot be read
  }
}

export function startGuard(ctx: ContentScriptContext, win: Window & typeof globalThis = window): StartedGuard {
  const registry = globalThis as Registry;
  registry[REGISTRY]?.dispose();

  const controller = new AbortController();
  const { signal } = controller;
  // Notice texts are cached before the extension context could be invalidated, but not
  // in this task: the first i18n reads cost ms each; they run in idle time instead.
  preloadMessagesWhenIdle(win);
  const env = createGuardEnv(win);
  const dom = createDomOptions(win);

  installClipboardGuard(env, dom, signal);
  installTransferGuard(env, dom, signal);
  installNavigationGuard(env, signal);
  const print = installPrintGuard(env, signal);
  const screenMark = installScreenWatermark(env, signal);
  const decider = createOutgoingDecider(env);
  const decideFile = createFileDecider(env);
  // The MAIN world's instant checks (beacons, sync XHR) use the active policy's detectors too.
  const bridge = installOutgoingGuards(win, decider, { detectors: () => env.policy.detectors, decideFile }, signal);
  listenForBrowserBlocks(env, decideFile, signal);
  listenForOverrideOutcomes(env, signal);

  const status = createStatusReporter({
    page: () => env.page,
    origin: () => env.origin,
    isTopFrame: isTopFrame(win),
    send,
    setTimeout: (task, ms) => win.setTimeout(task, ms),
    clearTimeout: (id) => win.clearTimeout(id),
  });
  const scanner = createPageScanner({
    doc: win.document,
    // Our own console lists masked samples and level names (a 绝密 column, a level filter):
    // never a classified page of its own (guard-env.ts, ownServer).
    // …and a register customer's number is its customer's level (decide-data.ts).
    scan: (text) => scanPageText(text, env),
    shadowRootOf: dom.shadowRootOf,
    skip: dom.skip,
    onDocumentScanned() {
      // What the parser built has been looked at: closed-shadow-root lookups may stop
      // (dom-options.ts); then, in the top frame (where people select and copy; ad and
      // widget frames are many), the copy decision's DOM walk is optimised in idle periods
      // before the first copy (range-text.ts).
      dom.settle();
      if (!isTopFrame(win)) return;
      const warmUp = rangeTextWarmUp(win.document, dom);
      const step: IdleTask = (idle) => void (warmUp(idle) || whenIdle(win, step));
      whenIdle(win, step);
    },
    onChange(summary) {
      const levelChanged = summary.level !== env.page.level;
      env.page = summary;
      if (levelChanged) {
        print.refresh();
        screenMark.refresh();
      }
      status.changed();
    },
  });
  let registerAsked = false;
  function loadRegister(): void {
    if (registerAsked) return;
    registerAsked = true;
    for (const type of REGISTER_WANTED_ON) win.removeEventListener(type, loadRegister, { capture: true });
    void connectRegister(ctx, (index) => {
      const before = env.register;
      env.register = index;
      // The scan may have read the page before the register arrived (or under another
      // version): scan again so its customers count — their numbers, and their long names
      // when the register holds names. A page without numbers is not scanned again for a
      // register without names.
      if ((before || index) && (showsNumbers(env.page) || holdsNames(before) || holdsNames(index))) scanner.rescan();
    });
  }
  // Not inside the deciding handler: a task of its own.
  env.needRegister = () => void (registerAsked || win.setTimeout(loadRegister, 0));

  // The scanner and the storage read start in a task of their own. The page's first task
  // already holds both our scripts' start (it is the longest task we cause), and neither
  // needs to run before the page's first script: the document walk covers whatever was
  // parsed before the scanner starts, and storage answers asynchronously anyway (the
  // built-in policy applies until it does).
  const startTimer = win.setTimeout(() => {
    scanner.start();
    void scanner.idle().then(() => status.changed({ initial: true }));
    void connectGuardStorage(env, ctx, {
      onPolicy(detectorsChanged) {
        if (detectorsChanged) scanner.rescan();
        print.refresh();
        screenMark.refresh(); // also when the identity changed (enrolment): the policy hook runs after it
        bridge.pushDetectors();
      },
    });
    // The register (~6 MB in storage) costs each frame that reads it ~280 ms of storage
    // round trip and 20–40 ms of main-thread time to receive (docs/ARCHITECTURE.md). The top
    // frame, where people select and copy, reads it now, and so do frames of its own origin
    // (an OA's content frame: a customer named there with no number must make that frame
    // 绝密 before anyone prints it or starts an export from it); another frame (ads,
    // widgets: a page may hold dozens) only once it needs it — its page shows a number, the
    // user points, types or focuses in it, or a decision is made there (guard-env.ts needRegister).
    if (isTopFrame(win) || isOwnContentFrame(win)) loadRegister();
    else for (const type of REGISTER_WANTED_ON) win.addEventListener(type, loadRegister, { capture: true, passive: true, signal });
  }, 0);

  const dispose = () => {
    win.clearTimeout(startTimer);
    controller.abort();
    scanner.stop();
    status.stop();
    if (registry[REGISTRY]?.dispose === dispose) delete registry[REGISTRY];
  };
  registry[REGISTRY] = { dispose };
  return { env, decider, dispose };
}

/** Input that says a frame is being used: its register is read (frames other than the top one). */
const REGISTER_WANTED_ON = ['pointerdown', 'keydown', 'focusin', 'dragenter'] as const;

function holdsNames(index: RegisterIndex | null | undefined): boolean {
  return (index?.nameCount ?? 0) > 0;
}

function showsNumbers(page: PageSummary): boolean {
  return Object.keys(page.countsByType).some((type) => NUMBER_TYPES.has(type));
}
