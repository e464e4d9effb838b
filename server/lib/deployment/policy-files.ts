/**
 * The policy files an IT admin hands to staff machines (console 部署 / Deployment page), as
 * pure functions of the server's URLs, the extension id, an enrollment code and the
 * company's lock-down choices. Every file does three things:
 *   - force-installs the extension from the server's update URL (a force-installed extension
 *     cannot be disabled or removed by the user),
 *   - hands it its managed configuration (public/managed_schema.json: serverUrl, enrollmentCode;
 *     userId and department are per person and set per user where a company does that),
 *   - applies the recommended lock-down (RECOMMENDED_SETTINGS; the console explains each).
 */
import { createHash } from 'node:crypto';
import { GECKO_ID } from '../../../utils/deployment/extension-ids';

export type DeveloperToolsChoice = 'except-extensions' | 'blocked' | 'allowed';

export interface Lockdown {
  incognitoOff: boolean;
  guestOff: boolean;
  developerTools: DeveloperToolsChoice;
}

export const DEFAULT_LOCKDOWN: Lockdown = { incognitoOff: true, guestOff: true, developerTools: 'except-extensions' };

export interface DeploymentInput {
  serverUrl: string;
  extensionId: string;
  chromeUpdateUrl: string;
  firefoxInstallUrl: string;
  /** As devices take it: CODE#KEYID. */
  enrollmentCode: string;
  lockdown: Lockdown;
}

export type PolicyFileId =
  | 'chrome-linux'
  | 'chromium-linux'
  | 'chrome-windows-reg'
  | 'edge-windows-reg'
  | 'chrome-windows-gpo'
  | 'edge-windows-gpo'
  | 'macos-mobileconfig'
  | 'firefox-policies';

export interface PolicyFile {
  id: PolicyFileId;
  /** The file name to save it under. */
  fileName: string;
  /** Where it goes on the machine (a path, or the console's words for a GPO or MDM). */
  target: string;
  mediaType: string;
  content: string;
}

/** DeveloperToolsAvailability: 0 = allowed except on policy-installed extensions, 1 = allowed, 2 = blocked. */
const DEV_TOOLS_VALUE: Record<DeveloperToolsChoice, number> = { 'except-extensions': 0, allowed: 1, blocked: 2 };

/** The lock-down keys, by browser family, as each names them. */
export function chromiumLockdown(lockdown: Lockdown, incognitoKey = 'IncognitoModeAvailability'): Record<string, number | boolean> {
  return {
    ...(lockdown.incognitoOff ? { [incognitoKey]: 1 } : {}),
    ...(lockdown.guestOff ? { BrowserGuestModeEnabled: false } : {}),
    DeveloperToolsAvailability: DEV_TOOLS_VALUE[lockdown.developerTools],
  };
}

function managedConfig(input: DeploymentInput): Record<string, string> {
  return { serverUrl: input.serverUrl, enrollmentCode: input.enrollmentCode };
}

/** Chrome/Chromium on Linux: one JSON file in the managed policy directory. */
export function linuxPolicy(input: DeploymentInput): object {
  return {
    ExtensionInstallForcelist: [`${input.extensionId};${input.chromeUpdateUrl}`],
    '3rdparty': { extensions: { [input.extensionId]: managedConfig(input) } },
    ...chromiumLockdown(input.lockdown),
  };
}

const regString = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const dword = (value: number | boolean) => `dword:${Number(value).toString(16).padStart(8, '0')}`;

/** A .reg file (regedit / GPO registry preference), CRLF as regedit writes them. */
export function windowsReg(input: DeploymentInput, vendor: 'chrome' | 'edge'): string {
  const root =
    vendor === 'chrome'
      ? 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome'
      : 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge';
  const lockdown = chromiumLockdown(input.lockdown, vendor === 'chrome' ? 'IncognitoModeAvailability' : 'InPrivateModeAvailability');
  const lines = [
    'Windows Registry Editor Version 5.00',
    '',
    `[${root}]`,
    ...Object.entries(lockdown).map(([name, value]) => `${regString(name)}=${dword(value)}`),
    '',
    `[${root}\\ExtensionInstallForcelist]`,
    `"1"=${regString(`${input.extensionId};${input.chromeUpdateUrl}`)}`,
    '',
    `[${root}\\3rdparty\\extensions\\${input.extensionId}\\policy]`,
    ...Object.entries(managedConfig(input)).map(([name, value]) => `${regString(name)}=${regString(value)}`),
    '',
  ];
  return lines.join('\r\n');
}

/**
 * The same policies as the JSON a GPO editor or Intune's "settings catalog" takes: the
 * ExtensionSettings value (one JSON string in the ADMX template's 扩展管理设置 / Extension
 * management settings) and the plain values beside it.
 */
export function windowsGpoJson(input: DeploymentInput, vendor: 'chrome' | 'edge'): object {
  return {
    ExtensionSettings: {
      [input.extensionId]: { installation_mode: 'force_installed', update_url: input.chromeUpdateUrl, toolbar_pin: 'force_pinned' },
    },
    ...chromiumLockdown(input.lockdown, vendor === 'chrome' ? 'IncognitoModeAvailability' : 'InPrivateModeAvailability'),
    '3rdparty': { extensions: { [input.extensionId]: managedConfig(input) } },
  };
}

/** A stable UUID from the profile's parts: installing a new profile replaces the old one. */
function stableUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\0')).digest('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${'89AB'[parseInt(hex[16]!, 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function plistValue(value: unknown, indent: string): string {
  if (typeof value === 'boolean') return `${indent}<${value}/>`;
  if (typeof value === 'number') return `${indent}<integer>${value}</integer>`;
  if (typeof value === 'string') return `${indent}<string>${xml(value)}</string>`;
  if (Array.isArray(value))
    return `${indent}<array>\n${value.map((item) => plistValue(item, indent + '  ')).join('\n')}\n${indent}</array>`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `${indent}<dict>\n${entries.map(([key, item]) => `${indent}  <key>${xml(key)}</key>\n${plistValue(item, indent + '  ')}`).join('\n')}\n${indent}</dict>`;
}

/**
 * macOS configuration profile (MDM or double-click, then System Settings → Profiles): one
 * payload for Chrome's own preferences, one for the extension's managed configuration
 * (Chrome reads it from the com.google.Chrome.extensions.<id> domain).
 */
export function macMobileconfig(input: DeploymentInput): string {
  const host = new URL(input.serverUrl).hostname;
  const payloads = [
    {
      PayloadType: 'com.google.Chrome',
      PayloadIdentifier: `baomi.${host}.chrome`,
      PayloadUUID: stableUuid(input.extensionId, input.serverUrl, 'chrome'),
      PayloadVersion: 1,
      PayloadDisplayName: '保密卫士 Chrome policy',
      ExtensionInstallForcelist: [`${input.extensionId};${input.chromeUpdateUrl}`],
      ...chromiumLockdown(input.lockdown),
    },
    {
      PayloadType: `com.google.Chrome.extensions.${input.extensionId}`,
      PayloadIdentifier: `baomi.${host}.extension`,
      PayloadUUID: stableUuid(input.extensionId, input.serverUrl, 'extension'),
      PayloadVersion: 1,
      PayloadDisplayName: '保密卫士 managed configuration',
      ...managedConfig(input),
    },
  ];
  const profile = {
    PayloadContent: payloads,
    PayloadDisplayName: '保密卫士 Baomi Guard',
    PayloadDescription: 'Installs Baomi Guard from the company server and locks the browser down (IT).',
    PayloadIdentifier: `baomi.${host}`,
    PayloadOrganization: host,
    PayloadScope: 'System',
    PayloadType: 'Configuration',
    PayloadUUID: stableUuid(input.extensionId, input.serverUrl, 'profile'),
    PayloadVersion: 1,
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    plistValue(profile, ''),
    '</plist>',
    '',
  ].join('\n');
}

/**
 * Firefox (ESR) policies.json, in the installation's `distribution/` folder (Linux also
 * /etc/firefox/policies/). The add-on is force-installed from the server's latest XPI and
 * updates from the updates.json its manifest names. Firefox has no guest mode.
 */
export function firefoxPolicies(input: DeploymentInput): object {
  return {
    policies: {
      ExtensionSettings: { [GECKO_ID]: { installation_mode: 'force_installed', install_url: input.firefoxInstallUrl } },
      '3rdparty': { Extensions: { [GECKO_ID]: managedConfig(input) } },
      ...(input.lockdown.incognitoOff ? { DisablePrivateBrowsing: true } : {}),
      ...(input.lockdown.developerTools === 'blocked' ? { DisableDeveloperTools: true } : {}),
    },
  };
}

const json = (value: object) => JSON.stringify(value, null, 2) + '\n';

export function policyFiles(input: DeploymentInput): PolicyFile[] {
  const linux = json(linuxPolicy(input));
  return [
    {
      id: 'chrome-linux',
      fileName: 'baomi-guard.json',
      target: '/etc/opt/chrome/policies/managed/baomi-guard.json',
      mediaType: 'application/json',
      content: linux,
    },
    {
      id: 'chromium-linux',
      fileName: 'baomi-guard.json',
      target: '/etc/chromium/policies/managed/baomi-guard.json',
      mediaType: 'application/json',
      content: linux,
    },
    {
      id: 'chrome-windows-reg',
      fileName: 'baomi-guard-chrome.reg',
      target: 'regedit / GPO',
      mediaType: 'text/plain',
      content: windowsReg(input, 'chrome'),
    },
    {
      id: 'edge-windows-reg',
      fileName: 'baomi-guard-edge.reg',
      target: 'regedit / GPO',
      mediaType: 'text/plain',
      content: windowsReg(input, 'edge'),
    },
    {
      id: 'chrome-windows-gpo',
      fileName: 'baomi-guard-chrome-gpo.json',
      target: 'GPO (ADMX) / Intune',
      mediaType: 'application/json',
      content: json(windowsGpoJson(input, 'chrome')),
    },
    {
      id: 'edge-windows-gpo',
      fileName: 'baomi-guard-edge-gpo.json',
      target: 'GPO (ADMX) / Intune',
      mediaType: 'application/json',
      content: json(windowsGpoJson(input, 'edge')),
    },
    {
      id: 'macos-mobileconfig',
      fileName: 'baomi-guard.mobileconfig',
      target: 'MDM / System Settings → Profiles',
      mediaType: 'application/x-apple-aspen-config',
      content: macMobileconfig(input),
    },
    {
      id: 'firefox-policies',
      fileName: 'policies.json',
      target: '<Firefox>/distribution/policies.json · /etc/firefox/policies/policies.json',
      mediaType: 'application/json',
      content: json(firefoxPolicies(input)),
    },
  ];
}

/** The recommended settings the console explains (its catalogue: deploy.setting.<key>). */
export const RECOMMENDED_SETTINGS = [
  'ExtensionInstallForcelist',
  'IncognitoModeAvailability',
  'BrowserGuestModeEnabled',
  'DeveloperToolsAvailability',
  '3rdparty',
  'DisablePrivateBrowsing',
] as const;
