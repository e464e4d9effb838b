/**
 * Zero-touch deployment: an IT admin sets these through Chrome enterprise policy
 * (chrome.storage.managed, schema in public/managed_schema.json). With serverUrl
 * and enrollmentCode present, the extension enrolls itself at start-up.
 */
import { browser } from 'wxt/browser';
import { z } from 'zod';

export const managedConfigSchema = z.object({
  serverUrl: z.string().url().optional(),
  enrollmentCode: z.string().min(4).max(200).optional(),
  userId: z.string().min(1).max(200).optional(),
  department: z.string().max(200).optional(),
});
export type ManagedConfig = z.infer<typeof managedConfigSchema>;

export async function readManagedConfig(): Promise<ManagedConfig | null> {
  try {
    const raw = await browser.storage.managed.get(null);
    if (!raw || Object.keys(raw).length === 0) return null;
    const parsed = managedConfigSchema.safeParse(raw);
    return parsed.success ? parsed.data : null;
  } catch {
    // No managed storage (Firefox without policies, or not deployed by policy).
    return null;
  }
}

/**
 * Zero-touch enrollment at start-up: with a server and code in managed storage and no
 * enrollment yet, enroll. A failure is logged and retried at the next start.
 */
export async function enrollFromManagedConfig(
  enroll: (input: { serverUrl: string; code: string; identity: 'managed'; userId?: string; department?: string }) => Promise<unknown>,
  isEnrolled: () => Promise<boolean>,
  read: () => Promise<ManagedConfig | null> = readManagedConfig,
): Promise<boolean> {
  const managed = await read();
  if (!managed?.serverUrl || !managed.enrollmentCode || (await isEnrolled())) return false;
  try {
    await enroll({
      serverUrl: managed.serverUrl,
      code: managed.enrollmentCode,
      // The user the admin assigned; the server accepts it only with a managed-deployment code
      // (or a personal code, which names its person itself).
      identity: 'managed',
      userId: managed.userId,
      department: managed.department,
    });
    return true;
  } catch (error) {
    console.warn('[baomi] managed enrollment failed:', (error as Error).message);
    return false;
  }
}
