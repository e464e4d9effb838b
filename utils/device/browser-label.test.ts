import { describe, expect, it } from 'vitest';
import { browserLabel, describeBrowser, labelFromUserAgent } from './browser-label';

const UA = {
  chromeWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  chromeLinux: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 Edg/156.0.0.0',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0',
  firefoxMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:128.0) Gecko/20100101 Firefox/128.0',
  qq: 'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/94.0.4606.71 Safari/537.36 Core/1.94.202.400 QQBrowser/11.9.5355.400',
  safari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  chromeOs: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
};

describe('browser labels', () => {
  it('names browser, major version and platform from a user-agent string', () => {
    expect(labelFromUserAgent(UA.chromeWindows)).toBe('Chrome 156 · Windows');
    expect(labelFromUserAgent(UA.chromeLinux)).toBe('Chrome 142 · Linux');
    expect(labelFromUserAgent(UA.edge)).toBe('Edge 156 · Windows');
    expect(labelFromUserAgent(UA.firefox)).toBe('Firefox 140 · Linux');
    expect(labelFromUserAgent(UA.firefoxMac)).toBe('Firefox 128 · macOS');
    expect(labelFromUserAgent(UA.qq)).toBe('QQ 11 · Windows');
    expect(labelFromUserAgent(UA.safari)).toBe('Safari 17 · macOS');
    expect(labelFromUserAgent(UA.chromeOs)).toBe('Chrome 120 · ChromeOS');
    expect(labelFromUserAgent('curl/8.0')).toBeNull();
  });

  it('prefers client hints: the brand that is not Chromium or a GREASE brand, and the real platform', () => {
    const brands = [
      { brand: 'Not)A;Brand', version: '8' },
      { brand: 'Chromium', version: '156' },
      { brand: 'Microsoft Edge', version: '156' },
    ];
    expect(describeBrowser({ userAgent: UA.edge, brands, platform: 'Windows' })).toBe('Edge 156 · Windows');
    expect(
      describeBrowser({
        userAgent: UA.chromeWindows,
        brands: [
          { brand: 'Chromium', version: '156' },
          { brand: 'Google Chrome', version: '156' },
        ],
        platform: 'Windows',
      }),
    ).toBe('Chrome 156 · Windows');
    // Chromium alone (Debian's build): named Chromium.
    expect(describeBrowser({ userAgent: UA.chromeLinux, brands: [{ brand: 'Chromium', version: '142' }], platform: 'Linux' })).toBe(
      'Chromium 142 · Linux',
    );
    // No client hints (Firefox): the user-agent string.
    expect(describeBrowser({ userAgent: UA.firefox })).toBe('Firefox 140 · Linux');
    // Nothing known: the string itself, cut to what the server takes.
    expect(describeBrowser({ userAgent: 'x'.repeat(300) })).toHaveLength(100);
  });

  it('the console makes stored user agents readable and leaves labels alone', () => {
    expect(browserLabel(UA.edge.slice(0, 100))).toBe('Chrome 156 · Windows'); // the old 100-character cut lost "Edg/"
    expect(browserLabel(UA.firefox)).toBe('Firefox 140 · Linux');
    expect(browserLabel('Chrome 156 · Windows')).toBe('Chrome 156 · Windows');
    expect(browserLabel('Chrome 140')).toBe('Chrome 140');
    expect(browserLabel(null)).toBeNull();
    expect(browserLabel('')).toBeNull();
  });
});
