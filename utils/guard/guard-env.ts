/**
 * What every guard needs synchronously at the moment of an event (a copy handler
 * cannot await): the active policy, the verified grants, who the user is, and the
 * frame's page summary. Filled by guard-storage.ts, read by the guards.
 */
import type { Level } from '../detect/types';
import type { PageSummary } from '../dom/page-scanner';
import { emptySummary } from '../dom/page-summary';
import { DEFAULT_POLICY } from '../policy/default-policy';
import type { OverrideGrant, Policy } from '../policy';
import type { ContentFingerprint } from '../policy/content-fingerprint';
import type { RegisterIndex } from '../register/structure';

export interface GuardEnv {
  policy: Policy;
  /** Grants whose signature verified against the enrolled server key. */
  grants: OverrideGrant[];
  /** Uses of each grant on this device (storage's count, plus this frame's uses not yet counted there). */
  grantUses: Record<string, number>;
  /** Keyed fingerprints of findings, for grants bound to content; set once the enrollment's key is derived. */
  fingerprint?: ContentFingerprint;
  deviceId: string;
  userId: string;
  /** The person's name from the directory, when the enrollment carries one (the screen watermark names them). */
  displayName?: string;
  page: PageSummary;
  win: Window;
  /** Origin of this frame ('null' for opaque origins: sandboxed frames, data: URLs). */
  origin: string;
  /**
   * This frame is our own server (the enrolled server's origin: its admin console). The
   * console shows masked samples and level names only (the server refuses raw values), so
   * its events page must not read as a 绝密 page: the page scan finds nothing there.
   */
  ownServer?: boolean;
  /**
   * The customer register (issue 15), when the server sent one: numbers and names take
   * their customer's level. `undefined` while this frame has not read it (start.ts: a
   * frame other than the top one reads it only once it needs it), `null` when there is none.
   */
  register?: RegisterIndex | null;
  /** Asks for the register to be read (start.ts); decisions call it while `register` is undefined. */
  needRegister?: () => void;
}

export function createGuardEnv(win: Window): GuardEnv {
  return {
    policy: DEFAULT_POLICY,
    grants: [],
    grantUses: {},
    deviceId: 'unknown',
    userId: 'unknown',
    page: emptySummary(),
    win,
    origin: frameOrigin(win),
  };
}

/**
 * The frame's origin. about:blank / srcdoc frames inherit their creator's origin, which
 * `location.origin` reports as "null" in some cases; `window.origin` is the real one.
 */
export function frameOrigin(win: Window): string {
  const origin = (win as Window & { origin?: string }).origin ?? win.location.origin;
  return origin || 'null';
}

export function pageLevel(env: GuardEnv): Level | null {
  return env.page.level;
}
