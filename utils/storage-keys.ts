/**
 * Keys in browser.storage.local of the items the content script reads. Kept apart from
 * storage.ts, whose WXT items each read storage as soon as they are defined: the
 * content script runs in every frame and reads these keys in one call instead.
 */
export const LOCAL_KEYS = {
  enrollment: 'enrollment',
  activePolicy: 'activePolicy',
  grants: 'grants',
  identity: 'identity',
  /** The notice's texts in the policy's language (background/notice-texts.ts). */
  noticeTexts: 'noticeTexts',
  /** How often each grant let an action through on this device (content grants allow a number of uses). */
  grantUses: 'grantUses',
} as const;
