/**
 * checkPolicy: the content script's validation of the stored policy, without zod.
 * The background stores a policy only after verifying its signature and validating it
 * with the zod schema (schema.ts); the content script still refuses anything malformed
 * (a corrupted or older stored value) and then falls back to DEFAULT_POLICY. It runs in
 * every frame, where building the zod schemas is too costly (docs/PERFORMANCE.md).
 * Same rules and same output as policySchema (policy-check.test.ts holds them equal).
 */
import { LEVELS } from '../detect/types';
import { array, boolean, datetime, fail, isInvalid, number, oneOf, strictObject, string } from './check-helpers';
import type { Policy, Rule } from './schema';
import { ACTIONS, CHANNELS, DEFAULT_DOWNLOAD_SETTINGS, DOWNLOAD_TYPE_PATTERN, LANGUAGES, ORIGIN_PATTERN, ZONES } from './vocabulary';

type Detectors = Policy['detectors'];
type DetectorSetting = Detectors['mobile'];

const level = (value: unknown) => oneOf(value, LEVELS);

function detectorSetting(value: unknown): DetectorSetting {
  const o = strictObject(value, ['enabled', 'level']);
  return { enabled: boolean(o.enabled), level: level(o.level) };
}

function detectors(value: unknown): Detectors {
  const o = strictObject(value, ['mobile', 'landline', 'service', 'marker', 'residentId', 'bankCard', 'email']);
  const marker = strictObject(o.marker, ['enabled', 'controlledLevel', 'extraTerms']);
  return {
    mobile: detectorSetting(o.mobile),
    landline: detectorSetting(o.landline),
    service: detectorSetting(o.service),
    marker: {
      enabled: boolean(marker.enabled),
      controlledLevel: level(marker.controlledLevel),
      extraTerms: array(marker.extraTerms, 0, 100, (item) => {
        const term = strictObject(item, ['term', 'level']);
        return { term: string(term.term, 2, 64, true), level: level(term.level) };
      }),
    },
    residentId: detectorSetting(o.residentId),
    bankCard: detectorSetting(o.bankCard),
    email: detectorSetting(o.email),
  };
}

function originPattern(value: unknown): string {
  const pattern = string(value, 0, 253, true);
  if (!ORIGIN_PATTERN.test(pattern)) fail();
  return pattern;
}

function rule(value: unknown): Rule {
  const o = strictObject(value, ['id', 'channels', 'minLevel', 'source', 'destination', 'action', 'description']);
  const checked: Rule = {
    id: string(o.id, 1, 64, true),
    channels: array(o.channels, 1, Infinity, (channel) => oneOf(channel, CHANNELS)),
    minLevel: level(o.minLevel),
    source: o.source === undefined ? 'any' : oneOf(o.source, ZONES),
    destination: o.destination === undefined ? 'any' : oneOf(o.destination, ZONES),
    action: oneOf(o.action, ACTIONS),
  };
  // Optional keys: like zod, a key present with the value undefined stays in the output.
  if ('description' in o) checked.description = o.description === undefined ? undefined : string(o.description, 0, 500);
  return checked;
}

const POLICY_KEYS = [
  'schemaVersion',
  'version',
  'name',
  'publishedAt',
  'language',
  'internalOrigins',
  'detectors',
  'rules',
  'bulk',
  'watermark',
  'overrides',
  'downloads',
  'sync',
] as const;

function downloads(value: unknown): Policy['downloads'] {
  if (value === undefined) return DEFAULT_DOWNLOAD_SETTINGS;
  const o = strictObject(value, ['maxScanBytes', 'maxExpandedBytes', 'heldTypes']);
  return {
    maxScanBytes: number(o.maxScanBytes, 64 * 1024, 512 * 1024 * 1024, true),
    maxExpandedBytes: number(o.maxExpandedBytes, 64 * 1024, 2 * 1024 * 1024 * 1024, true),
    heldTypes: array(o.heldTypes, 0, 100, (type) => {
      if (typeof type !== 'string' || !DOWNLOAD_TYPE_PATTERN.test(type)) fail();
      return type as string;
    }),
  };
}

function policy(value: unknown): Policy {
  const o = strictObject(value, POLICY_KEYS);
  if (o.schemaVersion !== 1) fail();
  const bulk = strictObject(o.bulk, ['threshold', 'level']);
  const watermark = strictObject(o.watermark, ['enabled', 'text', 'periodDays']);
  const overrides = strictObject(o.overrides, ['allowed', 'maxDurationMinutes', 'maxLevel']);
  const sync = strictObject(o.sync, ['intervalMinutes', 'staleAfterHours']);
  const checked: Policy = {
    schemaVersion: 1,
    version: number(o.version, 0, Infinity, true),
    name: string(o.name, 1, 200, true),
    internalOrigins: array(o.internalOrigins, 0, 500, originPattern),
    detectors: detectors(o.detectors),
    rules: array(o.rules, 0, 200, rule),
    bulk: { threshold: number(bulk.threshold, 2, 100_000, true), level: level(bulk.level) },
    watermark: {
      enabled: boolean(watermark.enabled),
      text: string(watermark.text, 1, 200),
      periodDays: number(watermark.periodDays, 1, 3650, true),
    },
    overrides: {
      allowed: boolean(overrides.allowed),
      maxDurationMinutes: number(overrides.maxDurationMinutes, 1, 60 * 24 * 30, true),
    },
    downloads: downloads(o.downloads),
    sync: {
      intervalMinutes: number(sync.intervalMinutes, 0.5, 24 * 60),
      staleAfterHours: number(sync.staleAfterHours, 1, 24 * 90),
    },
  };
  if ('publishedAt' in o) checked.publishedAt = o.publishedAt === undefined ? undefined : datetime(o.publishedAt);
  if ('maxLevel' in overrides) checked.overrides.maxLevel = overrides.maxLevel === undefined ? undefined : level(overrides.maxLevel);
  if ('language' in o) checked.language = o.language === undefined ? undefined : oneOf(o.language, LANGUAGES);
  const ids = new Set<string>();
  for (const { id } of checked.rules) {
    if (ids.has(id)) fail(); // rule ids are unique (after trimming), as the schema's refinement says
    ids.add(id);
  }
  return checked;
}

/** The policy, checked and normalised like policySchema.parse, or null when anything is off. */
export function checkPolicy(value: unknown): Policy | null {
  try {
    return policy(value);
  } catch (error) {
    if (isInvalid(error)) return null;
    throw error;
  }
}
