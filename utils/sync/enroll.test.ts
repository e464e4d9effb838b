/** Enrollment against a fake server on WXT's fakeBrowser: the key pin and what is stored. */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { generateSigningKeyPair, keyIdOf } from '../crypto/signing';
import { activePolicyItem, enrollmentItem, grantsItem } from '../storage';
import { ApiRequestError, type ApiClient } from './api-client';
import { enroll, EnrollmentError } from './enroll';
import { browserSyncStore, type SyncRuntime } from './sync-deps';

const NOW = Date.parse('2026-12-01T08:00:00Z');

async function setup(answer: Partial<Awaited<ReturnType<ApiClient['enroll']>>> | Error = {}) {
  const keys = await generateSigningKeyPair();
  const keyId = await keyIdOf(keys.publicKey);
  const seen: { serverUrl: string; body?: unknown }[] = [];
  const runtime: SyncRuntime = {
    now: () => NOW,
    extensionVersion: () => '0.1.0',
    browserDescription: () => 'Chrome 156 · Linux',
    installationId: async () => 'install-1',
    identity: async () => ({ deviceId: 'local-1', userId: 'unknown', hashKey: 'c'.repeat(64), extensionVersion: '0.1.0' }),
    api: (options) =>
      ({
        enroll: async (body: unknown) => {
          seen.push({ serverUrl: options.serverUrl, body });
          if (answer instanceof Error) throw answer;
          return { ok: true, deviceId: 'dev-9', deviceToken: 'tok', publicKey: keys.publicKey, keyId, hashKey: 'd'.repeat(64), ...answer };
        },
      }) as unknown as ApiClient,
  };
  return { deps: { store: browserSyncStore, runtime }, keyId, seen };
}

beforeEach(() => fakeBrowser.reset());

describe('enroll', () => {
  it("stores the enrollment with the pinned key, clears the old server's policy and grants", async () => {
    const { deps, keyId, seen } = await setup();
    await grantsItem.setValue([{ junk: true } as never]);
    const enrollment = await enroll(deps, {
      serverUrl: ' https://guard.example.com/path ',
      code: `K7Q2-9XHD#${keyId}`,
      identity: 'typed',
      userId: ' alice ',
      department: ' ',
    });
    expect(seen).toEqual([
      {
        serverUrl: 'https://guard.example.com',
        body: {
          code: 'K7Q2-9XHD',
          identity: 'typed',
          userId: 'alice',
          department: undefined,
          extensionVersion: '0.1.0',
          browser: 'Chrome 156 · Linux',
          installationId: 'install-1',
        },
      },
    ]);
    expect(enrollment).toMatchObject({
      serverUrl: 'https://guard.example.com',
      deviceId: 'dev-9',
      keyId,
      userId: 'alice',
      enrolledAt: new Date(NOW).toISOString(),
    });
    expect(await enrollmentItem.getValue()).toEqual(enrollment);
    expect(await activePolicyItem.getValue()).toBeNull();
    expect(await grantsItem.getValue()).toEqual([]);
  });

  it("refuses a server whose key does not match the code's fingerprint, storing nothing", async () => {
    const { deps } = await setup();
    await expect(
      enroll(deps, { serverUrl: 'https://guard.example.com', code: 'K7Q2-9XHD#0000000000000000', identity: 'typed', userId: 'alice' }),
    ).rejects.toThrow('fingerprint-mismatch');
    expect(await enrollmentItem.getValue()).toBeNull();
  });

  it('refuses a server whose key id does not belong to its key', async () => {
    const { deps } = await setup({ keyId: 'ffffffffffffffff' });
    await expect(
      enroll(deps, { serverUrl: 'https://guard.example.com', code: 'K7Q2-9XHD', identity: 'typed', userId: 'alice' }),
    ).rejects.toThrow('server-key-mismatch');
  });

  // The message is the code the options page words (zh-CN / en).
  it('gives an EnrollmentError for a bad URL or a refused code', async () => {
    const { deps } = await setup(new ApiRequestError('enrollment code expired', 403, 'enrollment-code-expired'));
    await expect(
      enroll(deps, { serverUrl: 'ftp://guard.example.com', code: 'K7Q2-9XHD', identity: 'typed', userId: 'alice' }),
    ).rejects.toThrow(new EnrollmentError('invalid-server-url'));
    await expect(
      enroll(deps, { serverUrl: 'https://guard.example.com', code: 'K7Q2-9XHD', identity: 'typed', userId: 'alice' }),
    ).rejects.toThrow(new EnrollmentError('enrollment-code-expired'));
    expect(await enrollmentItem.getValue()).toBeNull();
  });
});
