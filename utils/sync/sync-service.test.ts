/**
 * The background's sync against a fake server, with WXT's fakeBrowser behind the storage
 * items and a real (fake-indexeddb) event queue. Signatures are real Ed25519.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { generateSigningKeyPair, keyIdOf, signPayload, type SigningKeyPair } from '../crypto/signing';
import type { EventsResponse, OverrideStatus } from '../api/device-api';
import { violationEventSchema, type ViolationEvent } from '../events/schema';
import { uuidv7 } from '../events/uuid-v7';
import { DEFAULT_POLICY } from '../policy/default-policy';
import type { OverrideGrant } from '../policy/grant';
import type { Policy } from '../policy/schema';
import { ACTIVE_POLICY_FORMAT } from '../policy/stored';
import { activePolicyItem, enrollmentItem, grantsItem, overrideRequestsItem, syncStatusItem, type Enrollment } from '../storage';
import { ApiRequestError, type ApiClient } from './api-client';
import { backoffDelay } from './backoff';
import { openEventDatabase } from './event-db';
import { createEventQueue, type EventQueue } from './event-queue';
import { browserSyncStore, type SyncRuntime } from './sync-deps';
import { createSyncService } from './sync-service';

const START = Date.parse('2026-12-01T08:00:00Z');
let databaseCounter = 0;

/** A server whose answers each test sets; unset calls answer as a healthy, idle server. */
class FakeServer {
  policy: (etag: string | null) => Promise<{ signed: unknown; etag: string | null } | null> = async () => null;
  events: (events: ViolationEvent[]) => Promise<EventsResponse> = async (events) => ({
    ok: true,
    accepted: events.map((event) => event.id),
    duplicates: [],
    rejected: [],
  });
  override: (id: string) => Promise<OverrideStatus> = async () => {
    throw new ApiRequestError('no such request', 404, 'not_found');
  };
  calls: string[] = [];

  client(): ApiClient {
    return {
      enroll: async () => {
        throw new ApiRequestError('not used here', 400, 'bad_request');
      },
      fetchPolicy: async (etag) => {
        this.calls.push('policy');
        return this.policy(etag);
      },
      postEvents: async (events) => {
        this.calls.push('events');
        return this.events(events);
      },
      requestOverride: async () => {
        throw new ApiRequestError('not used here', 400, 'bad_request');
      },
      getOverride: async (id) => {
        this.calls.push('override');
        return this.override(id);
      },
      reportIncident: async () => {
        throw new ApiRequestError('not used here', 400, 'bad_request');
      },
      heartbeat: async () => {
        this.calls.push('heartbeat');
        return { ok: true as const, serverTime: new Date(START).toISOString(), policyVersion: 0 };
      },
    };
  }
}

function event(time: number): ViolationEvent {
  return violationEventSchema.parse({
    id: uuidv7(time),
    time: new Date(time).toISOString(),
    deviceId: 'local-1',
    userId: 'alice',
    origin: 'https://crm.example.com',
    channel: 'copy',
    action: 'block',
    level: '秘密',
    policyVersion: 1,
    findings: [{ type: 'mobile', level: '秘密', masked: '138****5678', hash: 'a'.repeat(64) }],
    findingCount: 1,
  });
}

interface Harness {
  server: FakeServer;
  queue: EventQueue;
  clock: { now: number };
  scheduled: number[];
  keys: SigningKeyPair;
  enrollment: Enrollment;
  sync: ReturnType<typeof createSyncService>;
}

async function harness(): Promise<Harness> {
  const server = new FakeServer();
  const queue = createEventQueue(openEventDatabase(`sync-test-${databaseCounter++}`));
  const clock = { now: START };
  const scheduled: number[] = [];
  const keys = await generateSigningKeyPair();
  const enrollment: Enrollment = {
    serverUrl: 'https://guard.example.com',
    deviceId: 'dev-1',
    deviceToken: 'token',
    publicKey: keys.publicKey,
    keyId: await keyIdOf(keys.publicKey),
    hashKey: 'b'.repeat(64),
    userId: 'alice',
    enrolledAt: new Date(START).toISOString(),
  };
  await enrollmentItem.setValue(enrollment);
  const runtime: SyncRuntime = {
    now: () => clock.now,
    extensionVersion: () => '0.1.0',
    browserDescription: () => 'Chrome 156 · Linux',
    installationId: async () => 'install-1',
    identity: async () => ({ deviceId: 'dev-1', userId: 'alice', hashKey: 'b'.repeat(64), extensionVersion: '0.1.0' }),
    api: () => server.client(),
  };
  const sync = createSyncService(queue, {
    store: browserSyncStore,
    runtime,
    random: () => 0.5,
    onSchedule: (at) => scheduled.push(at),
  });
  return { server, queue, clock, scheduled, keys, enrollment, sync };
}

async function storeSignedPolicy(h: Harness, version: number): Promise<void> {
  const policy: Policy = { ...DEFAULT_POLICY, version };
  const signed = await signPayload('policy', policy, h.keys);
  await activePolicyItem.setValue({
    format: ACTIVE_POLICY_FORMAT,
    policy,
    signed: { ...signed, keyId: h.enrollment.keyId },
    etag: `"v${version}"`,
    receivedAt: null,
  });
}

async function servePolicy(h: Harness, version: number): Promise<void> {
  const signed = { ...(await signPayload('policy', { ...DEFAULT_POLICY, version }, h.keys)), keyId: h.enrollment.keyId };
  h.server.policy = async () => ({ signed, etag: `"v${version}"` });
}

async function queuedKinds(queue: EventQueue): Promise<{ kind: string; reason?: unknown }[]> {
  const items = await queue.peekBatch(1_000);
  return items.map((item) => ({ kind: item.event.kind, reason: item.event.detail?.reason }));
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('sync backoff', () => {
  it('backs off with growing delays while the server is out of reach, and resets once it answers', async () => {
    const h = await harness();
    h.server.policy = async () => {
      throw new ApiRequestError('server unreachable: fetch failed', 0, 'network');
    };

    await h.sync.syncNow('alarm');
    const first = await syncStatusItem.getValue();
    expect(first.lastSyncOk).toBe(false);
    expect(first.nextAttemptAt).toBe(new Date(START + backoffDelay(1, () => 0.5)).toISOString());
    expect(h.scheduled).toEqual([START + backoffDelay(1, () => 0.5)]);

    await h.sync.syncNow('alarm');
    expect(h.scheduled[1]).toBe(START + backoffDelay(2, () => 0.5));
    expect(backoffDelay(2, () => 0.5)).toBeGreaterThan(backoffDelay(1, () => 0.5));

    // A burst of new events during the backoff does not reach the server ...
    const callsBefore = h.server.calls.length;
    await h.sync.syncNow('event');
    expect(h.server.calls.length).toBe(callsBefore);
    // ... the user's "sync now" does.
    await h.sync.syncNow('user');
    expect(h.server.calls.length).toBe(callsBefore + 1);

    h.server.policy = async () => null;
    const callsBeforeRecovery = h.server.calls.length;
    await h.sync.syncNow('alarm');
    const recovered = await syncStatusItem.getValue();
    expect(recovered).toMatchObject({ lastSyncOk: true, nextAttemptAt: null, lastSyncAt: new Date(START).toISOString() });
    expect(h.server.calls.slice(callsBeforeRecovery)).toEqual(['policy', 'heartbeat']);

    // The count started again: the next failure waits the first delay.
    h.server.policy = async () => {
      throw new ApiRequestError('server unreachable', 0, 'network');
    };
    await h.sync.syncNow('alarm');
    expect(h.scheduled.at(-1)).toBe(START + backoffDelay(1, () => 0.5));
  });

  it('does not retry what the server refused outright (401), and an event sync runs when no backoff is pending', async () => {
    const h = await harness();
    h.server.policy = async () => {
      throw new ApiRequestError('device revoked', 401, 'unauthorized');
    };
    await h.sync.syncNow('event');
    expect(h.server.calls).toEqual(['policy']);
    expect(await syncStatusItem.getValue()).toMatchObject({ lastSyncOk: false, nextAttemptAt: null, lastError: 'device revoked' });
    expect(h.scheduled).toEqual([]);
  });
});

describe('policy sync', () => {
  it('refuses an older policy: the newer one stays and the refusal is queued as an event', async () => {
    const h = await harness();
    await storeSignedPolicy(h, 5);
    await servePolicy(h, 4);
    await h.sync.syncNow();
    expect((await activePolicyItem.getValue())?.policy.version).toBe(5);
    expect(await queuedKinds(h.queue)).toEqual([]); // uploaded at once by the same sync
    expect(h.server.calls).toContain('events');
  });

  it('reports the refused version in the policy-rejected event', async () => {
    const h = await harness();
    h.server.events = async () => ({ ok: true, accepted: [], duplicates: [], rejected: [] }); // keep them queued
    await storeSignedPolicy(h, 5);
    await servePolicy(h, 4);
    await h.sync.syncNow();
    expect(await queuedKinds(h.queue)).toEqual([{ kind: 'policy-rejected', reason: 'older policy version 4 refused' }]);
  });

  it('control: a newer signed policy replaces the stored one, with its ETag', async () => {
    const h = await harness();
    await storeSignedPolicy(h, 5);
    await servePolicy(h, 6);
    await h.sync.syncNow();
    const stored = await activePolicyItem.getValue();
    expect(stored?.policy.version).toBe(6);
    expect(stored?.etag).toBe('"v6"');
    expect(stored?.receivedAt).toBe(new Date(START).toISOString());
  });

  it('refuses a policy signed by another key, keeping the built-in one', async () => {
    const h = await harness();
    h.server.events = async () => ({ ok: true, accepted: [], duplicates: [], rejected: [] });
    const other = await generateSigningKeyPair();
    const signed = { ...(await signPayload('policy', { ...DEFAULT_POLICY, version: 9 }, other)), keyId: h.enrollment.keyId };
    h.server.policy = async () => ({ signed, etag: '"x"' });
    await h.sync.syncNow();
    expect(await activePolicyItem.getValue()).toBeNull();
    expect(await queuedKinds(h.queue)).toEqual([{ kind: 'policy-rejected', reason: 'signature does not verify' }]);
  });
});

describe('event upload', () => {
  it('acknowledges accepted, duplicate and rejected events; keeps the rejection reason in the status', async () => {
    const h = await harness();
    const [accepted, duplicate, rejected] = [event(START - 3_000), event(START - 2_000), event(START - 1_000)];
    for (const item of [accepted, duplicate, rejected]) await h.sync.record(item);
    expect((await syncStatusItem.getValue()).queued).toBe(3);
    let uploaded: ViolationEvent[] = [];
    h.server.events = async (events) => {
      uploaded = events;
      return {
        ok: true,
        accepted: [accepted.id],
        duplicates: [duplicate.id],
        rejected: [{ index: 2, id: rejected.id, reason: 'finding value outside a masked sample' }],
      };
    };
    await h.sync.syncNow();
    expect(uploaded.map((item) => item.deviceId)).toEqual(['dev-1', 'dev-1', 'dev-1']); // the enrolled id, not the local one
    expect(await h.queue.count()).toBe(0);
    const status = await syncStatusItem.getValue();
    expect(status.lastError).toBe('1 event(s) rejected by the server: finding value outside a masked sample');
    expect(status).toMatchObject({ lastSyncOk: true, queued: 0 });
  });

  it('control: an event the server did not list stays queued for the next sync', async () => {
    const h = await harness();
    const [kept, taken] = [event(START - 2_000), event(START - 1_000)];
    await h.sync.record(kept);
    await h.sync.record(taken);
    h.server.events = async () => ({ ok: true, accepted: [taken.id], duplicates: [], rejected: [] });
    await h.sync.syncNow();
    expect((await h.queue.peekBatch(10)).map((item) => item.event.id)).toEqual([kept.id]);
    expect((await syncStatusItem.getValue()).queued).toBe(1);
  });
});

describe('override grants', () => {
  function grant(h: Harness, deviceId: string): OverrideGrant {
    return {
      grantId: `g-${deviceId}`,
      requestId: 'req-1',
      deviceId,
      userId: 'alice',
      origin: 'https://crm.example.com',
      channel: 'copy',
      issuedAt: new Date(h.clock.now - 60_000).toISOString(),
      expiresAt: new Date(h.clock.now + 3_600_000).toISOString(),
      maxLevel: '秘密',
    };
  }

  async function pendingRequest(h: Harness, signedGrant: unknown): Promise<void> {
    await overrideRequestsItem.setValue([
      {
        id: 'req-1',
        origin: 'https://crm.example.com',
        channel: 'copy',
        reason: 'monthly report',
        durationMinutes: 60,
        state: 'pending',
        requestedAt: new Date(START - 60_000).toISOString(),
        decidedAt: null,
        decisionNote: null,
        expiresAt: null,
      },
    ]);
    h.server.override = async (id) => ({
      ok: true,
      id,
      state: 'approved',
      origin: 'https://crm.example.com',
      channel: 'copy',
      reason: 'monthly report',
      requestedAt: new Date(START - 60_000).toISOString(),
      decidedAt: new Date(START).toISOString(),
      decisionNote: null,
      grant: signedGrant as OverrideStatus['grant'],
    });
  }

  it('refuses a validly signed grant issued to another device', async () => {
    const h = await harness();
    await pendingRequest(h, await signPayload('grant', grant(h, 'dev-2'), h.keys));
    await h.sync.syncNow();
    expect(await grantsItem.getValue()).toEqual([]);
    expect((await overrideRequestsItem.getValue())[0]).toMatchObject({ state: 'denied', decisionNote: 'grant signature did not verify' });
  });

  it('refuses a grant signed by another key', async () => {
    const h = await harness();
    const other = await generateSigningKeyPair();
    await pendingRequest(h, await signPayload('grant', grant(h, 'dev-1'), other));
    await h.sync.syncNow();
    expect(await grantsItem.getValue()).toEqual([]);
    expect((await overrideRequestsItem.getValue())[0]?.state).toBe('denied');
  });

  it('control: a grant for this device is stored and the request marked approved until it expires', async () => {
    const h = await harness();
    const own = await signPayload('grant', grant(h, 'dev-1'), h.keys);
    await pendingRequest(h, own);
    await h.sync.syncNow();
    expect(await grantsItem.getValue()).toEqual([own]);
    expect((await overrideRequestsItem.getValue())[0]).toMatchObject({ state: 'approved', expiresAt: grant(h, 'dev-1').expiresAt });
  });
});

describe('requestOverride', () => {
  it('keeps a request queued when the server is out of reach and asks for a backed-off sync', async () => {
    const h = await harness();
    const spy = vi.spyOn(h.server, 'client');
    spy.mockImplementation(() => ({
      ...FakeServer.prototype.client.call(h.server),
      requestOverride: async () => {
        throw new ApiRequestError('server unreachable', 0, 'network');
      },
    }));
    const result = await h.sync.requestOverride({
      reason: 'monthly report',
      origin: 'https://crm.example.com',
      channel: 'copy',
      durationMinutes: 60,
    });
    expect(result).toMatchObject({ delivered: false, state: 'queued' });
    expect((await overrideRequestsItem.getValue()).map((request) => request.state)).toEqual(['queued']);
    expect(h.scheduled).toEqual([START + backoffDelay(1, () => 0.5)]);
  });
});
