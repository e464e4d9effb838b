/**
 * Keys in browser.storage.local of the items the content script reads. Kept apart from
 * storage.ts, whose WXT items each read storage as soon as they are defined: the
 * content script runs in every frame and reads these four keys in one call instead.
 */
export const LOCAL_KEYS = {
  enrollment: 'enrollment',
  activePolicy: 'activePolicy',
  grants: 'grants',
  identity: 'identity',
} as const;
