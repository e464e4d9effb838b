/**
 * Enrollment: trades a one-time code for a device token and pins the server's key
 * (the code's `#KEYID` fingerprint when given, else trust on first use).
 */
import { keyIdOf } from '../crypto/signing';
import type { Enrollment } from '../storage';
import { parseEnrollmentCode } from '../api/enrollment-code';
import { ApiRequestError } from './api-client';
import type { SyncDeps } from './sync-deps';

/** Its message is a code (`invalid-server-url`, the server's `enrollment-code-expired` …), worded by the options page. */
export class EnrollmentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnrollmentError';
  }
}

export interface EnrollInput {
  serverUrl: string;
  code: string;
  /**
   * Where the user comes from: the managed configuration (the admin assigned it), typed on the
   * options page, or an OIDC login (`oidcTicket` + `oidcVerifier`, utils/sync/oidc-login.ts).
   * The server decides which identity binds and answers it (server/lib/identity.ts).
   */
  identity: 'managed' | 'typed' | 'oidc';
  userId?: string;
  department?: string;
  oidcTicket?: string;
  oidcVerifier?: string;
}

function serverOrigin(input: string): string {
  try {
    const url = new URL(input.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    return url.origin;
  } catch (cause) {
    throw new EnrollmentError('invalid-server-url', { cause });
  }
}

export async function enroll(deps: SyncDeps, input: EnrollInput): Promise<Enrollment> {
  const { store, runtime } = deps;
  const serverUrl = serverOrigin(input.serverUrl);
  const { code, keyId: pinnedKeyId } = parseEnrollmentCode(input.code);
  const userId = input.userId?.trim() || undefined;
  const department = input.department?.trim() || undefined;
  let result;
  try {
    result = await runtime.api({ serverUrl }).enroll({
      code,
      identity: input.identity,
      ...(input.identity === 'oidc' ? { oidcTicket: input.oidcTicket, oidcVerifier: input.oidcVerifier } : { userId, department }),
      extensionVersion: runtime.extensionVersion(),
      browser: runtime.browserDescription(),
      installationId: await runtime.installationId(),
    });
  } catch (cause) {
    // The server's error code (enrollment-code-expired …): the options page words it.
    throw new EnrollmentError(cause instanceof ApiRequestError ? cause.code : 'enrollment-failed', { cause });
  }
  const actualKeyId = await keyIdOf(result.publicKey);
  if (actualKeyId !== result.keyId) throw new EnrollmentError('server-key-mismatch');
  if (pinnedKeyId && actualKeyId !== pinnedKeyId) {
    throw new EnrollmentError('fingerprint-mismatch');
  }
  const enrollment: Enrollment = {
    serverUrl,
    deviceId: result.deviceId,
    deviceToken: result.deviceToken,
    publicKey: result.publicKey,
    keyId: result.keyId,
    hashKey: result.hashKey,
    // Who the server bound this device to (a login's directory name, a personal code's person);
    // a server from before issue 27 answers none: then what was sent.
    userId: result.identity?.userId ?? userId ?? 'unknown',
    department: (result.identity ? result.identity.department : department) ?? undefined,
    displayName: result.identity?.displayName ?? undefined,
    identitySource: result.identity?.source,
    verified: result.identity?.verified,
    enrolledAt: new Date(runtime.now()).toISOString(),
  };
  await store.enrollment.setValue(enrollment);
  // A new server: its policy replaces the built-in one at the first sync.
  await store.activePolicy.setValue(null);
  await runtime.register?.clear();
  await store.grants.setValue([]);
  return enrollment;
}
