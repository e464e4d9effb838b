/**
 * Who the events are about. Enrolled: the identity given at enrollment (or by the
 * IT admin's managed storage). Not enrolled: a stable random device id, so local
 * events still correlate once the device enrolls.
 */
import { browser } from 'wxt/browser';
import { enrollmentItem, localIdentityItem } from '../storage';
import { bytesToHex } from '../crypto/base64';
import { uuidv7 } from '../events/uuid-v7';
import type { EventIdentity } from './build-event';

function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return bytesToHex(buffer);
}

export async function localIdentity() {
  const existing = await localIdentityItem.getValue();
  if (existing) return existing;
  const created = { deviceId: `local-${uuidv7()}`, userId: 'unknown', hashKey: randomHex(32) };
  await localIdentityItem.setValue(created);
  return created;
}

export async function currentIdentity(): Promise<EventIdentity> {
  const extensionVersion = browser.runtime.getManifest().version;
  const enrollment = await enrollmentItem.getValue();
  if (enrollment) {
    return {
      deviceId: enrollment.deviceId,
      userId: enrollment.userId,
      department: enrollment.department,
      hashKey: enrollment.hashKey,
      extensionVersion,
    };
  }
  const local = await localIdentity();
  return { ...local, extensionVersion };
}
