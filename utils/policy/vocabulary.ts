/**
 * The policy's word lists, without zod: the content script (decide, the stored-policy
 * check) needs them at document_start, where building zod schemas would cost the page
 * its first parse task. schema.ts builds the zod enums from these same lists.
 */

/** Every way data can leave through the browser. */
export const CHANNELS = ['copy', 'cut', 'drag', 'paste', 'submit', 'request', 'print', 'upload', 'download'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Verdicts, weakest first. */
export const ACTIONS = ['allow', 'audit', 'warn', 'block-with-override', 'block'] as const;
export type Action = (typeof ACTIONS)[number];

/** Where data comes from / goes to, relative to the policy's internal origins. */
export const ZONES = ['any', 'internal', 'external'] as const;
export type Zone = (typeof ZONES)[number];

/** Languages of what staff read (notice, popup); a Chinese company's default is zh-CN. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';
/** The policy's `language`, absent meaning zh-CN. */
export function policyLanguage(policy: { language?: Language }): Language {
  return policy.language ?? DEFAULT_LANGUAGE;
}

/** Shape of an origin pattern (see origins.ts): scheme required, `*.` subdomains, `:*` any port. */
export const ORIGIN_PATTERN = /^(https?):\/\/(\*\.)?[a-z0-9.-]+(:(\d{1,5}|\*))?$/i;
export const ORIGIN_PATTERN_MESSAGE = 'expected an origin like https://crm.example.com or https://*.corp.example.com';

/** A file type in the policy's download settings: an extension, lower case, without the dot. */
export const DOWNLOAD_TYPE_PATTERN = /^[a-z0-9]{1,10}$/;

/**
 * Download settings of policies that do not set them (and of the built-in policy).
 * The held types are the formats customer lists leave in: spreadsheets, documents,
 * PDFs, archives, contact cards and data files.
 */
export const DEFAULT_DOWNLOAD_SETTINGS = {
  maxScanBytes: 32 * 1024 * 1024,
  maxExpandedBytes: 256 * 1024 * 1024,
  heldTypes: [
    'csv',
    'tsv',
    'txt',
    'xls',
    'xlsx',
    'xlsm',
    'xlsb',
    'et',
    'ods',
    'numbers',
    'doc',
    'docx',
    'wps',
    'odt',
    'rtf',
    'pdf',
    'ppt',
    'pptx',
    'zip',
    'rar',
    '7z',
    'gz',
    'tar',
    'json',
    'xml',
    'vcf',
    'sql',
    'db',
    'mdb',
    'accdb',
  ],
};
