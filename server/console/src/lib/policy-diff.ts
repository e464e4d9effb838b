/**
 * What publishing a draft would change, rule by rule and setting by setting, for the
 * confirmation before publish: "rule 禁止复制… : action 警告 → 阻止", not JSON lines.
 * `diffPolicies` is structural (no wording); `describeChange` words one change in a
 * language from the console's catalogue (rule names from their bilingual descriptions).
 */
import { inLanguage } from '../../../../utils/policy/bilingual';
import { messages, t, type Lang, type MessageKey } from '../i18n/messages';

type Json = unknown;
interface RuleLike {
  id: string;
  description?: string;
  [field: string]: Json;
}

export type PolicyChange =
  | { kind: 'rule-added'; rule: RuleLike; position: number }
  | { kind: 'rule-removed'; rule: RuleLike }
  | { kind: 'rule-changed'; rule: RuleLike; field: string; before: Json; after: Json }
  | { kind: 'rules-reordered'; before: string[]; after: string[] }
  | { kind: 'setting-changed'; path: string; before: Json; after: Json }
  | { kind: 'list-changed'; path: string; added: Json[]; removed: Json[] };

/** Assigned by the server at publish: never a change the admin made. */
const IGNORED = new Set(['version', 'publishedAt']);
/** Lists whose order means nothing: shown as items added and removed. */
const SET_LISTS = new Set(['internalOrigins', 'downloads.heldTypes', 'detectors.marker.extraTerms']);
const RULE_FIELDS = ['channels', 'minLevel', 'source', 'destination', 'action', 'description'];
/** Fields the schema defaults: absent and the default are the same rule. */
const RULE_DEFAULTS: Record<string, Json> = { source: 'any', destination: 'any' };

const isObject = (value: Json): value is Record<string, Json> => value !== null && typeof value === 'object' && !Array.isArray(value);
const key = (value: Json) => JSON.stringify(value);
const same = (a: Json, b: Json) => key(a) === key(b);

function rulesOf(policy: Json): RuleLike[] {
  const rules = isObject(policy) && Array.isArray(policy.rules) ? policy.rules : [];
  return rules.filter((rule): rule is RuleLike => isObject(rule) && typeof rule.id === 'string');
}

function ruleField(rule: RuleLike, field: string): Json {
  const value = rule[field] ?? RULE_DEFAULTS[field];
  // Channels are a set: the order an admin ticked them in changes nothing.
  return field === 'channels' && Array.isArray(value) ? [...value].map(String).sort() : value;
}

function diffRules(before: RuleLike[], after: RuleLike[]): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const oldById = new Map(before.map((rule) => [rule.id, rule]));
  const newById = new Map(after.map((rule) => [rule.id, rule]));
  for (const rule of before) if (!newById.has(rule.id)) changes.push({ kind: 'rule-removed', rule });
  after.forEach((rule, position) => {
    const old = oldById.get(rule.id);
    if (!old) {
      changes.push({ kind: 'rule-added', rule, position });
      return;
    }
    const fields = [...new Set([...RULE_FIELDS, ...Object.keys(old), ...Object.keys(rule)])].filter((field) => field !== 'id');
    for (const field of fields) {
      const was = ruleField(old, field);
      const now = ruleField(rule, field);
      if (!same(was, now)) changes.push({ kind: 'rule-changed', rule, field, before: was, after: now });
    }
  });
  // Order decides which rule matches first among equals: a move is a change of its own.
  const keptBefore = before.map((rule) => rule.id).filter((id) => newById.has(id));
  const keptAfter = after.map((rule) => rule.id).filter((id) => oldById.has(id));
  if (!same(keptBefore, keptAfter)) changes.push({ kind: 'rules-reordered', before: keptBefore, after: keptAfter });
  return changes;
}

function diffSettings(before: Json, after: Json, path: string, changes: PolicyChange[]): void {
  if (path === 'rules' || IGNORED.has(path)) return;
  if (SET_LISTS.has(path) && (Array.isArray(before) || Array.isArray(after))) {
    const oldItems = Array.isArray(before) ? before : [];
    const newItems = Array.isArray(after) ? after : [];
    const oldKeys = new Set(oldItems.map(key));
    const newKeys = new Set(newItems.map(key));
    const added = newItems.filter((item) => !oldKeys.has(key(item)));
    const removed = oldItems.filter((item) => !newKeys.has(key(item)));
    if (added.length || removed.length) changes.push({ kind: 'list-changed', path, added, removed });
    return;
  }
  if (isObject(before) || isObject(after)) {
    const a = isObject(before) ? before : {};
    const b = isObject(after) ? after : {};
    for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
      diffSettings(a[name], b[name], path ? `${path}.${name}` : name, changes);
    }
    return;
  }
  if (!same(before, after)) changes.push({ kind: 'setting-changed', path, before, after });
}

/** Every change from `before` (the published policy) to `after` (the draft): rules first, then settings. */
export function diffPolicies(before: Json, after: Json): PolicyChange[] {
  const changes = diffRules(rulesOf(before), rulesOf(after));
  diffSettings(isObject(before) ? before : {}, isObject(after) ? after : {}, '', changes);
  return changes;
}

/* ── wording ─────────────────────────────────────────────────────────────── */

function has(lang: Lang, name: string): name is MessageKey {
  return name in messages[lang];
}

function word(lang: Lang, prefix: string, value: Json): string {
  const name = `${prefix}.${String(value)}`;
  return has(lang, name) ? t(name, undefined, lang) : String(value);
}

const SETTING_LABELS: Record<string, MessageKey> = {
  name: 'policy.field.name',
  language: 'diff.setting.language',
  internalOrigins: 'diff.setting.internalOrigins',
  'detectors.marker.controlledLevel': 'policy.field.controlledLevel',
  'detectors.marker.extraTerms': 'diff.setting.extraTerms',
  'bulk.threshold': 'policy.field.bulkThreshold',
  'bulk.level': 'policy.field.bulkLevel',
  'watermark.enabled': 'policy.field.watermarkEnabled',
  'watermark.text': 'diff.setting.watermarkText',
  'watermark.periodDays': 'policy.field.watermarkPeriod',
  'overrides.allowed': 'policy.field.overridesAllowed',
  'overrides.maxDurationMinutes': 'policy.field.overridesMax',
  'overrides.maxLevel': 'diff.setting.overridesMaxLevel',
  'downloads.maxScanBytes': 'diff.setting.maxScanBytes',
  'downloads.maxExpandedBytes': 'diff.setting.maxExpandedBytes',
  'downloads.heldTypes': 'diff.setting.heldTypes',
  'sync.intervalMinutes': 'policy.field.syncInterval',
  'sync.staleAfterHours': 'policy.field.staleAfter',
};

/** The reader's name of a setting path ("手机号码 · 密级"); the path itself when we have none. */
export function settingLabel(path: string, lang: Lang): string {
  const known = SETTING_LABELS[path];
  if (known) return t(known, undefined, lang);
  const detector = /^detectors\.(\w+)\.(enabled|level)$/.exec(path);
  if (detector) {
    const part = detector[2] === 'enabled' ? 'policy.field.enabled' : 'policy.field.level';
    return `${word(lang, 'detector', detector[1])} · ${t(part, undefined, lang)}`;
  }
  return path;
}

/** A value as the reader knows it: levels, channels, actions, zones, yes/no, MB. */
export function valueText(path: string, value: Json, lang: Lang): string {
  if (value === undefined || value === null || value === '') return t('common.none', undefined, lang);
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no', undefined, lang);
  const field = path.split('.').pop()!;
  if (Array.isArray(value)) {
    const items = value.map((item) => valueText(field === 'channels' ? 'channel' : path, item, lang));
    return items.length ? items.join(lang === 'zh-CN' ? '、' : ', ') : t('common.none', undefined, lang);
  }
  if (isObject(value) && typeof value.term === 'string') {
    const level = word(lang, 'level', value.level);
    return lang === 'zh-CN' ? `${value.term}（${level}）` : `${value.term} (${level})`;
  }
  if (field === 'channel') return word(lang, 'channel', value);
  if (field === 'action') return word(lang, 'action', value);
  if (field === 'source' || field === 'destination') return word(lang, 'zone', value);
  if (/level$/i.test(field)) return word(lang, 'level', value);
  if (field === 'language') return value === 'en' ? 'English' : '中文';
  if (field === 'description') return inLanguage(String(value), lang);
  if (/Bytes$/.test(field) && typeof value === 'number') return `${Math.round((value / 1024 / 1024) * 10) / 10} MB`;
  return String(value);
}

/** A rule as the reader knows it: its description in this language, and its id. */
export function ruleName(rule: RuleLike, lang: Lang): string {
  const description = inLanguage(rule.description, lang);
  if (!description) return rule.id;
  return lang === 'zh-CN' ? `“${description}”（${rule.id}）` : `“${description}” (${rule.id})`;
}

function ruleSummary(rule: RuleLike, lang: Lang): string {
  const part = (field: string) =>
    `${t(`policy.field.${field}` as MessageKey, undefined, lang)} ${valueText(field, ruleField(rule, field), lang)}`;
  return ['channels', 'minLevel', 'source', 'destination', 'action'].map(part).join(lang === 'zh-CN' ? '，' : ', ');
}

/** One change as one line the reader can judge. */
export function describeChange(change: PolicyChange, lang: Lang): string {
  switch (change.kind) {
    case 'rule-added':
      return t(
        'diff.ruleAdded',
        { rule: ruleName(change.rule, lang), position: change.position + 1, summary: ruleSummary(change.rule, lang) },
        lang,
      );
    case 'rule-removed':
      return t('diff.ruleRemoved', { rule: ruleName(change.rule, lang) }, lang);
    case 'rule-changed':
      return t(
        'diff.ruleChanged',
        {
          rule: ruleName(change.rule, lang),
          field: has(lang, `policy.field.${change.field}`)
            ? t(`policy.field.${change.field}` as MessageKey, undefined, lang)
            : change.field,
          before: valueText(change.field, change.before, lang),
          after: valueText(change.field, change.after, lang),
        },
        lang,
      );
    case 'rules-reordered':
      return t('diff.rulesReordered', { before: change.before.join(' → '), after: change.after.join(' → ') }, lang);
    case 'setting-changed':
      return t(
        'diff.settingChanged',
        {
          setting: settingLabel(change.path, lang),
          before: valueText(change.path, change.before, lang),
          after: valueText(change.path, change.after, lang),
        },
        lang,
      );
    case 'list-changed': {
      const parts: string[] = [];
      if (change.added.length) parts.push(t('diff.listAdded', { items: valueText(change.path, change.added, lang) }, lang));
      if (change.removed.length) parts.push(t('diff.listRemoved', { items: valueText(change.path, change.removed, lang) }, lang));
      return `${settingLabel(change.path, lang)}${lang === 'zh-CN' ? '：' : ': '}${parts.join(lang === 'zh-CN' ? '；' : '; ')}`;
    }
  }
}
