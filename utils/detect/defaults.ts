import type { DetectorSettings } from './types';

/** Detector settings of the built-in default policy. */
export const DEFAULT_DETECTORS: DetectorSettings = {
  mobile: { enabled: true, level: '秘密' },
  landline: { enabled: true, level: '秘密' },
  service: { enabled: true, level: '秘密' },
  marker: { enabled: true, controlledLevel: '秘密', extraTerms: [] },
  residentId: { enabled: false, level: '机密' },
  bankCard: { enabled: false, level: '机密' },
  email: { enabled: false, level: '秘密' },
};
