import { describe, expect, it } from 'vitest';
import { openRegisterPayload, sealRegisterPayload } from '../../../server/lib/register-at-rest';
import { emptyRegisterPayload, type RegisterPayload } from '../../../utils/register/structure';

const KEY = 'k'.repeat(43);
const payload: RegisterPayload = {
  ...emptyRegisterPayload({ version: 7, createdAt: '2026-12-05T00:00:00.000Z', salt: 'salt' }),
  filter: 'QUJD',
};

describe('register structure at rest', () => {
  it('opens what it sealed, under the same key and version', () => {
    const sealed = sealRegisterPayload(KEY, payload);
    expect(sealed).toMatch(/^sealed:v1:/);
    expect(sealed).not.toContain('QUJD');
    expect(openRegisterPayload(KEY, 7, sealed)).toEqual(payload);
    expect(sealRegisterPayload(KEY, payload)).not.toBe(sealed); // a fresh IV each time
  });
  it('refuses another key, another version, or an altered byte', () => {
    const sealed = sealRegisterPayload(KEY, payload);
    expect(() => openRegisterPayload('x'.repeat(43), 7, sealed)).toThrow();
    expect(() => openRegisterPayload(KEY, 8, sealed)).toThrow();
    const body = sealed.slice(0, -6) + (sealed.at(-6) === 'A' ? 'B' : 'A') + sealed.slice(-5);
    expect(() => openRegisterPayload(KEY, 7, body)).toThrow();
  });
  it('control: a row stored before sealing (plain JSON) still opens', () => {
    expect(openRegisterPayload(KEY, 7, JSON.stringify(payload))).toEqual(payload);
  });
});
