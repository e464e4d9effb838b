import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOCKDOWN,
  firefoxPolicies,
  linuxPolicy,
  macMobileconfig,
  policyFiles,
  windowsGpoJson,
  windowsReg,
  type DeploymentInput,
} from './policy-files';

const ID = 'kbdcflfgjgbjnknkockooohcegmajglm';
const INPUT: DeploymentInput = {
  serverUrl: 'https://baomi.corp.example.com',
  extensionId: ID,
  chromeUpdateUrl: 'https://baomi.corp.example.com/extension/chrome/updates.xml',
  firefoxInstallUrl: 'https://baomi.corp.example.com/extension/firefox/baomi-guard.xpi',
  enrollmentCode: 'K7Q2-9XHD-M4TP-ABCD#1f2e3d4c5b6a7988',
  lockdown: DEFAULT_LOCKDOWN,
};
const MANAGED = { serverUrl: INPUT.serverUrl, enrollmentCode: INPUT.enrollmentCode };

describe('policy files', () => {
  it('Linux: force-install from the update URL, the managed keys, and the recommended lock-down', () => {
    expect(linuxPolicy(INPUT)).toEqual({
      ExtensionInstallForcelist: [`${ID};${INPUT.chromeUpdateUrl}`],
      '3rdparty': { extensions: { [ID]: MANAGED } },
      IncognitoModeAvailability: 1,
      BrowserGuestModeEnabled: false,
      DeveloperToolsAvailability: 0,
    });
  });

  it.each([
    [{ incognitoOff: false, guestOff: false, developerTools: 'allowed' as const }, { DeveloperToolsAvailability: 1 }],
    [
      { incognitoOff: true, guestOff: false, developerTools: 'blocked' as const },
      { IncognitoModeAvailability: 1, DeveloperToolsAvailability: 2 },
    ],
  ])('lock-down choices %j become exactly %j', (lockdown, expected) => {
    const policy = linuxPolicy({ ...INPUT, lockdown }) as Record<string, unknown>;
    const { ExtensionInstallForcelist: _f, '3rdparty': _t, ...rest } = policy;
    expect(rest).toEqual(expected);
  });

  it('Windows .reg: CRLF, machine policy keys for Chrome and Edge (InPrivate), values escaped', () => {
    const chrome = windowsReg(INPUT, 'chrome');
    expect(chrome.split('\r\n')[0]).toBe('Windows Registry Editor Version 5.00');
    expect(chrome).not.toMatch(/[^\r]\n/);
    expect(chrome).toContain(
      '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\\ExtensionInstallForcelist]\r\n"1"="' +
        ID +
        ';' +
        INPUT.chromeUpdateUrl +
        '"',
    );
    expect(chrome).toContain(
      `[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome\\3rdparty\\extensions\\${ID}\\policy]\r\n"serverUrl"="https://baomi.corp.example.com"\r\n"enrollmentCode"="${INPUT.enrollmentCode}"`,
    );
    expect(chrome).toContain(
      '"IncognitoModeAvailability"=dword:00000001\r\n"BrowserGuestModeEnabled"=dword:00000000\r\n"DeveloperToolsAvailability"=dword:00000000',
    );
    const edge = windowsReg(INPUT, 'edge');
    expect(edge).toContain('[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge\\ExtensionInstallForcelist]');
    expect(edge).toContain('"InPrivateModeAvailability"=dword:00000001');
    expect(edge).not.toContain('IncognitoModeAvailability');
    expect(windowsReg({ ...INPUT, serverUrl: 'https://a"b\\c' }, 'chrome')).toContain('"serverUrl"="https://a\\"b\\\\c"');
  });

  it('GPO JSON: ExtensionSettings force_installed with the update URL', () => {
    expect(windowsGpoJson(INPUT, 'edge')).toMatchObject({
      ExtensionSettings: { [ID]: { installation_mode: 'force_installed', update_url: INPUT.chromeUpdateUrl } },
      InPrivateModeAvailability: 1,
      '3rdparty': { extensions: { [ID]: MANAGED } },
    });
  });

  it('macOS profile: a plist with a Chrome payload and the extension configuration domain, stable UUIDs', () => {
    const profile = macMobileconfig(INPUT);
    expect(profile).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE plist/);
    expect(profile).toContain('<key>PayloadType</key>\n      <string>com.google.Chrome</string>');
    expect(profile).toContain(`<string>com.google.Chrome.extensions.${ID}</string>`);
    expect(profile).toContain(
      `<key>ExtensionInstallForcelist</key>\n      <array>\n        <string>${ID};${INPUT.chromeUpdateUrl}</string>`,
    );
    expect(profile).toContain('<key>BrowserGuestModeEnabled</key>\n      <false/>');
    expect(profile).toContain(`<key>enrollmentCode</key>\n      <string>${INPUT.enrollmentCode}</string>`);
    const uuids = [...profile.matchAll(/<key>PayloadUUID<\/key>\n\s*<string>([^<]+)<\/string>/g)].map((m) => m[1]);
    expect(uuids).toHaveLength(3);
    expect(new Set(uuids).size).toBe(3);
    for (const uuid of uuids) expect(uuid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(macMobileconfig(INPUT)).toBe(profile);
    expect(macMobileconfig({ ...INPUT, enrollmentCode: 'A<B&C' })).toContain('<string>A&lt;B&amp;C</string>');
  });

  it('Firefox policies.json: force-installed from the latest XPI, 3rdparty managed storage, private browsing off', () => {
    expect(firefoxPolicies(INPUT)).toEqual({
      policies: {
        ExtensionSettings: { 'baomi-guard@baomi.example': { installation_mode: 'force_installed', install_url: INPUT.firefoxInstallUrl } },
        '3rdparty': { Extensions: { 'baomi-guard@baomi.example': MANAGED } },
        DisablePrivateBrowsing: true,
      },
    });
    expect(firefoxPolicies({ ...INPUT, lockdown: { ...DEFAULT_LOCKDOWN, developerTools: 'blocked' } })).toMatchObject({
      policies: { DisableDeveloperTools: true },
    });
  });

  it('every file: a name, a target, content that parses as its kind', () => {
    const files = policyFiles(INPUT);
    expect(files.map((file) => file.id)).toEqual([
      'chrome-linux',
      'chromium-linux',
      'chrome-windows-reg',
      'edge-windows-reg',
      'chrome-windows-gpo',
      'edge-windows-gpo',
      'macos-mobileconfig',
      'firefox-policies',
    ]);
    for (const file of files.filter((f) => f.mediaType === 'application/json')) expect(() => JSON.parse(file.content)).not.toThrow();
    expect(files.find((f) => f.id === 'chromium-linux')!.target).toBe('/etc/chromium/policies/managed/baomi-guard.json');
  });
});
