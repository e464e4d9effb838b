/**
 * The background's message handler: content scripts report decisions and page
 * status; the popup and options page ask for state, enroll, request overrides.
 * Every payload is zod-parsed here, whatever context it claims to come from.
 */
import { browser } from 'wxt/browser';
import type { Browser } from 'wxt/browser';

type MessageSender = Browser.runtime.MessageSender;
import { contentMessageSchema, uiMessageSchema, type OverrideDelivery, type UiResponse } from '../messaging';
import { ApiRequestError } from '../sync/api-client';
import { activePolicy, enrollmentItem } from '../storage';
import { buildViolationEvent } from '../sync/build-event';
import { currentIdentity } from '../sync/identity';
import type { SyncService } from '../sync/sync-service';
import type { EventQueue } from '../sync/event-queue';
import { popupState } from './popup-state';
import { backgroundRegister } from './register-cache';
import { incidentTextProblem, reportableOrigin } from '../sync/incident-text';
import { noteDecision, updateFrameStatus } from './tab-status';
import { countGrantUse } from './grant-uses';
import { contentFingerprinter, deriveContentKey } from '../policy/content-fingerprint';

/** What the notice asks for: an hour, or less when the policy allows less. */
export const DEFAULT_REQUEST_MINUTES = 60;

export interface RouterDeps {
  sync: SyncService;
  queue: EventQueue;
  /** Upload soon after new events (debounced by the caller). */
  scheduleUpload: () => void;
  /** The browser-level download guard: told which blob: files the page guard allowed. */
  downloads?: { vet(url: string): void };
  /** Told when a request was sent: its decision is polled for in seconds. */
  outcomes?: { pollSoon(): void };
}

function isExtensionPage(sender: MessageSender): boolean {
  // Extension pages (popup, options — also when opened in a tab) have our own URL;
  // content scripts report the page's URL.
  return sender.id === browser.runtime.id && sender.url?.startsWith(browser.runtime.getURL('/')) === true;
}

export function createMessageRouter(deps: RouterDeps) {
  async function handleContent(message: unknown, sender: MessageSender): Promise<unknown> {
    const parsed = contentMessageSchema.safeParse(message);
    if (!parsed.success) return { ok: false, error: 'invalid message' };
    const tabId = sender.tab?.id;
    const data = parsed.data;
    switch (data.type) {
      case 'record-decision': {
        if (data.grantId) await countGrantUse(data.grantId);
        const policy = await activePolicy();
        const event = await buildViolationEvent(data, await currentIdentity(), policy.version, Date.now());
        await deps.sync.record(event);
        if (tabId !== undefined) await noteDecision(tabId, data);
        deps.scheduleUpload();
        return { ok: true, eventId: event.id };
      }
      case 'page-status':
        if (tabId !== undefined) await updateFrameStatus(tabId, sender.frameId ?? 0, data);
        return { ok: true };
      case 'download-vetted':
        deps.downloads?.vet(data.url);
        return { ok: true };
      case 'send-override-request': {
        const policy = await activePolicy();
        const enrollment = await enrollmentItem.getValue();
        if (!enrollment) return { ok: false, error: 'not-enrolled' } satisfies OverrideDelivery;
        if (!policy.overrides.allowed) return { ok: false, error: 'overrides-disabled' } satisfies OverrideDelivery;
        try {
          const { origin, channel, level, ruleId, reason, masked, detail } = data;
          const durationMinutes = Math.min(DEFAULT_REQUEST_MINUTES, policy.overrides.maxDurationMinutes);
          // What a content grant will open: keyed fingerprints of exactly the blocked findings.
          const fingerprint = contentFingerprinter(await deriveContentKey(enrollment.hashKey));
          const fingerprints = [...new Set((data.findings ?? []).map(fingerprint))];
          const record = await deps.sync.requestOverride({
            reason,
            origin,
            channel,
            durationMinutes,
            level,
            ruleId,
            masked,
            detail,
            fingerprints,
            tabId,
            frameId: sender.frameId ?? 0,
          });
          if (record.delivered) deps.outcomes?.pollSoon();
          return { ok: true, state: record.delivered ? 'sent' : 'queued', id: record.id } satisfies OverrideDelivery;
        } catch (error) {
          return { ok: false, error: error instanceof ApiRequestError ? 'rejected' : 'invalid' } satisfies OverrideDelivery;
        }
      }
      case 'report-false-positive': {
        const policy = await activePolicy();
        const event = await buildViolationEvent(data, await currentIdentity(), policy.version, Date.now());
        await deps.sync.record({ ...event, kind: 'false-positive' });
        deps.scheduleUpload();
        return { ok: true, eventId: event.id };
      }
      case 'open-override-request': {
        const params = new URLSearchParams({ origin: data.origin, channel: data.channel });
        await browser.tabs.create({ url: browser.runtime.getURL(`/popup.html?${params}`) });
        return { ok: true };
      }
    }
  }

  async function handleUi(message: unknown): Promise<UiResponse> {
    const parsed = uiMessageSchema.safeParse(message);
    if (!parsed.success) return { ok: false, error: parsed.error.issues.map((issue) => issue.message).join('; ') };
    const data = parsed.data;
    try {
      switch (data.type) {
        case 'get-popup-state':
          return { ok: true, data: await popupState(data.tabId, await deps.queue.count(), Date.now()) };
        case 'enroll': {
          const { serverUrl, code, userId, department, oidcTicket, oidcVerifier } = data;
          const enrollment = await deps.sync.enroll(
            oidcTicket
              ? { serverUrl, code, identity: 'oidc', oidcTicket, oidcVerifier }
              : { serverUrl, code, identity: 'typed', userId: userId || undefined, department },
          );
          await deps.sync.syncNow('user');
          return { ok: true, data: { deviceId: enrollment.deviceId, keyId: enrollment.keyId } };
        }
        case 'request-override': {
          const policy = await activePolicy();
          if (!policy.overrides.allowed) return { ok: false, error: 'overrides are not allowed by the policy' };
          const durationMinutes = Math.min(data.durationMinutes, policy.overrides.maxDurationMinutes);
          const { reason, origin, channel, level } = data;
          const record = await deps.sync.requestOverride({ reason, origin, channel, durationMinutes, level });
          if (record.delivered) deps.outcomes?.pollSoon();
          return { ok: true, data: record };
        }
        case 'report-incident': {
          // Refused before it is stored: the user keeps the text and fixes it (no raw numbers).
          const register = backgroundRegister();
          await register.ready;
          const problem = incidentTextProblem(data.description, register.current());
          if (problem) return { ok: false, error: problem };
          if (!(await enrollmentItem.getValue())) return { ok: false, error: 'not-enrolled' };
          const record = await deps.sync.reportIncident({ description: data.description, origin: reportableOrigin(data.pageUrl) });
          if (record.state === 'failed') return { ok: false, error: record.error ?? 'rejected' };
          return { ok: true, data: { id: record.id, delivered: record.delivered } };
        }
        case 'sync-now':
          await deps.sync.syncNow('user');
          await deps.sync.pollOverrides();
          return { ok: true, data: null };
      }
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  return (message: unknown, sender: MessageSender): Promise<unknown> =>
    isExtensionPage(sender) ? handleUi(message) : handleContent(message, sender);
}
