/**
 * What an approval alert says, zh-CN first and English second, in words from the
 * console's catalogue (server/console/src/i18n: the channel and level labels the queue
 * shows, and the `alertMsg.*` texts). Never a raw number, a customer name or document
 * text: the request holds only masked samples and a reason both checked at intake, and
 * each value is checked again here (a sample that still reads as a number is dropped).
 */
import { zhCN, type MessageKey } from '../../console/src/i18n/zh-cn';
import { en } from '../../console/src/i18n/en';
import { looksLikePhoneNumber, looksLikeRawNumber } from '../raw-number';

/** The request's fields an alert may carry. */
export interface OverrideAlertInput {
  id: string;
  userId: string;
  department: string | null;
  channel: string;
  level: string | null;
  origin: string;
  masked: string[];
  reason: string;
  requestedAt: string;
}

export interface AlertLine {
  label: string;
  value: string;
}

/** One language's block of the message. */
export interface AlertBlock {
  title: string;
  lines: AlertLine[];
  linkLabel: string;
}

export interface AlertContent {
  /** zh-CN, then English. */
  blocks: [AlertBlock, AlertBlock];
  /** The request in the console, or null when BAOMI_PUBLIC_URL is not set. */
  link: string | null;
  /** True for the console's "send test". */
  test: boolean;
  /** The request's fields after the second check (what the JSON webhook carries). */
  request: OverrideAlertInput;
}

type Catalogue = Record<MessageKey, string>;

function word(catalogue: Catalogue, key: string, fallback: string): string {
  return key in catalogue ? catalogue[key as MessageKey] : fallback;
}

/** `2026-12-08 11:47（UTC+08:00）` on the company clock. */
export function companyTime(iso: string, offsetMinutes: number): string {
  const shifted = new Date(Date.parse(iso) + offsetMinutes * 60_000).toISOString();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)} (UTC${offset})`;
}

/** The console's address of one request (the queue opens it by id). */
export function requestLink(publicUrl: string | undefined, id: string): string | null {
  if (!publicUrl) return null;
  return `${publicUrl.replace(/\/+$/, '')}/admin/#/overrides?id=${encodeURIComponent(id)}`;
}

/** Masked samples that are safe to send: at most 5, each with its mask, none that still reads as a number. */
export function safeSamples(masked: readonly string[]): string[] {
  return masked.filter((sample) => sample.includes('*') && !looksLikeRawNumber(sample)).slice(0, 5);
}

/**
 * The reason as far as an alert carries it (the queue shows it whole): 企业微信 takes at
 * most 4096 bytes of Markdown, and the message holds it twice (zh-CN and English).
 */
export const REASON_CHARS = 200;

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

/** Why a free-text value was left out of an alert. */
type Hidden = 'number' | 'name' | null;

/**
 * The request with every value that still reads as a number replaced or dropped (checked
 * again, after intake), and free text that names a register customer left out.
 */
export function safeAlertInput(
  input: OverrideAlertInput,
  namesCustomer: (text: string) => boolean = () => false,
): OverrideAlertInput & { hidden: { userId: boolean; reason: Hidden; origin: Hidden } } {
  const hideUser = looksLikePhoneNumber(input.userId);
  const judge = (text: string): Hidden => (looksLikeRawNumber(text) ? 'number' : namesCustomer(text) ? 'name' : null);
  const reason = judge(input.reason);
  const origin = judge(input.origin);
  return {
    ...input,
    userId: hideUser ? '' : input.userId,
    department: input.department && !looksLikePhoneNumber(input.department) ? input.department : null,
    origin: origin ? '' : input.origin,
    masked: safeSamples(input.masked),
    reason: reason ? '' : clip(input.reason, REASON_CHARS),
    hidden: { userId: hideUser, reason, origin },
  };
}

interface BlockOptions {
  offsetMinutes: number;
  test: boolean;
  namesCustomer?: (text: string) => boolean;
}

function block(catalogue: Catalogue, raw: OverrideAlertInput, options: BlockOptions, lang: 'zh' | 'en'): AlertBlock {
  const t = (key: MessageKey) => catalogue[key];
  const input = safeAlertInput(raw, options.namesCustomer);
  const hiddenText = (why: Hidden) => t(why === 'name' ? 'alertMsg.hiddenName' : 'alertMsg.hidden');
  const who = input.hidden.userId ? t('alertMsg.hidden') : input.userId;
  const level = input.level ? word(catalogue, `level.${input.level}`, input.level) : t('level.none');
  const lines: AlertLine[] = [
    {
      label: t('alertMsg.requester'),
      value: input.department ? `${who}${lang === 'zh' ? `（${input.department}）` : ` (${input.department})`}` : who,
    },
    { label: t('alertMsg.action'), value: word(catalogue, `channel.${input.channel}`, input.channel) },
    { label: t('alertMsg.level'), value: level },
    { label: t('alertMsg.site'), value: input.hidden.origin ? hiddenText(input.hidden.origin) : input.origin },
  ];
  if (input.masked.length) lines.push({ label: t('alertMsg.samples'), value: input.masked.join(lang === 'zh' ? '、' : ', ') });
  lines.push(
    { label: t('alertMsg.reason'), value: input.hidden.reason ? hiddenText(input.hidden.reason) : input.reason },
    { label: t('alertMsg.time'), value: companyTime(input.requestedAt, options.offsetMinutes) },
  );
  return {
    title: options.test ? t('alertMsg.testTitle') : t('alertMsg.title'),
    lines,
    linkLabel: t('alertMsg.open'),
  };
}

export function overrideAlert(
  input: OverrideAlertInput,
  options: {
    publicUrl?: string;
    offsetMinutes: number;
    test?: boolean;
    /** True when a text names a customer of the register (register-names.ts); none by default. */
    namesCustomer?: (text: string) => boolean;
  },
): AlertContent {
  const test = options.test ?? false;
  const settings = { offsetMinutes: options.offsetMinutes, test, namesCustomer: options.namesCustomer };
  return {
    blocks: [block(zhCN, input, settings, 'zh'), block(en, input, settings, 'en')],
    // A test names no request: its link opens the queue.
    link: test ? (requestLink(options.publicUrl, '')?.replace(/\?id=$/, '') ?? null) : requestLink(options.publicUrl, input.id),
    test,
    request: (({ hidden: _hidden, ...rest }) => rest)(safeAlertInput(input, options.namesCustomer)),
  };
}

/** The made-up request a "send test" describes (masked sample only, no real person). */
export function testAlertInput(now: Date, actor: string): OverrideAlertInput {
  return {
    id: 'test',
    userId: actor,
    department: null,
    channel: 'copy',
    level: '机密',
    origin: 'https://crm.example.com',
    masked: ['138****5678'],
    reason: zhCN['alertMsg.testReason'],
    requestedAt: now.toISOString(),
  };
}

/** Plain text: each block as `label：value` lines, the link after each. */
export function alertText(content: AlertContent): string {
  return content.blocks
    .map((item, index) => {
      const colon = index === 0 ? '：' : ': ';
      const lines = [item.title, ...item.lines.map((line) => `${line.label}${colon}${line.value}`)];
      if (content.link) lines.push(`${item.linkLabel}${colon}${content.link}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

const MARKUP: Record<string, string> = {
  '*': '＊',
  _: '＿',
  '[': '［',
  ']': '］',
  '<': '＜',
  '>': '＞',
  '#': '＃',
  '`': '｀',
  '|': '｜',
  '\\': '＼',
};

/**
 * Markup characters in values the employee wrote (reason, site) or the mask's stars,
 * turned into their full-width look-alikes: the three robots' Markdown dialects differ
 * on backslash escapes, and `138****5678` must not turn bold.
 */
export function neutralizeMarkdown(text: string): string {
  return text.replace(/[*_[\]<>#`|\\]/g, (char) => MARKUP[char] ?? char);
}

/** Markdown for the robots: a heading, one line per field, the link as a link. */
export function alertMarkdown(content: AlertContent, options: { chineseOnly?: boolean } = {}): string {
  return (
    content.blocks
      .slice(0, options.chineseOnly ? 1 : 2)
      .map((item, index) => {
        const colon = index === 0 ? '：' : ': ';
        const lines = [`### ${item.title}`, ...item.lines.map((line) => `**${line.label}**${colon}${neutralizeMarkdown(line.value)}`)];
        if (content.link) lines.push(`[${item.linkLabel}](${content.link})`);
        return lines.join('\n\n');
      })
      // A blank line, not a rule: the robots' Markdown dialects do not all draw `---`.
      .join('\n\n')
  );
}

/**
 * Markdown within `maxBytes` of UTF-8 (企业微信 refuses more than 4096): both languages
 * when they fit, else the Chinese block alone, else that block cut short.
 */
export function alertMarkdownWithin(content: AlertContent, maxBytes: number): string {
  const both = alertMarkdown(content);
  if (Buffer.byteLength(both) <= maxBytes) return both;
  const chinese = alertMarkdown(content, { chineseOnly: true });
  if (Buffer.byteLength(chinese) <= maxBytes) return chinese;
  let cut = '';
  let bytes = Buffer.byteLength('…');
  for (const char of chinese) {
    bytes += Buffer.byteLength(char);
    if (bytes > maxBytes) break;
    cut += char;
  }
  return `${cut}…`;
}
