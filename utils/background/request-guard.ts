/**
 * The request layer: what page hooks cannot see — requests of a page's workers (dedicated,
 * shared, service), `<img>`/`<iframe>`/`<script>` loads the parser starts, navigations —
 * is checked where the browser sends it.
 *
 *  - Blocking `webRequest` (Firefox MV3; Chrome only for extensions force-installed by
 *    enterprise policy): every request's URL text and body (form data, raw bytes, first
 *    5 MB) go through the detectors and `decide()` with the active policy and verified
 *    grants, synchronously (Chrome requires it) from an in-memory copy of the policy; a
 *    block cancels the request and queues an event.
 *  - Otherwise (an unpacked or store-installed Chrome extension: no blocking webRequest)
 *    one `declarativeNetRequest` dynamic rule blocks requests whose path or query holds a
 *    mobile number (./url-number-rule.ts), except to the policy's internal hosts, and only
 *    while the policy blocks a mobile number sent out by request. It cannot read bodies
 *    and runs no code, so a worker's POST body or a number in any other form is beyond it.
 *    Its matches are recorded as events only where Chrome reports them
 *    (`onRuleMatchedDebug`: unpacked extensions with declarativeNetRequestFeedback).
 *
 * The customer register (issue 15) applies in the webRequest mode: the background holds
 * it in memory (./register-cache.ts, read in place, no decoding), so a register customer's
 * number in a URL or body takes its customer's level and a company named alone raises the
 * level, as in the page. It cannot apply to the DNR rule: a rule is a regular expression
 * the browser matches without our code, and the register holds keyed hashes, never the
 * numbers a rule would have to list — so in that mode a number's level is the policy's
 * default for its type (the rule is present whenever that default is blocked), and only
 * the event recorded for a match is given its customer's level.
 */
import { browser } from 'wxt/browser';
import { scanText } from '../detect';
import { maxLevel, type Finding, type Level } from '../detect/types';
import { applyRegister, type CustomerTouch } from '../register/match';
import type { RegisterIndex } from '../register/structure';
import { backgroundRegister } from './register-cache';
import { decide, isBlocking, type Verdict } from '../policy/decide';
import { DEFAULT_POLICY } from '../policy/default-policy';
import type { OverrideGrant } from '../policy/grant';
import type { Policy } from '../policy/schema';
import { storedPolicy, verifiedGrants } from '../policy/stored';
import type { RecordDecisionMessage } from '../messaging';
import { LOCAL_KEYS } from '../storage-keys';
import { buildViolationEvent } from '../sync/build-event';
import { currentIdentity } from '../sync/identity';
import type { ViolationEvent } from '../events/schema';
import { decodeBodyText, MAX_OUTGOING_TEXT, resolveDestination } from '../guard/outgoing/outgoing-text';
import { internalHosts, URL_NUMBER_REGEX } from './url-number-rule';
import { contentFingerprinter, deriveContentKey, type ContentFingerprint } from '../policy/content-fingerprint';

export const URL_NUMBER_RULE_ID = 1201;

export interface RequestGuardDeps {
  record(event: ViolationEvent): Promise<unknown>;
  scheduleUpload(): void;
}

interface GuardState {
  policy: Policy;
  grants: OverrideGrant[];
  fingerprint?: ContentFingerprint;
  grantUses?: Record<string, number>;
  deviceId: string;
  userId: string;
  /** The customer register, when the server sent one. */
  register?: RegisterIndex | null;
}

/** Whether the policy blocks a mobile number leaving by request to an external origin. */
export function policyBlocksUrlNumbers(policy: Policy): boolean {
  if (!policy.detectors.mobile.enabled) return false;
  const probe: Finding = {
    type: 'mobile',
    level: policy.detectors.mobile.level,
    masked: '138****5678',
    normalized: '13812345678',
    start: 0,
    end: 11,
  } as Finding;
  const verdict = decide(
    [probe],
    {
      channel: 'request',
      pageOrigin: 'https://page.invalid',
      sourceOrigin: 'https://page.invalid',
      destinationOrigin: 'https://external.invalid',
      sourceLevel: null,
      deviceId: '',
      userId: '',
      now: Date.now(),
    },
    policy,
    [],
  );
  return isBlocking(verdict.action);
}

type DnrRule = {
  id: number;
  priority: number;
  action: { type: 'block' };
  condition: { regexFilter: string; excludedRequestDomains?: string[]; excludedInitiatorDomains?: string[]; resourceTypes: string[] };
};

const RESOURCE_TYPES = [
  'main_frame',
  'sub_frame',
  'stylesheet',
  'script',
  'image',
  'font',
  'object',
  'xmlhttprequest',
  'ping',
  'csp_report',
  'media',
  'websocket',
  'webtransport',
  'webbundle',
  'other',
];

/**
 * The dynamic rules for `policy` (none when the policy lets numbers out by request).
 * Pages whose origin holds a current override grant for 'request' are excluded by
 * initiator host (a rule cannot tell ports apart: the grant covers that host's pages).
 */
export function urlNumberRules(policy: Policy, grants: readonly OverrideGrant[] = [], now = Date.now()): DnrRule[] {
  if (!policyBlocksUrlNumbers(policy)) return [];
  const excluded = internalHosts(policy.internalOrigins);
  const granted = policy.overrides.allowed
    ? internalHosts(
        grants
          // A grant bound to content cannot be a rule's exception (the rule sees no findings).
          .filter(
            (g) =>
              g.channel === 'request' &&
              g.scope !== 'content' &&
              Date.parse(g.issuedAt) <= now + 5 * 60_000 &&
              now < Date.parse(g.expiresAt),
          )
          .map((g) => g.origin),
      )
    : [];
  return [
    {
      id: URL_NUMBER_RULE_ID,
      priority: 1,
      action: { type: 'block' },
      condition: {
        regexFilter: URL_NUMBER_REGEX,
        resourceTypes: RESOURCE_TYPES,
        ...(excluded.length > 0 ? { excludedRequestDomains: excluded } : {}),
        ...(granted.length > 0 ? { excludedInitiatorDomains: granted } : {}),
      },
    },
  ];
}

/** When the rules must be rebuilt because a grant expires (null: none pending). */
export function nextGrantExpiry(grants: readonly OverrideGrant[], now = Date.now()): number | null {
  const future = grants.map((g) => Date.parse(g.expiresAt)).filter((t) => t > now);
  return future.length > 0 ? Math.min(...future) : null;
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

function eventMessage(
  verdict: Verdict,
  findings: Finding[],
  origin: string | null,
  destination: string | null,
  customers: readonly CustomerTouch[] = [],
): RecordDecisionMessage {
  return {
    customerLevel: customers[0]?.level ?? null,
    customerHash: customers[0]?.customerHash ?? null,
    type: 'record-decision',
    channel: 'request',
    action: verdict.action,
    level: verdict.level,
    ruleId: verdict.rule?.id ?? null,
    grantId: verdict.grantId,
    origin: (origin ?? 'unknown').slice(0, 300),
    destination: destination?.slice(0, 300) ?? null,
    findings: findings
      .slice(0, 50)
      .map((f) => ({ type: f.type, level: f.level, masked: f.masked.slice(0, 64) || '*', normalized: f.normalized.slice(0, 200) || '*' })),
    findingCount: verdict.findingCount,
  };
}

async function recordBlock(deps: RequestGuardDeps, state: GuardState, message: RecordDecisionMessage): Promise<void> {
  try {
    await deps.record(await buildViolationEvent(message, await currentIdentity(), state.policy.version, Date.now()));
    deps.scheduleUpload();
  } catch (error) {
    console.warn('[baomi] could not record a blocked request:', (error as Error).message);
  }
}

interface RequestBody {
  formData?: Record<string, string[]>;
  raw?: { bytes?: ArrayBuffer }[];
}

/** Text of a webRequest body: form fields, or the raw bytes (first 5 MB) decoded. */
export function requestBodyText(body: RequestBody | undefined | null): string {
  if (!body) return '';
  if (body.formData) {
    return Object.entries(body.formData)
      .map(([name, values]) => `${name}=${values.join('\n')}`)
      .join('\n');
  }
  if (!body.raw) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (const part of body.raw) {
    if (!part.bytes || bytes >= MAX_OUTGOING_TEXT) continue;
    const chunk = new Uint8Array(part.bytes, 0, Math.min(part.bytes.byteLength, MAX_OUTGOING_TEXT - bytes));
    bytes += chunk.byteLength;
    text += decoder.decode(chunk, { stream: true });
  }
  return decodeBodyText(text + decoder.decode(), null);
}

interface WebRequestDetails {
  url: string;
  method: string;
  type: string;
  tabId: number;
  originUrl?: string;
  documentUrl?: string;
  initiator?: string;
  requestBody?: RequestBody | null;
}

/** The blocking webRequest decision: synchronous, from the in-memory state. */
export function decideRequest(
  details: WebRequestDetails,
  state: GuardState,
): { verdict: Verdict; findings: Finding[]; origin: string | null; destination: string | null; customers: CustomerTouch[] } | null {
  const source = details.originUrl ?? details.documentUrl ?? details.initiator;
  if (source && /^(moz|chrome)-extension:/.test(source)) return null; // our own requests (sync)
  const destination = resolveDestination(details.url, details.url);
  if (!destination.network) return null;
  const text = `${destination.text}\n${requestBodyText(details.requestBody)}`;
  const found = scanText(text, { detectors: state.policy.detectors, maxFindings: Math.max(50, state.policy.bulk.threshold) });
  // Register customers' numbers take their customer's level; a company named alone is provenance.
  const { findings, nameLevel, customers } = applyRegister(state.register, text, found);
  if (findings.length === 0 && nameLevel === null) return null;
  const origin = originOf(source);
  const verdict = decide(
    findings,
    {
      channel: 'request',
      pageOrigin: origin ?? 'null',
      sourceOrigin: origin,
      destinationOrigin: destination.origin,
      sourceLevel: nameLevel,
      deviceId: state.deviceId,
      userId: state.userId,
      now: Date.now(),
      fingerprint: state.fingerprint,
      grantUses: state.grantUses,
    },
    state.policy,
    state.grants,
  );
  return { verdict, findings, origin, destination: destination.origin, customers };
}

type WebRequestListener = (details: WebRequestDetails) => { cancel: boolean } | undefined;
type WebRequestApi = {
  onBeforeRequest: {
    addListener(listener: WebRequestListener, filter: { urls: string[] }, extra: string[]): void;
    removeListener(listener: WebRequestListener): void;
  };
};
type DnrApi = {
  updateDynamicRules(options: { removeRuleIds: number[]; addRules: DnrRule[] }): Promise<void>;
  onRuleMatchedDebug?: {
    addListener(listener: (info: { rule: { ruleId: number }; request: { url: string; initiator?: string } }) => void): void;
  };
};
type PermissionsApi = { contains(permissions: { permissions: string[] }): Promise<boolean> };

export type RequestLayer = 'webRequest' | 'declarativeNetRequest' | 'none';

/**
 * Starts the request layer. Call synchronously at the background's start (listeners must
 * be registered in the first turn). Resolves to the mechanism that runs.
 *
 * The manifest asks for `webRequestBlocking` in Chrome too, but Chrome MV3 grants it only
 * to extensions force-installed by enterprise policy (ExtensionInstallForcelist /
 * ExtensionSettings); elsewhere it is withheld with an install warning. Whether the
 * listener may block is therefore confirmed with permissions.contains before the DNR
 * rule is given up (tests/e2e/managed-deployment.e2e.ts proves the policy-installed mode).
 */
export function installRequestGuard(deps: RequestGuardDeps): Promise<RequestLayer> {
  type Apis = { webRequest?: WebRequestApi; declarativeNetRequest?: DnrApi; permissions?: PermissionsApi };
  const api = (globalThis as { browser?: Apis }).browser ?? (globalThis as { chrome?: Apis }).chrome;
  const state: GuardState = { policy: DEFAULT_POLICY, grants: [], deviceId: 'unknown', userId: 'unknown' };

  async function load(): Promise<void> {
    const values = (await browser.storage.local.get(Object.values(LOCAL_KEYS))) as Record<string, unknown>;
    state.policy = storedPolicy(values[LOCAL_KEYS.activePolicy]);
    const enrollment = (values[LOCAL_KEYS.enrollment] ?? null) as {
      publicKey?: string;
      deviceId: string;
      userId: string;
      hashKey?: string;
    } | null;
    const local = (values[LOCAL_KEYS.identity] ?? null) as { deviceId: string; userId: string } | null;
    state.deviceId = enrollment?.deviceId ?? local?.deviceId ?? 'unknown';
    state.userId = enrollment?.userId ?? local?.userId ?? 'unknown';
    state.grants = await verifiedGrants(values[LOCAL_KEYS.grants], enrollment);
    state.grantUses = (values[LOCAL_KEYS.grantUses] ?? {}) as Record<string, number>;
    if (enrollment?.hashKey && state.grants.some((grant) => grant.scope === 'content')) {
      state.fingerprint = contentFingerprinter(await deriveContentKey(enrollment.hashKey));
    }
  }

  const register = backgroundRegister();
  const blockingListener: WebRequestListener = (details) => {
    state.register = register.current();
    const decision = decideRequest(details, state);
    if (!decision || !isBlocking(decision.verdict.action)) return undefined;
    void recordBlock(
      deps,
      state,
      eventMessage(decision.verdict, decision.findings, decision.origin, decision.destination, decision.customers),
    );
    return { cancel: true };
  };
  let mode: RequestLayer = 'none';
  try {
    api?.webRequest?.onBeforeRequest.addListener(blockingListener, { urls: ['<all_urls>'] }, ['blocking', 'requestBody']);
    if (api?.webRequest) mode = 'webRequest';
  } catch {
    // No blocking webRequest here (Chrome MV3 unless installed by policy).
  }

  const dnr = api?.declarativeNetRequest;
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  async function syncRules(): Promise<void> {
    if (!dnr || mode === 'webRequest') return;
    await dnr.updateDynamicRules({ removeRuleIds: [URL_NUMBER_RULE_ID], addRules: urlNumberRules(state.policy, state.grants) });
    // A grant's end puts its pages back under the rule (the worker may sleep past it; the
    // next start rebuilds the rules from storage anyway).
    clearTimeout(expiryTimer);
    const expiry = nextGrantExpiry(state.grants);
    if (expiry !== null) expiryTimer = setTimeout(() => void syncRules(), Math.min(expiry - Date.now() + 1_000, 2 ** 31 - 1));
  }
  function useDnr(): void {
    if (!dnr) return;
    mode = 'declarativeNetRequest';
    dnr.onRuleMatchedDebug?.addListener((info) => {
      if (info.rule.ruleId !== URL_NUMBER_RULE_ID) return;
      const destination = resolveDestination(info.request.url, info.request.url);
      const { findings, customers } = applyRegister(
        register.current(),
        destination.text,
        scanText(destination.text, { detectors: state.policy.detectors }),
        { names: 'none' },
      );
      const verdict: Verdict = {
        action: 'block',
        level: findings.reduce<Level | null>((level, f) => maxLevel(level, f.level), null) ?? state.policy.detectors.mobile.level,
        findingCount: findings.length,
        countsByType: {},
        bulk: false,
        grantId: null,
        reasons: [],
        rule: null,
        overridable: false,
      };
      void recordBlock(deps, state, eventMessage(verdict, findings, originOf(info.request.initiator), destination.origin, customers));
    });
  }
  if (mode === 'none') useDnr();

  // The listener registered, but may it block? Chrome withholds webRequestBlocking from an
  // extension not installed by policy; then the DNR rule is the net.
  const settled: Promise<RequestLayer> =
    mode !== 'webRequest' || !api?.permissions
      ? Promise.resolve(mode)
      : api.permissions.contains({ permissions: ['webRequestBlocking'] }).then(
          (granted) => {
            if (!granted) {
              api.webRequest?.onBeforeRequest.removeListener(blockingListener);
              mode = 'none';
              useDnr();
            }
            return mode;
          },
          () => mode,
        );

  const refresh = () =>
    settled
      .then(load)
      .then(syncRules)
      .catch((error: unknown) => console.warn('[baomi] request guard:', (error as Error).message));
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && Object.values(LOCAL_KEYS).some((key) => key in changes)) void refresh();
  });
  void refresh();
  return settled;
}
