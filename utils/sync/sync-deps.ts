/**
 * What the sync modules reach outside themselves for, passed in: the storage items they
 * own (the store) and the browser around them (the runtime). The background passes the
 * real ones; unit tests pass WXT's fakeBrowser-backed items and a fake server.
 */
import { browser } from 'wxt/browser';
import {
  activePolicyItem,
  enrollmentItem,
  grantsItem,
  overrideRequestsItem,
  syncStatusItem,
  type ActivePolicyState,
  type Enrollment,
  type OverrideRequestRecord,
  type SyncStatus,
} from '../storage';
import type { SignedGrant } from '../policy/grant';
import { createApiClient, type ApiClient, type ApiClientOptions } from './api-client';
import type { EventIdentity } from './build-event';
import { currentIdentity, localIdentity } from './identity';
import { currentBrowserDescription } from '../device/browser-label';
import { clearRegister, syncRegister, type RegisterSyncResult } from './register-sync';

/** The part of a WXT storage item the sync uses. */
export interface StoreItem<T> {
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
}
type Item<T> = StoreItem<T>;

export interface SyncStore {
  enrollment: Item<Enrollment | null>;
  activePolicy: Item<ActivePolicyState | null>;
  grants: Item<SignedGrant[]>;
  overrideRequests: Item<OverrideRequestRecord[]>;
  syncStatus: Item<SyncStatus>;
}

export interface SyncRuntime {
  now(): number;
  extensionVersion(): string;
  /** Sent at enrollment and heartbeat so the console can tell browsers apart ("Chrome 156 · Windows"). */
  browserDescription(): string;
  /** The profile's own id, kept across enrolments: the console lists it as one device. */
  installationId(): Promise<string>;
  /** Who the events are about (enrolled identity, else the local one). */
  identity(): Promise<EventIdentity>;
  api(options: ApiClientOptions): ApiClient;
  /** The customer register (issue 15); absent in tests that do not exercise it. */
  register?: { sync(enrollment: Enrollment): Promise<RegisterSyncResult>; clear(): Promise<void> };
}

export const browserSyncStore: SyncStore = {
  enrollment: enrollmentItem,
  activePolicy: activePolicyItem,
  grants: grantsItem,
  overrideRequests: overrideRequestsItem,
  syncStatus: syncStatusItem,
};

export function browserSyncRuntime(now: () => number = Date.now): SyncRuntime {
  return {
    now,
    extensionVersion: () => browser.runtime.getManifest().version,
    browserDescription: currentBrowserDescription,
    installationId: async () => (await localIdentity()).deviceId.replace(/^local-/, ''),
    register: { sync: (enrollment) => syncRegister(enrollment), clear: clearRegister },
    identity: currentIdentity,
    api: createApiClient,
  };
}

export interface SyncDeps {
  store: SyncStore;
  runtime: SyncRuntime;
}

/** The device API client for an enrolled server. */
export function deviceClient(deps: SyncDeps, enrollment: Enrollment): ApiClient {
  return deps.runtime.api({ serverUrl: enrollment.serverUrl, deviceToken: enrollment.deviceToken });
}
