/** The options page words every refusal of an enrollment code in zh-CN and en, from the catalogues. */
import { describe, expect, it } from 'vitest';
import { enrollErrorText } from '../../components/options/enroll-error';
import { message } from '../../utils/i18n-catalogue';

const translate =
  (language: 'zh-CN' | 'en') =>
  (key: string, ...values: string[]) =>
    message(language, key, values) ?? key;

describe('enrollment errors on the options page', () => {
  const codes = [
    'invalid-enrollment-code',
    'enrollment-code-expired',
    'enrollment-code-used-up',
    'enrollment-code-revoked',
    'network',
    'invalid-server-url',
    'fingerprint-mismatch',
    // Who is who (issue 27)
    'self-declared-disabled',
    'managed-code-required',
    'identity-required',
    'oidc-ticket-invalid',
    'oidc-cancelled',
    'oidc-timeout',
    'oidc-failed',
    'oidc-not-configured',
  ];

  it.each(codes)('%s has its own words in zh-CN (no English) and en', (code) => {
    const zh = enrollErrorText(code, translate('zh-CN'));
    const en = enrollErrorText(code, translate('en'));
    // No English in the Chinese text (URL schemes and the IT in IT 管理员 are no prose).
    expect(zh.replace(/https?:\/\/|IT/g, '')).not.toMatch(/[A-Za-z]{2,}/);
    expect(zh).not.toContain(code);
    expect(en).not.toContain(`: ${code}`);
    expect(zh).not.toBe(en);
  });

  it('the three dead-code cases say different things', () => {
    const zh = ['enrollment-code-expired', 'enrollment-code-used-up', 'enrollment-code-revoked'].map((code) =>
      enrollErrorText(code, translate('zh-CN')),
    );
    expect(new Set(zh).size).toBe(3);
    expect(zh[0]).toContain('过期');
    expect(zh[1]).toContain('用完');
    expect(zh[2]).toContain('撤销');
  });

  it('an unknown code falls back to the generic error line with the code', () => {
    expect(enrollErrorText('teapot', translate('zh-CN'))).toBe('出错：teapot');
    expect(enrollErrorText('teapot', translate('en'))).toBe('Error: teapot');
  });
});
