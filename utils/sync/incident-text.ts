/**
 * What a leak report may carry, checked on the device before it is stored: the user's own
 * words without any number (the server refuses the same, server/lib/raw-number.ts), without
 * a register customer's name (only the device can tell: the server holds keyed hashes),
 * and only the origin of the page it was reported from.
 */
import { scanText, DEFAULT_DETECTORS, type DetectorSettings } from '../detect';
import { INCIDENT_DESCRIPTION_MAX, INCIDENT_DESCRIPTION_MIN } from '../api/incident-api';
import { findNames, SHORT_NAME_UNITS } from '../register/match';
import type { RegisterIndex } from '../register/structure';

/** Every number detector (ids and cards too): the server refuses the same (server/lib/raw-number.ts). */
const NUMBER_DETECTORS: DetectorSettings = {
  ...DEFAULT_DETECTORS,
  residentId: { enabled: true, level: '机密' },
  bankCard: { enabled: true, level: '机密' },
  marker: { enabled: false, controlledLevel: '秘密', extraTerms: [] },
  email: { enabled: false, level: '秘密' },
};

export type IncidentTextProblem = 'too-short' | 'too-long' | 'raw-number' | 'customer-name';

/**
 * Why a description cannot be sent as it is (checked before it is stored), or null.
 * With the customer register: a customer or company name longer than SHORT_NAME_UNITS is
 * refused, as the guard blocks it alone; short personal names (王伟) are not, they name
 * colleagues as often as customers.
 */
export function incidentTextProblem(description: string, register?: RegisterIndex | null): IncidentTextProblem | null {
  const text = description.trim();
  if (text.length < INCIDENT_DESCRIPTION_MIN) return 'too-short';
  if (text.length > INCIDENT_DESCRIPTION_MAX) return 'too-long';
  if (/\d{7,}/u.test(text.normalize('NFKC')) || scanText(text, { detectors: NUMBER_DETECTORS }).length > 0) return 'raw-number';
  if (register && findNames(register, text).some((hit) => hit.units > SHORT_NAME_UNITS)) return 'customer-name';
  return null;
}

/** Only `scheme://host[:port]` of an http(s) page travels. */
export function reportableOrigin(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : null;
  } catch {
    return null;
  }
}
