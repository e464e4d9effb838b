/**
 * The browser-level half of the download guard: every download the browser starts,
 * whoever started it — a CRM's export endpoint, a form post answered with an
 * attachment, a link the page hooks did not see. What the browser lets an extension
 * know of such a file before it lands is its URL, the page it came from (referrer),
 * its MIME type, size and suggested name — not its bytes (neither Chrome nor Firefox
 * hands a download's content to extensions). So:
 *   - `data:` URLs carry their content: read and scanned here;
 *   - `blob:` URLs the page guard already read and allowed pass (`download-vetted`); one it
 *     did not see is handed to the frames of its origin, which can still read it;
 *   - everything else is decided by provenance (download-decision.ts): the level and
 *     the customer numbers of the tab it came from, and the policy's held file types.
 * Held: Chrome's onDeterminingFilename keeps the download from landing until we answer
 * (the bytes wait in a temporary file that cancel() deletes); Firefox has no such hook,
 * so the download is paused at onCreated, and if it finished first its file is removed.
 * A block records an event, shows the notice in the tab (or a browser notification
 * when there is no tab to show it in) and offers the override.
 */
import { browser } from 'wxt/browser';
import type { Browser } from 'wxt/browser';
import { FINDING_TYPES, LEVELS, maxLevel, type FindingType, type Level } from '../detect/types';
import { parseDataUrl } from '../files/data-url';
import { scanFile } from '../files/scan-file';
import { createRegisterClassifier } from '../register/match';
import { backgroundRegister } from './register-cache';
import { isBlocking } from '../policy/decide';
import type { Verdict } from '../policy/decide';
import type { RecordDecisionMessage } from '../messaging';
import { decideDownload, fileTypeOf, type DownloadProvenance } from '../guard/channels/download-decision';
import { activePolicy, enrollmentItem, grantsItem, tabStatusItem } from '../storage';
import { buildViolationEvent } from '../sync/build-event';
import { verifiedGrants } from '../policy/stored';
import { currentIdentity } from '../sync/identity';
import type { SyncService } from '../sync/sync-service';
import { noteDecision } from './tab-status';

type DownloadItem = Browser.downloads.DownloadItem;

/** How long a vetted blob: URL stays vetted (the page clicks again within milliseconds). */
const VETTED_MS = 60_000;

/** What the tab is told to show when the browser-level guard blocked a download. */
export interface DownloadBlockedNotice {
  type: 'download-blocked';
  fileName: string;
  level: Level | null;
  rule: string | null;
  overridable: boolean;
  masked: string[];
  /** The content was not read: decided by where it came from. */
  byProvenance: boolean;
}

/** Background → tab: decide a blob: download on its content (the frame of its origin answers). */
export interface DecideBlobDownload {
  type: 'decide-blob-download';
  url: string;
  name: string;
  mime: string;
}

export interface DownloadGuardDeps {
  sync: Pick<SyncService, 'record'>;
  scheduleUpload: () => void;
  now?: () => number;
}

export function createDownloadGuard(deps: DownloadGuardDeps) {
  const now = deps.now ?? Date.now;
  const vetted = new Map<string, number>();

  function vet(url: string): void {
    const at = now();
    for (const [key, expires] of vetted) if (expires < at) vetted.delete(key);
    vetted.set(url, at + VETTED_MS);
  }

  function isVetted(url: string): boolean {
    const expires = vetted.get(url);
    if (expires === undefined || expires < now()) return false;
    vetted.delete(url); // once
    return true;
  }

  /** The tab a download most likely came from: one showing its source origin, the active one first. */
  async function sourceTab(origin: string | null): Promise<Browser.tabs.Tab | undefined> {
    const tabs = await browser.tabs.query({});
    const matches = tabs.filter((tab) => origin !== null && tab.url !== undefined && safeOrigin(tab.url) === origin);
    const pool = matches.length > 0 ? matches : origin === null ? tabs : [];
    return pool.find((tab) => tab.active) ?? pool[0];
  }

  async function provenanceOf(tabId: number | undefined): Promise<DownloadProvenance> {
    const provenance: DownloadProvenance = { level: null, countsByType: {} };
    if (tabId === undefined) return provenance;
    const status = await tabStatusItem(tabId).getValue();
    for (const frame of Object.values(status.frames)) {
      if ((LEVELS as readonly string[]).includes(frame.level ?? '')) provenance.level = maxLevel(provenance.level, frame.level as Level);
      for (const [type, count] of Object.entries(frame.countsByType)) {
        if (!(FINDING_TYPES as readonly string[]).includes(type)) continue;
        const key = type as FindingType;
        provenance.countsByType[key] = (provenance.countsByType[key] ?? 0) + count;
      }
    }
    return provenance;
  }

  /**
   * A blob: download the page hooks did not see (a navigation to the object URL, a blob
   * made in a worker or another frame): the page that made it can still read it. The
   * frames of its origin are asked to decide it on its content (they show the notice and
   * record the event themselves). Null when no frame answered.
   */
  async function askPage(tabId: number, item: DownloadItem, url: string): Promise<boolean | null> {
    const request: DecideBlobDownload = { type: 'decide-blob-download', url, name: baseName(item.filename), mime: item.mime ?? '' };
    try {
      const answer = (await browser.tabs.sendMessage(tabId, request)) as { blocked?: unknown } | undefined;
      return typeof answer?.blocked === 'boolean' ? answer.blocked : null;
    } catch {
      return null;
    }
  }

  /** Decides one download; null when it passes untouched (vetted by the page guard). */
  async function decideItem(item: DownloadItem) {
    const url = item.finalUrl || item.url;
    if (url.startsWith('blob:') && isVetted(url)) return null;
    const policy = await activePolicy();
    const sourceOrigin = safeOrigin(url.startsWith('blob:') ? url.slice(5) : item.referrer || '') ?? null;
    const tab = await sourceTab(sourceOrigin);
    if (url.startsWith('blob:') && tab?.id !== undefined) {
      const blocked = await askPage(tab.id, item, url);
      if (blocked !== null) return { decidedByPage: blocked } as const;
    }
    const pageOrigin = sourceOrigin ?? (tab?.url ? safeOrigin(tab.url) : null) ?? 'null';
    const fileName = baseName(item.filename) || baseName(new URL(url, 'https://x.invalid/').pathname);
    const data = url.startsWith('data:') ? parseDataUrl(url) : null;
    const limits = { maxScanBytes: policy.downloads.maxScanBytes, maxExpandedBytes: policy.downloads.maxExpandedBytes };
    const cache = backgroundRegister();
    await cache.ready;
    const register = createRegisterClassifier(cache.current());
    const scan = data
      ? await scanFile(
          data.bytes,
          data.bytes.length,
          { name: fileName, mime: item.mime ?? data.mime },
          {
            detectors: policy.detectors,
            limits,
            keepFindings: Math.max(50, policy.bulk.threshold),
            classify: register.classify,
          },
        )
      : null;
    const identity = await currentIdentity();
    const enrollment = await enrollmentItem.getValue();
    const grants = await verifiedGrants(
      await grantsItem.getValue(),
      enrollment && { publicKey: enrollment.publicKey, deviceId: identity.deviceId, userId: identity.userId },
    );
    const verdict = decideDownload(
      {
        findings: scan?.findings ?? [],
        findingCount: scan?.findingCount ?? 0,
        unreadable: scan === null || scan.unreadable !== null,
        fileType: fileTypeOf(fileName, item.mime ?? ''),
        sourceOrigin,
        provenance: await provenanceOf(tab?.id),
        namedLevel: register.nameLevel(),
      },
      policy,
      grants,
      { pageOrigin, deviceId: identity.deviceId, userId: identity.userId, now: now() },
    );
    return { verdict, scan, tab, pageOrigin, fileName, policyVersion: policy.version, identity, customers: register.customers() };
  }

  type Decided = Exclude<Awaited<ReturnType<typeof decideItem>>, null | { decidedByPage: boolean }>;

  async function record(decided: Decided): Promise<void> {
    const { verdict, scan, tab, pageOrigin, identity, policyVersion, customers } = decided;
    if (verdict.action === 'allow' && verdict.findingCount === 0) return;
    const message: RecordDecisionMessage = {
      type: 'record-decision',
      channel: 'download',
      action: verdict.action,
      level: verdict.level,
      customerLevel: customers[0]?.level ?? null,
      customerHash: customers[0]?.customerHash ?? null,
      ruleId: verdict.rule?.id ?? null,
      grantId: verdict.grantId,
      origin: pageOrigin.slice(0, 300),
      destination: null,
      findings: (scan?.findings ?? []).slice(0, 50).map((f) => ({
        type: f.type,
        level: f.level,
        masked: f.masked.slice(0, 64) || '*',
        normalized: f.normalized.slice(0, 200) || '*',
      })),
      findingCount: verdict.findingCount,
    };
    await deps.sync.record(await buildViolationEvent(message, identity, policyVersion, now()));
    if (tab?.id !== undefined) await noteDecision(tab.id, message);
    deps.scheduleUpload();
  }

  async function tell(decided: Decided): Promise<void> {
    const { verdict, scan, tab, fileName } = decided;
    const notice: DownloadBlockedNotice = {
      type: 'download-blocked',
      fileName: fileName.slice(0, 255),
      level: verdict.level,
      rule: verdict.rule?.description ?? verdict.rule?.id ?? null,
      overridable: verdict.overridable,
      masked: [...new Set((scan?.findings ?? []).map((f) => f.masked))].slice(0, 3),
      byProvenance: scan === null || scan.unreadable !== null,
    };
    if (tab?.id !== undefined) {
      try {
        const answer = (await browser.tabs.sendMessage(tab.id, notice, { frameId: 0 })) as { shown?: boolean } | undefined;
        if (answer?.shown) return;
      } catch {
        // no content script in that tab (a browser page, a closed tab): notify instead
      }
    }
    await notify(notice, verdict);
  }

  async function notify(notice: DownloadBlockedNotice, verdict: Verdict): Promise<void> {
    if (!browser.notifications) return;
    const title = browser.i18n.getMessage('download_blockedTitle') || 'Download blocked';
    const body = browser.i18n.getMessage('download_blockedBody', [notice.fileName || '—', verdict.level ?? '—']) || notice.fileName;
    await browser.notifications
      .create(`baomi-download-${now()}`, { type: 'basic', iconUrl: browser.runtime.getURL('/icon-128.png' as never), title, message: body })
      .catch(() => undefined);
  }

  /** Stops a download and leaves no file: cancel deletes the temporary file; a finished one is removed. */
  async function stop(item: DownloadItem): Promise<void> {
    await browser.downloads.cancel(item.id).catch(() => undefined);
    const [current] = await browser.downloads.search({ id: item.id }).catch(() => [] as DownloadItem[]);
    if (current?.state === 'complete' && current.exists !== false) await browser.downloads.removeFile(item.id).catch(() => undefined);
    await browser.downloads.erase({ id: item.id }).catch(() => undefined);
  }

  /** Decides, records and tells; true when the download must be stopped. Never throws. */
  async function judge(item: DownloadItem): Promise<boolean> {
    try {
      const decided = await decideItem(item);
      if (!decided) return false;
      if ('decidedByPage' in decided) return decided.decidedByPage === true;
      await record(decided);
      const blocked = isBlocking(decided.verdict.action);
      if (blocked) void tell(decided);
      return blocked;
    } catch (error) {
      console.warn('[baomi] download decision failed:', (error as Error).message);
      return false;
    }
  }

  function install(): void {
    const downloads = browser.downloads as typeof browser.downloads & {
      onDeterminingFilename?: {
        addListener(fn: (item: DownloadItem, suggest: (s?: { filename: string }) => void) => boolean | void): void;
      };
    };
    if (!downloads) return;
    if (downloads.onDeterminingFilename) {
      // Chrome: the download does not land until suggest() is called.
      downloads.onDeterminingFilename.addListener((item, suggest) => {
        void judge(item).then(async (blocked) => {
          if (blocked) await stop(item);
          else suggest();
        });
        return true;
      });
      return;
    }
    // Firefox: pause at once, then decide.
    downloads.onCreated.addListener((item) => {
      void (async () => {
        await downloads.pause(item.id).catch(() => undefined);
        if (await judge(item)) await stop(item);
        else await downloads.resume(item.id).catch(() => undefined);
      })();
    });
  }

  return { install, vet, judge };
}

function safeOrigin(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

function baseName(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
