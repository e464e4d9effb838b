/**
 * First-start work, idempotent on every start: policy v1 (the built-in default,
 * published by 'system'), the first admin user, and the enrollment code.
 */
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import { ensureInitialPolicy } from './db/repositories/policies';
import { countUsers, createUser, UsernameTakenError } from './db/repositories/users';
import { countActiveCodes, createEnrollmentCode, findCodeByHash } from './db/repositories/enrollment-codes';
import { recordAudit } from './db/repositories/audit';
import { codeHint, DEFAULT_CODE_DAYS, DEFAULT_CODE_MAX_USES, normalizeCode } from './lib/enrollment';
import { oneTimePassword } from './lib/one-time-password';
import { hashPassword, randomEnrollmentCode, sha256Hex } from './lib/secrets';

export interface BootstrapResult {
  /** Set only when the admin user was created now with a generated password (print it once). */
  generatedAdminPassword: string | null;
  /** True when the `admin` user was created on this start. */
  adminCreated: boolean;
  /** The code to print: the configured one, or one generated now; null when codes already exist. */
  enrollmentCode: string | null;
  /** Set when the configured code exists but was revoked in the console. */
  enrollmentCodeRevoked: boolean;
  /** Limits of a code generated now (a configured code has none: the operator chose it). */
  enrollmentCodeExpiresAt: Date | null;
  enrollmentCodeMaxUses: number | null;
}

export async function bootstrap(
  db: Kysely<Database>,
  options: { adminPassword?: string; enrollmentCode?: string; now: Date },
): Promise<BootstrapResult> {
  const { now } = options;
  await ensureInitialPolicy(db, now);

  let generatedAdminPassword: string | null = null;
  let adminCreated = false;
  if ((await countUsers(db)) === 0) {
    const password = options.adminPassword ?? oneTimePassword();
    try {
      // A generated password was printed to a console log: it must be replaced at first login.
      // One from BAOMI_ADMIN_PASSWORD was chosen by the operator (and passed the password policy).
      await createUser(db, {
        username: 'admin',
        passwordHash: await hashPassword(password),
        role: 'it-admin',
        displayName: '系统管理员 / IT administrator',
        now,
        mustChangePassword: !options.adminPassword,
      });
      adminCreated = true;
      if (!options.adminPassword) generatedAdminPassword = password;
      await recordAudit(db, { actor: 'system', action: 'user-create', target: 'user admin', detail: { role: 'it-admin' }, now });
    } catch (error) {
      if (!(error instanceof UsernameTakenError)) throw error; // another process was first
    }
  }

  let enrollmentCode: string | null = null;
  let enrollmentCodeRevoked = false;
  let enrollmentCodeExpiresAt: Date | null = null;
  if (options.enrollmentCode) {
    enrollmentCode = options.enrollmentCode;
    const codeHash = sha256Hex(normalizeCode(enrollmentCode));
    const existing = await findCodeByHash(db, codeHash);
    if (!existing) {
      await createEnrollmentCode(db, {
        codeHash,
        hint: codeHint(enrollmentCode),
        label: 'BAOMI_ENROLLMENT_CODE',
        maxUses: null,
        expiresAt: null,
        createdBy: 'system',
        now,
        // The code of scripted deployments, written into the browser policy beside the user
        // the admin assigned: it may carry that user (server/lib/identity.ts).
        kind: 'managed-deployment',
      });
    } else if (existing.revoked_at) {
      enrollmentCodeRevoked = true;
    }
  } else if ((await countActiveCodes(db, now)) === 0) {
    enrollmentCode = randomEnrollmentCode();
    enrollmentCodeExpiresAt = new Date(now.getTime() + DEFAULT_CODE_DAYS * 86_400_000);
    await createEnrollmentCode(db, {
      codeHash: sha256Hex(normalizeCode(enrollmentCode)),
      hint: codeHint(enrollmentCode),
      label: 'generated at start',
      maxUses: DEFAULT_CODE_MAX_USES,
      expiresAt: enrollmentCodeExpiresAt,
      createdBy: 'system',
      now,
    });
    await recordAudit(db, {
      actor: 'system',
      action: 'enrollment-code-create',
      target: 'code generated at start',
      detail: { maxUses: DEFAULT_CODE_MAX_USES, expiresAt: enrollmentCodeExpiresAt },
      now,
    });
  }
  return {
    generatedAdminPassword,
    adminCreated,
    enrollmentCode,
    enrollmentCodeRevoked,
    enrollmentCodeExpiresAt,
    enrollmentCodeMaxUses: enrollmentCodeExpiresAt ? DEFAULT_CODE_MAX_USES : null,
  };
}
