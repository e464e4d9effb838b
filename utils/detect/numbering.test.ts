import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeNumbering, OUTPUT, renderNumbering } from '../../scripts/gen-numbering';
import { scanText } from './index';

describe('numbering tables generated from libphonenumber-js metadata', () => {
  it('the committed numbering.generated.ts equals a regeneration from the installed metadata', () => {
    // Fails after a libphonenumber-js bump that changes CN numbering: run `npm run gen:numbering`.
    expect(readFileSync(OUTPUT, 'utf8')).toBe(renderNumbering(computeNumbering()));
  });
});

describe('mobile prefixes follow the metadata', () => {
  const phones = (t: string) => scanText(t).filter((f) => f.type === 'mobile');
  it.each(['16101234567', '17405123456', '13812345678', '19212345678', '16512345678'])('%s is a mobile', (n) => {
    expect(phones(n).map((f) => [f.normalized, f.confidence])).toEqual([[n, 0.8]]);
  });
  it.each(['16111234567', '17406123456', '15412345678', '19412345678', '14012345678', '16012345678', '17912345678'])(
    '%s is no mobile',
    (n) => {
      expect(phones(n)).toEqual([]);
    },
  );
  it.each(['14612345678', '14812345678', '14912345678'])('data-only %s: a mobile at low confidence (product departure)', (n) => {
    expect(phones(n).map((f) => [f.normalized, f.confidence])).toEqual([[n, 0.5]]);
    expect(phones(`手机 ${n}`)[0]!.confidence).toBe(0.65);
    expect(phones(`订单号 ${n}`)).toEqual([]); // below the floor
  });
});

describe('area codes and local lengths follow the metadata', () => {
  const lands = (t: string) =>
    scanText(t)
      .filter((f) => f.type === 'landline')
      .map((f) => f.normalized);
  it.each([
    ['010-62345678', '01062345678'],
    ['0755-88886666', '075588886666'],
    ['0391-8765432', '03918765432'],
    ['0433-8765432', '04338765432'], // 0433: both lengths
    ['0433-88765432', '043388765432'],
  ])('%s is a landline', (t, n) => {
    expect(lands(t)).toEqual([n]);
  });
  it.each([
    '026-88886666', // 026 is no area code
    '0300-8888666', // 0300 neither
    '0755-8888666', // 0755 has 8-digit local numbers only
    '0391-88886666', // 0391 has 7-digit ones only
  ])('%s is no landline', (t) => {
    expect(lands(t)).toEqual([]);
  });
});
